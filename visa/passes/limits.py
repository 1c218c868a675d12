"""A host's free-days limits and daily capacity, checked against the days on record. No Flask, no database.

The visa terms state free days per visit, per calendar month and per calendar
year (each may be "not stated": no limit) and a capacity per day. A member's
days at a host are the days of visits recorded there plus the days of accepted
requests not yet checked in, so a host cannot be booked past a limit by requests
accepted in a row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Limits:
    per_visit: int | None = None
    per_month: int | None = None
    per_year: int | None = None
    capacity_per_day: int | None = None


@dataclass(frozen=True)
class Breach:
    """One limit a request would pass: ``code`` and the numbers for a sentence."""

    code: str  # days_per_visit, days_per_month, days_per_year, full
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
