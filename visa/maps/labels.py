"""Place names for the offline basemap, chosen by bounding box and zoom from geodata's labels index.

Pure: reads the SQLite file that ``python -m geodata.build`` writes. A view
gets at most :data:`MAX_LABELS` names, the most prominent first, so a world
view carries capitals and big cities and a city view its towns and villages.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

MAX_LABELS = 120

_SQL = """
SELECT label.name, label.lat, label.lon, label.min_zoom
FROM label_box JOIN label ON label.id = label_box.id
WHERE label_box.min_lat <= :north AND label_box.max_lat >= :south
  AND label_box.min_lon <= :east AND label_box.max_lon >= :west
  AND label_box.min_zoom <= :zoom
ORDER BY label.min_zoom, label.population DESC
LIMIT :limit
"""


def labels_in_view(path: Path | str, west: float, south: float, east: float, north: float, zoom: int,
                   limit: int = MAX_LABELS) -> list[tuple[str, float, float, int]]:
    """(name, lat, lon, first zoom) of the places to draw; a view across the 180° meridian has west > east."""
    spans = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found: list[tuple[str, float, float, int]] = []
        for span_west, span_east in spans:
            found += con.execute(_SQL, {"north": north, "south": south, "west": span_west, "east": span_east,
                                        "zoom": zoom, "limit": limit}).fetchall()
    finally:
        con.close()
    if len(spans) > 1:
        found.sort(key=lambda row: row[3])
        found = found[:limit]
    return found
