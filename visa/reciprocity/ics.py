"""A trip plan as an iCalendar file: an all-day event per planned day, a reminder at each host's notice deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from visa.directory.models import Space
from visa.reciprocity.trips import Visit
from visa.timeutil import VISIT_STARTS_AT, utcnow


def notice_deadline(visit: Visit) -> datetime | None:
    """The local time by which the host must have the request, or None when the host states no notice."""
    if visit.notice_hours is None:
        return None
    return datetime.combine(visit.days[0], VISIT_STARTS_AT) - timedelta(hours=visit.notice_hours)


def trip_calendar(visits: list[Visit], url_for_space: Callable[[Space], str], describe: Callable[[Space], str],
                  reminder: Callable[[Visit, datetime], str], location: Callable[[Space], str],
                  title: Callable[[Space], str]) -> bytes:
    """The calendar of ``visits``; the callables give the texts (translated by the caller) and links."""
    calendar = Calendar()
    calendar.add("prodid", "-//Coworking Visa Directory//trip planner//EN")
    calendar.add("version", "2.0")
    stamp = utcnow()
    for visit in visits:
        space = visit.space
        for index, day in enumerate(visit.days):
            event = Event()
            event.add("uid", f"{space.slug}-{day.isoformat()}@coworking-visa-directory")
            event.add("dtstamp", stamp)
            event.add("summary", title(space))
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))  # all-day events end the day after (RFC 5545)
            event.add("location", location(space))
            event.add("geo", (space.latitude, space.longitude))
            event.add("url", url_for_space(space))
            event.add("description", describe(space))
            deadline = notice_deadline(visit)
            if index == 0 and deadline is not None:
                # One request covers the whole visit, so only its first day reminds.
                # Relative to the floating all-day start, the alarm rings at the host's local time.
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", reminder(visit, deadline))
                alarm.add("trigger", deadline - datetime.combine(day, time(0)))
                event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
