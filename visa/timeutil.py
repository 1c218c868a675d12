"""Time helpers with no Flask: UTC timestamps (passed as callables to column defaults), a leap year."""

from __future__ import annotations

from datetime import UTC, datetime, time


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """*moment* with its zone: SQLite hands back naive datetimes, and every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


#: Any year that has a 29 February, to store and show month-day bounds as dates.
LEAP_YEAR = 2000
#: When a visit day starts, for counting a host's advance notice ("48 hours ahead" of Wednesday is Monday
#: 09:00): the notice rule for visit requests (visa.passes.limits) and the trip plan's reminders (its .ics).
VISIT_STARTS_AT = time(9, 0)
