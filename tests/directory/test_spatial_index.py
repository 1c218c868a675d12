"""The in-process index against brute force, and its freshness across writes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from visa.directory.spatial_index import SpatialIndex, get_index
from visa.extensions import db
from visa.geo.distance import haversine_km

points = st.lists(st.tuples(st.floats(-80, 80), st.floats(-180, 180)), min_size=0, max_size=60)


def _index(pts):
    n = len(pts)
    lat = np.array([p[0] for p in pts], dtype=float)
    lon = np.array([p[1] for p in pts], dtype=float)
    return SpatialIndex(np.arange(n, dtype=np.int64), lat, lon, np.array(["PT"] * n, dtype="<U2"),
                        np.full(n, 3, dtype=np.int16), version=1)


@settings(max_examples=150)
@given(points, st.floats(-80, 80), st.floats(-180, 180), st.floats(1, 500))
def test_radius_search_equals_brute_force(pts, lat, lon, radius):
    ids, distances = _index(pts).within_radius(lat, lon, radius)
    expected = {i for i, (plat, plon) in enumerate(pts) if haversine_km(lat, lon, plat, plon) <= radius}
    assert set(ids.tolist()) == expected
    assert list(distances) == sorted(distances)


@settings(max_examples=100)
@given(points, st.integers(0, 12))
def test_clusters_account_for_every_point(pts, zoom):
    index = _index(pts)
    rows = index.in_bbox(-180, -90, 180, 90)
    clusters, lone = index.cluster(rows, zoom)
    assert sum(c.count for c in clusters) + len(lone) == len(pts)
    assert all(c.count >= 2 for c in clusters)


def test_antimeridian_box():
    index = _index([(-17.7, 178.4), (-14.3, -170.7), (0.0, 0.0)])
    rows = index.in_bbox(170, -30, -160, 0)
    assert sorted(index.ids[rows].tolist()) == [0, 1]


def test_index_sees_writes_and_hides_unapproved(app, make_space):
    from visa.directory.models import SpaceStatus

    make_space("Approved")
    make_space("Waiting", status=SpaceStatus.PENDING)
    assert len(get_index(db.session)) == 1
    make_space("Another")
    assert len(get_index(db.session)) == 2
