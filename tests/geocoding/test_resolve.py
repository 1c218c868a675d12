"""The offline gazetteer on real GeoNames data."""

from __future__ import annotations

import pytest

from visa.geocoding.resolve import resolve
from visa.geocoding.results import PlaceNotFound


@pytest.mark.parametrize(
    ("query", "city", "country", "admin_hint"),
    [
        ("Lisbon", "Lisbon", "PT", None),
        ("Porto", "Porto", "PT", None),
        ("Milano", "Milan", "IT", None),
        ("Rua Augusta 12, 1100-053 Lisboa, Portugal", "Lisbon", "PT", None),
        ("München", "Munich", "DE", None),
        ("Muenchen", "Munich", "DE", None),
        ("Köln", "Köln", "DE", None),
        ("Koeln, Deutschland", "Köln", "DE", None),
        ("São Paulo, Brasil", "São Paulo", "BR", None),
        ("Sao Paulo", "São Paulo", "BR", None),
        ("Portland, Oregon", "Portland", "US", "Oregon"),
        ("Portland, Maine", "Portland", "US", "Maine"),
        ("Portland, ME", "Portland", "US", "Maine"),
        ("221B Baker Street, London NW1 6XE, England", "London", "GB", "England"),
        ("Edinburgh, Scotland", "Edinburgh", "GB", "Scotland"),
        ("Belfast, Northern Ireland", "Belfast", "GB", "Northern Ireland"),
        ("London, Ontario", "London", "CA", "Ontario"),
        ("Halifax, NS", "Halifax", "CA", "Nova Scotia"),
        ("Paris, Frankreich", "Paris", "FR", None),
        ("Berlin, Allemagne", "Berlin", "DE", None),
        ("Sevilla, España", "Sevilla", "ES", None),
        ("Wien, Österreich", "Vienna", "AT", None),
        ("Lisbn", "Lisbon", "PT", None),
        ("Barcleona", "Barcelona", "ES", None),
        ("Amsterdm", "Amsterdam", "NL", None),
        ("Lisbonn, Portugl", "Lisbon", "PT", None),
    ],
)
def test_resolves_places(gazetteer, query, city, country, admin_hint):
    result = resolve(query, gazetteer)
    assert result.country == country
    assert result.label.startswith(city)
    assert result.precision == "city"
    if admin_hint:
        assert admin_hint in result.label


def test_portland_oregon_and_maine_are_far_apart(gazetteer):
    oregon, maine = resolve("Portland, OR", gazetteer), resolve("Portland, Maine", gazetteer)
    assert oregon.lon < -120 < -75 < maine.lon


def test_country_alone_has_country_precision(gazetteer):
    result = resolve("Portugal", gazetteer)
    assert (result.country, result.precision) == ("PT", "country")


def test_region_alone_has_region_precision(gazetteer):
    result = resolve("Oregon", gazetteer)
    assert (result.country, result.precision) == ("US", "region")


def test_big_city_wins_over_region_of_same_name(gazetteer):
    assert resolve("São Paulo", gazetteer).precision == "city"


def test_unknown_place_has_suggestions(gazetteer):
    with pytest.raises(PlaceNotFound) as missing:
        resolve("Lisbonnnnx", gazetteer)
    assert missing.value.query == "Lisbonnnnx"
    assert any(s.startswith("Lisbon") for s in missing.value.suggestions)


@pytest.mark.parametrize(("query", "label"), [
    # Villages the gazetteer does not list: the town named after them, a few km away, not a
    # similar spelling on another continent (Moïssala, Chad).
    ("Monsaraz", "Reguengos de Monsaraz, Évora, Portugal"),
    ("Monsaraz, Portugal", "Reguengos de Monsaraz, Évora, Portugal"),
    ("Gallen", "Sankt Gallen, Switzerland"),
])
def test_a_place_named_after_an_unlisted_one(gazetteer, query, label):
    assert resolve(query, gazetteer).label == label


def test_unknown_place_in_a_country_gets_that_country_s_places_and_the_country(gazetteer):
    with pytest.raises(PlaceNotFound) as missing:
        resolve("Xqzvw, Portugal", gazetteer)
    suggestions = missing.value.suggestions
    assert suggestions[-1] == "Portugal"
    assert len(suggestions) >= 2 and all(s.endswith("Portugal") for s in suggestions)


@pytest.mark.parametrize("query", ["", "   ", ",,,", "zz"])
def test_nonsense_is_not_found(gazetteer, query):
    with pytest.raises(PlaceNotFound):
        resolve(query, gazetteer)
