"""Points are checked against their stated country, with a diagnosis when they are not in it."""

from __future__ import annotations

import pytest

from geodata import COUNTRIES_GEOJSON
from visa.geo.boundaries import CoordinateError, CountryBoundaries

LISBON = (38.7223, -9.1393)


@pytest.fixture(scope="module")
def boundaries() -> CountryBoundaries:
    return CountryBoundaries(COUNTRIES_GEOJSON)


@pytest.mark.parametrize(
    ("lat", "lon", "country"),
    [(38.7223, -9.1393, "PT"), (37.74, -25.67, "PT"), (52.52, 13.405, "DE"), (-23.55, -46.63, "BR"),
     (-33.87, 151.21, "AU"), (-1.29, 36.82, "KE"), (35.68, 139.69, "JP"), (-20.88, 55.45, "RE"),
     (43.66, -70.26, "US"), (49.28, -123.12, "CA"), (1.29, 103.85, "SG")],
)
def test_points_in_their_country_pass(boundaries, lat, lon, country):
    boundaries.check(lat, lon, country)


@pytest.mark.parametrize(
    ("lat", "lon", "code", "suggestion"),
    [
        (-9.1393, 38.7223, "swapped", LISBON),
        (38.7223, 9.1393, "sign_flipped", LISBON),
        (-38.7223, -9.1393, "sign_flipped", LISBON),
        (38722300, -9139300, "scaled", LISBON),
        (38.5, 38.5, "lat_equals_lon", None),
        (38.7, -10.5, "in_sea", None),
        (40.4168, -3.7038, "wrong_country", None),
        (95.0, -9.0, "out_of_range", None),
    ],
)
def test_bad_points_are_diagnosed(boundaries, lat, lon, code, suggestion):
    with pytest.raises(CoordinateError) as err:
        boundaries.check(lat, lon, "PT")
    assert err.value.code == code
    assert err.value.message
    if suggestion:
        assert err.value.suggestion == pytest.approx(suggestion)


def test_unknown_country_code(boundaries):
    with pytest.raises(CoordinateError) as err:
        boundaries.check(*LISBON, "ZZ")
    assert err.value.code == "unknown_country"


def test_country_at(boundaries):
    assert boundaries.country_at(48.8566, 2.3522) == "FR"
    assert boundaries.country_at(0.0, -30.0) is None
