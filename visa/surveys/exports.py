"""The survey's downloads: the network's open figures (CSV, JSON), a wave's report (CSV), the admins' answers.

The open figures are aggregates by wave year, country and question, suppressed by :func:`.stats.network_tables`,
each row with the questionnaire's version; individual answers are never published. The admins' export holds one
row per answer without the open question (for research under the network's terms); its rows are shuffled and
carry no space, only its country.
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from visa.directory.models import Space
from visa.extensions import db
from visa.impact.suppression import THRESHOLD
from visa.surveys.models import SurveyResponse, SurveyWave
from visa.surveys.questionnaire import CLOSED_QUESTIONS, VERSION
from visa.surveys.stats import NetworkTable, SpaceFigures

NETWORK = "ALL"  # the country column of the network's own rows
COLUMNS = ("questionnaire_version", "wave", "country", "question", "answer", "count", "answered", "suppressed")


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def network_rows(tables: list[NetworkTable]) -> list[tuple]:
    """One row per wave year, country (``ALL``: the network) and question's answer; suppressed rows have no count."""
    rows = []
    for table in tables:
        groups = [(NETWORK, table.answered, table.counts)] + [(r.country, r.answered, r.counts)
                                                              for r in table.countries]
        for country, answered, counts in groups:
            if counts is None:
                rows.append((VERSION, table.wave, country, table.key, "", "", "", "true"))
                continue
            rows.extend((VERSION, table.wave, country, table.key, value, n, answered, "false") for value, n in counts)
    return rows


def network_csv(tables: list[NetworkTable]) -> str:
    return _csv([COLUMNS, *network_rows(tables)])


def network_json(tables: list[NetworkTable], generated_at: str) -> dict:
    return {
        "questionnaire_version": VERSION,
        "generated_at": generated_at,
        "threshold": THRESHOLD,
        "note": ("Members' survey answers from closed waves, by the year the wave opened and the space's country. "
                 "A country with fewer answers than the threshold to a question is suppressed, and so are more where "
                 "a total could give it back. Self-selected answers, not a sample of all members."),
        "tables": [{
            "wave": table.wave, "question": table.key,
            "network": None if table.counts is None else {"answered": table.answered, "counts": dict(table.counts)},
            "countries": [{"country": row.country, "suppressed": row.is_suppressed,
                           **({} if row.counts is None else {"answered": row.answered, "counts": dict(row.counts)})}
                          for row in table.countries],
        } for table in tables],
    }


def wave_csv(result: SpaceFigures, wave: SurveyWave) -> str:
    """A wave's report: counts, then each question's distribution and each indicator's proportion and interval."""
    rows: list[tuple] = [("figure", "question", "answer", "value"),
                         ("questionnaire_version", "", "", wave.version),
                         ("responses", "", "", result.responses),
                         ("responses_open_link_not_verified", "", "", result.open_link),
                         ("invitations_mailed", "", "", result.invited),
                         ("response_rate", "", "", "" if result.response_rate is None else f"{result.response_rate:.4f}")]
    if result.is_shown:
        for key, counts in result.distributions.items():
            rows.extend(("count", key, value, n) for value, n in counts)
        for p in result.proportions:
            if p.answered:
                low, high = p.interval
                rows.extend((("share_positive", p.key, "", f"{p.share:.4f}"), ("wilson95_low", p.key, "", f"{low:.4f}"),
                             ("wilson95_high", p.key, "", f"{high:.4f}"), ("answered", p.key, "", p.answered)))
        if result.commute is not None:
            rows.extend((("commute_km_saved_a_year", "", "", f"{result.commute.km_saved:.0f}"),
                         ("commute_co2_t_saved_a_year", "", "", f"{result.commute.co2_saved_t:.2f}")))
    return _csv(rows)


def answers_csv() -> str:
    """Every answer, one row each, without the open question, in random order (admins only)."""
    keys = [q.key for q in CLOSED_QUESTIONS]
    query = (sa.select(SurveyWave.version, SurveyWave.starts_on, Space.country_code, SurveyResponse.channel,
                       SurveyResponse.answers)
             .join(SurveyWave, SurveyWave.id == SurveyResponse.wave_id).join(Space, Space.id == SurveyWave.space_id)
             .order_by(sa.func.random()))
    rows = [("questionnaire_version", "wave", "country", "channel", *keys)]
    rows.extend((version, starts_on.year, country, channel, *(answers.get(k, "") for k in keys))
                for version, starts_on, country, channel, answers in db.session.execute(query))
    return _csv(rows)
