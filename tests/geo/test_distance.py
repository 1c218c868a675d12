"""Distances and bounding boxes, including the antimeridian and the poles."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from visa.geo.distance import bounding_box, haversine_km, haversine_km_many

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


@given(lats, lons, st.floats(0.1, 500.0), st.floats(0, 360), st.floats(0, 1))
def test_every_point_within_radius_is_in_the_box(lat, lon, radius, bearing, fraction):
    from geopy.distance import great_circle

    target = great_circle(kilometers=radius * fraction * 0.999).destination((lat, lon), bearing)
    assert _in_box(target.latitude, target.longitude, bounding_box(lat, lon, radius))
