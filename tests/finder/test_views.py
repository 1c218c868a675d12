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
    assert "3 free days per visit · email 48 h ahead" in html
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


def test_a_space_page_without_photos_or_exclusions_asks_for_neither(client, lisbon, sent_sql):
    client.get("/spaces/baixa-desk-lisbon")  # the registry version's first photos are read once
    response, seen = sent_sql(lambda: client.get("/spaces/baixa-desk-lisbon"))
    assert response.status_code == 200
    assert seen and not [s for s in seen if "FROM photo" in s or "terms_excluded_space" in s]


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
        # hreflang alternates are absolute (search engines ask for it) but name this same host.
        assert loaded and all(u.startswith(("/", "http://localhost/")) for u in loaded), loaded


def test_local_assets_are_served(client):
    for url in ("/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/leaflet/images/marker-icon.png",
                "/vendor/markercluster/leaflet.markercluster.js", "/vendor/topojson-client.min.js",
                "/geodata/basemap.topojson", "/static/js/visa-map.js"):
        with client.get(url) as response:
            assert response.status_code == 200, url


def _links(html: str, element_id: str) -> list[tuple[str, str]]:
    """(href, text) of the links inside the element with this id (a name's <bdi> left out of the text)."""
    block = re.search(rf'id="{element_id}"(.*?)</(?:ul|p)>', html, re.S).group(1)
    return [(href.replace("&amp;", "&"), re.sub(r"</?bdi>", "", text))
            for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>((?:[^<]|</?bdi>)+)</a>', block)]


@pytest.fixture
def new_england(make_space):
    """Nothing within 25 km of Portland, Maine; Boston 158 km south-west, Montreal and New York farther."""
    make_space("Harbor Works", lat=42.3601, lon=-71.0589, country="US", city="Boston")
    make_space("Mill Desk", lat=43.1979, lon=-70.8737, country="US", city="Dover", terms={"is_participating": False})
    make_space("Union Loft", lat=40.7128, lon=-74.0060, country="US", city="New York", terms={"free_days_per_visit": 5})
    make_space("Atlas Hub", lat=45.5019, lon=-73.5674, country="CA", city="Montreal", terms={"free_days_per_visit": 5})


def test_empty_search_names_the_nearest_and_one_link_shows_them(client, new_england):
    html = client.get("/?q=Portland%2C+Maine&radius_km=25").get_data(as_text=True)
    assert "0 spaces near Portland, Maine, United States" in html and "No space within 25 km. The nearest:" in html
    assert "Boston, 158 km south-west" in html and "Montreal, " in html and "km north-west" in html
    assert "Dover" not in html  # not participating
    names = [text for _, text in _links(html, "nearest")]
    assert names == ["Harbor Works", "Atlas Hub", "Union Loft"]
    assert _links(html, "nearest")[0][0] == "/spaces/harbor-works-boston"
    assert '"zoom": 6,' in html  # the map takes in the place and the nearest spaces (New York, 447 km)
    show = re.search(r'id="show-nearest" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "radius_km=500" in show and "q=Portland" in show
    wider = client.get(show).get_data(as_text=True)
    listed = re.findall(r'<li data-slug="([^"]+)"', wider.split('id="results"')[1])
    # The three it named; Dover, which does not take part, stays hidden there too (unless "Show all").
    assert "3 spaces near Portland, Maine, United States" in wider and len(listed) == 3
    assert 'id="nearest"' not in wider
    assert show.endswith("#map")  # on a phone, the map shows (not the list)


def test_nearest_on_the_page_keeps_the_filters(client, new_england):
    html = client.get("/?q=Portland%2C+Maine&min_days=5").get_data(as_text=True)
    assert [text for _, text in _links(html, "nearest")] == ["Atlas Hub", "Union Loft"]
    show = re.search(r'id="show-nearest" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "min_days=5" in show and "radius_km=500" in show


def test_nearest_beyond_every_radius_moves_the_search_to_them(client, make_space):
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    html = client.get("/?q=Lisbon").get_data(as_text=True)
    # About 2,315 km on the WGS84 ellipsoid (as PostGIS measures), from wherever the geocoder puts Lisbon.
    assert re.search(r"Berlin, 2,31\d km north-east", html)
    show = re.search(r'id="show-nearest" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    there = client.get(show).get_data(as_text=True)
    assert "1 space near Berlin" in there and "Spree Works" in there


def test_ambiguous_place_offers_the_others(client, new_england):
    html = client.get("/?q=Portland&radius_km=500&min_days=5").get_data(as_text=True)
    assert "near Portland, Oregon, United States" in html
    [(href, label)] = _links(html, "alternatives")
    assert label == "Portland, Maine, United States"
    assert "min_days=5" in href and "radius_km=500" in href
    there = client.get(href).get_data(as_text=True)
    assert "2 spaces near Portland, Maine, United States" in there  # the exact place the link named
    assert 'id="alternatives"' not in client.get("/?q=Lisbon").get_data(as_text=True)


def test_show_nearest_from_a_point_keeps_the_point_and_its_name(client, new_england):
    html = client.get("/?near=43.6591,-70.2568&place=Portland&radius_km=10&country=US").get_data(as_text=True)
    assert "0 spaces near Portland" in html
    show = re.search(r'id="show-nearest" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert show == "/?country=US&near=43.6591,-70.2568&place=Portland&radius_km=500#map"


def test_a_listing_whose_terms_are_all_unstated_says_so_in_one_sentence_with_the_contact(client, make_space):
    from visa.directory import terms_schema

    silent = make_space("Quiet Corner", email="hello@quietcorner.example",
                        terms={**dict.fromkeys(f.name for f in terms_schema.TERMS), "request_method": None,
                               "blackout_dates": [], "notes": ""})
    html = client.get(f"/spaces/{silent.slug}").get_data(as_text=True)
    sentence = html.split('id="terms-unstated">', 1)[1].split("</p>", 1)[0]
    assert "has not stated whether it takes part" in sentence and "hello@quietcorner.example" in sentence
    # The full table is still there, one click away.
    assert html.index("<details><summary>All visa terms</summary>") < html.index('<dl class="terms">')
    stated = make_space("Open House", lat=38.7101, lon=-9.1367)
    assert 'id="terms-unstated"' not in client.get(f"/spaces/{stated.slug}").get_data(as_text=True)


def test_a_description_is_on_the_space_page_and_its_first_line_in_the_list_and_the_api(client, make_space):
    bio = "Forty desks south of Market. Bring your own mug.\n\nOpen since 2009; events on Thursdays."
    space = make_space("Second Street Commons", description=bio)
    page = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert '<div class="description prose" dir="auto"><p>Forty desks south of Market. Bring your own mug.</p>' in page
    assert "<p>Open since 2009; events on Thursdays.</p>" in page
    listed = client.get("/?q=Lisbon").get_data(as_text=True)
    assert '<div class="tagline" dir="auto">Forty desks south of Market. Bring your own mug.</div>' in listed
    props = client.get("/api/v1/spaces?near=38.7223,-9.1393").get_json()["features"][0]["properties"]
    assert props["tagline"] == "Forty desks south of Market. Bring your own mug."
    assert client.get(f"/api/v1/spaces/{space.slug}").get_json()["properties"]["description"] == bio


def test_a_tagline_is_the_first_line_cut_at_a_word():
    from visa.directory.presenters import TAGLINE_CHARS, tagline

    assert tagline("") == "" and tagline(None) == "" and tagline("\n  \nHello\nthere") == "Hello"
    long = "word " * 60
    cut = tagline(long)
    assert cut.endswith("word…") and len(cut) <= TAGLINE_CHARS + 1


def test_spaces_that_do_not_take_part_are_hidden_unless_show_all_also_without_a_home(client, lisbon, make_space):
    make_space("Closed Club", lat=38.7120, lon=-9.1380, terms={"is_participating": False})
    make_space("Quiet Loft", lat=38.7130, lon=-9.1390, terms={"is_participating": None})
    html = client.get("/?q=Lisbon").get_data(as_text=True)
    assert "Baixa Desk" in html and "Quiet Loft" in html  # taking part, and not said: both shown
    assert "Closed Club" not in html and 'id="show-all"' in html
    assert '"hideDeclined": true' in html or "hideDeclined: true" in html  # the map asks the same of the API
    everything = client.get("/?q=Lisbon&all=1").get_data(as_text=True)
    assert "Closed Club" in everything and "Hide the spaces that do not take part" in everything


def test_the_search_page_lists_its_spaces_from_their_kept_features_until_the_registry_changes(client, lisbon,
                                                                                               sent_sql):
    from visa.extensions import db

    assert "Baixa Desk" in client.get("/?q=Lisbon").get_data(as_text=True)  # the Features are encoded once
    again, read = sent_sql(lambda: client.get("/?q=Lisbon").get_data(as_text=True))
    assert "Baixa Desk" in again and "3 free days per visit · email 48 h ahead" in again
    assert not [s for s in read if "FROM space" in s]  # no listed space read again
    lisbon.name = "Baixa Studio"  # a write: a new registry version, new Features
    db.session.commit()
    renamed = client.get("/?q=Lisbon").get_data(as_text=True)
    assert "Baixa Studio" in renamed and "Baixa Desk" not in renamed


def test_the_list_and_the_map_s_first_markers_say_the_same(client, lisbon, make_space):
    import json

    from visa.extensions import db
    from visa.timeutil import utcnow

    old = make_space("Old Mill", lat=38.7139, lon=-9.1334)
    old.terms_confirmed_at = utcnow().replace(year=utcnow().year - 2)
    make_space("Shy Room", lat=38.7150, lon=-9.1400, terms={"is_participating": None})
    db.session.commit()
    html = client.get("/?q=Lisbon&all=1").get_data(as_text=True)
    initial = json.loads(re.search(r"initial: (\[.*\]),\n", html).group(1))
    assert [f["properties"]["name"] for f in initial] == re.findall(r'<a href="/spaces/[^"]+"><bdi>([^<]+)</bdi>', html)
    states = re.findall(r'<div class="state state-(\w+)">', html)
    assert sorted(states) == ["stale", "stale", "unknown"]  # Baixa Desk was never confirmed
    assert html.count("Takes part. Terms not confirmed since") == 1 and "Takes part. Terms never confirmed" in html
