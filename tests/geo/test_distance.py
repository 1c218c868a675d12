"""Distances and bounding boxes, including the antimeridian and the poles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from visa.geo.distance import EARTH_RADIUS_KM, bounding_box, haversine_km, haversine_km_many

lats = st.floats(-89.0, 89.0)
lons = st.floats(-180.0, 180.0)


def test_known_distance():
    assert 2300 < haversine_km(38.72, -9.14, 52.52, 13.40) < 2330  # Lisbon-Berlin


@given(lats, lons, lats, lons)
def test_vectorised_matches_scalar(lat1, lon1, lat2, lon2):
    many = haversine_km_many(lat1, lon1, np.array([lat2]), np.array([lon2]))[0]
    assert abs(many - haversine_km(lat1, lon1, lat2, lon2)) < 1e-6


def _in_box(lat, lon, box):
    south, north, west, east = box
    in_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return south <= lat <= north and in_lon


@settings(max_examples=500)
@given(st.floats(-90.0, 90.0), lons, st.floats(0.001, 500.0), st.floats(0, 360), st.floats(0, 1))
# Found on some seeds with the old flat box (Δlon = d / cos lat), too narrow at high latitudes.
@example(65.0, 10.0, 500.0, 76.0, 0.999)
@example(60.0, 10.0, 500.0, 79.0, 1.0)
@example(80.0, 179.0, 500.0, 50.0, 1.0)  # widest point beyond the antimeridian
@example(-70.0, -179.5, 500.0, 250.0, 1.0)
@example(85.6, 0.0, 500.0, 90.0, 1.0)  # the pole is inside the circle
@example(90.0, 0.0, 500.0, 180.0, 1.0)
@example(-90.0, 0.0, 0.001, 0.0, 1.0)
def test_every_point_within_radius_is_in_the_box(lat, lon, radius, bearing, fraction):
    from geopy.distance import great_circle

    # The same sphere as bounding_box, so a point exactly on the circle must be inside.
    target = great_circle(kilometers=radius * fraction, radius=EARTH_RADIUS_KM).destination((lat, lon), bearing)
    assert _in_box(target.latitude, target.longitude, bounding_box(lat, lon, radius))


@settings(max_examples=300)
@given(st.floats(-89.0, 89.0), lons, st.floats(0.001, 500.0))
@example(65.0, 10.0, 500.0)
def test_box_touches_the_circle_where_no_pole_is_inside(lat, lon, radius):
    """The east and west edges are the meridians tangent to the circle: neither wider nor narrower."""
    south, north, west, east = bounding_box(lat, lon, radius)
    assume(west != -180.0 or east != 180.0)
    d = radius / EARTH_RADIUS_KM
    tangent_lat = math.degrees(math.asin(math.sin(math.radians(lat)) / math.cos(d)))
    for edge in (west, east):
        assert haversine_km(lat, lon, tangent_lat, edge) == pytest.approx(radius, rel=1e-6, abs=1e-3)
    assert haversine_km(lat, lon, north, lon) == pytest.approx(radius, abs=1e-3)
    assert haversine_km(lat, lon, south, lon) == pytest.approx(radius, abs=1e-3)
