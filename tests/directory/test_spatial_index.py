"""The in-process index against brute force on the WGS84 ellipsoid (as PostGIS geography), and its freshness."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from visa.directory.clusters import ClusterGrid
from visa.directory.spatial_index import SpatialIndex, get_index
from visa.extensions import db
from visa.geo.distance import geodesic_km

points = st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=0, max_size=60)


def _index(pts):
    n = len(pts)
    lat = np.array([p[0] for p in pts], dtype=float)
    lon = np.array([p[1] for p in pts], dtype=float)
    return SpatialIndex(np.arange(n, dtype=np.int64), lat, lon, version=1,
                        columns={"country": np.array(["PT"] * n, dtype="S2"), "free_days": np.full(n, 3, dtype=np.int16)})


@settings(max_examples=150)
@given(points, st.floats(-90, 90), st.floats(-180, 180), st.floats(1, 500))
@example([(65.7178, 20.6494)], 65.0, 10.0, 500.0)  # missed by the flat bounding box
@example([(71.0015, 23.1488)], 70.0, 10.0, 500.0)
def test_radius_search_equals_brute_force(pts, lat, lon, radius):
    ids, distances = _index(pts).within_radius(lat, lon, radius)
    expected = {i for i, (plat, plon) in enumerate(pts) if geodesic_km(lat, lon, plat, plon) <= radius}
    assert set(ids.tolist()) == expected
    assert list(distances) == sorted(distances)


@settings(max_examples=150)
@given(points, st.floats(-90, 90), st.floats(-180, 180), st.integers(1, 6), st.floats(0, 3000))
@example([(-89.0, 170.0), (89.0, -10.0)], 0.0, 0.0, 2, 0.0)  # only the last ring (the whole globe) finds them
def test_nearest_equals_brute_force(pts, lat, lon, count, beyond):
    ids, distances = _index(pts).nearest(lat, lon, count, beyond)
    expected = sorted(d for plat, plon in pts if (d := geodesic_km(lat, lon, plat, plon)) > beyond)[:count]
    assert distances.tolist() == pytest.approx(expected, abs=1e-6)
    assert len(ids) == len(expected)


@settings(max_examples=100)
@given(points, st.integers(0, 12))
def test_clusters_account_for_every_point(pts, zoom):
    index = _index(pts)
    rows = index.in_bbox(-180, -90, 180, 90)
    clusters, lone = index.cluster(rows, zoom)
    assert sum(c.count for c in clusters) + len(lone) == len(pts)
    assert all(c.count >= 2 for c in clusters)


rows_with_attributes = st.lists(
    st.tuples(st.floats(-90, 90), st.floats(-180, 180), st.sampled_from(["PT", "DE", "FR"]), st.integers(0, 6),
              st.booleans(), st.booleans()),
    min_size=0, max_size=60)


def _full_index(rows):
    n = len(rows)
    return SpatialIndex(np.arange(100, 100 + n, dtype=np.int64), np.array([r[0] for r in rows], dtype=float),
                        np.array([r[1] for r in rows], dtype=float), version=1,
                        columns={"country": np.array([r[2] for r in rows], dtype="S2"),
                                 "free_days": np.array([r[3] for r in rows], dtype=np.int16)})


@settings(max_examples=300)
@given(rows_with_attributes, st.none() | st.sampled_from(["PT", "DE"]), st.none() | st.integers(0, 6),
       st.booleans(), st.booleans(), st.floats(-90, 90), st.floats(-180, 180), st.floats(1, 500))
# The country filter used to replace the honors mask instead of narrowing it.
@example([(38.7, -9.1, "PT", 3, False, True)], "PT", None, False, True, 38.7, -9.1, 25.0)
def test_every_filter_is_anded_as_brute_force(rows, country, min_days, use_text, use_honors, lat, lon, radius):
    """Text (allowed ids), country, min_days and honors together; radius and bbox agree with brute force."""
    index = _full_index(rows)
    # Row order in the index is by latitude, so the honors mask is laid out in that order too.
    by_id = {100 + i: row for i, row in enumerate(rows)}
    honors = np.array([by_id[int(i)][4] for i in index.ids], dtype=bool) if use_honors else None
    allowed = np.array([i for i, row in by_id.items() if row[5]], dtype=np.int64) if use_text else None
    mask = index.mask(country, min_days, allowed, honors)

    def passes(row) -> bool:
        return ((country is None or row[2] == country) and (not min_days or row[3] >= min_days)
                and (not use_text or row[5]) and (not use_honors or row[4]))

    expected = {i for i, row in by_id.items() if passes(row)}
    everywhere = index.in_bbox(-180, -90, 180, 90, mask)
    assert set(index.ids[everywhere].tolist()) == expected
    ids, _ = index.within_radius(lat, lon, radius, mask)
    assert set(ids.tolist()) == {i for i in expected if geodesic_km(lat, lon, *by_id[i][:2]) <= radius}
    if honors is not None:
        assert honors.tolist() == [by_id[int(i)][4] for i in index.ids]  # the shared mask is not changed


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


@settings(max_examples=100)
@given(points, st.integers(0, 11))
@example([(10.0, 20.0), (10.0001, 20.0001), (-85.06, 179.99), (85.06, -180.0)], 3)  # beyond Mercator's edge
def test_precomputed_grid_equals_clustering_every_point(pts, zoom):
    """The hierarchical grid answers as clustering all rows at that zoom would."""
    index = _index(pts)
    expected_clusters, expected_lone = index.cluster(index.in_bbox(-180, -90, 180, 90), zoom)
    clusters, lone = ClusterGrid(index, 12).clusters(zoom)
    assert lone.tolist() == expected_lone.tolist()
    assert [(c.count, c.bbox) for c in clusters] == [(c.count, c.bbox) for c in expected_clusters]
    means = [v for c in clusters for v in (c.lat, c.lon)]
    assert means == pytest.approx([v for c in expected_clusters for v in (c.lat, c.lon)])


def test_world_view_reads_the_grid_and_equals_clustering_every_row(app, make_space):
    from visa.directory import search

    for name, lat, lon in (("Baixa", 38.7101, -9.1367), ("Alfama", 38.7115, -9.1300), ("Porto", 41.1496, -8.6110)):
        make_space(name, lat=lat, lon=lon)
    index = get_index(db.session)
    view = search.view_rows(-180, -85, 180, 85, 2, search.Filters(), limit=50)
    clusters, lone = index.cluster(index.in_bbox(-180, -90, 180, 90), 2)
    assert view.total == 3 and [c.count for c in view.clusters] == [c.count for c in clusters] == [3]
    assert view.rows.tolist() == index.rows_of(lone).tolist() == []
    assert index.derived(f"directory.cluster_grid.{search.CLUSTER_BELOW_ZOOM}", lambda _i: None) is not None  # the grid answered


dense = st.lists(st.tuples(st.floats(38.0, 39.4), st.floats(-9.8, -8.4)), min_size=0, max_size=120)


@settings(max_examples=200)
@given(dense, st.floats(38.5, 38.9), st.floats(-9.3, -8.9), st.floats(1, 60), st.integers(0, 60))
def test_first_within_radius_equals_the_full_search_cut(pts, lat, lon, radius, count):
    """Measuring only the edge and the first few on the ellipsoid gives the full search's first *count*."""
    index = _index(pts)
    rows, distances = index.rows_within_radius(lat, lon, radius)
    first, first_distances, total = index.first_within_radius(lat, lon, radius, count)
    assert total == len(rows)
    assert first_distances.tolist() == pytest.approx(distances[:count].tolist(), abs=1e-9)
    assert set(first.tolist()) <= set(rows.tolist()) and len(first) == min(count, len(rows))


def test_what_is_kept_with_an_index_is_made_once_per_key_and_bounded():
    index = SpatialIndex(np.array([1, 2], dtype=np.int64), np.array([38.7, 41.1]), np.array([-9.1, -8.6]), version=1)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert [index.kept("t", key, make(key), most=2) for key in ("a", "a", "b")] == ["A", "A", "B"]
    assert made == ["a", "b"]
    assert index.kept("t", "c", make("c"), most=2) == "C"  # past the bound: all dropped, then made as asked
    assert index.kept("t", "a", make("a"), most=2) == "A" and made == ["a", "b", "c", "a"]
    other = SpatialIndex(index.ids, index.lat, index.lon, version=2)  # a new registry version keeps nothing over
    assert other.kept("t", "c", make("c"), most=2) == "C" and made[-1] == "c"
