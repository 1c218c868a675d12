"""The traveller's pages: map search and space page."""

from __future__ import annotations

import re

import pytest

from visa.directory.models import SpaceStatus


@pytest.fixture
def lisbon(make_space):
    return make_space("Baixa Desk", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48})


def test_home_is_the_map_search_with_a_helpful_empty_state(client):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and "folium-map" in html
    assert "Near me" in html and "move the map" in html


def test_search_lists_spaces_by_distance_with_headline(client, lisbon, make_space):
    make_space("Far Away", lat=38.80, lon=-9.10)
    html = client.get("/?q=Lisbon&radius_km=25").get_data(as_text=True)
    assert "2 spaces near Lisbon, Portugal" in html
    assert html.index("Baixa Desk") < html.index("Far Away")
    assert "3 free days · email 48 h ahead" in html
    assert re.search(r"\d+\.\d km", html)


def test_unknown_place_gets_message_and_suggestions(client, lisbon):
    r = client.get("/?q=Lisbonnnnx")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "No place called “Lisbonnnnx”" in html and "Did you mean" in html
    assert 'value="Lisbonnnnx"' in html  # the input is kept


def test_near_me_uses_coordinates(client, lisbon):
    html = client.get("/?near=38.71,-9.14").get_data(as_text=True)
    assert "1 space near your location" in html


def test_space_page_shows_terms_precision_and_contact(client, lisbon):
    html = client.get("/spaces/baixa-desk-lisbon").get_data(as_text=True)
    assert "Baixa Desk" in html and "Visa terms" in html and "city centre" in html
    assert "Terms never confirmed by the host." in html


def test_pending_space_page_is_404(client, make_space):
    make_space("Secret", status=SpaceStatus.PENDING)
    assert client.get("/spaces/secret-lisbon").status_code == 404


def test_html_is_shown_as_text_everywhere(client, make_space):
    evil = '<img src=x onerror=alert(1)>'
    make_space(evil, terms={"notes": "<b>bold</b>"})
    listing = client.get("/?q=Lisbon").get_data(as_text=True)
    assert evil not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing
    slug = client.get("/api/v1/spaces").get_json()["features"][0]["id"]
    page = client.get(f"/spaces/{slug}").get_data(as_text=True)
    assert evil not in page and "<b>bold</b>" not in page
    # The marker's name reaches the script as JSON with <, > escaped; visa-map.js makes it a text node.
    assert "VisaMap.addMarkers" in page and "\\u003cimg src=x onerror=alert(1)\\u003e" in page


def test_pages_reference_no_other_host(client, lisbon):
    for url in ("/", "/?q=Lisbon", "/spaces/baixa-desk-lisbon", "/about"):
        html = client.get(url).get_data(as_text=True)
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert loaded and all(u.startswith("/") for u in loaded), loaded


def test_local_assets_are_served(client):
    for url in ("/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/leaflet/images/marker-icon.png",
                "/vendor/markercluster/leaflet.markercluster.js", "/vendor/topojson-client.min.js",
                "/geodata/basemap.topojson", "/static/js/visa-map.js"):
        with client.get(url) as response:
            assert response.status_code == 200, url
