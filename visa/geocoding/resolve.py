"""Resolve a free-text place or address against the offline gazetteer.

The query is split on commas and read from the right, the way addresses are
written: a country ("Portugal", "Deutschland", "Brasil", "Scotland"), then a
first-level region ("Oregon", "ME", "Ontario"), then the locality. Words with
digits (house numbers, postcodes) are dropped before matching because the
gazetteer only knows places; such answers are city-centre precision.
"""

from __future__ import annotations

import re

from visa.geocoding.gazetteer import Gazetteer, Place
from visa.geocoding.normalize import name_key, strip_numbers
from visa.geocoding.results import GeocodeResult, PlaceNotFound

_SEPARATORS = re.compile(r"[,;\n]+")
#: Longest run of trailing words tried as a place name inside one part
#: ("Rua Augusta 12 Lisboa" -> "lisboa", "augusta lisboa", ...).
_MAX_NAME_WORDS = 4
#: A place this populous wins over a region of the same name when typed alone.
_CITY_OVER_REGION_POPULATION = 100_000
_MIN_FUZZY_LENGTH = 4


def resolve(query: str, gazetteer: Gazetteer) -> GeocodeResult:
    """Return the best place for *query*.

    :raise PlaceNotFound: with suggestions when nothing matches.
    """
    parts = [p for p in (name_key(p) for p in _SEPARATORS.split(query)) if p]
    if not parts:
        raise PlaceNotFound(query.strip())
    country, admin1, rest = _read_country_and_region(parts, gazetteer)
    place = _find_place(rest, gazetteer, country, admin1, fuzzy=False)
    if place is None and len(parts) > 1:
        # "Portland, ME": ME is Montenegro as a country and Maine as a state.
        alt_country, alt_admin1, alt_rest = _read_country_and_region(parts, gazetteer, regions_first=True)
        place = _find_place(alt_rest, gazetteer, alt_country, alt_admin1, fuzzy=False)
    if place is None:
        place = _find_place(rest, gazetteer, country, admin1, fuzzy=True)
    if place is not None:
        return _place_result(place, gazetteer)
    parts = rest
    if country and not parts:
        return _area_result(gazetteer, country, admin1)
    raise PlaceNotFound(query.strip(), _suggestions(parts, gazetteer, country))


def _read_country_and_region(
    parts: list[str], gaz: Gazetteer, regions_first: bool = False
) -> tuple[str | None, str | None, list[str]]:
    parts = list(parts)
    country = admin1 = None
    last = strip_numbers(parts[-1])
    code = None if regions_first else gaz.country_code(last)
    # A lone "Singapore" or "Luxembourg" is the city, not the country.
    if code and not (len(parts) == 1 and gaz.places(last, country=code, limit=1)):
        country = code
        parts.pop()
    if parts:
        last = strip_numbers(parts[-1])
        regions = gaz.regions(last, country)
        # Only a part with something before it is read as a region: "New York"
        # alone is the city; "New York, New York" is the city in the state.
        if regions and (len(parts) > 1 or _region_beats_place(last, gaz, country)):
            if len(regions) == 1 or country:
                country, admin1 = regions[0]
            else:
                # The same name in several countries: take the one with the largest place.
                best = max(regions, key=lambda r: (p.population if (p := gaz.largest_place(*r)) else 0))
                country, admin1 = best
            parts.pop()
    return country, admin1, parts


def _region_beats_place(key: str, gaz: Gazetteer, country: str | None) -> bool:
    """A lone "Oregon" is the state, a lone "New York" or "São Paulo" the city."""
    places = gaz.places(key, country=country, limit=1)
    return not places or places[0].population < _CITY_OVER_REGION_POPULATION


def _candidate_names(part: str) -> list[str]:
    words = strip_numbers(part).split()
    whole = " ".join(words)
    tails = [" ".join(words[-n:]) for n in range(min(len(words), _MAX_NAME_WORDS), 0, -1)]
    heads = [" ".join(words[:n]) for n in range(min(len(words), _MAX_NAME_WORDS), 0, -1)]
    seen: dict[str, None] = {}
    for name in [whole, *tails, *heads]:
        if len(name) >= 2:
            seen.setdefault(name, None)
    return list(seen)


def _find_place(parts: list[str], gaz: Gazetteer, country: str | None, admin1: str | None, fuzzy: bool) -> Place | None:
    if fuzzy:
        return _find_similar_place(parts, gaz, country, admin1)
    for part in reversed(parts):
        for name in _candidate_names(part):
            places = gaz.places(name, country, admin1, limit=1)
            if places:
                return places[0]
        if len(parts) == 1:
            break
    return None


def _find_similar_place(parts: list[str], gaz: Gazetteer, country: str | None, admin1: str | None) -> Place | None:
    """The closest spelling over all parts wins, then the larger place: "Lisbonn, Portugl"."""
    best: tuple[int, int, Place] | None = None
    for part in parts:
        for name in _candidate_names(part):
            # No guessing on very short words; one edit for short names, two for
            # longer ones: "Lisbn", "Barcleona".
            if len(name) < _MIN_FUZZY_LENGTH:
                continue
            max_edits = 1 if len(name) <= 6 else 2
            for key, distance in gaz.similar_keys(name, max_edits=max_edits, limit=5):
                for place in gaz.places(key, country, admin1, limit=1):
                    candidate = (distance, -place.population, place)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
    return best[2] if best else None


def _place_result(place: Place, gaz: Gazetteer) -> GeocodeResult:
    region = gaz.region_name(place.country, place.admin1) if place.admin1 else None
    label = ", ".join(x for x in (place.name, region, gaz.country_name(place.country)) if x)
    return GeocodeResult(place.lat, place.lon, "city", label, place.country, "offline", place.timezone)


def _area_result(gaz: Gazetteer, country: str, admin1: str | None) -> GeocodeResult:
    if admin1:
        biggest = gaz.largest_place(country, admin1)
        if biggest is not None:
            label = f"{gaz.region_name(country, admin1)}, {gaz.country_name(country)}"
            return GeocodeResult(biggest.lat, biggest.lon, "region", label, country, "offline", biggest.timezone)
    capital = gaz.country_capital(country)
    biggest = gaz.largest_place(country)
    lat, lon = capital if capital else (biggest.lat, biggest.lon) if biggest else (0.0, 0.0)
    return GeocodeResult(lat, lon, "country", gaz.country_name(country), country, "offline", biggest.timezone if biggest else "")


def _suggestions(parts: list[str], gaz: Gazetteer, country: str | None) -> list[str]:
    labels: list[str] = []
    for part in reversed(parts):
        for key, _ in gaz.similar_keys(strip_numbers(part), max_edits=3, limit=8):
            for place in gaz.places(key, country, limit=1):
                label = _place_result(place, gaz).label
                if label not in labels:
                    labels.append(label)
    return labels[:5]
