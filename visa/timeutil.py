"""Time helpers with no Flask: UTC timestamps (passed as callables to column defaults), a leap year."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


#: Any year that has a 29 February, to store and show month-day bounds as dates.
LEAP_YEAR = 2000
