"""What the survey pages show: a wave's report and the network's figures, in the reader's language.

Charts use the site's bar chart geometry (:func:`visa.impact.charts.bar_chart`) and its template macro, each with
its data as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from visa.directory.models import Space
from visa.impact.charts import BarChart, bar_chart
from visa.surveys import figures
from visa.surveys.models import SurveyWave
from visa.surveys.questionnaire import BY_KEY, CLOSED_QUESTIONS, INDICATORS, SECTIONS, VERSION, Question
from visa.surveys.stats import NetworkTable, Proportion


def option_label(question: Question, value: str) -> str:
    for option in question.options:
        if option.value == value:
            return _(option.label) if not option.label.isdigit() else option.label
    return value


def _short(text: str, bars: int) -> str:
    """*text* cut to what fits under one of *bars* bars (the chart's table holds it whole)."""
    length = max(4, 72 // max(bars, 1))
    return text if len(text) <= length else text[:length - 1] + "…"


def distribution_chart(question: Question, counts: list[tuple[str, int | None]]) -> BarChart:
    labels = [option_label(question, value) for value, _n in counts]
    return bar_chart([(label, n) for label, (_v, n) in zip(labels, counts, strict=True)],
                     axis_labels=[_short(label, len(labels)) for label in labels])


@dataclass(frozen=True)
class IndicatorRow:
    question: Question
    here: Proportion
    network: Proportion | None


def _percent_points(p: Proportion | None) -> int | None:
    return None if p is None or p.share is None else round(100 * p.share)


def report_context(space: Space, wave: SurveyWave, with_comments: bool) -> dict:
    config = current_app.config
    result = figures.wave_figures(wave, config["VISA_SURVEY_CO2_KG_PER_KM"])
    year = figures.wave_year(wave)
    network = figures.network_proportions(year) if result.is_shown else {}
    rows = [IndicatorRow(BY_KEY[p.key], p, network.get(p.key)) for p in result.proportions]
    charts = [(question, distribution_chart(question, result.distributions[question.key]))
              for question in CLOSED_QUESTIONS] if result.is_shown else []
    headline = bar_chart([(_(row.question.headline), _percent_points(row.here)) for row in rows],
                         axis_labels=[_short(_(row.question.headline), len(rows)) for row in rows]) if rows else None
    return {"space": space, "wave": wave, "result": result, "rows": rows, "charts": charts, "headline": headline,
            "year": year, "sections": SECTIONS,
            "comments": figures.comments(wave) if with_comments and result.is_shown else [],
            "runs": with_comments, "co2_factor": config["VISA_SURVEY_CO2_FACTOR"],
            "co2_kg_per_km": config["VISA_SURVEY_CO2_KG_PER_KM"]}


def network_context(tables: list[NetworkTable]) -> dict:
    """The latest wave year's headline proportions (chart and table) and each country's, as published."""
    years = sorted({t.wave for t in tables})
    year = years[-1] if years else None
    latest = {t.key: t for t in tables if t.wave == year}
    rows = [(question, latest[question.key]) for question in INDICATORS if question.key in latest]
    shown = [(question, table.proportion) for question, table in rows if table.proportion is not None]
    chart = bar_chart([(_(q.headline), _percent_points(p)) for q, p in shown],
                      axis_labels=[_short(_(q.headline), len(shown)) for q, _p in shown]) if shown else None
    countries = sorted({row.country for _q, table in rows for row in table.countries})
    by_country = {country: {question.key: next((table.country_proportion(r) for r in table.countries
                                                if r.country == country), None) for question, table in rows}
                  for country in countries}
    return {"year": year, "years": years, "rows": rows, "chart": chart, "countries": countries,
            "by_country": by_country, "version": VERSION}
