"""The corridor map's outlines and anchors, made once per process from the country outlines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app

from visa.directory.locations import boundaries
from visa.impact.charts import MAP_HEIGHT, MAP_WIDTH, Corridor, anchor_points, corridor_lines, outline_paths


@dataclass(frozen=True)
class WorldMap:
    outlines: tuple[str, ...]
    corridors: list[Corridor]
    width: float = MAP_WIDTH
    height: float = MAP_HEIGHT


@lru_cache(maxsize=2)
def _world(path: str) -> tuple[tuple[str, ...], dict[str, tuple[float, float]]]:
    # The outlines never change while the app runs (the build step makes them): simplify once per file.
    shapes = boundaries().shapes
    return tuple(outline_paths(shapes)), anchor_points(shapes)


def corridor_map(pairs: list[tuple[str, str, int]]) -> WorldMap:
    """The world with a line for each (home country, host country, visits)."""
    outlines, anchors = _world(current_app.config["VISA_COUNTRIES_PATH"])
    return WorldMap(outlines, corridor_lines(pairs, anchors))
