"""In-process spatial index of the approved spaces, for radius and viewport search.

Plain SQL cannot group 100,000 points into map clusters within a few tens of
milliseconds on SQLite, so each process keeps the coordinates of approved spaces
in numpy arrays sorted by latitude. The index is tied to the registry version:
every lookup compares it with the database (one primary-key read) and rebuilds
when any process has written, so no worker serves stale results.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sqlalchemy as sa

from visa.directory.models import RegistryVersion, Space, VisaTerms
from visa.geo.distance import EARTH_RADIUS_KM, bounding_box, haversine_km_many
from visa.geocoding.normalize import name_key


@lru_cache(maxsize=65536)  # networks repeat city names; unidecode is the slow part of an index build
def city_key(country: str, city: str) -> str:
    """What "the same city" means for the visa rules: country plus the normalised name."""
    return f"{country}:{name_key(city or '')}"


@dataclass
class Cluster:
    lat: float
    lon: float
    count: int
    bbox: tuple[float, float, float, float]  # west, south, east, north


#: No two points on the globe are farther apart: the last ring of a nearest search.
_HALF_CIRCUMFERENCE_KM = math.pi * EARTH_RADIUS_KM

#: Honor masks kept per index: one per recently used home space (100,000 bytes each at 100,000 spaces).
HONOR_MASK_CACHE_SIZE = 256


class SpatialIndex:
    def __init__(self, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, country: np.ndarray,
                 free_days: np.ndarray, version: int, rules: dict[str, np.ndarray] | None = None,
                 city_codes: dict[str, int] | None = None) -> None:
        order = np.argsort(lat, kind="stable")
        self.ids, self.lat, self.lon = ids[order], lat[order], lon[order]
        self.country, self.free_days = country[order], free_days[order]
        self.version = version
        #: Date-independent visa rules per row, for the "honors my membership" filter.
        self.rules = {name: column[order] for name, column in (rules or {}).items()}
        # Per home space id, valid for this version; shared by the threads of a worker, hence the lock.
        self._honor_masks: OrderedDict[int, np.ndarray] = OrderedDict()
        self._honor_lock = threading.Lock()
        self.city_codes: dict[str, int] = city_codes or {}

    def __len__(self) -> int:
        return len(self.ids)

    def honor_mask(self, home_id: int, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """The cached honor mask of *home_id*, computed by *compute* when missing (least recently used evicted)."""
        with self._honor_lock:
            cached = self._honor_masks.get(home_id)
            if cached is not None:
                self._honor_masks.move_to_end(home_id)
                return cached
        # Computed outside the lock (milliseconds of numpy): two threads may compute the same
        # home at once, and both get the same right answer.
        mask = compute()
        mask.flags.writeable = False  # shared between requests: nobody may change it in place
        with self._honor_lock:
            self._honor_masks[home_id] = mask
            self._honor_masks.move_to_end(home_id)
            while len(self._honor_masks) > HONOR_MASK_CACHE_SIZE:
                self._honor_masks.popitem(last=False)
        return mask

    def cached_honor_masks(self) -> int:
        with self._honor_lock:
            return len(self._honor_masks)

    def mask(self, country: str | None = None, min_days: int | None = None,
             allowed_ids: np.ndarray | None = None, honors: np.ndarray | None = None) -> np.ndarray | None:
        """Boolean mask of the rows passing every given filter (ANDed), or None when nothing filters."""
        masks = []
        if honors is not None:
            masks.append(honors)
        if country:
            masks.append(self.country == country)
        if min_days:
            masks.append(self.free_days >= min_days)
        if allowed_ids is not None:
            masks.append(np.isin(self.ids, allowed_ids))
        if not masks:
            return None
        # A new array: the honors mask is shared through the cache and must not be changed in place.
        return np.logical_and.reduce(masks) if len(masks) > 1 else masks[0]

    def within_radius(self, lat: float, lon: float, radius_km: float,
                      mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, distances in km) of points within the radius, nearest first."""
        south, north, west, east = bounding_box(lat, lon, radius_km)
        rows = self.in_bbox(west, south, east, north, mask)
        distances = haversine_km_many(lat, lon, self.lat[rows], self.lon[rows])
        inside = distances <= radius_km
        rows, distances = rows[inside], distances[inside]
        order = np.argsort(distances, kind="stable")
        return self.ids[rows[order]], distances[order]

    def nearest(self, lat: float, lon: float, count: int, beyond_km: float = 0.0,
                mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, distances in km) of the *count* points nearest to the point and farther than *beyond_km*.

        Searched in widening circles: each is a latitude slice of the sorted index, so a
        dense network answers from its first ring and only an empty one reaches the whole
        globe. Every point within a circle is found, so once *count* are inside it they are
        the nearest.
        """
        radius = max(2.0 * beyond_km, beyond_km + 50.0)
        while True:
            south, north, west, east = bounding_box(lat, lon, radius)
            rows = self.in_bbox(west, south, east, north, mask)
            distances = haversine_km_many(lat, lon, self.lat[rows], self.lon[rows])
            keep = (distances > beyond_km) & (distances <= radius)
            rows, distances = rows[keep], distances[keep]
            if len(rows) >= count or radius >= _HALF_CIRCUMFERENCE_KM:
                break
            radius = min(radius * 4.0, _HALF_CIRCUMFERENCE_KM)
        if len(rows) > count:  # only the first few are wanted: no need to sort the whole ring
            first = np.argpartition(distances, count - 1)[:count]
            rows, distances = rows[first], distances[first]
        order = np.argsort(distances, kind="stable")
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


_cache: dict[str, SpatialIndex] = {}
_lock = threading.Lock()


def current_version(session) -> int:
    row = session.get(RegistryVersion, 1, populate_existing=True)
    return int(row.version) if row else 0


def get_index(session) -> SpatialIndex:
    """The index for the session's database, rebuilt if any process wrote since."""
    key = str(session.get_bind().url)
    version = current_version(session)
    index = _cache.get(key)
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _cache.get(key)
        if index is None or index.version != version:
            index = _build(session, version)
            _cache[key] = index
    return index


def _build(session, version: int) -> SpatialIndex:
    rows = session.execute(
        sa.select(Space.id, Space.latitude, Space.longitude, Space.country_code,
                  # NULL terms are "not stated": no days offered, not participating, no restriction.
                  sa.case((VisaTerms.is_participating.is_(True), sa.func.coalesce(VisaTerms.free_days_per_visit, 0)),
                          else_=0),
                  VisaTerms.is_participating.is_(True), VisaTerms.min_distance_km,
                  VisaTerms.excludes_same_city.is_(True), VisaTerms.is_reciprocal_only.is_(True), Space.city)
        .join(VisaTerms, VisaTerms.space_id == Space.id)
        .where(Space.is_visible)
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 10
    ids, lat, lon, country, days, participates, min_km, same_city, reciprocal, city = columns
    rules = {
        "participates": np.array(participates, dtype=bool),
        "min_distance_km": np.array([np.nan if v is None else v for v in min_km], dtype=np.float64),
        "excludes_same_city": np.array(same_city, dtype=bool),
        "reciprocal_only": np.array(reciprocal, dtype=bool),
    }
    # Cities as integer codes: comparing 100,000 ints is much cheaper than strings.
    codes: dict[str, int] = {}
    rules["city_codes"] = np.array([codes.setdefault(city_key(c, n), len(codes))
                                    for c, n in zip(country, city, strict=True)], dtype=np.int64)
    return SpatialIndex(np.array(ids, dtype=np.int64), np.array(lat, dtype=np.float64),
                        np.array(lon, dtype=np.float64), np.array(country, dtype="<U2"),
                        np.array(days, dtype=np.int16), version, rules, codes)
