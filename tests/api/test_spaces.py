"""GET /api/v1/spaces and /api/v1/spaces/SLUG."""

from __future__ import annotations

import pytest

from visa.directory.models import SpaceStatus
from visa.extensions import db, limiter

LISBON = (38.7223, -9.1393)


@pytest.fixture
def lisbon_and_berlin(make_space):
    near = make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    far = make_space("Belém Loft", lat=38.6970, lon=-9.2060)
    berlin = make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin",
                        terms={"free_days_per_visit": 5})
    hidden = make_space("Pending Place", lat=38.72, lon=-9.14, status=SpaceStatus.PENDING)
    return near, far, berlin, hidden


def test_near_is_geojson_sorted_by_distance(client, lisbon_and_berlin):
    r = client.get("/api/v1/spaces?near=38.7223,-9.1393&radius_km=25")
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    body = r.get_json()
    assert body["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in body["features"]]
    assert names == ["Baixa Desk", "Belém Loft"]  # nearest first; Berlin too far; pending hidden
    first = body["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-9.1367, 38.7101]}  # [lon, lat]
    assert first["properties"]["distance_km"] == pytest.approx(1.38, abs=0.02)
    assert first["properties"]["headline"].startswith("3 free days")


def test_filters_country_min_days_and_text(client, lisbon_and_berlin):
    assert [f["id"] for f in client.get("/api/v1/spaces?country=de").get_json()["features"]] == ["spree-works-berlin"]
    assert [f["properties"]["name"] for f in client.get("/api/v1/spaces?min_days=4").get_json()["features"]] == [
        "Spree Works"]
    assert [f["properties"]["name"] for f in client.get("/api/v1/spaces?q=belém").get_json()["features"]] == [
        "Belém Loft"]
    near_text = client.get("/api/v1/spaces?near=38.7223,-9.1393&q=baixa").get_json()
    assert [f["properties"]["name"] for f in near_text["features"]] == ["Baixa Desk"]


def test_cursor_pages_through_everything(client, make_space):
    for i in range(7):
        make_space(f"Desk {i}", lat=38.70 + i * 0.005, lon=-9.14)
    seen, url = [], "/api/v1/spaces?near=38.7,-9.14&limit=3"
    while url:
        body = client.get(url).get_json()
        seen += [f["id"] for f in body["features"]]
        url = f"/api/v1/spaces?near=38.7,-9.14&limit=3&cursor={body['next_cursor']}" if body["next_cursor"] else None
    assert len(seen) == len(set(seen)) == 7


def test_bbox_clusters_at_low_zoom_and_points_at_high_zoom(client, lisbon_and_berlin):
    world = client.get("/api/v1/spaces?bbox=-180,-85,180,85&zoom=4").get_json()
    clusters = [f for f in world["features"] if f["properties"].get("cluster")]
    assert clusters and clusters[0]["properties"]["count"] == 2  # the two Lisbon spaces
    assert world["total"] == 3
    street = client.get("/api/v1/spaces?bbox=-9.25,38.65,-9.1,38.75&zoom=13").get_json()
    assert sorted(f["properties"]["name"] for f in street["features"]) == ["Baixa Desk", "Belém Loft"]
    # From a city's zoom, every space is a marker of its own (the list names each one).
    city = client.get("/api/v1/spaces?bbox=-9.6,38.5,-8.8,38.9&zoom=10").get_json()
    assert len(city["features"]) == 2 and not any(f["properties"].get("cluster") for f in city["features"])
    assert {f["properties"]["country_name"] for f in city["features"]} == {"Portugal"}


def test_response_never_carries_more_than_limit_features(client, make_space):
    for i in range(12):
        make_space(f"Dense {i}", lat=38.70 + i * 0.0004, lon=-9.14 + i * 0.0004)
    body = client.get("/api/v1/spaces?bbox=-9.2,38.6,-9.0,38.8&zoom=14&limit=5").get_json()
    points = [f for f in body["features"] if not f["properties"].get("cluster")]
    assert len(points) <= 5
    assert sum(f["properties"].get("count", 1) for f in body["features"]) == 12


def test_one_space_with_full_terms(client, lisbon_and_berlin):
    body = client.get("/api/v1/spaces/spree-works-berlin").get_json()
    assert body["type"] == "Feature" and body["geometry"]["coordinates"] == [13.405, 52.52]
    terms = body["properties"]["terms"]
    assert terms["free_days_per_visit"] == 5 and terms["weekdays"] == ["mon", "tue", "wed", "thu", "fri"]


def test_unapproved_and_unknown_spaces_are_404(client, lisbon_and_berlin):
    for slug in ("pending-place-lisbon", "nope"):
        r = client.get(f"/api/v1/spaces/{slug}")
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("near=91,0", "near"),
        ("near=38.7", "near"),
        ("near=abc,def", "near"),
        ("near=38.7,-9.1&radius_km=0", "radius_km"),
        ("near=38.7,-9.1&radius_km=100000", "radius_km"),
        ("near=38.7,-9.1&radius_km=-5", "radius_km"),
        ("radius_km=5", "radius_km"),
        ("bbox=1,2,3&zoom=3", "bbox"),
        ("bbox=-10,50,10,40&zoom=3", "bbox"),
        ("bbox=-10,36,-6,42", "zoom"),
        ("bbox=-10,36,-6,42&zoom=40", "zoom"),
        ("country=XX", "country"),
        ("country=Portugal", "country"),
        ("min_days=many", "min_days"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("cursor=bogus!!", "cursor"),
        ("colour=red", "colour"),
        ("near=38.7,-9.1&bbox=-10,36,-6,42&zoom=5", "bbox"),
        # Found by schemathesis: values Python reads but no client means, and bad values that were ignored.
        ("min_days=1_0", "min_days"),
        ("limit=%205", "limit"),
        ("near=38.7,-9.1&radius_km=1_0", "radius_km"),
        ("near=38.7,-9.1&radius_km=inf", "radius_km"),
        ("near=%EF%BC%93%EF%BC%98,-9.1", "near"),  # full-width digits
        ("zoom=-1", "zoom"),
        ("near=", "near"),
        ("bbox=&zoom=3", "bbox"),
        ("honors=", "honors"),
        ("country=", "country"),
    ],
)
def test_bad_parameters_get_400_naming_the_parameter(client, query, field):
    r = client.get(f"/api/v1/spaces?{query}")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["field"] == field and error["message"] and error["code"]


def _cursor(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload",
    ['{"o":1e30}', '{"o":Infinity}', '{"o":-Infinity}', '{"o":NaN}', '{"o":1.5}', '{"o":true}', '{"o":"3"}',
     '{"o":-1}', '{"o":10000001}', '{"o":100000000000000000000}', '{"o":1,"x":2}', "[1]", "3", "null",
     "[" * 1400 + "]" * 1400, '{"o":' * 500 + "1" + "}" * 500],  # deeper than Python's recursion limit
)
def test_cursors_are_checked_for_type_and_range(client, make_space, payload):
    make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    for query in ("near=38.7,-9.14&", ""):
        r = client.get(f"/api/v1/spaces?{query}cursor={_cursor(payload)}")
        assert r.status_code == 400 and r.get_json()["error"]["field"] == "cursor"


def test_highest_cursor_is_an_empty_page(client, make_space):
    make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    last = _cursor('{"o":10000000}')
    for query in ("near=38.7,-9.14&", ""):
        body = client.get(f"/api/v1/spaces?{query}cursor={last}").get_json()
        assert body["features"] == [] and body["total"] == 1 and body["next_cursor"] is None


@pytest.mark.parametrize(("q", "expected"), [("%", ["100% Remote"]), ("_", ["Under_Score Hub"]),
                                             ("\\", []), ("0%", ["100% Remote"]), ("a%e", [])])
def test_like_wildcards_in_q_are_plain_characters(client, make_space, q, expected):
    make_space("100% Remote")
    make_space("Under_Score Hub")
    make_space("Baixa Desk")
    from urllib.parse import quote

    for query in ("", "near=38.72,-9.14&", "bbox=-10,38,-9,39&zoom=14&"):
        body = client.get(f"/api/v1/spaces?{query}q={quote(q)}").get_json()
        assert sorted(f["properties"]["name"] for f in body["features"]) == expected, query


def test_html_in_names_is_data_not_markup(client, make_space):
    make_space('<script>alert("x")</script> Hub')
    body = client.get("/api/v1/spaces").get_json()
    assert body["features"][0]["properties"]["name"] == '<script>alert("x")</script> Hub'
    assert client.get("/api/v1/spaces").mimetype == "application/geo+json"


def test_writes_are_not_allowed(client):
    r = client.post("/api/v1/spaces", json={})
    assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"


def test_honors_and_country_together_keep_only_honoring_hosts(client, make_space):
    """The country filter used to replace the honors filter: the home and non-honoring hosts came back."""
    make_space("Home Desk", lat=38.7223, lon=-9.1393)
    make_space("Open House", lat=38.7101, lon=-9.1367)
    make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000})
    make_space("Resting Hub", lat=38.73, lon=-9.15, terms={"is_participating": False})
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    for query in ("near=38.72,-9.14&radius_km=25&", "bbox=-10,38,-9,39&zoom=14&", ""):
        body = client.get(f"/api/v1/spaces?{query}honors=home-desk-lisbon&country=PT&min_days=1").get_json()
        assert [f["properties"]["name"] for f in body["features"]] == ["Open House"], query


PORTLAND_MAINE = "43.6591,-70.2568"


@pytest.fixture
def new_england(make_space):
    """Nothing within 25 km of Portland, Maine; Boston 158 km south-west, farther ones beyond."""
    boston = make_space("Harbor Works", lat=42.3601, lon=-71.0589, country="US", city="Boston")
    dover = make_space("Mill Desk", lat=43.1979, lon=-70.8737, country="US", city="Dover",
                       terms={"is_participating": False})
    nyc = make_space("Union Loft", lat=40.7128, lon=-74.0060, country="US", city="New York",
                     terms={"free_days_per_visit": 5})
    montreal = make_space("Atlas Hub", lat=45.5019, lon=-73.5674, country="CA", city="Montreal",
                          terms={"free_days_per_visit": 5})
    return boston, dover, nyc, montreal


def _nearest(client, query: str) -> list[dict]:
    body = client.get(f"/api/v1/spaces?near={PORTLAND_MAINE}&{query}").get_json()
    assert body["features"] == [] and body["total"] == 0
    return body["nearest"]


def test_empty_radius_names_the_nearest_participating_spaces(client, new_england):
    nearest = _nearest(client, "radius_km=25")
    names = [f["properties"]["name"] for f in nearest]
    assert names == ["Harbor Works", "Atlas Hub", "Union Loft"]  # nearest first; not the non-participating one
    boston = nearest[0]["properties"]
    assert boston["distance_km"] == pytest.approx(158, abs=2)
    assert boston["direction"] == "south-west" and 190 < boston["bearing_deg"] < 240
    assert nearest[1]["properties"]["direction"] == "north-west"
    assert [f["properties"]["distance_km"] for f in nearest] == sorted(f["properties"]["distance_km"] for f in nearest)


def test_nearest_keeps_the_filters(client, new_england):
    assert [f["properties"]["name"] for f in _nearest(client, "min_days=5")] == ["Atlas Hub", "Union Loft"]
    assert [f["properties"]["name"] for f in _nearest(client, "country=ca")] == ["Atlas Hub"]
    assert [f["properties"]["name"] for f in _nearest(client, "q=loft")] == ["Union Loft"]
    assert _nearest(client, "country=pt") == []


def test_nearest_lists_only_spaces_beyond_the_radius_and_at_most_five(client, make_space):
    for i in range(7):
        make_space(f"Desk {i}", lat=39.5 + i * 0.1, lon=-8.3)
    nearest = client.get("/api/v1/spaces?near=38.72,-8.3&radius_km=50").get_json()["nearest"]
    assert [f["properties"]["name"] for f in nearest] == [f"Desk {i}" for i in range(5)]
    assert all(f["properties"]["distance_km"] > 50 and f["properties"]["direction"] == "north" for f in nearest)


def test_a_radius_with_spaces_carries_no_nearest(client, new_england):
    body = client.get(f"/api/v1/spaces?near={PORTLAND_MAINE}&radius_km=250").get_json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Mill Desk", "Harbor Works"]
    assert "nearest" not in body
    assert "nearest" not in client.get("/api/v1/spaces?country=ca").get_json()  # a list, not a radius search


def test_nearest_keeps_the_honors_filter(client, new_england, make_space):
    from visa.extensions import db

    home = make_space("Tejo Desk", lat=38.7101, lon=-9.1367)
    assert "Harbor Works" in [f["properties"]["name"] for f in _nearest(client, f"honors={home.slug}")]
    new_england[0].terms.min_distance_km = 6000  # Boston is about 5,200 km from Lisbon: too near for this host
    db.session.commit()
    names = [f["properties"]["name"] for f in _nearest(client, f"honors={home.slug}")]
    assert names[:2] == ["Atlas Hub", "Union Loft"] and "Harbor Works" not in names


def test_lang_chooses_the_words_and_no_cookie_does(client, lisbon_and_berlin):
    """The map passes lang= (the API reads no cookie), so its list speaks the page's language."""
    german = client.get("/api/v1/spaces?country=DE&lang=de").get_json()
    assert [f["properties"]["country_name"] for f in german["features"]] == ["Deutschland"]
    client.get("/about?lang=pt")  # a visitor's saved choice is for pages, not for the API
    english = client.get("/api/v1/spaces?country=DE").get_json()
    assert [f["properties"]["country_name"] for f in english["features"]] == ["Germany"]
    unknown = client.get("/api/v1/spaces?country=DE&lang=xx")
    assert unknown.status_code == 200 and unknown.get_json()["features"][0]["properties"]["country_name"] == "Germany"


@pytest.mark.parametrize("path", ["/api/v1/spaces?near=38.7223,-9.1393", "/api/v1/spaces?near=oops",
                                  "/api/v1/openapi.json"])
def test_json_answers_carry_the_api_security_headers(client, path):
    """A JSON answer opened as a page loads nothing and cannot be framed; pages keep their own policy."""
    r = client.get(path)
    assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" not in r.headers
    page = client.get("/")
    assert "script-src 'self' 'nonce-" in page.headers["Content-Security-Policy"]
    assert "Permissions-Policy" in page.headers


def test_the_map_s_reads_are_not_rate_limited(_schema, app_config):
    """Under a default limit that stops a page, the API's searches go on (the map asks on every pan)."""
    from visa.app import create_app

    app = create_app({**app_config, "RATELIMIT_DEFAULT": "2 per minute"})
    try:
        with app.app_context():
            client = app.test_client()
            assert [client.get("/api/v1/spaces?near=38.7223,-9.1393").status_code for _ in range(4)] == [200] * 4
            assert [client.get("/api/v1/openapi.json").status_code for _ in range(4)] == [200] * 4
            assert [client.get("/about").status_code for _ in range(3)] == [200, 200, 429]
            db.session.remove()
            db.engine.dispose()
    finally:
        # The limiter is one object per process and keeps the first default it is given: leave none behind,
        # or every later app (the browser tests' servers) would allow two pages a minute.
        limiter.limit_manager.set_default_limits([])


def test_hide_declined_leaves_out_the_spaces_that_said_no(client, make_space):
    make_space("Open House", lat=38.7101, lon=-9.1367)
    make_space("Resting Hub", lat=38.73, lon=-9.15, terms={"is_participating": False})
    make_space("Quiet Loft", lat=38.7130, lon=-9.1390, terms={"is_participating": None})
    for query in ("near=38.72,-9.14&radius_km=25", "bbox=-10,38,-9,39&zoom=14", ""):
        names = {f["properties"]["name"] for f in client.get(f"/api/v1/spaces?{query}").get_json()["features"]}
        assert "Resting Hub" in names, query  # by default the API lists every space
        hidden = client.get(f"/api/v1/spaces?{query}&hide_declined=1").get_json()
        assert {f["properties"]["name"] for f in hidden["features"]} == {"Open House", "Quiet Loft"}, query
        shown = client.get(f"/api/v1/spaces?{query}&hide_declined=0").get_json()
        assert "Resting Hub" in {f["properties"]["name"] for f in shown["features"]}, query
    bad = client.get("/api/v1/spaces?hide_declined=yes")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "hide_declined"


def test_a_json_read_opens_no_session_and_sets_no_cookie(app, client, make_space, csrf_token):
    """A reader with a session (a home space) and a language cookie: the map's searches leave both alone."""
    from flask import session

    from visa.reciprocity.home import HOME_KEY

    make_space("Lisbon Home")
    client.post("/home", data={"home": "Lisbon Home", "csrf_token": csrf_token()})
    client.get("/about?lang=fr")
    cookies = f"session={client.get_cookie('session').value}; lang=fr"
    for path in ("/api/v1/spaces?near=38.7223,-9.1393", "/api/v1/spaces?near=oops", "/api/v1/openapi.json"):
        r = client.get(path)
        assert "Set-Cookie" not in r.headers and "Cookie" not in r.headers.get("Vary", ""), path
        assert "nonce" not in r.headers["Content-Security-Policy"]
    with app.test_request_context("/api/v1/spaces", headers={"Cookie": cookies}):
        assert dict(session) == {}  # not even read
    with app.test_request_context("/", headers={"Cookie": cookies}):
        assert session[HOME_KEY] == "lisbon-home"  # a page reads it


def test_the_city_is_named_in_the_requested_language_beside_the_hosts_spelling(client, make_space):
    """The map's list and popups read city_name: "Köln" on a German page, where the host wrote "Cologne"."""
    make_space("Dom Desk", lat=50.9375, lon=6.9603, country="DE", city="Cologne")
    for query in ("country=DE", "near=50.94,6.96&radius_km=25", "bbox=6,50,8,52&zoom=14"):
        for lang, name in (("de", "Köln"), ("it", "Colonia"), ("en", "Cologne")):
            [props] = [f["properties"] for f in client.get(f"/api/v1/spaces?{query}&lang={lang}").get_json()["features"]]
            assert (props["city"], props["city_name"]) == ("Cologne", name), (query, lang)
