"""/embed/map: framed by any site, cookieless, no header or form; every other page still refuses to be framed."""

from __future__ import annotations

import re

import pytest

from visa.embed.area import Area, parse_area, query


@pytest.fixture
def spaces(make_space):
    return [make_space("Framed Space", lat=38.7101, lon=-9.1367), make_space("Berlin Desk", lat=52.52, lon=13.405,
                                                                               country="DE", city="Berlin")]


def test_the_embed_may_be_framed_by_any_site_and_other_pages_may_not(client, spaces):
    r = client.get("/embed/map?country=PT")
    assert r.status_code == 200
    policy = r.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "X-Frame-Options" not in r.headers
    assert "script-src 'self' 'nonce-" in policy  # the rest of the site's policy holds
    for other in ("/", f"/spaces/{spaces[0].slug}", "/embed", "/about"):
        answer = client.get(other)
        assert answer.headers["X-Frame-Options"] == "DENY", other
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], other


def test_the_embed_sets_no_cookie_and_has_no_header_or_form(client, spaces):
    for url in ("/embed/map", "/embed/map?lang=de&participating=1", "/embed/map?near=38.71,-9.14&radius_km=50"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "Set-Cookie" not in r.headers, url
        html = r.get_data(as_text=True)
        assert "<form" not in html and "<header" not in html and 'name="csrf_token"' not in html
        assert '<base target="_blank">' in html and "newTab: true" in html
    # A visitor's language cookie is not read either: lang= or the browser's languages decide.
    client.set_cookie("lang", "fr")
    assert 'lang="en"' in client.get("/embed/map").get_data(as_text=True)
    assert 'lang="de"' in client.get("/embed/map?lang=de").get_data(as_text=True)


def test_the_embed_fits_a_country_or_a_box(client, spaces):
    html = client.get("/embed/map?country=PT").get_data(as_text=True)
    bounds = re.search(r"bounds: \[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", html).groups()
    south, west, north, east = map(float, bounds)
    assert 36 < south < 37.5 and -10 < west < -9 and 41.5 < north < 42.5 and -6.5 < east < -6  # mainland Portugal
    html = client.get("/embed/map?bbox=170,-50,-170,-30").get_data(as_text=True)
    assert "bounds: [[-50.0, 170.0], [-30.0, 190.0]]" in html  # across the 180° meridian
    assert 'country: ""' in html and "participating: false" in html


@pytest.mark.parametrize(("query_string", "field"), [
    ("country=XX", "country"), ("near=200,0", "near"), ("near=38,-9&radius_km=9000", "radius_km"),
    ("bbox=1,2,3", "bbox"), ("near=38,-9&bbox=-10,36,-6,42", "bbox"), ("participating=yes", "participating"),
    ("zoom=3", "zoom"), ("country=", "country"),
])
def test_bad_embed_parameters_are_named(client, query_string, field):
    r = client.get(f"/embed/map?{query_string}")
    assert r.status_code == 400 and r.json["error"]["field"] == field


def test_area_round_trips_through_its_query():
    area = Area("PT", (38.71, -9.14, 25.0), None, True)
    assert parse_area(query(area, "de")) == area


def test_the_api_filters_participating_spaces(client, make_space):
    make_space("Takes Part", lat=38.71, lon=-9.14)
    make_space("Not Stated", lat=38.72, lon=-9.15, terms={"is_participating": None, "free_days_per_visit": None})
    make_space("Declines", lat=38.73, lon=-9.16, terms={"is_participating": False})
    make_space("Days Unstated", lat=38.74, lon=-9.17, terms={"free_days_per_visit": None})
    for args in ("bbox=-10,38,-9,39&zoom=12", "country=PT"):
        every = client.get(f"/api/v1/spaces?{args}").json
        taking_part = client.get(f"/api/v1/spaces?{args}&participating=1").json
        assert every["total"] == 4, args
        assert {f["properties"]["name"] for f in taking_part["features"]} == {"Takes Part", "Days Unstated"}, args
    assert client.get("/api/v1/spaces?participating=2").json["error"]["field"] == "participating"


def test_the_embed_page_writes_the_iframe_without_a_script(client):
    r = client.get("/embed?country=PT&participating=y&width=500&height=300&lang=de")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    code = re.search(r'<textarea id="embed-code"[^>]*>([^<]+)</textarea>', html).group(1)
    assert "&lt;iframe src=&#34;http://localhost/embed/map?country=PT&amp;amp;participating=1&amp;amp;lang=de&#34;" in code
    assert "width=&#34;500&#34; height=&#34;300&#34;" in code
    # (lang=de above chose German for this browser's next pages: the Embed page is the site's own.)
    around = client.get("/embed?place=Lisbon&radius_km=50&lang=en").get_data(as_text=True)
    assert "near=38." in around and "radius_km=50" in around
    bad = client.get("/embed?place=Lisbon&bbox=1,2,3,4&lang=en")
    assert bad.status_code == 400 and "Choose a place or a box, not both." in bad.get_data(as_text=True)
    assert client.get("/embed?bbox=1,2,3").status_code == 400


def test_the_embed_speaks_the_page_s_language_unless_another_is_chosen(client):
    page = client.get("/embed", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "lang=fr&amp;amp;" not in page and "lang=fr&#34;" in page  # the last parameter of the iframe's address
