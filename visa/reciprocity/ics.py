"""A trip plan as an iCalendar file: one all-day event per planned visit."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar, Event

from visa.directory.models import Space
from visa.timeutil import utcnow


def trip_calendar(visits: list[tuple[Space, date, date]], url_for_space, describe) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Coworking Visa Directory//trip planner//EN")
    calendar.add("version", "2.0")
    stamp = utcnow()
    for space, first, last in visits:
        event = Event()
        event.add("uid", f"{space.slug}-{first.isoformat()}@coworking-visa-directory")
        event.add("dtstamp", stamp)
        event.add("summary", f"Coworking Visa: {space.name}")
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end the day after (RFC 5545)
        event.add("location", ", ".join(p for p in (space.address_line1, space.city, space.country_code) if p))
        event.add("geo", (space.latitude, space.longitude))
        event.add("url", url_for_space(space))
        event.add("description", describe(space))
        calendar.add_component(event)
    return calendar.to_ical()
