"""Every gazetteer place of a given name in a country (and region), and places near a point.

The coordinate checks need more than the geocoder's first pick: a row saying
"Duluth, United States" at Duluth, Georgia is right even though the geocoder
answers Duluth, Minnesota. This module asks the gazetteer index (built by
geodata.gazetteer_build; its schema is read, never changed) for *all*
namesakes. It opens the SQLite file read-only on its own, apart from the
geocoder, so each can change without the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from visa.geo.distance import EARTH_RADIUS_KM, haversine_km
from visa.geocoding.gazetteer import GazetteerFile
from visa.geocoding.normalize import name_key, strip_numbers

#: Answers of :meth:`Namesakes.named` kept per process (a few MB at most).
_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Namesake:
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    label: str  # "Duluth, Georgia, United States"
    region: str = ""  # "Georgia", when the gazetteer names it (pages write the label in the reader's language)

    def km_to(self, lat: float, lon: float) -> float:
        return haversine_km(lat, lon, self.lat, self.lon)


class Namesakes(GazetteerFile):
    """Read-only queries over the gazetteer index: places by name, places by proximity."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        # Imports ask for the same towns again and again; answers are small and never change.
        self._named: dict[tuple[str, str, str], list[Namesake]] = {}
        self._areas: dict[tuple[str, str], tuple[str, str]] = {}

    def region_codes(self, region: str, country: str) -> set[str]:
        """GeoNames admin1 codes that *region* ("GA", "Georgia", "Minas Gerais") names in *country*."""
        key = name_key(region or "")
        return {admin1 for _country, admin1 in self.regions(key, country)} if key else set()

    def named(self, name: str, country: str, region: str = "") -> list[Namesake]:
        """Every place called *name* (its own or an alternate name) in *country*.

        When *region* names a first-level region of the country, only the places
        in it; a region the gazetteer does not know restricts nothing (a county
        or a misspelt state must not hide the right town).
        """
        asked = (name or "", country or "", region or "")
        if asked not in self._named:
            if len(self._named) >= _CACHE_SIZE:
                self._named.clear()
            self._named[asked] = self._find_named(*asked)
        return list(self._named[asked])

    def _find_named(self, name: str, country: str, region: str) -> list[Namesake]:
        keys = [k for k in dict.fromkeys((name_key(name), name_key(strip_numbers(name)))) if k]
        if not keys or not country:
            return []
        admin1s = self.region_codes(region, country) if region else set()
        sql = ("SELECT DISTINCT p.name, p.lat, p.lon, p.country, p.admin1 FROM place_name n "
               "JOIN place p ON p.id = n.place_id WHERE n.key IN ({}) AND p.country = ?"
               .format(",".join("?" * len(keys))))
        args: list = [*keys, country]
        if admin1s:
            sql += " AND p.admin1 IN ({})".format(",".join("?" * len(admin1s)))
            args += sorted(admin1s)
        return [self._namesake(*row) for row in self._con.execute(sql, args)]

    def near(self, lat: float, lon: float, country: str, km: float) -> list[Namesake]:
        """Places of *country* within *km* of the point, nearest first."""
        dlat = math.degrees(km / EARTH_RADIUS_KM)
        dlon = 180.0 if abs(lat) + dlat >= 89.9 else math.degrees(km / (EARTH_RADIUS_KM * math.cos(math.radians(lat))))
        rows = self._con.execute(
            "SELECT name, lat, lon, country, admin1 FROM place WHERE country = ? AND lat BETWEEN ? AND ? "
            "AND ((lon BETWEEN ? AND ?) OR (lon BETWEEN ? AND ?) OR (lon BETWEEN ? AND ?))",
            (country, lat - dlat, lat + dlat, lon - dlon, lon + dlon, lon - dlon + 360, lon + dlon + 360,
             lon - dlon - 360, lon + dlon - 360))
        found = [self._namesake(*row) for row in rows]
        return sorted((p for p in found if p.km_to(lat, lon) <= km), key=lambda p: p.km_to(lat, lon))

    def _namesake(self, name: str, lat: float, lon: float, country: str, admin1: str) -> Namesake:
        region, nation = self._area(country, admin1)
        return Namesake(name, lat, lon, country, admin1, ", ".join(x for x in (name, region, nation) if x), region)

    def _area(self, country: str, admin1: str) -> tuple[str, str]:
        """("Georgia", "United States"): the region (when the gazetteer names it, else "") and the country."""
        if (country, admin1) not in self._areas:
            region = self._con.execute("SELECT name FROM region WHERE country = ? AND admin1 = ?",
                                       (country, admin1)).fetchone()
            nation = self._con.execute("SELECT name FROM country WHERE code = ?", (country,)).fetchone()
            self._areas[(country, admin1)] = (region[0] if region else "", nation[0] if nation else country)
        return self._areas[(country, admin1)]


def nearest(lat: float, lon: float, places: list[Namesake]) -> tuple[Namesake, float] | None:
    """The place of *places* nearest to the point, with its distance in km."""
    if not places:
        return None
    best = min(places, key=lambda p: p.km_to(lat, lon))
    return best, best.km_to(lat, lon)
