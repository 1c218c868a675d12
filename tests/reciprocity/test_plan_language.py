"""A trip plan is read, printed and exported to the calendar in the language it was made in."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.reciprocity.test_views import NEXT_MONDAY, _trip_query


def test_trip_plan_and_calendar_keep_the_plans_language(app, client, at_home):
    query = _trip_query(("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=2)))
    html = client.get(f"/trip?{query}", headers={"Accept-Language": "de"}).get_data(as_text=True)
    share = html.split('id="share-link"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "lang=de" in share
    fresh = app.test_client()  # an English browser opening the shared plan reads it in German
    shared = fresh.get(share, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Wo Mitglieder von <bdi>Home Desk</bdi> arbeiten können" in shared
    ics = fresh.get(share.replace("/trip?", "/trip.ics?"), headers={"Accept-Language": "en"})
    alarms = [str(a["description"]) for a in Calendar.from_ical(ics.data).walk("VALARM")]
    assert alarms and all(a.startswith("Bis ") and " an Open House schreiben" in a for a in alarms), alarms
