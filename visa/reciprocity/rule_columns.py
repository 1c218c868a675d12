"""Reciprocity's columns beside the spatial index, and its cache of "who honors this home space" masks.

The spatial index is a generic column store; the date-independent visa rules of
every listed host are reciprocity's business, so they are loaded here (once per
index, i.e. once per registry version, through :meth:`SpatialIndex.derived`) and
laid out in the index's row order. The honoring mask of a home space is
computed from them by :func:`visa.reciprocity.rules.honoring_mask` and kept in a
small least-recently-used cache, shared by a worker's threads behind a lock.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus, VisaTerms
from visa.directory.spatial_index import SpatialIndex, fetch_chunks
from visa.geocoding.normalize import name_key
from visa.reciprocity.rules import HostArrays

#: Honoring masks kept per index: one per recently used home space (100,000 bytes each at 100,000 spaces).
MASK_CACHE_SIZE = 256


@lru_cache(maxsize=4096)  # the verdict loops ask again and again for the same few cities; bounded, unlike a table
def city_key(country: str, city: str) -> str:
    """What "the same city" means for the visa rules: country plus the normalised name."""
    return f"{country}:{name_key(city or '')}"


#: The city code of a host row the columns could not load (written after the index was built): no key's code.
_UNKNOWN_CITY = 0


def city_code(key: str) -> int:
    """A city key as a non-zero 63-bit integer, the same in every process and every load.

    Equal keys give equal codes, so comparing cities is comparing integers, and no table from
    keys to codes is kept (at 100,000 spaces it held as many cities as there were, for good).
    Two distinct keys share a code with odds of about one in 2**62.
    """
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") >> 1 | 1


class MaskCache:
    """Honoring masks by home space id, least recently used evicted; safe to share between threads."""

    def __init__(self, size: int | None = None) -> None:
        self._size = size
        self._masks: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, home_id: int, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """The cached mask of *home_id*, computed by *compute* when missing."""
        with self._lock:
            cached = self._masks.get(home_id)
            if cached is not None:
                self._masks.move_to_end(home_id)
                return cached
        # Computed outside the lock (milliseconds of numpy): two threads may compute the same
        # home at once, and both get the same right answer.
        mask = compute()
        mask.flags.writeable = False  # shared between requests: nobody may change it in place
        with self._lock:
            self._masks[home_id] = mask
            self._masks.move_to_end(home_id)
            while len(self._masks) > (self._size or MASK_CACHE_SIZE):
                self._masks.popitem(last=False)
        return mask

    def __len__(self) -> int:
        with self._lock:
            return len(self._masks)


class RuleColumns:
    """The hosts' date-independent rules in the index's row order, and the mask cache of that index."""

    def __init__(self, hosts: HostArrays) -> None:
        self.hosts = hosts
        self.masks = MaskCache()


_NO_LIMIT = -1.0  # "no minimum distance" as it travels from SQL (NULL would not fit a float column)
_ROW = np.dtype([("id", "i8"), ("min_km", "f8"), ("same_city", "?"), ("reciprocal", "?")])


def _load(session) -> Callable[[SpatialIndex], RuleColumns]:
    def load(index: SpatialIndex) -> RuleColumns:
        query = (
            sa.select(Space.id, sa.func.coalesce(VisaTerms.min_distance_km, _NO_LIMIT),
                      sa.case((VisaTerms.excludes_same_city.is_(True), 1), else_=0),
                      sa.case((VisaTerms.is_reciprocal_only.is_(True), 1), else_=0), Space.country_code, Space.city)
            .join(VisaTerms, VisaTerms.space_id == Space.id)
            .where(Space.status == SpaceStatus.APPROVED)
        )
        # Cities as integer codes: comparing ints is much cheaper than strings, and the normalised
        # name (unidecode, the slow part of loading) is computed once per distinct city, not per space.
        by_place: dict[tuple[str, str], int] = {}

        def code(place: tuple[str, str]) -> int:
            found = by_place.get(place)
            if found is None:
                found = by_place[place] = city_code(city_key(*place))
            return found

        tables, city_codes = [np.zeros(0, dtype=_ROW)], [np.zeros(0, dtype=np.int64)]
        for rows in fetch_chunks(session, query):  # numbers parsed by numpy in C, a chunk at a time
            tables.append(np.array([row[:4] for row in rows], dtype=_ROW))
            city_codes.append(np.fromiter((code(row[4:]) for row in rows), dtype=np.int64, count=len(rows)))
        table, cities_of_rows = np.concatenate(tables), np.concatenate(city_codes)
        n = len(index)
        min_km = np.full(n, np.nan)
        same_city = np.zeros(n, dtype=bool)
        reciprocal = np.zeros(n, dtype=bool)
        cities = np.full(n, _UNKNOWN_CITY, dtype=np.int64)
        at = index.rows_of(table["id"])
        # A write between the index's build and this load: rows the index does not hold are left out
        # (the next request sees the new version and rebuilds both).
        known = at >= 0
        at = at[known]
        limit = table["min_km"][known]
        min_km[at] = np.where(limit < 0, np.nan, limit)
        same_city[at] = table["same_city"][known]
        reciprocal[at] = table["reciprocal"][known]
        cities[at] = cities_of_rows[known]
        hosts = HostArrays(index.ids, index.lat, index.lon, index.column("participates"), min_km, same_city,
                           reciprocal, cities)
        return RuleColumns(hosts)

    return load


def rule_columns(index: SpatialIndex, session) -> RuleColumns:
    """The rule columns of *index*, loaded with *session* on first use for this registry version."""
    return index.derived("reciprocity.rule_columns", _load(session))
