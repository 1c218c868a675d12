"""Free-days limits, daily capacity and advance notice, as pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from visa.passes.limits import Limits, check, days_between, host_zone, notice_breach

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


BERLIN = ZoneInfo("Europe/Berlin")
#: Monday 2 March 2026, 11:00 in Berlin.
MONDAY_11 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_notice_counts_the_hours_to_the_first_day_s_start_at_the_host():
    # Tuesday starts (09:00) 21 hours from now in Berlin: 24 hours' notice refuses it and names Wednesday.
    refused = notice_breach(date(2026, 3, 3), 24, MONDAY_11, BERLIN)
    assert (refused.code, refused.data) == ("notice", {"hours": 24, "earliest": "2026-03-04"})
    assert notice_breach(date(2026, 3, 4), 24, MONDAY_11, BERLIN) is None
    assert notice_breach(date(2026, 3, 5), 72, MONDAY_11, BERLIN).data["earliest"] == "2026-03-06"


def test_no_notice_or_none_stated_allows_today():
    assert notice_breach(date(2026, 3, 2), 0, MONDAY_11, BERLIN) is None
    assert notice_breach(date(2026, 3, 2), None, MONDAY_11, BERLIN) is None


def test_the_host_s_time_zone_decides_when_its_day_starts():
    # The same Tuesday, asked at the same moment: 11:00 Monday in Honolulu (UTC-10) starts it exactly 24 hours
    # from now, which is enough; in Auckland (UTC+13) it is 23:00 and Tuesday starts in an hour, Wednesday in 25.
    assert notice_breach(date(2026, 3, 3), 24, MONDAY_11, ZoneInfo("Pacific/Honolulu")) is None
    auckland = notice_breach(date(2026, 3, 3), 24, MONDAY_11, ZoneInfo("Pacific/Auckland"))
    assert auckland.data["earliest"] == "2026-03-04"


def test_a_host_without_a_time_zone_counts_from_its_longitude():
    assert host_zone("Europe/Berlin", 13.4) == BERLIN
    assert host_zone("", 13.4).utcoffset(None) == timedelta(hours=1)
    assert host_zone("Not/AZone", -157.8) == timezone(timedelta(hours=-11))
    assert host_zone("", 179.9).utcoffset(None) == timedelta(hours=12)
