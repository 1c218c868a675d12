"""Free-days limits and daily capacity, as pure rules."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from visa.passes.limits import Limits, check, days_between

JUNE = [date(2026, 6, d) for d in range(1, 31)]


def test_no_stated_limit_allows_anything():
    assert check(Limits(), JUNE, JUNE[:10], {d: 100 for d in JUNE}) == []


def test_per_visit_counts_the_days_asked():
    assert [b.code for b in check(Limits(per_visit=3), days_between(JUNE[0], JUNE[3]), [], {})] == ["days_per_visit"]
    assert check(Limits(per_visit=3), days_between(JUNE[0], JUNE[2]), [], {}) == []


def test_month_and_year_count_days_on_record_in_the_same_calendar_period():
    held = [date(2026, 5, 30), date(2026, 6, 2), date(2026, 6, 3), date(2025, 6, 10)]
    found = check(Limits(per_month=3, per_year=4), [date(2026, 6, 20), date(2026, 6, 21)], held, {})
    assert [(b.code, b.data["used"]) for b in found] == [("days_per_month", 2), ("days_per_year", 3)]
    # Across a month's end, each month is counted on its own.
    assert check(Limits(per_month=2), [date(2026, 6, 30), date(2026, 7, 1)], [date(2026, 6, 2)], {}) == []


def test_a_day_asked_again_is_not_counted_twice():
    assert check(Limits(per_month=1), [JUNE[4]], [JUNE[4]], {}) == []


def test_capacity_names_each_full_day():
    found = check(Limits(capacity_per_day=2), JUNE[:3], [], {JUNE[1]: 2, JUNE[2]: 1})
    assert [(b.code, b.data["date"]) for b in found] == [("full", "2026-06-02")]


@given(limit=st.integers(0, 10), held=st.sets(st.sampled_from(JUNE), max_size=12),
       asked=st.sets(st.sampled_from(JUNE), min_size=1, max_size=6))
def test_month_limit_holds_exactly_when_the_total_fits(limit, held, asked):
    breached = bool(check(Limits(per_month=limit), asked, held, {}))
    assert breached == (len(held | asked) > limit)
