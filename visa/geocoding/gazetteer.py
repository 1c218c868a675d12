"""Read-only access to the offline gazetteer index built by geodata.gazetteer_build.

Each process opens the SQLite file read-only; lookups are indexed queries, so
the cost of a worker is a file handle, not the 76 MB of GeoNames JSON. The
misspelling vocabulary is loaded only when a query first needs it.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    timezone: str


#: How much an alternate-name match counts against a primary-name match, by population.
ALTERNATE_NAME_WEIGHT = 0.25

_PLACE_COLUMNS = "p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.population, p.timezone"


class Gazetteer:
    """Look up places, countries and regions by normalised name key."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"gazetteer index {self.path} is missing: run `python -m geodata.build`")
        self._local = threading.local()
        self._fuzzy_lock = threading.Lock()

    @property
    def _con(self) -> sqlite3.Connection:
        # sqlite3 connections may not cross threads; gunicorn threads each get one.
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def places(self, key: str, country: str | None = None, admin1: str | None = None, limit: int = 10) -> list[Place]:
        sql = f"SELECT {_PLACE_COLUMNS} FROM place_name n JOIN place p ON p.id = n.place_id WHERE n.key = ?"
        args: list = [key]
        if country:
            sql += " AND p.country = ?"
            args.append(country)
        if admin1:
            sql += " AND p.admin1 = ?"
            args.append(admin1)
        # A place's own name outweighs another place's alternate name: "Porto" is
        # the Portuguese city, not Bordeaux (one of whose alternate names it is).
        sql += f" ORDER BY p.population * (CASE WHEN n.is_primary THEN 1.0 ELSE {ALTERNATE_NAME_WEIGHT} END) DESC LIMIT ?"
        args.append(limit)
        return [Place(*row) for row in self._con.execute(sql, args)]

    def largest_place(self, country: str, admin1: str | None = None) -> Place | None:
        sql = f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.country = ?"
        args: list = [country]
        if admin1:
            sql += " AND p.admin1 = ?"
            args.append(admin1)
        row = self._con.execute(sql + " ORDER BY p.population DESC LIMIT 1", args).fetchone()
        return Place(*row) if row else None

    def country_code(self, key: str) -> str | None:
        row = self._con.execute("SELECT code FROM country_name WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def country_name(self, code: str) -> str:
        row = self._con.execute("SELECT name FROM country WHERE code = ?", (code,)).fetchone()
        return row[0] if row else code

    def country_capital(self, code: str) -> tuple[float, float] | None:
        row = self._con.execute("SELECT lat, lon FROM country WHERE code = ?", (code,)).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else None

    def regions(self, key: str, country: str | None = None) -> list[tuple[str, str]]:
        sql = "SELECT country, admin1 FROM region_name WHERE key = ?"
        args: list = [key]
        if country:
            sql += " AND country = ?"
            args.append(country)
        return list(self._con.execute(sql, args))

    def region_name(self, country: str, admin1: str) -> str | None:
        row = self._con.execute("SELECT name FROM region WHERE country = ? AND admin1 = ?", (country, admin1)).fetchone()
        return row[0] if row else None

    @cached_property
    def _fuzzy_vocabulary(self) -> list[str]:
        with self._fuzzy_lock:
            return [row[0] for row in self._con.execute("SELECT key FROM fuzzy_key")]

    def similar_keys(self, key: str, max_edits: int = 2, limit: int = 5) -> list[tuple[str, int]]:
        """Keys within *max_edits* edits (a transposition counts as one), closest first."""
        matches = process.extract(
            key, self._fuzzy_vocabulary, scorer=OSA.distance, score_cutoff=max_edits, limit=limit
        )
        return [(match, int(distance)) for match, distance, _ in matches]
