"""Points are checked against their stated country, with a diagnosis when they are not in it."""

from __future__ import annotations

import pytest

from geodata import CLAIMS_GEOJSON, COUNTRIES_GEOJSON
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


@pytest.fixture(scope="module")
def claims() -> CountryBoundaries:
    """Both drawings, as the app loads them: Natural Earth as held, and as the UN draws it."""
    return CountryBoundaries(COUNTRIES_GEOJSON, CLAIMS_GEOJSON)


@pytest.mark.parametrize(
    ("lat", "lon", "countries"),
    [
        (44.95, 34.10, ("UA", "RU")),  # Simferopol, Crimea: GeoNames says UA, Natural Earth draws RU
        (44.60, 33.52, ("UA", "RU")),  # Sevastopol
        (27.15, -13.20, ("EH", "MA")),  # Laayoune, Western Sahara
        (26.74, -11.67, ("EH", "MA")),  # Smara
        (42.67, 21.17, ("XK", "RS")),  # Pristina, Kosovo, claimed by Serbia
        (25.04, 121.56, ("TW", "CN")),  # Taipei, Taiwan, claimed by China
    ],
)
def test_disputed_points_are_accepted_under_every_claimant(claims, lat, lon, countries):
    for country in countries:
        claims.check(lat, lon, country)


@pytest.mark.parametrize(("lat", "lon", "country"), [(44.95, 34.10, "PL"), (27.15, -13.20, "ES"),
                                                     (42.67, 21.17, "AL"), (25.04, 121.56, "JP")])
def test_disputed_points_are_refused_under_a_country_that_does_not_claim_them(claims, lat, lon, country):
    with pytest.raises(CoordinateError) as err:
        claims.check(lat, lon, country)
    assert err.value.code == "wrong_country"


def test_disputed_points_were_refused_by_one_drawing_alone(boundaries):
    """What the second drawing is for: Natural Earth alone puts Crimea in Russia, Laayoune in Morocco."""
    with pytest.raises(CoordinateError, match="Russia"):
        boundaries.check(44.95, 34.10, "UA")
    with pytest.raises(CoordinateError, match="Morocco"):
        boundaries.check(27.15, -13.20, "EH")


@pytest.mark.parametrize(("lat", "lon"), [(67.58, 33.41), (67.49, 64.05), (64.42289, -173.22641), (68.9, 33.08)])
def test_russia_across_the_antimeridian_is_whole(boundaries, lat, lon):
    """Apatity, Vorkuta, Provideniya (Chukotka, west of 180°), Murmansk: the ring cut at 180° once turned Russia inside out."""
    boundaries.check(lat, lon, "RU")
    assert boundaries.country_at(67.58, -33.41) == "GL"  # not Russia


@pytest.mark.parametrize(
    ("lat", "lon", "code", "fix"),
    [(3872230, -913930, "scaled", "10^5"), (38722300, -9139300, "scaled", "10^6"),
     (38.7223, 9.1393, "sign_flipped", "sign of the longitude"), (-9.1393, 38.7223, "swapped", "exchange"),
     (40.4168, -3.7038, "wrong_country", "correct the country or the point"),
     (38.7, -10.5, "in_sea", "correct the point")],
)
def test_each_diagnosis_names_the_fix(boundaries, lat, lon, code, fix):
    with pytest.raises(CoordinateError) as err:
        boundaries.check(lat, lon, "PT")
    assert err.value.code == code
    assert fix in err.value.message


def test_a_vouch_accepts_a_point_the_outlines_leave_in_the_sea(claims):
    """Magong (Penghu, Taiwan) is 55 km out to sea at 1:50m; GeoNames' word for it wins."""
    magong = (23.5654, 119.58627)
    with pytest.raises(CoordinateError) as err:
        claims.check(*magong, "TW")
    assert err.value.code == "in_sea"
    asked = []
    claims.check(*magong, "TW", vouch=lambda lat, lon, country: asked.append(country) or True)
    assert asked == ["TW"]
    with pytest.raises(CoordinateError):
        claims.check(*magong, "TW", vouch=lambda lat, lon, country: False)
