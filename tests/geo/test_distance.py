"""Distances and bounding boxes, including the antimeridian and the poles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from visa.geo.distance import (
    COMPASS_POINTS,
    EARTH_RADIUS_KM,
    bearing_deg,
    bounding_box,
    compass_point,
    haversine_km,
    haversine_km_many,
)

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


def test_bearing_and_compass_point():
    assert compass_point(bearing_deg(43.6591, -70.2568, 42.3601, -71.0589)) == "south-west"  # Portland to Boston
    assert compass_point(bearing_deg(38.72, -9.14, 52.52, 13.40)) == "north-east"  # Lisbon to Berlin
    assert compass_point(bearing_deg(0.0, 179.5, 0.0, -179.5)) == "east"  # across the antimeridian
    assert [compass_point(b) for b in (0, 22.4, 22.6, 180, 337.4, 337.6, 359.9)] == [
        "north", "north", "north-east", "south", "north-west", "north", "north"]


@given(lats, lons, lats, lons)
def test_bearing_is_a_compass_angle(lat1, lon1, lat2, lon2):
    bearing = bearing_deg(lat1, lon1, lat2, lon2)
    assert 0 <= bearing < 360 and compass_point(bearing) in COMPASS_POINTS
