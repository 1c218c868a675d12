"""The seven ways real addresses went astray (issue 8), each with examples of its own shape,
and the alternatives of an ambiguous place."""

from __future__ import annotations

import pytest
from geopy.distance import great_circle

from visa.geocoding.resolve import resolve
from visa.geocoding.results import PlaceNotFound


def km_from(result, lat: float, lon: float) -> float:
    return great_circle((result.lat, result.lon), (lat, lon)).km


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Springfield, IL, 62701, USA", 39.80, -89.64),
        ("Springfield, IL 62701", 39.80, -89.64),
        ("Rochester, NY, 14604, USA", 43.15, -77.61),
        ("Portland, ME, 04101, USA", 43.66, -70.26),
        ("Sydney, NSW, 2000, Australia", -33.87, 151.21),
        ("Sheffield, South Yorkshire, S1 2HE", 53.38, -1.47),
    ],
)
def test_a_postcode_after_the_state_hides_nothing(gazetteer, query, lat, lon):
    assert km_from(resolve(query, gazetteer), lat, lon) < 10


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("Albuquerqe, New Mexico, USA", "US"),
        ("Pheonix, Arizona, USA", "US"),
        ("Sacremento, CA, USA", "US"),
        ("Milno, Italy", "IT"),
        ("Padva, Italy", "IT"),
        ("Qwxyzt, Italy", "IT"),
        ("Xplkq, Andalucía, Spain", "ES"),
        ("Nowheresvile, Kansas, USA", "US"),
        ("Santiago de Compostela, Galicia, Spain", "ES"),
        ("Torontoo, Canada", "CA"),
    ],
)
def test_a_stated_country_is_never_left(gazetteer, query, country):
    try:
        result = resolve(query, gazetteer)
    except PlaceNotFound:
        return  # not finding the place is honest; finding it in another country is not
    assert result.country == country


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Rafaela, Santa Fe, Argentina", -31.25, -61.49),
        ("Reconquista, Santa Fe, Argentina", -29.15, -59.65),
        ("Río Cuarto, Córdoba, Argentina", -33.13, -64.35),
        ("Tandil, Buenos Aires, Argentina", -37.32, -59.13),
        ("Ikeja, Lagos, Nigeria", 6.60, 3.35),
        ("Viña del Mar, Valparaíso, Chile", -33.02, -71.55),
    ],
)
def test_a_region_named_like_a_city_does_not_win_over_the_town(gazetteer, query, lat, lon):
    assert km_from(resolve(query, gazetteer), lat, lon) < 10


@pytest.mark.parametrize(
    ("query", "town"),
    [
        ("Sesto San Giovanni - Milano", "Sesto San Giovanni"),
        ("Cernusco sul Naviglio - Milano", "Cernusco sul Naviglio"),
        ("Schio-Vicenza, Italia", "Schio"),
        ("Sassuolo-Modena", "Sassuolo"),
        ("Chioggia - Venezia, Italia", "Chioggia"),
        ("Bra - Cuneo", "Bra"),
    ],
)
def test_town_dash_province_is_the_town(gazetteer, query, town):
    result = resolve(query, gazetteer)
    assert result.label.startswith(town + ",") and result.country == "IT"


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Bude, Cornwall, England", 50.82, -4.54),
        ("Kendal, Cumbria, England", 54.33, -2.75),
        ("Lewes, East Sussex, UK", 50.87, 0.01),
        ("Torremolinos, Málaga, Spain", 36.62, -4.50),
        ("Annecy, Haute-Savoie, France", 45.90, 6.13),
    ],
)
def test_a_county_in_the_address_is_understood(gazetteer, query, lat, lon):
    assert km_from(resolve(query, gazetteer), lat, lon) < 10


@pytest.mark.parametrize(
    ("query", "name", "lat", "lon"),
    [
        ("Cornwall, England", "Cornwall", 50.4, -4.9),
        ("Cornwall, UK", "Cornwall", 50.4, -4.9),
        ("Cumbria", "Cumbria", 54.5, -3.0),
        ("Provincia di Vicenza, Italia", "Provincia di Vicenza", 45.6, 11.5),
    ],
)
def test_a_county_alone_is_a_county_level_answer(gazetteer, query, name, lat, lon):
    result = resolve(query, gazetteer)
    assert result.precision == "region" and result.label.startswith(name)
    assert km_from(result, lat, lon) < 60


def test_a_county_named_after_its_town_is_the_town_when_alone(gazetteer):
    result = resolve("Lecce, Puglia, Italia", gazetteer)
    assert result.precision == "city" and result.label.startswith("Lecce")


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Rue de la Paix, Marseile", 43.30, 5.38),
        ("Carrer de Balmes 10, Barcelna", 41.39, 2.16),
        ("Calle Mayor 3, Zaragosa, España", 41.66, -0.88),
        ("Kastanienallee 12, Berln", 52.52, 13.41),
        ("Boulevard Haussmann, Pari, France", 48.85, 2.35),
    ],
)
def test_a_misspelt_city_next_to_street_words(gazetteer, query, lat, lon):
    assert km_from(resolve(query, gazetteer), lat, lon) < 10


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("The Workshop, Unit 4\nTotnes", 50.43, -3.68),
        ("Suite 100\nBoise, Idaho 83702, USA", 43.61, -116.20),
        ("Bloco B, Sala 301\nFlorianópolis - SC", -27.60, -48.55),
        ("Level 2, 50 Carrington St\nSydney NSW 2000", -33.87, 151.21),
        ("Edificio Torre Norte, Piso 5\nAv. Las Condes 123, Las Condes, Santiago", -33.45, -70.65),
    ],
)
def test_a_city_only_on_the_second_line(gazetteer, query, lat, lon):
    assert km_from(resolve(query, gazetteer), lat, lon) < 15


def test_a_numbered_street_line_is_not_a_town(gazetteer):
    result = resolve("Calle 93 #12-45, Bogota D.C.", gazetteer)
    assert result.country == "CO" and km_from(result, 4.61, -74.08) < 10


def test_portland_alone_gives_the_alternatives(gazetteer):
    result = resolve("Portland", gazetteer)
    assert result.label == "Portland, Oregon, United States"
    maine = next(a for a in result.alternatives if a["admin1"] == "Maine")
    assert maine["country"] == "US" and maine["label"] == "Portland, Maine, United States"
    assert great_circle((maine["lat"], maine["lon"]), (43.66, -70.26)).km < 10


def test_a_stated_region_leaves_no_alternatives(gazetteer):
    assert resolve("Portland, Maine", gazetteer).alternatives == ()


def test_a_place_without_strong_namesakes_has_no_alternatives(gazetteer):
    assert resolve("Paris", gazetteer).alternatives == ()


def test_an_unknown_place_gets_suggestions_in_the_stated_country(gazetteer):
    with pytest.raises(PlaceNotFound) as missing:
        resolve("Lisbonnnnx, Portugal", gazetteer)
    assert missing.value.suggestions and all(s.endswith("Portugal") for s in missing.value.suggestions)
