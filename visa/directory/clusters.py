"""Map clusters of the whole registry, precomputed for every clustering zoom level (a hierarchical grid).

Clustering a million points on each world view costs tens of milliseconds, and
the answer is the same until the registry changes. The screen cells of
:meth:`SpatialIndex.cluster` nest: a cell at zoom z is four cells at zoom z+1
(the cell size in pixels is fixed and the map doubles per zoom, and the
floating-point scales differ by exact powers of two), so the finest level is
computed from the points once and each coarser one from the cells below it. The
grid is kept with the index (:meth:`SpatialIndex.derived`), so it is built once
per registry version, at start-up by :mod:`visa.startup`.

It answers views that take in every listed space with no filter (the world
view); other views cluster their own rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from visa.directory.spatial_index import Cluster, SpatialIndex

#: Cell size in screen pixels, as :meth:`SpatialIndex.cluster` uses by default.
CELL_PX = 80


@dataclass
class _Level:
    x: np.ndarray  # cell columns and rows: emptied once the level above is built
    y: np.ndarray
    count: np.ndarray
    sum_lat: np.ndarray
    sum_lon: np.ndarray
    west: np.ndarray
    south: np.ndarray
    east: np.ndarray
    north: np.ndarray
    first_row: np.ndarray  # the lowest row of the cell: the point itself when the cell holds one


def _cells(x: np.ndarray, y: np.ndarray, count, sum_lat, sum_lon, west, south, east, north, first_row) -> _Level:
    """Merge entries with the same (x, y) into one cell each, ordered by x then y."""
    order = np.lexsort((y, x))
    x, y = x[order], y[order]
    starts = np.flatnonzero(np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1])]) if len(x) else np.zeros(0, int)

    def add(a):
        return np.add.reduceat(a[order], starts) if len(starts) else a[:0]

    def low(a):
        return np.minimum.reduceat(a[order], starts) if len(starts) else a[:0]

    def high(a):
        return np.maximum.reduceat(a[order], starts) if len(starts) else a[:0]

    return _Level(x[starts], y[starts], add(count), add(sum_lat), add(sum_lon), low(west), low(south), high(east),
                  high(north), low(first_row))


class ClusterGrid:
    """Every point's cell at each zoom below *max_zoom*, aggregated."""

    def __init__(self, index: SpatialIndex, max_zoom: int) -> None:
        self.index = index
        self.levels: dict[int, _Level] = {}
        if max_zoom <= 0:
            return
        finest = max_zoom - 1
        lat, lon = index.lat, index.lon
        scale = 256 * (2 ** finest) / CELL_PX
        x = np.floor((lon + 180.0) / 360.0 * scale).astype(np.int64)
        sin = np.sin(np.radians(np.clip(lat, -85.0511, 85.0511)))
        y = np.floor((0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale).astype(np.int64)
        rows = np.arange(len(index), dtype=np.int32)
        level = _cells(x, y, np.ones(len(index), dtype=np.int32), lat, lon, lon, lat, lon, lat, rows)
        self.levels[finest] = level
        for zoom in range(finest - 1, -1, -1):
            child = level
            level = _cells(child.x >> 1, child.y >> 1, child.count, child.sum_lat, child.sum_lon, child.west,
                           child.south, child.east, child.north, child.first_row)
            self.levels[zoom] = level
            child.x = child.y = child.x[:0]  # only needed to build the level above: memory at a million points
        level.x = level.y = level.x[:0]

    def clusters(self, zoom: int) -> tuple[list[Cluster], np.ndarray]:
        """As :meth:`SpatialIndex.cluster` over every row at *zoom*: clusters of two or more, and lone ids."""
        level = self.levels[zoom]
        many = np.flatnonzero(level.count > 1)
        mean_lat = level.sum_lat[many] / level.count[many]
        mean_lon = level.sum_lon[many] / level.count[many]
        clusters = [Cluster(float(mean_lat[i]), float(mean_lon[i]), int(level.count[c]),
                            (float(level.west[c]), float(level.south[c]), float(level.east[c]), float(level.north[c])))
                    for i, c in enumerate(many.tolist())]
        lone = np.sort(level.first_row[level.count == 1])
        return clusters, self.index.ids[lone]


def cluster_grid(index: SpatialIndex, max_zoom: int) -> ClusterGrid:
    """The grid of *index* for zooms below *max_zoom*, built on first use for this registry version."""
    return index.derived(f"directory.cluster_grid.{max_zoom}", lambda built: ClusterGrid(built, max_zoom))
