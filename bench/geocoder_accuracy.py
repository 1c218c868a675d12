"""Accuracy of the offline geocoder on the real-address corpus (tests/data/geocoder-corpus.csv).

Each corpus row is an address written the way people write it, with the true
place's GeoNames id and coordinates. The geocoder's answer is scored by its
distance from the truth; the naive baseline looks up the true place's name
alone and takes the gazetteer's first (most populous) match, as a geocoder
that knew which word was the city but read nothing else would.

``python -m bench.geocoder_accuracy [--failures]`` prints one JSON line
(and, with ``--failures``, every row beyond 25 km).
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geopy.distance import great_circle

from geodata import GAZETTEER_DB
from visa.geocoding.gazetteer import Gazetteer
from visa.geocoding.normalize import name_key
from visa.geocoding.resolve import resolve
from visa.geocoding.results import PlaceNotFound

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "geocoder-corpus.csv"


@dataclass(frozen=True)
class Row:
    address: str
    kind: str
    set: str  # "dev": written before the fixes and measured while making them; "holdout": written after, never tuned on
    geonameid: int
    name: str
    country: str
    lat: float
    lon: float


@dataclass
class Score:
    rows: int
    within_10km: float
    within_25km: float
    median_km: float
    failures: list[tuple[Row, float | None]]

    def as_dict(self) -> dict:
        return {"rows": self.rows, "within_10km": self.within_10km, "within_25km": self.within_25km,
                "median_km": self.median_km}


def load_corpus(path: Path = CORPUS) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as f:
        return [Row(r["address"], r["kind"], r["set"], int(r["geonameid"]), r["name"], r["country"], float(r["lat"]),
                    float(r["lon"])) for r in csv.DictReader(f)]


def score(rows: list[Row], locate: Callable[[Row], tuple[float, float] | None]) -> Score:
    """Distances from the truth; a row with no answer counts as infinitely far."""
    distances: list[float] = []
    failures: list[tuple[Row, float | None]] = []
    for row in rows:
        point = locate(row)
        km = great_circle((row.lat, row.lon), point).km if point else float("inf")
        distances.append(km)
        if km > 25:
            failures.append((row, None if point is None else km))
    n = len(rows)
    return Score(n, sum(d <= 10 for d in distances) / n, sum(d <= 25 for d in distances) / n,
                 statistics.median(distances), failures)


def geocoder_locator(gazetteer: Gazetteer) -> Callable[[Row], tuple[float, float] | None]:
    def locate(row: Row) -> tuple[float, float] | None:
        try:
            result = resolve(row.address, gazetteer)
        except PlaceNotFound:
            return None
        return result.lat, result.lon
    return locate


def naive_locator(gazetteer: Gazetteer) -> Callable[[Row], tuple[float, float] | None]:
    def locate(row: Row) -> tuple[float, float] | None:
        places = gazetteer.places(name_key(row.name), limit=1)
        return (places[0].lat, places[0].lon) if places else None
    return locate


def main() -> None:
    gazetteer = Gazetteer(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else GAZETTEER_DB)
    rows = load_corpus()
    ours = score(rows, geocoder_locator(gazetteer))
    naive = score(rows, naive_locator(gazetteer))
    holdout = score([r for r in rows if r.set == "holdout"], geocoder_locator(gazetteer))
    print(json.dumps({"geocoder": ours.as_dict(), "naive": naive.as_dict(), "holdout": holdout.as_dict()}))
    if "--failures" in sys.argv:
        for row, km in ours.failures:
            print(f"{row.kind:22} {'none' if km is None else f'{km:7.0f} km'}  {row.address!r} -> {row.name}, "
                  f"{row.country}", file=sys.stderr)


if __name__ == "__main__":
    main()
