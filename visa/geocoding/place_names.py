"""Places named in the reader's language, from ``place-names.sqlite`` (built by geodata.names_build).

The gazetteer names places as GeoNames does ("Lisbon", "Köln"); this file has
their names in the app's languages by GeoNames id ("Lissabon", "Lisbonne").
Only what is shown changes: stored cities and the geocoder's English labels
stay as they are, and are turned into the reader's words when a page names them.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import cached_property
from pathlib import Path

from visa.geocoding.gazetteer import Gazetteer
from visa.geocoding.normalize import name_key


class PlaceNames:
    """The names file opened read-only (one connection per thread), with the gazetteer it was built from."""

    def __init__(self, path: Path | str, gazetteer: Gazetteer) -> None:
        self.path = Path(path)
        self.gazetteer = gazetteer
        self._local = threading.local()

    @property
    def _con(self) -> sqlite3.Connection | None:
        con = getattr(self._local, "con", None)
        if con is None:
            if not self.path.exists():  # built after the gazetteer: until then, names stay as GeoNames has them
                return None
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def _one(self, sql: str, args: tuple) -> str | None:
        con = self._con
        row = con.execute(sql, args).fetchone() if con is not None else None
        return row[0] if row else None

    def _lang(self, lang: str) -> str:
        return lang.replace("-", "_")

    @cached_property
    def languages(self) -> frozenset[str]:
        """The languages the file names places in ("de", "pt_BR", ...); none before it is built."""
        con = self._con
        return frozenset(r[0] for r in con.execute("SELECT DISTINCT lang FROM place_name")) if con else frozenset()

    def place_name(self, lang: str, geonameid: int) -> str | None:
        """A city's name in *lang* ("pt_BR", "de"), or None where the sources have none."""
        return self._one("SELECT name FROM place_name WHERE lang = ? AND id = ?", (self._lang(lang), geonameid))

    def region_name(self, lang: str, country: str, admin1: str) -> str | None:
        """A first-level area's name in *lang*, or None."""
        return self._one("SELECT name FROM region_name WHERE lang = ? AND country = ? AND admin1 = ?",
                         (self._lang(lang), country, admin1))

    def label(self, label: str, lang: str, geonameid: int = 0, country: str = "", admin1: str = "") -> str:
        """The geocoder's label ("Lisbon, Portugal") with its city and area in *lang* ("Lissabon, Portugal");
        the country is left to Babel (:func:`visa.l10n.found_place_label`)."""
        parts = label.split(", ")
        if geonameid:
            place = self.gazetteer.place(geonameid)
            local = self.place_name(lang, geonameid)
            if place and local and parts[0] == place.name:
                parts[0] = local
        if admin1 and country:
            english, local = self.gazetteer.region_name(country, admin1), self.region_name(lang, country, admin1)
            if english and local:
                parts = [local if part == english else part for part in parts]
        # "Lisboa, Lisboa" once both are named in Portuguese: one is enough, as in the English label.
        shown = [p for i, p in enumerate(parts) if i == 0 or name_key(p) != name_key(parts[i - 1])]
        return ", ".join(shown)

    def city(self, city: str, lang: str, country: str | None) -> str:
        """A city as a host typed it ("Cologne") in *lang* ("Köln"): the most likely gazetteer place of that
        name in *country*; as typed where none is known or the sources do not name it."""
        key = name_key(city or "")
        if not key or not country:
            return city
        found = self.gazetteer.places(key, country=country.upper(), limit=1)
        local = self.place_name(lang, found[0].id) if found else None
        return local or city
