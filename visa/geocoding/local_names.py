"""The reader's names for places on pages: the searched place's label and the city a host typed.

Glue between Flask-Babel's locale and :class:`visa.geocoding.place_names.PlaceNames`, which is built once
per process and kept on ``app.extensions`` with a bounded cache of the cities already named.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale

from visa.geocoding.place_names import PlaceNames
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocoder
from visa.l10n import found_place_label

#: Cities remembered per process ((language, country, city) -> name); emptied when full.
MAX_CACHED_CITIES = 20_000


def init_app(app: Flask) -> None:
    app.extensions["visa.place_names"] = None  # opened on first use, after the gazetteer
    app.extensions["visa.local_cities"] = {}
    app.add_template_filter(local_city)


def place_names() -> PlaceNames:
    names = current_app.extensions.get("visa.place_names")
    if names is None:
        names = PlaceNames(current_app.config["VISA_PLACE_NAMES_PATH"], geocoder().offline.gazetteer)
        current_app.extensions["visa.place_names"] = names
    return names


def _language(names: PlaceNames) -> str | None:
    """The reader's language as the names file spells it ("pt_BR", "de"); None for English (GeoNames' own)."""
    locale = get_locale()
    return names_language(str(locale), names) if locale is not None else None


def names_language(tag: str, names: PlaceNames | None = None) -> str | None:
    """*tag* ("de-AT", "pt_BR", "fr") as the names file spells its languages: itself when the file has it, else
    its base language ("de"); None for English, GeoNames' own names."""
    names = names or place_names()
    tag = tag.replace("-", "_")
    base = tag.split("_")[0]
    if base == "en" or not base:
        return None
    return tag if tag in names.languages else base


def local_label(label: str, geonameid: int = 0, country: str = "", admin1: str = "") -> str:
    """A geocoder's English label with its city and area in the reader's language (the country is Babel's)."""
    names = place_names()
    lang = _language(names)
    return names.label(label, lang, geonameid, country, admin1) if lang else label


def reader_label(label: str, geonameid: int = 0, country: str = "", admin1: str = "") -> str:
    """A geocoder's label as the page names it: city and area by :func:`local_label`, the country by Babel."""
    return found_place_label(local_label(label, geonameid, country, admin1), country)


def suggested_places(missing: PlaceNotFound) -> list[dict]:
    """What a miss suggests, for a "Did you mean" line: ``query`` (the geocoder's label, what a link searches)
    and ``label`` (in the reader's language)."""
    if not missing.places:  # a remote provider's miss, or nothing similar
        return [{"query": s, "label": s} for s in missing.suggestions]
    return [{"query": p["label"], "label": reader_label(p["label"], p["geonameid"], p["country"], p["admin1_code"])}
            for p in missing.places]


def local_city(city: str | None, country: str | None) -> str:
    """``{{ space.city|local_city(space.country_code) }}``: "Cologne" is "Köln" to a German reader."""
    if not city:
        return city or ""
    names = place_names()
    lang = _language(names)
    if lang is None:
        return city
    cache = current_app.extensions["visa.local_cities"]
    key = (lang, country, city)
    found = cache.get(key)
    if found is None:
        # Kept in a local: another thread may empty the full cache between this thread's write and a read.
        found = names.city(city, lang, country)
        if len(cache) >= MAX_CACHED_CITIES:
            cache.clear()
        cache[key] = found
    return found
