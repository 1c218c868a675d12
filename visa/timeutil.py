"""Time helpers with no Flask: UTC timestamps (passed as callables to column defaults), a leap year."""

from __future__ import annotations

from datetime import UTC, datetime, time


def utcnow() -> datetime:
    return datetime.now(UTC)


#: Any year that has a 29 February, to store and show month-day bounds as dates.
LEAP_YEAR = 2000
#: When a visit day starts, for counting a host's advance notice ("48 hours ahead" of Wednesday is Monday
#: 09:00): the notice rule for visit requests (visa.passes.limits) and the trip plan's reminders (its .ics).
VISIT_STARTS_AT = time(9, 0)
