"""A host's free-days limits, daily capacity and advance notice, checked against the days on record and the
clock. No Flask, no database.

The visa terms state free days per visit, per calendar month and per calendar
year (each may be "not stated": no limit) and a capacity per day. A member's
days at a host are the days of visits recorded there plus the days of accepted
requests not yet checked in, so a host cannot be booked past a limit by requests
accepted in a row. The terms' advance notice is counted in hours up to the start
of the first day asked (``VISIT_STARTS_AT``, 09:00 at the host), the moment the
trip plan's reminders count back from too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from visa.timeutil import VISIT_STARTS_AT


@dataclass(frozen=True)
class Limits:
    per_visit: int | None = None
    per_month: int | None = None
    per_year: int | None = None
    capacity_per_day: int | None = None


@dataclass(frozen=True)
class Breach:
    """One limit a request would pass: ``code`` and the numbers for a sentence."""

    code: str  # days_per_visit, days_per_month, days_per_year, full, notice
    data: dict = field(default_factory=dict)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def check(limits: Limits, asked: Iterable[date], member_days: Iterable[date],
          booked: dict[date, int]) -> list[Breach]:
    """What stops a member asking for *asked* days, given their days at this host already on record
    (*member_days*, not counting the asked ones) and each day's visitors already booked (*booked*)."""
    asked = sorted(set(asked))
    held = set(member_days) - set(asked)
    breaches: list[Breach] = []
    if limits.per_visit is not None and len(asked) > limits.per_visit:
        breaches.append(Breach("days_per_visit", {"asked": len(asked), "limit": limits.per_visit}))
    if limits.per_month is not None:
        used = Counter((d.year, d.month) for d in held)
        wanted = Counter((d.year, d.month) for d in asked)
        for (year, month), n in sorted(wanted.items()):
            if used[(year, month)] + n > limits.per_month:
                breaches.append(Breach("days_per_month", {"month": f"{year:04d}-{month:02d}", "used": used[(year, month)],
                                                          "asked": n, "limit": limits.per_month}))
    if limits.per_year is not None:
        used_y = Counter(d.year for d in held)
        wanted_y = Counter(d.year for d in asked)
        for year, n in sorted(wanted_y.items()):
            if used_y[year] + n > limits.per_year:
                breaches.append(Breach("days_per_year", {"year": year, "used": used_y[year], "asked": n,
                                                         "limit": limits.per_year}))
    if limits.capacity_per_day is not None:
        for day in asked:
            if booked.get(day, 0) >= limits.capacity_per_day:
                breaches.append(Breach("full", {"date": day.isoformat(), "booked": booked.get(day, 0),
                                                "capacity": limits.capacity_per_day}))
    return breaches


def host_zone(timezone_name: str, longitude: float) -> tzinfo:
    """Where a host's days start: its IANA time zone when the listing has one (imports and the demo fill it in;
    a listing placed by hand may have none). Without it, the nautical zone of its longitude (UTC plus one hour
    per 15 degrees), an hour or two from the local clock at most: close enough for a notice counted in hours."""
    if timezone_name:
        try:
            return ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone(timedelta(hours=round(longitude / 15)))


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, VISIT_STARTS_AT, zone).astimezone(UTC)


def notice_breach(first: date, notice_hours: int | None, now: datetime, zone: tzinfo) -> Breach | None:
    """The host's notice when *first* starts (VISIT_STARTS_AT in *zone*) sooner than *notice_hours* after *now* (aware),
    with the earliest first day that it allows; None when the notice is kept, or none is asked (0 or not stated)."""
    if not notice_hours:
        return None
    due = now.astimezone(UTC) + timedelta(hours=notice_hours)
    if _day_start(first, zone) >= due:
        return None
    earliest = due.astimezone(zone).date()
    if _day_start(earliest, zone) < due:
        earliest += timedelta(days=1)
    return Breach("notice", {"hours": notice_hours, "earliest": earliest.isoformat()})
