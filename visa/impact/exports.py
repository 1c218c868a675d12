"""The downloads: the open data export (CSV, JSON) and a space's own report as CSV.

The open export publishes only what :func:`visa.impact.figures.open_export` lets
through: visits by month and country pair, small counts suppressed. Its columns
are documented in the README ("Open data") and do not change without a version.
"""

from __future__ import annotations

import csv
import io

from visa.impact.figures import SpaceImpact
from visa.impact.record import Record
from visa.impact.suppression import THRESHOLD, Cell

#: Bumped when a column's meaning changes; readers can check it.
OPEN_EXPORT_VERSION = 1
OPEN_COLUMNS = ("month", "home_country", "host_country", "visits", "suppressed")


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def open_export_csv(cells: list[Cell]) -> str:
    """One row per month and country pair; ``visits`` is empty and ``suppressed`` true under the threshold."""
    return _csv([OPEN_COLUMNS, *((c.month, c.home_country, c.host_country,
                                  "" if c.count is None else c.count, "true" if c.is_suppressed else "false")
                                 for c in cells)])


def open_export_json(cells: list[Cell], totals: dict[str, int | None], generated_at: str) -> dict:
    return {
        "version": OPEN_EXPORT_VERSION,
        "generated_at": generated_at,
        "unit": "visit days (one member at one host space on one day)",
        "suppression": {"threshold": THRESHOLD,
                        "rule": f"counts under {THRESHOLD} are null; a month with one such cell has its smallest "
                                "other cell suppressed too, so month totals cannot give it back"},
        "month_totals": [{"month": m, "visits": t} for m, t in totals.items()],
        "cells": [{"month": c.month, "home_country": c.home_country, "host_country": c.host_country,
                   "visits": c.count} for c in cells],
    }


def space_report_csv(impact: SpaceImpact, record: Record) -> str:
    """A space's report in long form (figure, period, country, value): one table any spreadsheet reads."""
    rows: list[tuple] = [("figure", "period", "country", "value")]
    for m in impact.months:
        period = f"{m.month:%Y-%m}"
        rows += [("visitors_hosted", period, "", m.visitors_hosted), ("visit_days_hosted", period, "", m.days_hosted),
                 ("members_sent", period, "", m.members_sent),
                 ("visit_days_of_members_sent", period, "", m.days_of_members_sent)]
    rows += [("visitors_by_home_country", "12 months", c or "unknown", v) for c, v, _days in impact.home_countries]
    rows += [("visit_days_of_members_sent_by_host_country", "12 months", c, d) for c, d in impact.countries_reached]
    rows += [("requests_received", "12 months", "", record.requests), ("requests_answered", "12 months", "",
                                                                        record.answered),
             ("requests_accepted", "12 months", "", record.accepted),
             ("median_answer_hours", "12 months", "",
              "" if record.median_answer is None else round(record.median_answer.total_seconds() / 3600, 1)),
             ("home_spaces_hosted", "12 months", "", impact.homes_hosted)]
    return _csv(rows)
