"""Trip plans: a shared link that works in a fresh browser, every chosen space in the calendar, addresses in print."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.reciprocity.test_views import NEXT_MONDAY, _trip_query


@pytest.fixture
def lisbon_pair(network, make_space):
    make_space("Second Desk", lat=38.7600, lon=-9.1600, terms={"advance_notice_hours": 0, "free_days_per_visit": 2},
               address_line1="Rua Augusta 1", postcode="1100-048", region="Lisboa", email="desk@example.org")
    return network


def _events(response) -> list[tuple[str, object]]:
    return [(str(e["summary"]).removeprefix("Coworking Visa: "), e["dtstart"].dt)
            for e in Calendar.from_ical(response.data).walk("VEVENT")]


def test_shared_link_opens_the_plan_in_a_fresh_browser(app, client, at_home):
    query = _trip_query(("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=2)))
    html = client.get(f"/trip?{query}").get_data(as_text=True)
    share = html.split('id="share-link"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "home=home-desk-berlin" in share

    fresh = app.test_client()  # no cookie, no session: only the link
    shared = fresh.get(share).get_data(as_text=True)
    assert "Where <bdi>Home Desk</bdi> members may work" in shared and "Open House" in shared
    assert 'id="home-adds"' not in shared
    assert 'name="home" value="home-desk-berlin"' in shared  # re-planning from the shared page keeps it
    ics = fresh.get(share.replace("/trip?", "/trip.ics?"))
    assert ics.status_code == 200 and _events(ics)[0][0] == "Open House"


def test_the_session_home_wins_over_the_link(client, at_home, make_space):
    make_space("Other Home", lat=48.85, lon=2.35, country="FR", city="Paris")
    query = _trip_query(("Lisbon", NEXT_MONDAY, NEXT_MONDAY))
    html = client.get(f"/trip?{query}&home=other-home-paris").get_data(as_text=True)
    assert "Where <bdi>Home Desk</bdi> members may work" in html


def test_an_unknown_home_in_the_link_asks_for_one(app, network):
    query = _trip_query(("Lisbon", NEXT_MONDAY, NEXT_MONDAY))
    html = app.test_client().get(f"/trip?{query}&home=no-such-space").get_data(as_text=True)
    assert 'id="home-adds"' in html and "Participating spaces near your stops" in html


def test_calendar_has_every_day_at_every_chosen_space(client, lisbon_pair, csrf_token):
    client.post("/home", data={"home": "home-desk-berlin", "csrf_token": csrf_token()})
    query = _trip_query(("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=4)))
    html = client.get(f"/trip?{query}").get_data(as_text=True)
    # Nothing ticked yet: the nearest space is, and the plan shows it ticked.
    assert html.count(" checked>") == 1
    assert _events(client.get(f"/trip.ics?{query}")) == [
        ("Open House", NEXT_MONDAY + timedelta(days=i)) for i in range(3)]

    both = client.get(f"/trip.ics?{query}&visit=open-house-lisbon&visit=second-desk-lisbon")
    assert sorted(_events(both)) == sorted(
        [("Open House", NEXT_MONDAY + timedelta(days=i)) for i in range(3)]
        + [("Second Desk", NEXT_MONDAY + timedelta(days=i)) for i in range(2)])
    calendar = Calendar.from_ical(both.data)
    second = [e for e in calendar.walk("VEVENT") if "Second Desk" in str(e["summary"])]
    # No notice asked: the reminder rings at 09:00 on the day itself; and only on the first day of the visit.
    assert [a["trigger"].dt for e in second for a in e.walk("VALARM")] == [timedelta(hours=9)]
    assert str(second[0]["location"]) == "Rua Augusta 1, 1100-048 Lisbon, Lisboa, Portugal"
    assert "desk@example.org" in str(second[0].walk("VALARM")[0]["description"])


def test_printed_plan_shows_address_and_contact(client, lisbon_pair, csrf_token):
    client.post("/home", data={"home": "home-desk-berlin", "csrf_token": csrf_token()})
    html = client.get(f"/trip?{_trip_query(('Lisbon', NEXT_MONDAY, NEXT_MONDAY + timedelta(days=1)))}").get_data(
        as_text=True)
    assert "Rua Augusta 1, 1100-048 Lisbon, Lisboa, Portugal" in html
    assert "Contact: <bdi>desk@example.org</bdi>" in html
