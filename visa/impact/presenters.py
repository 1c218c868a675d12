"""Words and charts for the impact pages: numbers, rates, waits and month bars in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from babel.dates import format_skeleton, format_timedelta
from flask import Flask
from flask_babel import format_decimal, format_percent, get_locale

from visa.impact.charts import BarChart, bar_chart

NOT_KNOWN = "–"


def number(value: int | float | None) -> str:
    return NOT_KNOWN if value is None else format_decimal(value)


def percent(rate: float | None) -> str:
    return NOT_KNOWN if rate is None else format_percent(rate)


def wait_label(wait: timedelta | None) -> str:
    """ "3 hours", "2 days": a wait as people say it."""
    return NOT_KNOWN if wait is None else format_timedelta(wait, threshold=1.5, locale=get_locale())


def _as_month(month: date | str) -> date:
    return date.fromisoformat(month + "-01") if isinstance(month, str) else month


def month_label(month: date | str) -> str:
    """ "Nov 2026"."""
    return format_skeleton("yMMM", _as_month(month), locale=get_locale())


def month_chart(values: Iterable[tuple[date | str, int | None]]) -> BarChart:
    """Bars by month: "Nov 2026" in the table, "Nov" under the bar (twelve months run left to right)."""
    values = [(_as_month(m), v) for m, v in values]
    return bar_chart([(month_label(m), v) for m, v in values],
                     axis_labels=[format_skeleton("MMM", m, locale=get_locale()) for m, _v in values])


def init_app(app: Flask) -> None:
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(wait_label)
    app.add_template_filter(month_label)
