"""Area names for the gazetteer: GeoNames admin1/admin2 names matched to our places."""

from __future__ import annotations

from geodata.admin_areas import admin_areas, area_keys


def test_area_keys_drop_the_words_people_leave_out():
    assert area_keys("Provincia di Bergamo") == {"provincia di bergamo", "bergamo"}
    assert area_keys("County Durham") == {"county durham", "durham"}
    assert area_keys("Santa Fe County") == {"santa fe county", "santa fe"}
    assert area_keys("Città metropolitana di Milano") == {"citta metropolitana di milano", "milano"}
    assert "azores" in area_keys("Região Autónoma dos Açores / Azores")
    assert area_keys("Kent") == {"kent"}


def test_places_take_the_area_names_of_the_same_place_nearby():
    # (id, name, lat, lon, country, admin1, population): rows of the place table
    places = [(1, "Truro", 50.26, -5.05, "GB", "ENG", 18000), (2, "Bude", 50.82, -4.54, "GB", "ENG", 9000),
              (3, "Truro", 44.40, -93.25, "US", "IA", 500)]
    records = [
        {"country_code": "GB", "city": "Truro", "latitude": 50.263, "longitude": -5.051, "state": "England",
         "county": "Cornwall"},
        {"country_code": "GB", "city": "Bude", "latitude": 50.824, "longitude": -4.542, "state": "England",
         "county": "Cornwall"},
        # Another Truro far from ours: not the same place, so it names nothing.
        {"country_code": "GB", "city": "Truro", "latitude": 57.0, "longitude": -3.0, "state": "Scotland",
         "county": "Highland"},
    ]
    areas = admin_areas(places, records, translations=[])
    assert areas.admin1_names == {("GB", "ENG"): "England"}
    [cornwall] = areas.counties
    assert (cornwall.name, cornwall.place_ids, cornwall.population) == ("Cornwall", [1, 2], 27000)
    assert abs(cornwall.centre[0] - 50.54) < 0.01
    assert areas.county_of_place == {1: 0, 2: 0}


def test_the_built_index_knows_counties_and_regions_everywhere(gazetteer):
    [cornwall] = gazetteer.counties("cornwall", "GB")
    assert cornwall.admin1 == "ENG" and 50 < cornwall.lat < 51
    assert [p.name for p in gazetteer.places("bude", "GB", county=cornwall.id)] == ["Bude"]
    assert ("AR", "21") in gazetteer.regions("santa fe")  # first-level names beyond ISO's US/CA/AU/DE/...
    assert gazetteer.counties("malaga", "ES")[0].name == "Provincia de Málaga"
