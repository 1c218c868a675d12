"""Traveller pages: home space, verdicts on the map and space pages, trip planner, network reach."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_skeleton
from icalendar import Calendar

NEXT_MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)


def test_home_is_chosen_by_slug_or_name_and_needs_csrf(client, network, csrf_token):
    assert client.post("/home", data={"home": "home-desk-berlin"}).status_code == 400
    r = client.post("/home", data={"home": "home desk", "csrf_token": csrf_token()})
    assert r.status_code == 302
    assert "Your home space:" in client.get("/").get_data(as_text=True)


def test_the_header_s_home_field_is_rendered_once_per_language_and_its_token_only_with_a_session(app, client, network,
                                                                                                  csrf_token):
    from visa.reciprocity.views import home_field

    with app.test_request_context("/?lang=fr"):
        field = home_field()
        assert field is home_field() and "Votre espace d’origine" in field and 'id="home-input"' in field
    without_session = app.test_client(use_cookies=False).get("/").get_data(as_text=True)
    header = without_session.split('class="inline home-form"')[1].split("</form>")[0]
    assert 'id="home-input"' in header and "csrf_token" not in header
    csrf_token()  # the home-space page holds a token: the client now has a session
    header = client.get("/").get_data(as_text=True).split('class="inline home-form"')[1].split("</form>")[0]
    assert 'name="csrf_token" type="hidden" value="' in header


def test_unknown_home_re_renders_with_the_input_and_a_message(client, network, csrf_token):
    r = client.post("/home", data={"home": "Nowhere Hub", "csrf_token": csrf_token()})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "No listed space is called “Nowhere Hub”" in html and 'value="Nowhere Hub"' in html


def test_no_open_redirect_through_next(client, network, csrf_token):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        r = client.post("/home", data={"home": "home-desk-berlin", "csrf_token": csrf_token(), "next": target})
        assert r.headers["Location"] == "/"


def test_map_list_shows_only_honoring_spaces_with_verdicts(client, at_home):
    html = client.get("/?q=Lisbon").get_data(as_text=True)
    assert "Open House" in html and "Picky Loft" not in html
    assert "Honors your membership: 3 free days per visit, email the host 48 hours ahead with your membership card" in html
    everything = client.get("/?q=Lisbon&all=1").get_data(as_text=True)
    assert "Picky Loft" in everything
    assert "Does not honor your membership: Your home space is" in everything
    assert "this host only hosts members from more than 5,000 km" in everything


def test_dates_on_the_map_list_possible_days(client, at_home):
    start, end = NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6)
    html = client.get(f"/?q=Lisbon&date_from={start}&date_to={end}").get_data(as_text=True)
    assert "Possible: " + format_skeleton("MMMEd", start, locale="en") + "; " in html
    assert format_skeleton("MMMEd", start + timedelta(days=5), locale="en") not in html  # Saturday: weekdays only


def test_the_api_gives_the_same_possible_days_for_the_map_list(client, at_home):
    start, end = NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6)
    page = client.get(f"/?q=Lisbon&date_from={start}&date_to={end}").get_data(as_text=True)
    body = client.get(f"/api/v1/spaces?bbox=-9.5,38.5,-8.9,39.0&zoom=12&home=home-desk-berlin"
                      f"&date_from={start}&date_to={end}").get_json()
    verdicts = {f["properties"]["slug"]: f["properties"]["verdict"] for f in body["features"]}
    open_house = verdicts["open-house-lisbon"]
    assert open_house["possible_days"] == [(start + timedelta(days=i)).isoformat() for i in range(5)]
    assert open_house["days_text"] in page  # the page and the API in the same words
    assert verdicts["picky-loft-lisbon"]["days_text"] == "No possible day in these dates."
    bad = client.get(f"/api/v1/spaces?bbox=-9.5,38.5,-8.9,39.0&zoom=12&home=home-desk-berlin&date_from={start}")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "date_to"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date.today() - timedelta(days=3), date.today() + timedelta(days=1), "This date is in the past."),
        (NEXT_MONDAY, NEXT_MONDAY - timedelta(days=2), "The end is before the start."),
        (NEXT_MONDAY, NEXT_MONDAY + timedelta(days=400), "At most a year between start and end."),
    ],
)
def test_bad_dates_get_a_clear_message(client, at_home, start, end, message):
    html = client.get(f"/?q=Lisbon&date_from={start}&date_to={end}").get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html


def test_space_page_verdict_and_day_check(client, at_home):
    html = client.get("/spaces/picky-loft-lisbon").get_data(as_text=True)
    assert "Does not honor your membership" in html and "5,000 km" in html
    # The headline says what applies to this visitor, not the free days others get.
    assert '<p class="headline">No free days for members of your home space</p>' in html
    html = client.get(f"/spaces/open-house-lisbon?date={NEXT_MONDAY + timedelta(days=5)}").get_data(as_text=True)
    # A day the host does not host is said once, and is not a refusal of the membership.
    assert html.count("Not on Saturdays: this host hosts Mon–Fri") == 1
    assert 'class="verdict closed-day"' in html and "Does not honor" not in html
    assert "must be a date" in client.get("/spaces/open-house-lisbon?date=soon").get_data(as_text=True)


def test_space_page_without_home_invites_to_choose(client, network):
    assert "Set your home space" in client.get("/spaces/open-house-lisbon").get_data(as_text=True)


def _trip_query(*stops):
    parts = []
    for i, (place, start, end) in enumerate(stops):
        parts += [f"stops-{i}-place={place}", f"stops-{i}-start={start}", f"stops-{i}-end={end}"]
    return "&".join(parts)


def test_two_stop_trip_plan_share_and_ics(client, at_home):
    lisbon = ("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=4))
    porto = ("Porto", NEXT_MONDAY + timedelta(days=5), NEXT_MONDAY + timedelta(days=6))
    query = _trip_query(lisbon, porto)
    html = client.get(f"/trip?{query}").get_data(as_text=True)
    assert "Lisbon, Portugal" in html and "Porto, Portugal" in html
    assert "Open House" in html and "Ribeira Hub" in html and "Picky Loft" not in html
    assert "Before going:" in html and 'id="share-link"' in html and "Print" in html
    # The possible days as people write them: "Mon, Dec 7; Tue, Dec 8".
    first_two = [format_skeleton("MMMEd", NEXT_MONDAY + timedelta(days=i), locale="en") for i in range(2)]
    assert "Possible days: " + "; ".join(first_two) in html

    ics = client.get(f"/trip.ics?{query}")
    assert ics.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(ics.data).walk("VEVENT")]
    # A day per free day: Open House's 3 weekdays in Lisbon, then Ribeira Hub's weekend in Porto.
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [
        ("Coworking Visa: Open House", NEXT_MONDAY + timedelta(days=i)) for i in range(3)
    ] + [("Coworking Visa: Ribeira Hub", NEXT_MONDAY + timedelta(days=5 + i)) for i in range(2)]
    assert all(e["dtend"].dt == e["dtstart"].dt + timedelta(days=1) for e in events)
    # One reminder per visit, on its first day: 48 hours before Monday 09:00 for Open House, 24 for Ribeira Hub.
    alarms = [(str(e["summary"]), a["trigger"].dt) for e in events for a in e.walk("VALARM")]
    assert alarms == [("Coworking Visa: Open House", -timedelta(hours=39)),
                      ("Coworking Visa: Ribeira Hub", -timedelta(hours=15))]
    first_alarm = events[0].walk("VALARM")[0]
    # The day's wording (abbreviated or not) is Babel's choice from CLDR; the test checks the sentence around it.
    saturday = format_skeleton("MMMMEEEEd", NEXT_MONDAY - timedelta(days=2), locale="en_US")
    assert str(first_alarm["description"]) == f"Write to Open House by {saturday}, 9:00\u202fAM"


@pytest.mark.parametrize(
    ("stops", "message"),
    [
        ([("Lisbon", date.today() - timedelta(days=1), date.today() + timedelta(days=2))], "This date is in the past."),
        ([("Lisbon", NEXT_MONDAY, NEXT_MONDAY - timedelta(days=1))], "The end is before the start."),
        ([("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=3)),
          ("Porto", NEXT_MONDAY + timedelta(days=300), NEXT_MONDAY + timedelta(days=380))], "A trip may last at most a year."),
        ([("Xyzzyqqq", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=1))], "No place called “Xyzzyqqq”."),
        ([("", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=1))], "Give a place for this stop."),
    ],
)
def test_bad_trips_get_a_message_per_field(client, at_home, stops, message):
    html = client.get(f"/trip?{_trip_query(*stops)}").get_data(as_text=True)
    assert message in html and "Where <bdi>Home Desk</bdi> members may work" not in html


def test_one_unknown_stop_does_not_hide_the_plan_of_the_others(client, at_home):
    lisbon = ("Lisbon", NEXT_MONDAY, NEXT_MONDAY + timedelta(days=2))
    nowhere = ("Xyzzyqqq", NEXT_MONDAY + timedelta(days=3), NEXT_MONDAY + timedelta(days=4))
    html = client.get(f"/trip?{_trip_query(lisbon, nowhere)}").get_data(as_text=True)
    assert "No place called “Xyzzyqqq”." in html  # on its own stop, with its suggestions
    assert "members may work" in html and "Open House" in html
    ics = client.get(f"/trip.ics?{_trip_query(lisbon, nowhere)}")
    assert ics.status_code == 200 and b"Open House" in ics.data


def test_trip_without_home_lists_the_participating_spaces(client, network, make_space):
    make_space("Quiet Corner", lat=38.7120, lon=-9.1380, terms={"is_participating": False})
    lisbon = ("Lisbon", NEXT_MONDAY, NEXT_MONDAY)
    html = client.get(f"/trip?{_trip_query(lisbon, ('Xyzzyqqq', NEXT_MONDAY, NEXT_MONDAY))}").get_data(as_text=True)
    assert "Participating spaces near your stops" in html
    plan = html.split('id="plan-heading"', 1)[1]
    assert "Open House" in plan and "Picky Loft" in plan  # no verdict without a home: every participating space
    assert "Quiet Corner" not in plan  # ... and only those
    assert "Set yours at the top of the page to see which of them honor your membership" in html
    assert "No place called “Xyzzyqqq”." in html  # the stop it cannot place keeps its message
    assert 'id="ics-link"' not in html  # a calendar needs the verdicts' days
    assert client.get(f"/trip.ics?{_trip_query(lisbon)}").status_code == 400


def test_network_reach_both_ways(client, network):
    html = client.get("/spaces/home-desk-berlin/reach").get_data(as_text=True)
    assert "2 participating spaces honor its members" in html and "in 1 country" in html
    assert "It hosts the members of 3 spaces." in html
    assert client.get("/spaces/nope/reach").status_code == 404


def test_reach_map_escapes_names(client, network, make_space):
    make_space('<img src=x onerror=alert(1)>', lat=48.85, lon=2.35, country="FR", city="Paris")
    html = client.get("/spaces/home-desk-berlin/reach").get_data(as_text=True)
    assert "<img src=x" not in html and "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def _candidates(html: str) -> list[tuple[str, str]]:
    import re

    form = html.split('id="home-candidates"', 1)[1].split("</form>", 1)[0] if 'id="home-candidates"' in html else ""
    # Each button names the space with its place ("Home Desk — Berlin, Germany"): the accessible name tells them apart.
    return re.findall(r'name="home" value="([^"]+)"[^>]*><bdi>[^<]*</bdi> — <bdi>([^<]*)</bdi></button>', form)


def test_same_named_homes_are_offered_with_their_city(client, network, make_space, csrf_token):
    make_space("Home Desk", lat=48.137, lon=11.575, country="DE", city="Munich", region="Bavaria")
    r = client.post("/home", data={"home": "home desk", "csrf_token": csrf_token(), "next": "/trip"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Several listed spaces are called “home desk”" in html
    assert _candidates(html)[:2] == [("home-desk-berlin", "Berlin, Germany"), ("home-desk-munich", "Munich, Germany")]
    picked = client.post("/home", data={"home": "home-desk-munich", "csrf_token": csrf_token(), "next": "/trip"})
    assert picked.headers["Location"] == "/trip"
    assert "Home Desk" in client.get("/trip").get_data(as_text=True)


def test_misspelt_home_offers_the_most_similar_first(client, network, csrf_token):
    html = client.post("/home", data={"home": "Ribiera Hub", "csrf_token": csrf_token()}).get_data(as_text=True)
    assert "No listed space is called “Ribiera Hub”. Did you mean one of these?" in html
    assert _candidates(html)[0] == ("ribeira-hub-porto", "Porto, Portugal")
    html = client.post("/home", data={"home": "Opn Hous", "csrf_token": csrf_token()}).get_data(as_text=True)
    assert _candidates(html)[0][0] == "open-house-lisbon"


def test_home_candidates_are_ranked_and_bounded(app, make_space):
    from visa.reciprocity.service import home_candidates

    for city in ("Lisbon", "Porto", "Faro"):
        make_space("Casa do Cowork", city=city)
    make_space("Casa do Coworking Norte", city="Braga")
    found = home_candidates("casa do cowork")
    assert [(c.name, c.city) for c in found[:3]] == [("Casa do Cowork", "Faro"), ("Casa do Cowork", "Lisbon"),
                                                    ("Casa do Cowork", "Porto")]
    assert found[3].name == "Casa do Coworking Norte"
    assert len(home_candidates("casa do cowork", limit=2)) == 2
    assert home_candidates("Zzyzx Quarry") == [] and home_candidates("  ") == []
