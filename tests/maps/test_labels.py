"""Place names for the offline basemap: the most prominent first, by view and zoom, across 180°."""

from __future__ import annotations

from geodata import LABELS_DB
from geodata.labels_build import capital_ids, first_zoom
from visa.maps.labels import MAX_LABELS, labels_in_view


def names(rows) -> list[str]:
    return [row[0] for row in rows]


def test_world_view_names_capitals_and_big_cities_only():
    rows = labels_in_view(LABELS_DB, -180, -85, 180, 85, 2)
    assert len(rows) == MAX_LABELS
    assert {"London", "Tokyo", "Lagos"} <= set(names(rows))
    assert all(zoom <= 2 for *_rest, zoom in rows)


def test_city_view_reaches_towns_and_villages():
    rows = labels_in_view(LABELS_DB, -9.30, 38.60, -9.00, 38.85, 12)  # Lisbon
    assert names(rows)[0] == "Lisbon"  # the most prominent place comes first
    assert {"Amadora", "Odivelas"} <= set(names(rows))
    assert all(38.60 <= lat <= 38.85 and -9.30 <= lon <= -9.00 for _n, lat, lon, _z in rows)


def test_a_view_across_the_180th_meridian_reads_both_sides():
    rows = labels_in_view(LABELS_DB, 170, -50, -170, -10, 6)  # New Zealand to Fiji and Tonga
    assert "Auckland" in names(rows)
    assert any(lon < -170 for _n, _lat, lon, _z in rows) or any(lon > 170 for _n, _lat, lon, _z in rows)
    assert not any(-170 < lon < 170 for _n, _lat, lon, _z in rows)


def test_first_zoom_puts_capitals_before_towns_of_their_size():
    assert first_zoom(600_000, is_capital=True) == 2
    assert first_zoom(600_000, is_capital=False) == 6
    assert first_zoom(20_000, is_capital=True) == 3
    assert first_zoom(800, is_capital=False) == 12


def test_a_capital_is_its_most_populous_namesake_only():
    places = [(1, "Washington", 38.9, -77.0, "US", 689_545), (2, "Washington", 39.8, -97.1, "US", 1_085),
              (3, "Washington", 54.9, -1.5, "GB", 67_085)]
    assert capital_ids(places, {("US", "Washington")}) == {1}
    # Built: the small Washingtons of Kansas and elsewhere are drawn when zoomed in, not at world view.
    world_us = labels_in_view(LABELS_DB, -125, 25, -66, 49, 5)
    assert [name for name, *_ in world_us].count("Washington") == 1


def test_labels_endpoint_answers_json_and_names_a_bad_parameter(client):
    ok = client.get("/geodata/labels?bbox=-9.3,38.6,-9.0,38.85&zoom=12")
    assert ok.status_code == 200 and ok.json["labels"][0][0] == "Lisbon"
    assert "public" in ok.headers["Cache-Control"]
    missing = client.get("/geodata/labels?zoom=3")
    assert missing.status_code == 400 and missing.json["error"]["field"] == "bbox"
    bad_zoom = client.get("/geodata/labels?bbox=-9.3,38.6,-9.0,38.85&zoom=99")
    assert bad_zoom.status_code == 400 and bad_zoom.json["error"]["field"] == "zoom"


def test_the_basemap_names_places_in_the_pages_language(client):
    lisbon = "/geodata/labels?bbox=-9.3,38.6,-9.0,38.85&zoom=12"
    assert client.get(lisbon + "&lang=de").json["labels"][0][0] == "Lissabon"
    assert client.get(lisbon + "&lang=pt-BR").json["labels"][0][0] == "Lisboa"  # as <html lang> spells it
    assert client.get(lisbon + "&lang=de-AT").json["labels"][0][0] == "Lissabon"  # a region takes its language
    assert client.get(lisbon + "&lang=en").json["labels"][0][0] == "Lisbon"
    assert client.get(lisbon).json["labels"][0][0] == "Lisbon"
    german_page = client.get("/?lang=de").get_data(as_text=True)
    assert '<meta name="visa-labels" content="/geodata/labels?lang=de">' in german_page
