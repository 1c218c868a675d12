"""A clean list of real GeoNames towns, plus deliberately spoiled rows, for judging the import's checks.

``python -m bench.clean_list [ROWS]`` writes the list, imports it into a fresh
SQLite database in this process and prints JSON: created, flagged, rejected,
skipped as duplicates, possible duplicates kept, and how many of the spoiled
rows were caught (every one should be) and of the clean rows were not (flagged
or rejected: none should be).

The clean rows are what a careful admin would import: towns of 15,000 people
or more drawn with a fixed seed, each with its own country code (and, for half
of them, its first-level region), a point within 1 km of the town, a unique
name and a unique website.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from geodata import GAZETTEER_DB

MIN_POPULATION = 15_000
HEADER = ["Space", "City", "Region", "Country", "Lat", "Lng", "Website"]
#: What each spoiled row does to a clean point; the import must catch every one.
SPOILS = ("swapped", "latitude_sign", "longitude_sign", "times_1e5", "times_1e6", "other_country", "sea",
          "far_in_country")


@dataclass
class CleanList:
    path: Path
    clean_lines: set[int] = field(default_factory=set)
    spoiled_lines: dict[int, str] = field(default_factory=dict)  # line -> spoil


def _towns(gazetteer: Path) -> list[tuple[str, float, float, str, str]]:
    con = sqlite3.connect(f"file:{gazetteer}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT p.name, p.lat, p.lon, p.country, COALESCE(r.name, '') FROM place p "
        "LEFT JOIN region r ON r.country = p.country AND r.admin1 = p.admin1 "
        "WHERE p.population >= ? ORDER BY p.id", (MIN_POPULATION,)).fetchall()
    con.close()
    return rows


def _within_1km(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    distance, bearing = rng.uniform(0, 0.95), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.2
    dlon = distance * math.sin(bearing) / (111.2 * max(0.05, math.cos(math.radians(lat))))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _spoil(kind: str, town: tuple, towns: list[tuple], rng: random.Random) -> tuple[float, float] | None:
    """The spoiled point, or None when this town cannot carry that spoil unmistakably."""
    _, lat, lon, country, _ = town
    if kind == "swapped":
        return (lon, lat) if abs(lat - lon) > 5 and abs(lon) <= 90 else None
    if kind == "latitude_sign":
        return (-lat, lon) if abs(lat) > 3 else None
    if kind == "longitude_sign":
        return (lat, -lon) if abs(lon) > 3 else None
    if kind == "times_1e5":
        return (round(lat * 1e5), round(lon * 1e5)) if abs(lat) > 1 else None
    if kind == "times_1e6":
        return (round(lat * 1e6), round(lon * 1e6)) if abs(lat) > 1 else None
    if kind == "sea":
        return (round(rng.uniform(-40, -20), 3), round(rng.uniform(-30, -10), 3))  # the South Atlantic
    others = [t for t in rng.sample(towns, 200) if (t[3] != country) == (kind == "other_country")]
    for other in others:
        if _km(lat, lon, other[1], other[2]) > 300 and other[0] != town[0]:
            return other[1], other[2]
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from visa.geo.distance import haversine_km

    return haversine_km(lat1, lon1, lat2, lon2)


def write_clean_list(path: Path, rows: int, spoiled: int, seed: int = 15, gazetteer: Path = GAZETTEER_DB) -> CleanList:
    """*rows* clean towns and *spoiled* spoiled ones (spread through the file), with a fixed seed."""
    rng = random.Random(seed)
    towns = _towns(gazetteer)
    if rows + spoiled > len(towns):
        raise SystemExit(f"only {len(towns):,} towns of {MIN_POPULATION:,} people or more in the gazetteer")
    picks = rng.sample(towns, rows + spoiled)
    spoil_at = set(rng.sample(range(rows + spoiled), spoiled))
    listed = CleanList(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        kinds = iter(SPOILS * (spoiled // len(SPOILS) + 1))
        for i, town in enumerate(picks):
            name, lat, lon, country, region = town
            line = i + 2
            point = _within_1km(rng, lat, lon)
            if i in spoil_at:
                kind = next(kinds)
                spoilt = _spoil(kind, town, towns, rng)
                while spoilt is None:  # this town cannot carry it: give it another spoil
                    kind = rng.choice(SPOILS)
                    spoilt = _spoil(kind, town, towns, rng)
                point = spoilt
                listed.spoiled_lines[line] = kind
            else:
                listed.clean_lines.add(line)
            writer.writerow([f"Clean Space {i:06d}", name, region if rng.random() < 0.5 else "", country,
                             point[0], point[1], f"https://clean-{i:06d}.example/"])
    return listed


def judge(listed: CleanList, report) -> dict:
    """The import report's counts, and how fair they were to the clean rows and hard on the spoiled ones."""
    caught = {p.line for p in report.rejected} | {p.line for p in report.flagged}
    clean_caught = sorted(caught & listed.clean_lines)
    missed = {line: kind for line, kind in listed.spoiled_lines.items() if line not in caught}
    return {
        "rows": report.rows, "clean_rows": len(listed.clean_lines), "spoiled_rows": len(listed.spoiled_lines),
        "created": report.created, "flagged": len(report.flagged), "rejected": len(report.rejected),
        "duplicates": len(report.duplicates), "possible_duplicates": len(report.possible_duplicates),
        "clean_flagged": len({p.line for p in report.flagged} & listed.clean_lines),
        "clean_rejected": len({p.line for p in report.rejected} & listed.clean_lines),
        "clean_skipped": len({p.line for p in report.duplicates} & listed.clean_lines),
        "spoiled_caught": len(listed.spoiled_lines) - len(missed), "spoiled_missed": missed,
        "clean_examples": [p.line and f"line {p.line}: {p.reason}" for p in report.rejected + report.flagged
                           if p.line in clean_caught][:10],
    }


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    spoiled = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory(prefix="visa-clean-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/clean.sqlite"
        os.environ.setdefault("SECRET_KEY", "bench")
        listed = write_clean_list(Path(tmp) / "clean.csv", rows, spoiled)
        from flask_migrate import upgrade

        from visa.app import create_app
        from visa.extensions import db
        from visa.moderation.importer import import_file

        app = create_app()
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            with listed.path.open("rb") as stream:
                report = import_file(stream, listed.path.name)
            db.session.commit()
            figures = judge(listed, report) | {"seconds": time.perf_counter() - started}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
