"""In-process spatial index of the approved spaces: a column store for radius and viewport search.

Plain SQL cannot group 100,000 points into map clusters within a few tens of
milliseconds on SQLite, so each process keeps the coordinates of approved spaces
in numpy arrays sorted by latitude, with a few generic columns beside them
(country, free days, participation, confirmation time). The index is tied to the
registry version: every lookup compares it with the database (one primary-key
read) and rebuilds when any process has written, so no worker serves stale
results.

Other features keep what they derive from the index (reciprocity's rule columns
and masks, the pre-encoded Features, the cluster grid) with :meth:`SpatialIndex.derived`,
so it is dropped with the index when the registry changes. The index itself
knows nothing of what they compute.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app

from visa.directory.models import Space, VisaTerms
from visa.directory.registry_version import database_key, read_version
from visa.extensions import db
from visa.geo.distance import EARTH_RADIUS_KM, SPHERE_MARGIN, bounding_box, geodesic_km_many, haversine_km_many


@dataclass
class Cluster:
    lat: float
    lon: float
    count: int
    bbox: tuple[float, float, float, float]  # west, south, east, north


#: No two points on the globe are farther apart: the last ring of a nearest search.
_HALF_CIRCUMFERENCE_KM = math.pi * EARTH_RADIUS_KM


class SpatialIndex:
    def __init__(self, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, version: int,
                 columns: dict[str, np.ndarray] | None = None) -> None:
        order = np.argsort(lat, kind="stable")
        self.ids, self.lat, self.lon = ids[order], lat[order], lon[order]
        self.version = version
        #: Named per-row columns, in the index's row order (by latitude).
        self.columns = {name: column[order] for name, column in (columns or {}).items()}
        for array in (self.ids, self.lat, self.lon, *self.columns.values()):
            array.flags.writeable = False  # shared by the threads and, after a fork, the workers
        self._by_id = np.argsort(self.ids, kind="stable").astype(np.int32 if len(self.ids) < 2**31 else np.int64)
        self._sorted_ids = self.ids[self._by_id]
        self._derived: dict[str, Any] = {}
        self._derived_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> np.ndarray:
        return self.columns[name]

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Row positions of *ids* (-1 for an id not in the index)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self.ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted_ids, ids), len(self.ids) - 1)
        rows = self._by_id[at]
        return np.where(self.ids[rows] == ids, rows, -1)

    def derived(self, key: str, compute: Callable[[SpatialIndex], Any]) -> Any:
        """What *compute* derives from this index, computed once per index (so once per registry version).

        Computed under a lock: two threads asking at once wait for one computation.
        """
        found = self._derived.get(key)
        if found is not None:
            return found
        with self._derived_lock:
            found = self._derived.get(key)
            if found is None:
                found = self._derived[key] = compute(self)
        return found

    def kept(self, name: str, key: Hashable, make: Callable[[], Any], most: int) -> Any:
        """What *make()* gives for *key*, kept under *name* with this index (so until the registry changes).

        At most *most* keys are kept: past that all are dropped and made again as they are asked for, so that a
        crawl through every page in every language cannot grow them without end. Made outside the lock (two
        threads may both make a missing one; either result serves).
        """
        found_all = self.derived(name, lambda _index: {})
        found = found_all.get(key)
        if found is None:
            if len(found_all) >= most:
                found_all.clear()
            found = found_all[key] = make()
        return found

    def mask(self, country: str | None = None, min_days: int | None = None,
             allowed_ids: np.ndarray | None = None, honors: np.ndarray | None = None,
             participating: bool = False) -> np.ndarray | None:
        """Boolean mask of the rows passing every given filter (ANDed), or None when nothing filters."""
        masks = []
        if honors is not None:
            masks.append(honors)
        if country:
            masks.append(self.columns["country"] == country.encode("ascii", "replace"))
        if min_days:
            masks.append(self.columns["free_days"] >= min_days)
        if participating:
            masks.append(self.columns["participates"])
        if allowed_ids is not None:
            masks.append(np.isin(self.ids, allowed_ids))
        if not masks:
            return None
        # A new array: the honors mask is shared through a cache and must not be changed in place.
        return np.logical_and.reduce(masks) if len(masks) > 1 else masks[0]

    def _measured(self, lat: float, lon: float, radius_km: float,
                  mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, WGS84 distances in km) of the points within *radius_km* on the ellipsoid.

        The sphere is the cheap pre-filter, widened by the most the two can differ;
        the ellipsoid decides, as PostGIS geography does, so results agree at the edge.
        """
        wide = radius_km * (1 + SPHERE_MARGIN) + 0.01
        south, north, west, east = bounding_box(lat, lon, wide)
        rows = self.in_bbox(west, south, east, north, mask)
        rows = rows[haversine_km_many(lat, lon, self.lat[rows], self.lon[rows]) <= wide]
        return self._exactly_within(lat, lon, rows, radius_km)

    def _exactly_within(self, lat: float, lon: float, rows: np.ndarray,
                        radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """(rows, WGS84 distances) of those of *rows* within *radius_km* on the ellipsoid."""
        distances = geodesic_km_many(lat, lon, self.lat[rows], self.lon[rows])
        inside = distances <= radius_km
        return rows[inside], distances[inside]

    def within_radius(self, lat: float, lon: float, radius_km: float,
                      mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, WGS84 distances in km) of points within the radius, nearest first."""
        rows, distances = self._measured(lat, lon, radius_km, mask)
        order = np.argsort(distances, kind="stable")
        return self.ids[rows[order]], distances[order]

    def rows_within_radius(self, lat: float, lon: float, radius_km: float,
                           mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, WGS84 distances in km) within the radius, nearest first: for callers that read columns."""
        rows, distances = self._measured(lat, lon, radius_km, mask)
        order = np.argsort(distances, kind="stable")
        return rows[order], distances[order]

    def first_within_radius(self, lat: float, lon: float, radius_km: float, count: int,
                            mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, int]:
        """(rows, WGS84 distances) of the *count* nearest within the radius, nearest first, and how many are within.

        As :meth:`rows_within_radius` cut to *count*, measuring on the ellipsoid only the points near
        the circle (is it inside?) and those that can be among the first *count*: a dense city holds
        thousands of points within 25 km, and a page shows fifty.
        """
        wide = radius_km * (1 + SPHERE_MARGIN) + 0.01
        south, north, west, east = bounding_box(lat, lon, wide)
        rows = self.in_bbox(west, south, east, north, mask)
        km = haversine_km_many(lat, lon, self.lat[rows], self.lon[rows])
        keep = km <= wide
        rows, km = rows[keep], km[keep]
        sure = km <= radius_km * (1 - SPHERE_MARGIN) - 0.01  # inside on the ellipsoid too
        if count < 1 or np.count_nonzero(sure) < count:
            # Fewer sure ones than asked for (a sparse area, the usual case): each is measured, then cut to count.
            rows, distances = self._exactly_within(lat, lon, rows, radius_km)
            order = np.argsort(distances, kind="stable")[:max(count, 0)]
            return rows[order], distances[order], len(rows)
        kth = np.partition(km[sure], count - 1)[count - 1]
        # Points farther than this on the sphere are farther on the ellipsoid than the count-th sure one.
        candidate = km <= kth * (1 + SPHERE_MARGIN) / (1 - SPHERE_MARGIN) + 0.01
        measure = candidate | ~sure
        exact = geodesic_km_many(lat, lon, self.lat[rows[measure]], self.lon[rows[measure]])
        inside = sure.copy()
        inside[measure] = exact <= radius_km
        distances = np.full(len(rows), np.inf)
        distances[measure] = exact
        pick = np.flatnonzero(candidate & inside)
        order = pick[np.argsort(distances[pick], kind="stable")[:count]]
        return rows[order], distances[order], int(np.count_nonzero(inside))

    def nearest(self, lat: float, lon: float, count: int, beyond_km: float = 0.0,
                mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, WGS84 distances in km) of the *count* points nearest to the point and farther than *beyond_km*.

        Searched in widening circles: each is a latitude slice of the sorted index, so a
        dense network answers from its first ring and only an empty one reaches the whole
        globe. The sphere ranks cheaply; the ellipsoid (which differs by at most
        SPHERE_MARGIN) measures only the few that could be among the nearest.
        """
        low = beyond_km * (1 - SPHERE_MARGIN) - 0.01  # nearer than this on the sphere: within beyond_km
        sure = beyond_km / (1 - SPHERE_MARGIN) + 0.01  # farther than this on the sphere: beyond it
        radius = max(2.0 * beyond_km, beyond_km + 50.0)
        while True:
            radius = min(radius, _HALF_CIRCUMFERENCE_KM)
            south, north, west, east = bounding_box(lat, lon, radius)
            rows = self.in_bbox(west, south, east, north, mask)
            km = haversine_km_many(lat, lon, self.lat[rows], self.lon[rows])
            keep = (km > low) & (km <= radius)
            rows, km = rows[keep], km[keep]
            beyond = np.sort(km[km > sure])
            # Enough, once the count-th surely-beyond point is nearer than anything outside the circle can be.
            if radius >= _HALF_CIRCUMFERENCE_KM or (
                    len(beyond) >= count and beyond[count - 1] * (1 + SPHERE_MARGIN) <= radius * (1 - SPHERE_MARGIN)):
                break
            radius *= 4.0
        if len(beyond) >= count:
            keep = km <= beyond[count - 1] * (1 + SPHERE_MARGIN) / (1 - SPHERE_MARGIN) + 0.01
            rows, km = rows[keep], km[keep]
        distances = geodesic_km_many(lat, lon, self.lat[rows], self.lon[rows])
        keep = distances > beyond_km
        rows, distances = rows[keep], distances[keep]
        order = np.argsort(distances, kind="stable")[:count]
        return self.ids[rows[order]], distances[order]

    def in_bbox(self, west: float, south: float, east: float, north: float,
                mask: np.ndarray | None = None) -> np.ndarray:
        """Row positions of points inside the box (west > east crosses the antimeridian)."""
        lo = np.searchsorted(self.lat, south, side="left")
        hi = np.searchsorted(self.lat, north, side="right")
        rows = np.arange(lo, hi)
        lons = self.lon[lo:hi]
        keep = (lons >= west) & (lons <= east) if west <= east else (lons >= west) | (lons <= east)
        rows = rows[keep]
        if mask is not None:
            rows = rows[mask[rows]]
        return rows

    def cluster(self, rows: np.ndarray, zoom: int, cell_px: int = 80) -> tuple[list[Cluster], np.ndarray]:
        """Group rows into screen cells of *cell_px* pixels at *zoom* (Web Mercator).

        Returns the clusters of two or more points and the ids of lone points.
        """
        if len(rows) == 0:
            return [], np.array([], dtype=np.int64)
        lat, lon = self.lat[rows], self.lon[rows]
        scale = 256 * (2 ** zoom) / cell_px
        x = np.floor((lon + 180.0) / 360.0 * scale).astype(np.int64)
        sin = np.sin(np.radians(np.clip(lat, -85.0511, 85.0511)))
        y = np.floor((0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale).astype(np.int64)
        keys = x * (int(scale) + 2) + y
        unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        mean_lat = np.bincount(inverse, weights=lat) / counts
        mean_lon = np.bincount(inverse, weights=lon) / counts
        n = len(unique)
        west = np.full(n, np.inf)
        east = np.full(n, -np.inf)
        south = np.full(n, np.inf)
        north = np.full(n, -np.inf)
        np.minimum.at(west, inverse, lon)
        np.maximum.at(east, inverse, lon)
        np.minimum.at(south, inverse, lat)
        np.maximum.at(north, inverse, lat)
        clusters = [
            Cluster(float(mean_lat[i]), float(mean_lon[i]), int(counts[i]),
                    (float(west[i]), float(south[i]), float(east[i]), float(north[i])))
            for i in np.flatnonzero(counts > 1)
        ]
        lone = self.ids[rows[np.isin(inverse, np.flatnonzero(counts == 1))]]
        return clusters, lone


EXTENSION = "visa.spatial_index"


def _kept() -> tuple[dict[str, SpatialIndex], threading.Lock]:
    """This app's indexes by database (an app may have several binds) and the lock that guards building.

    Kept on the app, not in the module: another app in the process (a test's, a transfer's) builds its own,
    and an index goes away with its app. Gunicorn's workers share the one the master built (same app object).
    """
    kept = current_app.extensions.get(EXTENSION)
    if kept is None:
        kept = current_app.extensions.setdefault(EXTENSION, ({}, threading.Lock()))
    return kept


def get_index(session) -> SpatialIndex:
    """The index for the session's database, rebuilt if any process wrote since.

    The version is read beside *session*, committed only (see :mod:`visa.directory.registry_version`).
    An index built through a session that holds uncommitted changes to the registry would hold them
    too, under the committed version: it serves that session alone and is never cached.
    """
    bind = _engine_of(session)
    key = database_key(bind)
    version = read_version(bind)
    indexes, lock = _kept()
    index = indexes.get(key)
    if index is not None and index.version == version:
        return index
    with lock:
        index = indexes.get(key)
        if index is None or index.version != version:
            index = _build(session, version)
            if _holds_uncommitted_registry_changes(session):  # also when building flushed them
                return index
            indexes[key] = index
    return index


def _holds_uncommitted_registry_changes(session) -> bool:
    # Set by visa.directory.models when a flush writes a space or its terms, cleared at commit or rollback.
    return bool(session.info.get("registry_bumped"))


def _engine_of(session) -> sa.Engine:
    """The engine *session* reads from. Asked of ``db.session`` (a scoped session), ``get_bind`` would create
    the request's Session, which a search that finds its Features filled never uses, and the request would
    then close it: a tenth of the search. The app's engine is that same bind."""
    if isinstance(session, sa.orm.scoped_session):
        return db.engine
    return session.get_bind()


def _epoch_seconds(session, column):
    """*column* (a UTC time) as seconds since 1970 in SQL: a million datetimes are slow to make in Python."""
    if session.get_bind().dialect.name == "sqlite":
        return (sa.func.julianday(column) - 2440587.5) * 86400.0  # julianday keeps milliseconds
    return sa.func.extract("epoch", column)


#: Rows fetched at a time while building: a million tuples at once would leave hundreds of MB of heap behind.
FETCH_CHUNK = 5_000


def fetch_chunks(session, query) -> Iterator[list[tuple]]:
    """The rows of *query* as the driver's own tuples (no SQLAlchemy Row per row), a chunk at a time."""
    cursor = session.connection().execute(query).cursor
    while chunk := cursor.fetchmany(FETCH_CHUNK):
        yield chunk


#: One row of the index's query, parsed by numpy in C: a million rows need no Python object per value.
_ROW = np.dtype([("id", "i8"), ("lat", "f8"), ("lon", "f8"), ("country", "S2"), ("free_days", "i2"),
                 ("participates", "?"), ("confirmed_at", "f8")])
_NEVER = -1.0e300  # SQL cannot say NaN portably: "never confirmed" travels as this


def _build(session, version: int) -> SpatialIndex:
    # Only what every search needs; features that need more derive it (see SpatialIndex.derived).
    query = (
        sa.select(Space.id, Space.latitude, Space.longitude, Space.country_code,
                  # NULL terms are "not stated": no days offered, not participating.
                  sa.case((VisaTerms.is_participating.is_(True), sa.func.coalesce(VisaTerms.free_days_per_visit, 0)),
                          else_=0),
                  sa.case((VisaTerms.is_participating.is_(True), 1), else_=0),
                  sa.func.coalesce(_epoch_seconds(session, Space.terms_confirmed_at), _NEVER))
        .join(VisaTerms, VisaTerms.space_id == Space.id)
        .where(Space.is_visible)
    )
    table = np.concatenate([np.array(chunk, dtype=_ROW) for chunk in fetch_chunks(session, query)] or
                           [np.zeros(0, dtype=_ROW)])
    confirmed = table["confirmed_at"].astype(np.float64)  # a Decimal-free copy (PostgreSQL's extract is numeric)
    confirmed[confirmed <= _NEVER / 2] = np.nan  # seconds since 1970, NaN when never confirmed
    return SpatialIndex(table["id"].copy(), table["lat"].copy(), table["lon"].copy(), version, {
        "country": table["country"].copy(),
        "free_days": table["free_days"].copy(),
        "participates": table["participates"].copy(),
        "confirmed_at": confirmed,
    })
