"""GET /api/v1/reciprocity and the honors filter of /api/v1/spaces."""

from __future__ import annotations

import re

import pytest

from visa.directory.models import SpaceStatus


@pytest.fixture
def network(make_space):
    return {
        "home": make_space("Home Desk", lat=52.52, lon=13.405, country="DE", city="Berlin"),
        "open": make_space("Open House", lat=38.7101, lon=-9.1367),
        "picky": make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000}),
        "weekdays": make_space("Weekday Works", lat=38.7200, lon=-9.1450, terms={"weekdays": 31}),
        "pending": make_space("Waiting Room", lat=38.72, lon=-9.14, status=SpaceStatus.PENDING),
        "resting": make_space("Resting Hub", lat=38.73, lon=-9.15, terms={"is_participating": False}),
    }


def test_verdict_with_reasons_and_conditions(client, network):
    body = client.get("/api/v1/reciprocity?home=home-desk-berlin&host=open-house-lisbon").get_json()
    assert body["honored"] is True
    assert body["allowance"] == {"free_days_per_visit": 3, "free_days_per_month": None, "free_days_per_year": None}
    assert body["reasons"][0]["code"] == "honored" and body["reasons"][0]["text"]
    assert [c["code"] for c in body["conditions"]] == ["free_days", "request", "membership_proof", "weekdays"]
    assert body["summary"].startswith("Honors your membership: 3 free days per visit, email the host 24 hours ahead")


def test_distance_reason_names_the_numbers(client, network):
    body = client.get("/api/v1/reciprocity?home=home-desk-berlin&host=picky-loft-lisbon").get_json()
    assert body["honored"] is False
    reason = body["reasons"][0]
    assert reason["code"] == "too_close" and reason["min_distance_km"] == 5000
    assert "this host only hosts members from more than 5,000 km" in reason["text"]


def test_date_changes_the_verdict(client, network):
    saturday = client.get("/api/v1/reciprocity?home=home-desk-berlin&host=weekday-works-lisbon&date=2030-01-05")
    monday = client.get("/api/v1/reciprocity?home=home-desk-berlin&host=weekday-works-lisbon&date=2030-01-07")
    assert saturday.get_json()["reasons"][0]["code"] == "closed_weekday"
    assert monday.get_json()["honored"] is True


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("home=nope&host=open-house-lisbon", 404, "home"),
        ("home=home-desk-berlin&host=waiting-room-lisbon", 404, "host"),
        ("home=waiting-room-lisbon&host=open-house-lisbon", 404, "home"),
        ("host=open-house-lisbon", 400, "home"),
        ("home=home-desk-berlin", 400, "host"),
        ("home=home-desk-berlin&host=open-house-lisbon&date=05/01/2030", 400, "date"),
    ],
)
def test_unknown_or_unapproved_spaces_never_get_a_verdict(client, network, query, status, field):
    r = client.get(f"/api/v1/reciprocity?{query}")
    assert r.status_code == status and r.get_json()["error"]["field"] == field


def test_honors_filter_on_every_search_mode(client, network):
    near = client.get("/api/v1/spaces?near=38.72,-9.14&radius_km=10&honors=home-desk-berlin").get_json()
    assert sorted(f["properties"]["name"] for f in near["features"]) == ["Open House", "Weekday Works"]
    listing = client.get("/api/v1/spaces?honors=home-desk-berlin").get_json()
    assert [f["properties"]["name"] for f in listing["features"]] == ["Open House", "Weekday Works"]
    view = client.get("/api/v1/spaces?bbox=-10,38,-9,39&zoom=14&honors=home-desk-berlin").get_json()
    assert view["total"] == 2
    missing = client.get("/api/v1/spaces?honors=nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["field"] == "honors"


def test_filter_sees_a_host_changing_its_terms(client, network, app):
    from visa.extensions import db

    assert client.get("/api/v1/spaces?honors=home-desk-berlin").get_json()["total"] == 2
    network["open"].terms.is_participating = False
    db.session.commit()
    assert client.get("/api/v1/spaces?honors=home-desk-berlin").get_json()["total"] == 1


def test_home_adds_each_space_verdict(client, network):
    body = client.get("/api/v1/spaces?near=38.72,-9.14&radius_km=10&home=home-desk-berlin").get_json()
    verdicts = {f["properties"]["name"]: f["properties"]["verdict"] for f in body["features"]}
    assert verdicts["Open House"]["honored"] is True
    assert verdicts["Picky Loft"] == {"honored": False, "summary": verdicts["Picky Loft"]["summary"]}
    assert "5,000 km" in verdicts["Picky Loft"]["summary"]
    assert "verdict" not in client.get("/api/v1/spaces?near=38.72,-9.14").get_json()["features"][0]["properties"]
    assert client.get("/api/v1/spaces?home=nope").status_code == 404


def test_participation_not_stated_is_shown_left_out_of_honors_and_explained(client, network, make_space, at_home):
    unknown = make_space("Quiet Corner", lat=38.7250, lon=-9.1500, email="hello@quietcorner.example",
                         terms={"is_participating": None, "free_days_per_visit": None})
    names = [f["properties"]["name"] for f in client.get("/api/v1/spaces?honors=home-desk-berlin").get_json()["features"]]
    assert "Quiet Corner" not in names and names == ["Open House", "Weekday Works"]
    body = client.get(f"/api/v1/reciprocity?home=home-desk-berlin&host={unknown.slug}").get_json()
    # Unknown, never a refusal: null in the API, "Unknown: …" with whom to ask.
    assert body["honored"] is None and [r["code"] for r in body["reasons"]] == ["host_terms_unknown"]
    # (Names and contacts come isolated, U+2068 … U+2069, so that their direction cannot turn the sentence.)
    assert body["summary"] == ("Unknown: \u2068Quiet Corner\u2069 has not said whether it takes part in the Coworking "
                               "Visa. Ask before going: \u2068hello@quietcorner.example\u2069.")
    assert "Does not honor" not in body["summary"]
    search = client.get("/?near=38.72,-9.14&all=1").get_data(as_text=True)
    assert 'class="verdict unknown">Unknown: \u2068Quiet Corner' in search
    # "Show all": those that honor the home first, then the unknown, then the refusals.
    listed = re.findall(r'<li data-slug="([^"]+)"', search)
    assert listed.index(unknown.slug) > max(listed.index("open-house-lisbon"), listed.index("weekday-works-lisbon"))
    assert listed.index(unknown.slug) < min(listed.index("picky-loft-lisbon"), listed.index("resting-hub-lisbon"))
    page = client.get(f"/spaces/{unknown.slug}").get_data(as_text=True)
    assert "This space has not confirmed that it takes part in the Coworking Visa" in page
    assert "not stated" in page  # the free days, not an invented 3
    feature = client.get(f"/api/v1/spaces/{unknown.slug}").get_json()
    assert feature["properties"]["terms"]["participates"] is None
    assert feature["properties"]["terms"]["free_days_per_visit"] is None


def test_terms_not_stated_are_named_in_the_verdict_with_whom_to_ask(client, network, make_space):
    vague = make_space("Vague Loft", lat=38.7260, lon=-9.1510, phone="+351 21 555 0199",
                       terms={"free_days_per_visit": None, "advance_notice_hours": None, "request_method": None})
    body = client.get(f"/api/v1/reciprocity?home=home-desk-berlin&host={vague.slug}").get_json()
    assert body["honored"] is True and body["allowance"]["free_days_per_visit"] is None
    unstated = next(c for c in body["conditions"] if c["code"] == "not_stated")
    assert unstated["terms"] == ["free_days_per_visit", "advance_notice_hours", "request_method"]
    assert unstated["text"] == ("not stated by the host: free days per visit; advance notice (hours); how to request. "
                                "Ask the space: \u2068+351 21 555 0199\u2069.")  # isolated: the host's words
    assert body["summary"].startswith("Honors your membership: free days per visit not stated, ask the host")


def test_home_verdicts_on_the_hot_path_equal_the_verdict_endpoint(client, network):
    """Pre-encoded verdicts of hosts that honor are reused across homes; each still equals its own verdict."""
    for home in (network["home"].slug, network["weekdays"].slug, network["open"].slug):
        for query in ("near=38.72,-9.14&radius_km=500", "bbox=-9.2,38.6,-9.0,38.8&zoom=13", "limit=10"):
            body = client.get(f"/api/v1/spaces?{query}&home={home}").get_json()
            assert body.get("features"), body
            for found in body["features"]:
                host = found["properties"]["slug"]
                expected = client.get(f"/api/v1/reciprocity?home={home}&host={host}").get_json()
                assert found["properties"]["verdict"] == {"honored": expected["honored"],
                                                          "summary": expected["summary"]}, (home, host)


def test_a_closed_weekday_is_named_in_full_in_the_readers_language(client, network):
    """ "ist ein Samstag", never the abbreviation of a list ("ist ein Sa"); the open days in full too, as a list."""
    body = client.get("/api/v1/reciprocity?home=home-desk-berlin&host=weekday-works-lisbon&date=2030-01-05",
                      headers={"Accept-Language": "de"}).get_json()
    assert "ist ein Samstag;" in body["reasons"][0]["text"]
    assert "Montag, Dienstag, Mittwoch, Donnerstag und Freitag." in body["reasons"][0]["text"]


def test_distances_in_a_verdict_follow_the_readers_units(client, network):
    """An en-US reader reads miles everywhere on the page, a German reader "5.000 km": never "2316.3 km"."""
    url = "/api/v1/reciprocity?home=home-desk-berlin&host=picky-loft-lisbon"
    us = client.get(url, headers={"Accept-Language": "en-US"}).get_json()["reasons"][0]["text"]
    assert "mi away" in us and "more than 3,107 mi" in us and " km" not in us
    de = client.get(url, headers={"Accept-Language": "de"}).get_json()["reasons"][0]["text"]
    assert "5.000 km" in de
