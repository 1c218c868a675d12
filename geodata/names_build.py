"""Build ``place-names.sqlite``: the gazetteer's places and first-level areas named in the app's languages.

Two sources, by GeoNames id, the first that names a place wins:

1. GeoNames' alternate names as Debian ships them in ``libgeonames-common``
   (UBports' geonames library): one gettext catalogue per language whose msgids
   are GeoNames ids ("2886242" -> "Köln") and admin1 codes ("DE.07" ->
   "Nordrhein-Westfalen"). It names cities of 15,000 inhabitants or more, in
   German, French, Spanish, Italian and Portuguese; its Brazilian catalogue is
   empty, so pt_BR takes the Portuguese names. The .deb is fetched with
   ``apt-get download`` and only its .mo files are read (the library itself is
   not installed).
2. CLDR's exemplar cities of time zones, from Babel: "Europe/Lisbon" ->
   "Lisbonne". About 450 cities, in every language; a zone's city is matched to
   the gazetteer's most populous place of that name in that zone.

The result is small (tens of thousands of rows) and read by
:class:`visa.geocoding.place_names.PlaceNames`, one indexed query a name.
"""

from __future__ import annotations

import gettext
import io
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError

from geodata import GeodataPaths
from geodata.gazetteer_build import schema_version
from visa.geocoding.normalize import name_key

SCHEMA_VERSION = "1"
#: The schema of a file built with CLDR's names alone: never taken as up to date.
PARTIAL = SCHEMA_VERSION + "-partial"
#: The languages pages are written in, besides English (the gazetteer's own names).
LANGUAGES = ("de", "es", "fr", "it", "pt", "pt_BR")
DEBIAN_PACKAGE = "libgeonames-common"
_MO_PATH = "./usr/share/locale/{lang}/LC_MESSAGES/geonames.mo"


def _deb_members(deb: Path) -> dict[str, bytes]:
    """The .mo files of a .deb's data archive, as Debian's ``dpkg-deb --fsys-tarfile`` unpacks it."""
    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile() and m.name.endswith(".mo")}


def _fetch_deb(cache_dir: Path) -> Path | None:
    """The cached or freshly downloaded ``libgeonames-common`` .deb (apt's package lists are refreshed once if
    they do not know it yet)."""
    debs = sorted(cache_dir.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    if debs:
        return debs[-1]
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(2):
            try:
                done = subprocess.run(["apt-get", "download", DEBIAN_PACKAGE], cwd=tmp, capture_output=True, text=True)
            except OSError as err:
                print(f"place names: no apt-get ({err}); only CLDR's city names", flush=True)
                return None
            if done.returncode == 0:
                break
            if attempt == 0:
                subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
        else:
            print(f"place names: could not fetch {DEBIAN_PACKAGE} ({done.stderr.strip()[-200:]}); "
                  "only CLDR's city names", flush=True)
            return None
        for deb in Path(tmp).glob("*.deb"):
            target = cache_dir / deb.name
            target.write_bytes(deb.read_bytes())
            return target
    return None


def geonames_catalogues(deb: Path | None) -> dict[str, dict[str, str]]:
    """{language: {GeoNames id or "CC.admin1": name}} from the package's catalogues; empty ones left out."""
    if deb is None:
        return {}
    try:
        members = _deb_members(deb)
    except (OSError, subprocess.CalledProcessError) as err:  # no dpkg-deb (not Debian), or a damaged download
        print(f"place names: could not unpack {deb.name} ({err}); only CLDR's city names", flush=True)
        return {}
    found = {}
    for lang in LANGUAGES:
        mo = members.get(_MO_PATH.format(lang=lang))
        if mo:
            catalogue = {k: v for k, v in gettext.GNUTranslations(io.BytesIO(mo))._catalog.items() if k}
            if catalogue:
                found[lang] = catalogue
    return found


def cldr_cities(lang: str, places: list[tuple]) -> Iterator[tuple[int, str]]:
    """(place id, name) of CLDR's exemplar cities in *lang*, matched by zone and English name.

    *places*: (id, name, country, admin1, population, timezone) rows of the gazetteer.
    """
    try:
        local = Locale.parse(lang).time_zones
    except UnknownLocaleError:
        return
    english = Locale("en").time_zones
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for pid, name, _country, _admin1, population, zone in places:
        key = (zone, name_key(name))
        if key not in best or population > best[key][1]:
            best[key] = (pid, population)
    for zone, names in local.items():
        city = names.get("city")
        if not city:
            continue
        # English has an explicit city only where the zone's id does not spell it ("America/Sao_Paulo").
        known_as = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        match = best.get((zone, name_key(known_as)))
        if match:
            yield match[0], city


def _rows(gaz: sqlite3.Connection, catalogues: dict[str, dict[str, str]]) -> tuple[list, list]:
    places = gaz.execute("SELECT id, name, country, admin1, population, timezone FROM place").fetchall()
    known = {p[0] for p in places}
    place_rows, region_rows = [], []
    for lang in LANGUAGES:
        chosen: dict[int, str] = {}
        geonames = catalogues.get(lang) or catalogues.get(lang.split("_")[0], {})
        for msgid, name in geonames.items():
            if msgid.isdigit() and int(msgid) in known:
                chosen[int(msgid)] = name
        for pid, name in cldr_cities(lang, places):
            chosen.setdefault(pid, name)
        # Kept where it is the gazetteer's own name too: a host's "Cologne" is "Köln" to a German reader.
        place_rows += list((lang, pid, name) for pid, name in chosen.items())
        regions = gaz.execute("SELECT country, admin1, name FROM region").fetchall()
        for country, admin1, _name in regions:
            local = geonames.get(f"{country}.{admin1}")
            if local:
                region_rows.append((lang, country, admin1, local))
    return place_rows, region_rows


def build_place_names(paths: GeodataPaths, force: bool = False) -> Path:
    """Write ``place-names.sqlite`` from the gazetteer (built first) and the sources above."""
    path = paths.place_names
    if path.exists() and not force and schema_version(path) == SCHEMA_VERSION:
        return path
    started = time.monotonic()
    catalogues = geonames_catalogues(_fetch_deb(paths.root))
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    gaz = sqlite3.connect(f"file:{paths.gazetteer}?mode=ro", uri=True)
    place_rows, region_rows = _rows(gaz, catalogues)
    gaz.close()
    con = sqlite3.connect(tmp)
    con.executescript(
        """
        CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
        CREATE TABLE place_name(lang TEXT, id INTEGER, name TEXT, PRIMARY KEY(lang, id)) WITHOUT ROWID;
        CREATE TABLE region_name(lang TEXT, country TEXT, admin1 TEXT, name TEXT,
                                 PRIMARY KEY(lang, country, admin1)) WITHOUT ROWID;
        """
    )
    con.executemany("INSERT INTO place_name VALUES (?,?,?)", place_rows)
    con.executemany("INSERT INTO region_name VALUES (?,?,?,?)", region_rows)
    # Without GeoNames' catalogues (no apt here, or the fetch failed) the file is marked partial, so that the
    # next build tries the fetch again instead of keeping CLDR's few hundred cities for good.
    con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION if catalogues else PARTIAL,))
    con.execute("INSERT INTO meta VALUES ('languages', ?)", (" ".join(sorted(catalogues)),))
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(path)
    print(f"place names: {len(place_rows):,} place and {len(region_rows):,} area names "
          f"(GeoNames via {DEBIAN_PACKAGE}: {', '.join(sorted(catalogues)) or 'none'}; CLDR: all) "
          f"in {time.monotonic() - started:.1f} s", flush=True)
    return path
