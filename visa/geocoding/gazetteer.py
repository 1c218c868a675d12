"""Read-only access to the offline gazetteer index built by geodata.gazetteer_build.

Each process opens the SQLite file read-only; lookups are indexed queries, so
the cost of a worker is a file handle, not the 76 MB of GeoNames JSON. The
misspelling vocabulary is loaded only when a query first needs it.
"""

from __future__ import annotations

import bisect
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

@dataclass(frozen=True)
class County:
    """A second-level area (county, province, department); its point is the mean of its places."""

    id: int
    country: str
    admin1: str
    name: str
    lat: float
    lon: float
    population: int


_PLACE_COLUMNS = "p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.population, p.timezone"
#: Keys this long or longer are never compared letter by letter: no place name is,
#: and each comparison costs time that a flood of nonsense should not buy.
MAX_FUZZY_KEY_LENGTH = 40


def _inside(country: str | None, admin1: str | None, county: int | None) -> tuple[str, str, dict]:
    """The join, the conditions and their named arguments that keep places ``p`` in an area."""
    join = " JOIN place_county c ON c.place_id = p.id AND c.county_id = :county" if county is not None else ""
    where = (" AND p.country = :country" if country else "") + (" AND p.admin1 = :admin1" if admin1 else "")
    return join, where, {"county": county, "country": country, "admin1": admin1}


class GazetteerFile:
    """The gazetteer index opened read-only, one connection per thread; the readers below share it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"gazetteer index {self.path} is missing: run `flask visa build-geodata`")
        self._local = threading.local()

    @property
    def _con(self) -> sqlite3.Connection:
        # sqlite3 connections may not cross threads; gunicorn threads each get one.
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def regions(self, key: str, country: str | None = None) -> list[tuple[str, str]]:
        """(country, admin1) of the first-level regions whose name has *key*."""
        sql = "SELECT country, admin1 FROM region_name WHERE key = ?"
        args: list = [key]
        if country:
            sql += " AND country = ?"
            args.append(country)
        return list(self._con.execute(sql, args))


class Gazetteer(GazetteerFile):
    """Look up places, countries and regions by normalised name key."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self._fuzzy_lock = threading.Lock()

    def places(self, key: str, country: str | None = None, admin1: str | None = None, limit: int = 10,
               county: int | None = None) -> list[Place]:
        join, where, args = _inside(country, admin1, county)
        # A place's own name outweighs another place's alternate name: "Porto" is
        # the Portuguese city, not Bordeaux (one of whose alternate names it is).
        # CROSS JOIN keeps SQLite on the name's key first: left to itself it may walk
        # every place of the region (place_by_area) and probe each one's names.
        sql = (f"SELECT {_PLACE_COLUMNS} FROM place_name n CROSS JOIN place p ON p.id = n.place_id{join} "
               f"WHERE n.key = :key{where} "
               f"ORDER BY p.population * (CASE WHEN n.is_primary THEN 1.0 ELSE {ALTERNATE_NAME_WEIGHT} END) DESC "
               "LIMIT :limit")
        return [Place(*row) for row in self._con.execute(sql, {**args, "key": key, "limit": limit})]

    def place(self, geonameid: int) -> Place | None:
        row = self._con.execute(f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.id = ?", (geonameid,)).fetchone()
        return Place(*row) if row else None

    def largest_place(self, country: str, admin1: str | None = None, county: int | None = None) -> Place | None:
        join, where, args = _inside(country, admin1, county)
        sql = f"SELECT {_PLACE_COLUMNS} FROM place p{join} WHERE 1{where} ORDER BY p.population DESC LIMIT 1"
        row = self._con.execute(sql, args).fetchone()
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

    def region_name(self, country: str, admin1: str) -> str | None:
        row = self._con.execute("SELECT name FROM region WHERE country = ? AND admin1 = ?", (country, admin1)).fetchone()
        return row[0] if row else None

    def counties(self, key: str, country: str | None = None, admin1: str | None = None) -> list[County]:
        """Second-level areas called *key*, most populous first."""
        sql = ("SELECT c.id, c.country, c.admin1, c.name, c.lat, c.lon, c.population FROM county_name n "
               "JOIN county c ON c.id = n.county_id WHERE n.key = ?")
        args: list = [key]
        if country:
            sql += " AND c.country = ?"
            args.append(country)
        if admin1:
            sql += " AND c.admin1 = ?"
            args.append(admin1)
        return [County(*row) for row in self._con.execute(sql + " ORDER BY c.population DESC", args)]

    @cached_property
    def _fuzzy_vocabulary(self) -> tuple[list[str], list[int]]:
        """Misspelling vocabulary ordered by length, and where each length starts in it."""
        with self._fuzzy_lock:
            keys = [row[0] for row in self._con.execute("SELECT key FROM fuzzy_key ORDER BY length(key)")]
            starts = [0] * (MAX_FUZZY_KEY_LENGTH + 2)
            for n in range(1, len(starts)):
                starts[n] = bisect.bisect_left(keys, n, key=len)
            return keys, starts

    def similar_keys(self, key: str, max_edits: int = 2, limit: int = 5) -> list[tuple[str, int]]:
        """Keys within *max_edits* edits (a transposition counts as one), closest first."""
        if len(key) >= MAX_FUZZY_KEY_LENGTH:
            return []
        keys, starts = self._fuzzy_vocabulary
        # Keys whose length differs by more than max_edits are more than max_edits edits away.
        low, high = max(0, len(key) - max_edits), min(len(starts) - 1, len(key) + max_edits + 1)
        vocabulary = keys[starts[low]:starts[high]]
        matches = process.extract(key, vocabulary, scorer=OSA.distance, score_cutoff=max_edits, limit=limit)
        return [(match, int(distance)) for match, distance, _ in matches]

    def keys_with_word(self, word: str, limit: int = 20) -> list[str]:
        """Names that hold *word* as whole words at their start or end ("monsaraz": "reguengos de monsaraz").

        A scan of the misspelling vocabulary (about 20 ms): for a village the gazetteer does not
        list, the town named after it is the nearest place it knows.
        """
        if not 0 < len(word) < MAX_FUZZY_KEY_LENGTH:
            return []
        keys, _ = self._fuzzy_vocabulary
        head, tail = word + " ", " " + word
        found = [k for k in keys if word in k and (k.startswith(head) or k.endswith(tail))]
        return found[:limit]

    @cached_property
    def _country_keys(self) -> dict[int, list[str]]:
        by_length: dict[int, list[str]] = {}
        for (key,) in self._con.execute("SELECT key FROM country_name WHERE length(key) >= 4"):
            by_length.setdefault(len(key), []).append(key)
        return by_length

    def similar_country(self, key: str) -> str | None:
        """The country whose name is one edit from *key* ("Portugl", "Austrlia"), if exactly one is."""
        if not 5 <= len(key) < MAX_FUZZY_KEY_LENGTH:
            return None
        nearby = [k for n in (len(key) - 1, len(key), len(key) + 1) for k in self._country_keys.get(n, ())]
        matches = process.extract(key, nearby, scorer=OSA.distance, score_cutoff=1, limit=5)
        codes = {self.country_code(match) for match, _, _ in matches}
        return codes.pop() if len(codes) == 1 else None
