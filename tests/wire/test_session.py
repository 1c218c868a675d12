"""Vary: Cookie and a session cookie only on answers that depend on the session."""

from __future__ import annotations

import pytest

from bench.wire import varies_on_cookie


def _varies_on_cookie(response) -> bool:
    return varies_on_cookie({"vary": response.headers.get("Vary", "")})


ANONYMOUS_PAGES = ["/", "/?q=Lisbon", "/about", "/trip"]
SESSION_FREE = ["/api/v1/spaces?near=38.72,-9.14&radius_km=25", "/api/v1/openapi.json",
                "/geodata/labels?bbox=-9.3,38.6,-9.0,38.85&zoom=12", "/static/js/visa-map.js",
                "/vendor/leaflet/leaflet.css", "/geodata/basemap.topojson"]


def test_anonymous_gets_neither_vary_on_cookie_nor_set_a_cookie(app, spaces, home_assets):
    client = app.test_client(use_cookies=False)
    for url in [*ANONYMOUS_PAGES, *SESSION_FREE, *home_assets]:
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200, url
        assert not _varies_on_cookie(response) and "Set-Cookie" not in response.headers, url


def test_an_anonymous_page_is_kept_from_shared_caches_instead(app):
    """Without Vary: Cookie a shared cache could hand the anonymous page to a signed-in member: private stops it."""
    response = app.test_client(use_cookies=False).get("/")
    assert {"private", "no-cache"} <= {d.strip() for d in response.headers["Cache-Control"].split(",")}


@pytest.fixture
def with_home(client, spaces, csrf_token):
    r = client.post("/home", data={"home": spaces[0].slug, "csrf_token": csrf_token()})
    assert r.status_code == 302
    return client


def test_a_page_that_shows_the_session_varies_on_cookie(with_home):
    page = with_home.get("/")
    assert "Your home space:" in page.get_data(as_text=True) and _varies_on_cookie(page)


def test_answers_that_never_read_the_session_do_not_vary_even_with_one(with_home, home_assets):
    for url in [*SESSION_FREE, *home_assets]:
        response = with_home.get(url)
        assert response.status_code == 200 and not _varies_on_cookie(response), url
        assert "Set-Cookie" not in response.headers, url


def test_signing_in_still_sets_its_cookie_and_pages_then_vary(client, make_user, login):
    make_user("host@example.org")
    assert "Set-Cookie" in login("host@example.org").headers
    page = client.get("/")
    assert "Sign out" in page.get_data(as_text=True) and _varies_on_cookie(page)
