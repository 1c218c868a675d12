"""Resolve a free-text place or address against the offline gazetteer.

The query is split into parts on commas, semicolons, line breaks and spaced
dashes ("Rho - Milano"), and read from the right, the way addresses are
written: a country ("Portugal", "Deutschland", "Brasil", "Scotland"), then the
areas that narrow it: a first-level region ("Oregon", "ME", "Santa Fe") and a
county or province ("Cornwall", "Málaga", "Vicenza"), also when written at the
end of the city's part ("Melbourne VIC 3000"). A part is read as an area when
a part before it is a place in that area ("Rafaela, Santa Fe"), or when no big
city has its name ("Torstraße 1, Berlin" is the city). Words with digits
(house numbers, postcodes) are dropped, so a postcode after the state hides
nothing, and so are parts that only say where inside a building ("Suite 400").
What is left is searched for the locality, in this order:

1. a whole part that is a place's name (the rightmost first: the city comes
   after the street and the building; of "Schio-Vicenza" the town first);
   numbered street lines ("Calle 93") are never taken whole;
2. a place named after a whole part ("Monsaraz": Reguengos de Monsaraz, for
   a village the gazetteer does not list), then a whole part one or two
   edits from a place's name ("Marseile");
3. a part read as an area, as a place of the same name in it ("10 Rue de
   Rivoli, Paris": Paris is also a département);
4. the words at the end or the start of a part ("Rua Augusta Lisboa");
5. those words misspelt.

Each step is tried in the areas read, then in wider ones (county dropped,
region dropped), but never outside a stated country. Answers are city-centre
precision; an area alone gives a region-level answer (a county's point is the
mean of its places). A namesake of the answer elsewhere with at least 5% of its
population comes back as an alternative ("Portland": Oregon, and Maine).
Misspelling searches are capped per query, and queries over 200 characters are
refused before any work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from visa.geocoding.gazetteer import County, Gazetteer, Place
from visa.geocoding.normalize import has_digits, name_key, strip_numbers
from visa.geocoding.results import GeocodeResult, PlaceNotFound, check_length

_SEPARATORS = re.compile(r"[,;\n]+|\s+[-–—]\s+")
#: Longest run of trailing words tried as a place name inside one part
#: ("Rua Augusta 12 Lisboa" -> "lisboa", "augusta lisboa", ...).
_MAX_NAME_WORDS = 4
#: A place this populous wins over a region of the same name when typed alone.
_CITY_OVER_REGION_POPULATION = 100_000
_MIN_FUZZY_LENGTH = 4
#: Words shorter than this are not looked up as places when the address has
#: other parts: "SP", "MI" and "NY" are areas, not the village of that name.
_MIN_NAME_LENGTH = 3
#: Misspelling searches one query may make (and then for suggestions): bounds
#: the CPU that nonsense can buy, about 5 ms each.
MAX_FUZZY_SEARCHES = 6
_SUGGESTION_SEARCHES = 2
#: Spellings compared per search: short names have many neighbours ("Berln": Bern,
#: Berl, Berla, ... Berlin), and the largest place among them should be in the running.
_SIMILAR_KEYS = 25
#: A namesake at least this share of the best answer's population is offered as an alternative.
_ALTERNATIVE_SHARE = 0.05
#: Words that make a numbered part a street line, and German-style street endings.
_STREET_WORDS = frozenset({
    "street", "st", "road", "rd", "avenue", "ave", "av", "avda", "avenida", "lane", "ln", "drive", "dr", "way",
    "boulevard", "blvd", "bd", "place", "pl", "square", "sq", "calle", "c", "carrer", "rua", "r", "rue", "via",
    "viale", "corso", "piazza", "largo", "plaza", "praca", "travessa", "alameda", "paseo", "passeig", "camino",
    "ulica", "ul", "aleja", "al", "ulitsa", "strasse", "str", "gasse", "weg", "allee", "platz", "straat",
    "gracht", "laan", "plein", "kade", "vej", "gade", "gatan", "gata", "vagen", "katu", "utca", "ut", "ulice",
    "nabrezi"
})
_STREET_SUFFIXES = ("strasse", "str", "gasse", "weg", "allee", "platz", "straat", "gracht", "laan", "vej", "gade",
                    "gatan", "vagen", "katu")
#: Words naming a place inside a building, in the languages of the network's addresses.
_UNIT_WORDS = frozenset({
    "floor", "fl", "suite", "ste", "unit", "level", "lvl", "apt", "apartment", "flat", "room", "rm", "building",
    "bldg", "top", "ground", "office", "studio", "piso", "planta", "sala", "edificio", "andar", "conjunto",
    "bloco", "oficina", "despacho", "etage", "stock", "og", "obergeschoss", "etg", "piano", "scala", "interno",
    "int", "box", "po", "bus"
})
_MAX_ALTERNATIVES = 5
#: Shorter words are looked for inside other names only when spelt in full elsewhere: "Gallen" is in
#: "Sankt Gallen", but "York" is a place of its own.
_MIN_NAMED_AFTER_LENGTH = 5


@dataclass(frozen=True)
class _Part:
    text: str  # the part's key without words carrying digits
    pieces: tuple[str, ...] = ()  # "schio vicenza" written "Schio-Vicenza": ("schio", "vicenza")
    is_street: bool = False  # "Calle 93 #12-45": its words may hold the city, the whole part never is one


@dataclass(frozen=True)
class _Area:
    country: str | None = None
    admin1: str | None = None
    county: County | None = None


@dataclass
class _Reading:
    """One way to read the right end of the query as country and areas."""

    area: _Area
    rest: list[_Part]
    consumed: list[_Part] = field(default_factory=list)


@dataclass
class _Budget:
    fuzzy_searches: int = MAX_FUZZY_SEARCHES

    def spend(self) -> bool:
        self.fuzzy_searches -= 1
        return self.fuzzy_searches >= 0


@dataclass(frozen=True)
class _Hit:
    place: Place
    key: str
    area: _Area


def resolve(query: str, gazetteer: Gazetteer) -> GeocodeResult:
    """Return the best place for *query*, with the alternatives when it is ambiguous.

    :raise QueryTooLong: over 200 characters.
    :raise PlaceNotFound: with suggestions when nothing matches.
    """
    check_length(query)
    parts = _parts(query)
    if not parts:
        raise PlaceNotFound(query.strip())
    readings = _readings(parts, gazetteer)
    first = readings[0]
    if not first.rest and first.area.country:
        return _area_result(gazetteer, first.area)  # "Portugal", "Oregon", "Cornwall, UK"
    budget = _Budget()

    def exact_whole(parts: list[_Part], area: _Area) -> _Hit | None:
        return _exact(parts, area, gazetteer, whole=True)

    def similar_whole(parts: list[_Part], area: _Area) -> _Hit | None:
        return _similar(parts, area, gazetteer, budget, whole=True)

    def named_after(parts: list[_Part], area: _Area) -> _Hit | None:
        return _named_after(parts, area, gazetteer, budget)

    def exact_words(parts: list[_Part], area: _Area) -> _Hit | None:
        return _exact(parts, area, gazetteer, whole=False)

    def similar_words(parts: list[_Part], area: _Area) -> _Hit | None:
        return _similar(parts, area, gazetteer, budget, whole=False)

    steps: list[tuple[Callable, Callable]] = [
        (exact_whole, _widenings), (named_after, _widenings), (similar_whole, _widenings),
        (exact_whole, _areas_inside),
        (exact_words, _widenings), (similar_words, _widenings),
        (exact_words, _areas_inside),  # "Calle 93, Bogotá D.C.": the district is named after the city
    ]
    for find, widenings in steps:
        for reading in readings:
            for area, rest in widenings(reading):
                hit = find(rest, area) if rest else None
                if hit is not None:
                    return _place_result(hit.place, gazetteer, _alternatives(hit, gazetteer))
    places = _suggestions(first.rest or parts, gazetteer, first.area.country, _Budget(_SUGGESTION_SEARCHES))
    raise PlaceNotFound(query.strip(), [p["label"] for p in places], places)


def _parts(query: str) -> list[_Part]:
    parts = []
    for raw in _SEPARATORS.split(query):
        text = strip_numbers(name_key(raw))
        if not text or _is_unit(raw, text):
            continue  # a postcode, a house number, "Suite 400", "2nd floor"
        pieces = tuple(p for p in (strip_numbers(name_key(x)) for x in raw.split("-")) if p)
        parts.append(_Part(text, pieces if len(pieces) > 1 else (), _is_street(raw, text)))
    return parts


def _is_street(raw: str, text: str) -> bool:
    """A street line with its number: "Calle 93 #12-45", "Torstraße 1", "12 Place Bellecour"."""
    if not has_digits(raw):
        return False
    words = text.split()
    return (words[0] in _STREET_WORDS or words[-1] in _STREET_WORDS
            or any(w.endswith(_STREET_SUFFIXES) for w in words))


def _is_unit(raw: str, text: str) -> bool:
    """A part that says where inside a building ("Suite 400", "Unit B", "Top floor", "Sala 12")."""
    words = text.split()
    if len(words) > 1 and all(w in _UNIT_WORDS or len(w) == 1 for w in words):
        return True
    return has_digits(raw) and words[0] in _UNIT_WORDS


def _readings(parts: list[_Part], gaz: Gazetteer) -> list[_Reading]:
    readings = [_read_areas(parts, gaz)]
    last = parts[-1].text
    if len(parts) > 1 and len(last) == 2 and readings[0].area.country and gaz.regions(last):
        # "Portland, ME": ME is Montenegro as a country and Maine as a state.
        readings.append(_read_areas(parts, gaz, regions_first=True))
    return readings


def _read_areas(parts: list[_Part], gaz: Gazetteer, regions_first: bool = False) -> _Reading:
    rest, consumed = list(parts), []
    country = admin1 = None
    county: County | None = None
    if not regions_first:
        last = rest[-1].text
        code = gaz.country_code(last) or (gaz.similar_country(last) if len(rest) > 1 else None)
        if code and gaz.places(last, country=code, limit=1):
            # A lone "Singapore" or "Luxembourg" is the city, not the country; in
            # "1 Raffles Place, Singapore" it is both.
            if len(rest) > 1:
                country = code
                consumed.insert(0, rest.pop())
        elif code:
            country = code
            rest.pop()
    while rest:
        part = rest[-1]
        before = rest[:-1]
        if admin1 is None and county is None:
            regions = gaz.regions(part.text, country)
            holding = [r for r in regions if _holds(gaz, r[0], r[1], None, before)]
            if regions and (holding or _area_beats_place(part.text, gaz, country)):
                country, admin1 = _likeliest_region(holding or regions, gaz)
                consumed.insert(0, rest.pop())
                continue
        if county is None:
            counties = gaz.counties(part.text, country, admin1)
            holding = [c for c in counties if _holds(gaz, c.country, c.admin1, c.id, before)]
            # "Lecce, Puglia": a county named after its town is the town, when alone.
            if counties and (holding or (not gaz.places(part.text, counties[0].country, limit=1)
                                         and _area_beats_place(part.text, gaz, country))):
                county = (holding or counties)[0]
                country, admin1 = county.country, county.admin1
                consumed.insert(0, rest.pop())
                continue
        if admin1 is None and county is None:
            split = _trailing_area(part, gaz, country)
            if split is not None:
                rest[-1], tail, area = split
                country, admin1, county = area.country, area.admin1, area.county
                consumed.insert(0, tail)
        break
    return _Reading(_Area(country, admin1, county), rest, consumed)


def _holds(gaz: Gazetteer, country: str, admin1: str, county: int | None, parts: list[_Part]) -> bool:
    """Is one of *parts* a place in that area? Then the area is read as one ("Rafaela, Santa Fe")."""
    return any(gaz.places(p.text, country, admin1, limit=1, county=county) for p in parts)


def _likeliest_region(regions: list[tuple[str, str]], gaz: Gazetteer) -> tuple[str, str]:
    if len(regions) == 1:
        return regions[0]
    # The same name in several places ("MA": Massachusetts, Maranhão; "Buenos
    # Aires", the province and the city): the one with the largest place.
    return max(regions, key=lambda r: (p.population if (p := gaz.largest_place(*r)) else 0))


def _trailing_area(part: _Part, gaz: Gazetteer, country: str | None) -> tuple[_Part, _Part, _Area] | None:
    """"Melbourne VIC", "Portland OR", "Roma RM": a region or province written at the end of the city's part."""
    words = part.text.split()
    if len(words) < 2 or gaz.places(part.text, country, limit=1):
        return None
    for n in (2, 1):
        tail, head = " ".join(words[-n:]), " ".join(words[:-n])
        if len(words) <= n:
            continue
        if regions := gaz.regions(tail, country):
            holding = [r for r in regions if _holds(gaz, r[0], r[1], None, [_Part(head)])]
            return _Part(head), _Part(tail), _Area(*_likeliest_region(holding or regions, gaz))
        # A province only when the town is in its region: "Bologna BO", not every "X Bo".
        counties = [c for c in gaz.counties(tail, country) if _holds(gaz, c.country, c.admin1, None, [_Part(head)])]
        if counties:
            return _Part(head), _Part(tail), _Area(counties[0].country, counties[0].admin1, counties[0])
    return None


def _area_beats_place(key: str, gaz: Gazetteer, country: str | None) -> bool:
    """A lone "Oregon" or "Cornwall" is the area, a lone "New York" or "São Paulo" the city."""
    places = gaz.places(key, country=country, limit=1)
    return not places or places[0].population < _CITY_OVER_REGION_POPULATION


def _widenings(reading: _Reading) -> Iterator[tuple[_Area, list[_Part]]]:
    """The areas to search, narrowest first; never wider than the country."""
    area = reading.area
    yield area, reading.rest
    if area.county is not None:
        yield _Area(area.country, area.admin1), reading.rest
    if area.admin1 is not None:
        yield _Area(area.country), reading.rest


def _areas_inside(reading: _Reading) -> Iterator[tuple[_Area, list[_Part]]]:
    """The parts read as areas, as places inside those areas."""
    if reading.consumed:
        # The area's own seat may be listed outside the county that bears its name.
        yield _Area(reading.area.country, reading.area.admin1), reading.consumed


def _names(part: _Part, whole: bool) -> list[str]:
    if whole:
        return [part.text, *part.pieces]
    words = part.text.split()
    tails = [" ".join(words[-n:]) for n in range(min(len(words) - 1, _MAX_NAME_WORDS), 0, -1)]
    heads = [" ".join(words[:n]) for n in range(min(len(words) - 1, _MAX_NAME_WORDS), 0, -1)]
    return list(dict.fromkeys(tails + heads))


def _lookup(gaz: Gazetteer, key: str, area: _Area, limit: int = 1) -> list[Place]:
    return gaz.places(key, area.country, area.admin1, limit=limit,
                      county=area.county.id if area.county else None)


def _exact(parts: list[_Part], area: _Area, gaz: Gazetteer, whole: bool) -> _Hit | None:
    min_length = _MIN_NAME_LENGTH if len(parts) > 1 or area.country else 2
    for part in reversed(parts):
        if whole and part.is_street:
            continue
        for name in _names(part, whole):
            if len(name) >= min_length and (places := _lookup(gaz, name, area)):
                return _Hit(places[0], name, area)
    return None


def _similar(parts: list[_Part], area: _Area, gaz: Gazetteer, budget: _Budget, whole: bool) -> _Hit | None:
    """The closest spelling in the rightmost part that has one, then the larger place."""
    for part in reversed(parts):
        if whole and part.is_street:
            continue
        best: tuple[int, int, Place, str] | None = None
        for name in _names(part, whole):
            # No guessing on very short words; one edit for short names, two for
            # longer ones: "Lisbn", "Barcleona".
            if len(name) < _MIN_FUZZY_LENGTH or not budget.spend():
                continue
            max_edits = 1 if len(name) <= 6 else 2
            for key, distance in gaz.similar_keys(name, max_edits=max_edits, limit=_SIMILAR_KEYS):
                for place in _lookup(gaz, key, area):
                    candidate = (distance, -place.population, place, key)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
        if best is not None:
            return _Hit(best[2], best[3], area)
    return None


def _named_after(parts: list[_Part], area: _Area, gaz: Gazetteer, budget: _Budget) -> _Hit | None:
    """A place named after the part, for a village the gazetteer does not list: "Monsaraz" is in
    "Reguengos de Monsaraz" (a few km away), not a similar spelling on another continent."""
    for part in reversed(parts):
        if part.is_street or len(part.text) < _MIN_NAMED_AFTER_LENGTH or not budget.spend():
            continue
        places = [(p, key) for key in gaz.keys_with_word(part.text) for p in _lookup(gaz, key, area)]
        if places:
            place, key = max(places, key=lambda found: found[0].population)
            return _Hit(place, key, area)
    return None


def _alternatives(hit: _Hit, gaz: Gazetteer) -> list[Place]:
    """Namesakes in other regions strong enough that the user may have meant them ("Portland")."""
    floor = hit.place.population * _ALTERNATIVE_SHARE
    seen = {(hit.place.country, hit.place.admin1)}
    names = {hit.key, name_key(hit.place.name)}
    found = []
    for place in _lookup(gaz, hit.key, hit.area, limit=_MAX_ALTERNATIVES * 3):
        # Namesakes, not places that merely list the name among their alternates.
        if place.population >= floor and name_key(place.name) in names and (place.country, place.admin1) not in seen:
            seen.add((place.country, place.admin1))
            found.append(place)
    return found[:_MAX_ALTERNATIVES]


def _label(place: Place, gaz: Gazetteer) -> tuple[str, str]:
    """("Rosario, Santa Fe, Argentina", "Santa Fe"); "Lisbon, Portugal", not "Lisbon, Lisbon, Portugal"."""
    region = gaz.region_name(place.country, place.admin1) if place.admin1 else None
    shown = region if region and name_key(region) != name_key(place.name) else None
    return ", ".join(x for x in (place.name, shown, gaz.country_name(place.country)) if x), region or ""


def _place_result(place: Place, gaz: Gazetteer, alternatives: list[Place] = ()) -> GeocodeResult:
    label, _ = _label(place, gaz)
    others = []
    for other in alternatives:
        other_label, region = _label(other, gaz)
        others.append({"label": other_label, "lat": other.lat, "lon": other.lon, "country": other.country,
                       "admin1": region, "geonameid": other.id, "admin1_code": other.admin1})
    return GeocodeResult(place.lat, place.lon, "city", label, place.country, "offline", place.timezone,
                         tuple(others), place.id, place.admin1)


def _area_result(gaz: Gazetteer, area: _Area) -> GeocodeResult:
    country, admin1, county = area.country, area.admin1, area.county
    region = gaz.region_name(country, admin1) if admin1 else None
    if county is not None:
        biggest = gaz.largest_place(country, county=county.id)
        label = ", ".join(x for x in (county.name, region, gaz.country_name(country)) if x)
        return GeocodeResult(county.lat, county.lon, "region", label, country, "offline",
                             biggest.timezone if biggest else "", admin1_code=admin1 or "")
    if admin1:
        biggest = gaz.largest_place(country, admin1)
        if biggest is not None:
            label = f"{region}, {gaz.country_name(country)}" if region else gaz.country_name(country)
            return GeocodeResult(biggest.lat, biggest.lon, "region", label, country, "offline", biggest.timezone,
                                 admin1_code=admin1)
    capital = gaz.country_capital(country)
    biggest = gaz.largest_place(country)
    lat, lon = capital if capital else (biggest.lat, biggest.lon) if biggest else (0.0, 0.0)
    return GeocodeResult(lat, lon, "country", gaz.country_name(country), country, "offline",
                         biggest.timezone if biggest else "")


#: Spellings compared for suggestions; within a stated country most of the world's near
#: spellings are elsewhere, so more are asked for and those of the country kept.
_SUGGESTION_KEYS, _SUGGESTION_KEYS_IN_COUNTRY = 8, 300


def _suggestions(parts: list[_Part], gaz: Gazetteer, country: str | None, budget: _Budget) -> list[dict]:
    """Places the user may have meant (label, geonameid, country, admin1_code); within a stated country, the
    country itself as the last one, so that an unknown village is never a dead end."""
    found: dict[str, dict] = {}
    limit = _SUGGESTION_KEYS_IN_COUNTRY if country else _SUGGESTION_KEYS
    for part in reversed(parts):
        if not budget.spend():
            break
        for key, _ in gaz.similar_keys(part.text, max_edits=3, limit=limit):
            for place in gaz.places(key, country, limit=1):
                label = _place_result(place, gaz).label
                found.setdefault(label, {"label": label, "geonameid": place.id, "country": place.country,
                                         "admin1_code": place.admin1})
    places = list(found.values())[:5]
    if country:
        places.append({"label": gaz.country_name(country), "geonameid": 0, "country": country, "admin1_code": ""})
    return places
