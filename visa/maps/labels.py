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
SELECT {name}, label.lat, label.lon, label.min_zoom
FROM label_box JOIN label ON label.id = label_box.id{join}
WHERE label_box.min_lat <= :north AND label_box.max_lat >= :south
  AND label_box.min_lon <= :east AND label_box.max_lon >= :west
  AND label_box.min_zoom <= :zoom
ORDER BY label.min_zoom, label.population DESC
LIMIT :limit
"""


def labels_in_view(path: Path | str, west: float, south: float, east: float, north: float, zoom: int,
                   limit: int = MAX_LABELS, names: Path | str | None = None,
                   lang: str | None = None) -> list[tuple[str, float, float, int]]:
    """(name, lat, lon, first zoom) of the places to draw; a view across the 180° meridian has west > east.

    With *names* (``place-names.sqlite``) and *lang* ("de", "pt_BR"), each place is named in that language
    where the file names it (labels are keyed by GeoNames id, as that file is).
    """
    spans = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = _SQL.format(name="label.name", join="")
    try:
        if names and lang and Path(names).exists():
            con.execute("ATTACH DATABASE ? AS names", (f"file:{names}?mode=ro",))
            sql = _SQL.format(name="COALESCE(local.name, label.name)",
                              join=" LEFT JOIN names.place_name local ON local.lang = :lang AND local.id = label.id")
        found: list[tuple[str, float, float, int]] = []
        for span_west, span_east in spans:
            found += con.execute(sql, {"north": north, "south": south, "west": span_west, "east": span_east,
                                       "zoom": zoom, "limit": limit, "lang": lang}).fetchall()
    finally:
        con.close()
    if len(spans) > 1:
        found.sort(key=lambda row: row[3])
        found = found[:limit]
    return found
