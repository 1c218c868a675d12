"""Chart geometry for server-drawn SVG: bar charts and the corridor map (pure: no Flask).

Charts are drawn by the app as inline SVG with presentation attributes, so they
show with no internet, print, and pass the site's Content-Security-Policy
(``style-src 'self'``). A chart library such as pygal writes a ``<style>``
element into its SVG, which that policy blocks when the SVG is inline. The
templates draw what these functions compute; every chart has its data as a
table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import shapely


@dataclass(frozen=True)
class Bar:
    label: str  # in the data table
    axis_label: str  # under the bar, where room is short
    value: int | None  # None: not published (suppressed)
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: float
    height: float
    top: int  # the value the full height stands for
    ticks: tuple[tuple[float, int], ...]  # (y, value) of the horizontal guides

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def nice_top(largest: int) -> int:
    """A round number at or above *largest* for the chart's scale: 1, 2, 5, 10, 20, 50..."""
    if largest <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if step * magnitude >= largest:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart(values: Sequence[tuple[str, int | None]], width: float = 600, height: float = 200,
              axis: float = 40, label_band: float = 24, headroom: float = 10,
              axis_labels: Sequence[str] | None = None) -> BarChart:
    """Bars for (label, value) pairs, left to right; *axis* is the room for the scale on the left.

    The plot runs from *headroom* (room for the top value's figure) down to *label_band* above the bottom.
    """
    top = nice_top(max((v for _label, v in values if v), default=0))
    base = height - label_band
    plot_height = base - headroom
    slot = (width - axis) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(values):
        h = plot_height * (value or 0) / top
        short = axis_labels[i] if axis_labels is not None else label
        bars.append(Bar(label, short, value, axis + i * slot + slot * 0.15, base - h, slot * 0.7, h))
    # Guides at 0, half and the top: round numbers, since the top is one.
    ticks = tuple((base - plot_height * k / 2, top * k // 2) for k in range(3) if top * k % 2 == 0 or k != 1)
    return BarChart(tuple(bars), width, height, top, ticks)


# The corridor map: an equirectangular world from 180°W to 180°E and 84°N to 58°S (no Antarctica).
MAP_WIDTH, MAP_NORTH, MAP_SOUTH = 360.0, 84.0, -58.0
MAP_HEIGHT = MAP_NORTH - MAP_SOUTH


def project(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) to the map's (x, y): one unit a degree."""
    return lon + 180.0, MAP_NORTH - lat


def _ring_path(coords: Iterable[tuple[float, ...]]) -> str:
    points = [project(c[0], c[1]) for c in coords]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def outline_paths(shapes: Mapping[str, object], tolerance: float = 0.25) -> list[str]:
    """One SVG path (``d``) per country, simplified to *tolerance* degrees; tiny islands left out."""
    paths = []
    for geom in shapes.values():
        simple = shapely.simplify(geom, tolerance, preserve_topology=True)
        polygons = getattr(simple, "geoms", [simple])
        rings = [_ring_path(p.exterior.coords) for p in polygons if p.area >= tolerance ** 2 * 4]
        if rings:
            paths.append("".join(rings))
    return paths


def anchor_points(shapes: Mapping[str, object]) -> dict[str, tuple[float, float]]:
    """{country: (lon, lat)} inside each country's largest piece (where a corridor starts or ends)."""
    anchors = {}
    for code, geom in shapes.items():
        pieces = getattr(geom, "geoms", [geom])
        largest = max(pieces, key=lambda g: g.area)
        point = largest.representative_point()
        anchors[code] = (point.x, point.y)
    return anchors


@dataclass(frozen=True)
class Corridor:
    home_country: str
    host_country: str
    visits: int
    path: str  # SVG path, a gentle arc from home to host
    stroke: float


def corridor_lines(pairs: Sequence[tuple[str, str, int]], anchors: Mapping[str, tuple[float, float]],
                   max_stroke: float = 4.0) -> list[Corridor]:
    """Arcs for (home, host, visits), thicker for more visits; pairs with an unknown country are left out.

    Visits within one country have no line to draw and are left out too.
    """
    largest = max((v for _h, _o, v in pairs), default=1)
    lines = []
    for home, host, visits in pairs:
        if home == host or home not in anchors or host not in anchors:
            continue
        (x1, y1), (x2, y2) = project(*anchors[home]), project(*anchors[host])
        # The control point sits off the middle, at right angles, so two-way corridors do not overlap.
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        cx, cy = mx - dy * 0.2, my + dx * 0.2
        stroke = 0.6 + (max_stroke - 0.6) * math.sqrt(visits / largest)
        lines.append(Corridor(home, host, visits, f"M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}",
                              round(stroke, 2)))
    return lines
