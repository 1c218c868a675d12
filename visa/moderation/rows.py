"""Read legacy spreadsheets and GeoJSON into clean rows (pure; no Flask, no database).

Columns are mapped by their words, not by exact header strings: a header is
folded (case, accents, punctuation), hints in brackets are set aside ("(y/n)",
"($)", "(150-word or less)"), and each field's phrases are scored against the
remaining words ("Coworking Visa Accepted?" holds "coworking visa", so it is
the participation column). The terms fields and their phrases come from
:mod:`visa.directory.terms_schema`.

A value that cannot be read drops that field with a warning on its line; only
a row with no name is rejected. A file that cannot be read at all (binary,
not UTF-8, a field over the CSV limit, JSON that is not a FeatureCollection)
raises :class:`FileRejected` with one line saying why.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from unidecode import unidecode

from visa.directory import terms_schema
from visa.directory.links import LINK_KINDS, clean_links, normalize_link
from visa.messages import N_, Message, MessageError, define
from visa.moderation.cleaning import CleaningError, coordinate, price, website, yes_no

define({
    # The file cannot be read.
    # Translators: %(line)s is a line number of the file.
    "nul_byte": N_("line %(line)s holds a NUL byte: this is a binary file, not CSV or GeoJSON text"),
    # Translators: %(line)s is a line number of the file; %(byte)s the
    # offending byte, in hexadecimal (“0xe9”).
    "not_utf8": N_("line %(line)s is not UTF-8 text (byte %(byte)s); save the sheet as CSV UTF-8 and import it "
                   "again"),
    # Translators: %(count)s is the number of columns found; %(limit)s the
    # largest number allowed.
    "too_many_columns": N_("the file has %(count)s columns; a sheet of spaces has at most %(limit)s"),
    # Translators: %(headers)s is the list of the file's column headers, as
    # they are in the file.
    "no_name_column": N_("no column holds the space's name (headers: %(headers)s)"),
    # Translators: %(line)s is a line number of the file; %(kb)s the largest
    # field size allowed, in kilobytes.
    "field_too_long": N_("line %(line)s: a field is longer than %(kb)s KB"),
    # Translators: %(line)s is a line number of the file; %(error)s the CSV
    # reader's own message (not translated).
    "unreadable_csv": N_("line %(line)s: unreadable CSV (%(error)s)"),
    # Translators: %(line)s is a line number of the file; %(error)s the JSON
    # reader's own message (not translated).
    "invalid_json": N_("line %(line)s: not valid JSON (%(error)s)"),
    # Translators: %(field)s is the name of a column; %(length)s the number of
    # characters of the value; %(max)s how many are read.
    "number_too_long": N_("%(field)s is a number of %(length)s characters; at most %(max)s are read"),
    "json_too_deep": N_("the JSON is nested too deeply to be GeoJSON"),
    "list_not_collection": N_("a GeoJSON import must be a FeatureCollection object, found a list"),
    # Translators: %(found)s is the JSON type found instead, as Python names
    # it (“list”, “str”).
    "value_not_collection": N_("a GeoJSON import must be a FeatureCollection object, found %(found)s"),
    "not_a_collection": N_("a GeoJSON import must be a FeatureCollection"),
    "no_features": N_("the FeatureCollection has no list of features"),
    # Translators: %(number)s is the number of the feature in the GeoJSON
    # file.
    "feature_not_object": N_("feature %(number)s is not an object"),
    # Translators: %(number)s is the number of the feature in the GeoJSON
    # file.
    "properties_not_object": N_("feature %(number)s: properties are not an object"),
    # A row is rejected.
    "no_name": N_("no name"),
    # A value is left out of a row.
    # Translators: %(value)r is the value that was read, in quotes. Keep the
    # example date as it is.
    "not_a_date": N_("expected a date such as 2012-05-31, found %(value)r"),
    # Translators: %(column)s is the name of a column in the file; %(problem)s
    # what is wrong with its value (a translated phrase).
    "value_left_out": N_("%(column)s: %(problem)s; left out"),
    # Translators: %(column)s is the name of a column in the file; %(problem)s
    # what is wrong with its value (a translated phrase).
    "term_left_out": N_("%(column)s: %(problem)s; left out (not stated)"),
    # Translators: %(column)s is the name of a column in the file; %(problem)s
    # what is wrong with its value (a translated phrase).
    "point_left_out": N_("%(column)s: %(problem)s; coordinates left out, the address is geocoded"),
    "one_coordinate": N_("only one of latitude and longitude is given; coordinates left out, the address is "
                         "geocoded"),
    # Translators: %(column)s is the name of a column in the file; %(value)r
    # the value that was read, in quotes.
    "not_an_email": N_("%(column)s: expected an e-mail address, found %(value)r; left out"),
    # A value is repaired.
    # Translators: %(column)s is the name of a column in the file; %(value)r
    # the value as read and %(fixed)r the value as repaired, both in quotes.
    "email_spaces": N_("%(column)s: spaces around the @ taken out: %(value)r is read as %(fixed)r"),
})

#: Phrases of the space's own columns (terms columns come from the terms schema).
SPACE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "space", "space name", "coworking", "coworking space", "title", "nome", "nombre"),
    "description": ("bio", "description", "about", "blurb", "descricao", "descripcion"),
    "address_line1": ("address", "street", "address line 1", "address 1", "street address", "endereco",
                      "direccion", "adresse", "strasse"),
    "address_line2": ("address line 2", "address 2"),
    "postcode": ("postcode", "postal code", "post code", "zip", "zip code", "cep", "plz", "cp", "codigo postal"),
    "city": ("city", "town", "cidade", "ciudad", "ville", "stadt", "location"),
    "region": ("region", "state", "province", "county", "estado", "provincia"),
    "country": ("country", "country code", "iso", "pais", "land", "pays"),
    "latitude": ("lat", "latitude"),
    "longitude": ("lon", "lng", "long", "longitude"),
    "website": ("website", "url", "web", "site", "homepage", "web site"),
    "email": ("email", "e mail", "mail", "contact email", "email address"),
    "phone": ("phone", "telephone", "tel", "telefone", "mobile", "phone number"),
    "price": ("price", "day pass", "day price", "drop in", "drop in price", "drop in rate", "day rate",
              "daily rate", "rate"),
    "drop_in_free": ("free drop in", "drop in free"),
    "terms_confirmed_at": ("terms confirmed", "last confirmed", "confirmed on", "terms last confirmed"),
    # The listing's links elsewhere (visa.directory.links).
    "facebook": ("facebook", "facebook page", "facebook url"),
    "twitter": ("twitter", "twitter handle", "twitter account"),
    "yelp": ("yelp", "yelp page", "yelp url"),
    "google_places": ("google places", "google place", "google maps", "places url"),
    "logo": ("logo", "logo url", "logo image"),
}
#: Headers that are a field only when they are the whole header (a lone "y" is a latitude, not "(y/n)").
EXACT_ONLY = {"y": "latitude", "x": "longitude"}
_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^]]*)\]")
_TOKEN = re.compile(r"[a-z0-9]+")
#: A CSV field larger than this is refused (the csv module's own limit, stated).
FIELD_LIMIT = csv.field_size_limit()
_DELIMITERS = ",;\t|"


#: A sheet with more columns than this is refused before its headers are read: real sheets have a few dozen.
MAX_COLUMNS = 1000


def _phrases() -> dict[str, list[tuple[str, ...]]]:
    table = dict(SPACE_COLUMNS) | {f.name: f.import_words for f in terms_schema.TERMS}
    return {name: [tuple(_TOKEN.findall(p)) for p in phrases] for name, phrases in table.items()}


def _fields_by_phrase(phrases: dict[str, list[tuple[str, ...]]]) -> dict[tuple[str, ...], list[str]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for fieldname, its_phrases in phrases.items():
        for phrase in its_phrases:
            if phrase:
                index.setdefault(phrase, []).append(fieldname)
    return index


_PHRASES = _phrases()
#: {phrase: the fields it names}: a header's runs of words are looked up here, so mapping is linear in headers.
_FIELDS_OF = _fields_by_phrase(_PHRASES)
_LONGEST = max(map(len, _FIELDS_OF))


class FileRejected(ValueError):
    """The whole file cannot be read; *reason* says why in one line."""

    def __init__(self, line: int, reason: Message) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


class RowError(ValueError):
    """A row that cannot be imported; *reason* is a :class:`Message` or the point's ``CoordinateError``."""

    def __init__(self, line: int, reason: object) -> None:
        super().__init__(str(reason))
        self.line, self.reason = line, reason


@dataclass
class RawRow:
    line: int  # the line in the file where the row starts (CSV) or the feature number (GeoJSON)
    values: dict[str, str]


@dataclass
class Sheet:
    rows: list[RawRow]
    columns: dict[str, str]  # {original header: field}
    unmapped: list[str]  # headers no field took
    hints: dict[str, str] = field(default_factory=dict)  # {field: hint in brackets}, e.g. {"price": "$"}

    def header_of(self, fieldname: str) -> str:
        return next((h for h, f in self.columns.items() if f == fieldname), fieldname)


@dataclass
class CleanRow:
    line: int
    fields: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)  # only the terms the row states
    country_text: str = ""
    has_point: bool = False
    warnings: list[Message] = field(default_factory=list)
    repairs: list[Message] = field(default_factory=list)  # values read after a sure repair


def _words(header: str) -> tuple[tuple[str, ...], str]:
    """(words of the header without bracketed hints, the hints)."""
    folded = unidecode(header or "").lower()
    hints = " ".join(a or b for a, b in _BRACKETS.findall(folded))
    return tuple(_TOKEN.findall(_BRACKETS.sub(" ", folded))), hints


def score(header: str, fieldname: str) -> float:
    """How well *header* names *fieldname*: the longest phrase it holds, plus one if that phrase is all of it."""
    return _scores(_words(header)[0]).get(fieldname, 0.0)


def _scores(words: tuple[str, ...]) -> dict[str, float]:
    """{field: score} for every field one of whose phrases is a run of *words*."""
    found: dict[str, float] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(start + _LONGEST, len(words)) + 1):
            run = words[start:end]
            for fieldname in _FIELDS_OF.get(run, ()):
                points = len(run) + (1 if len(run) == len(words) else 0)
                found[fieldname] = max(found.get(fieldname, 0.0), points)
    return found


def map_headers(headers: list[str]) -> dict[str, str]:
    """{original header: field}; each field takes its best header, best matches first; others are left out.

    :raise FileRejected: when there are more than :data:`MAX_COLUMNS` headers.
    """
    if len(headers) > MAX_COLUMNS:
        raise FileRejected(1, Message("too_many_columns", count=len(headers), limit=MAX_COLUMNS))
    candidates = []
    for position, header in enumerate(headers):
        exact = EXACT_ONLY.get((header or "").strip().lower())
        if exact:
            candidates.append((100.0, -position, header, exact))
            continue
        for fieldname, points in _scores(_words(header)[0]).items():
            candidates.append((points, -position, header, fieldname))
    mapped: dict[str, str] = {}
    taken: set[str] = set()
    for _points, _position, header, fieldname in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True):
        if header not in mapped and fieldname not in taken:
            mapped[header] = fieldname
            taken.add(fieldname)
    return {h: mapped[h] for h in headers if h in mapped}


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The rows of a CSV (any common delimiter, UTF-8 with or without BOM) or a GeoJSON FeatureCollection.

    :raise FileRejected: when the file cannot be read as either.
    """
    text = _text(data)
    if filename.lower().endswith((".geojson", ".json")) or text.lstrip().startswith(("{", "[")):
        return _geojson_sheet(text)
    return _csv_sheet(text)


def _text(data: bytes) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FileRejected(line, Message("nul_byte", line=line))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FileRejected(line, Message("not_utf8", line=line, byte=f"0x{data[err.start]:02x}")) from None


def _delimiter(text: str) -> str:
    """The delimiter the header line uses most (headers seldom hold quotes or line breaks, data rows do)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_sheet(text: str) -> Sheet:
    # Doubled quotes ("") inside quoted fields and line breaks inside them are the csv module's own dialect:
    # no sniffing of quoting, which misreads them.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"', doublequote=True,
                        skipinitialspace=True, strict=False)
    rows: list[RawRow] = []
    try:
        headers = next(reader, [])
        mapping = map_headers(headers)
        if "name" not in mapping.values():
            raise FileRejected(1, Message("no_name_column", headers=", ".join(headers)))
        start = reader.line_num + 1
        for record in reader:
            values = {mapping[h]: v.strip() for h, v in zip(headers, record, strict=False) if h in mapping}
            if any(values.values()):
                rows.append(RawRow(start, values))
            start = reader.line_num + 1
    except csv.Error as err:
        line = reader.line_num
        if "field larger than field limit" in str(err):
            raise FileRejected(line, Message("field_too_long", line=line, kb=FIELD_LIMIT // 1024)) from None
        raise FileRejected(line, Message("unreadable_csv", line=line, error=str(err))) from None
    return _sheet(rows, headers, mapping)


def _sheet(rows: list[RawRow], headers: list[str], mapping: dict[str, str]) -> Sheet:
    hints = {fieldname: _words(header)[1] for header, fieldname in mapping.items() if _words(header)[1]}
    unmapped = [h for h in headers if h not in mapping and (h or "").strip()]
    return Sheet(rows, mapping, unmapped, hints)


#: Longest number a GeoJSON file may hold, in characters: a coordinate with every digit a double keeps is about 25.
#: A longer one is refused before Python converts it: a 5,000-digit integer raises (int's digit limit), and
#: converting an integer takes time that grows with the square of its length.
MAX_NUMBER_LENGTH = 40


class _LongNumber(str):
    """A JSON number too long to read, kept as its text so that the refusal can say where it stands."""


def _bounded(convert):
    def parse(text: str):
        return _LongNumber(text) if len(text) > MAX_NUMBER_LENGTH else convert(text)
    return parse


def _long_number(value: object) -> tuple[str, _LongNumber] | None:
    """The path (``features[0].geometry.coordinates[1]``) and text of the first number too long to read."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:  # a loop, not recursion: the parser accepts nesting deeper than a recursive walk could follow
        path, item = stack.pop()
        if isinstance(item, _LongNumber):
            return path, item
        if isinstance(item, dict):
            stack += [(f"{path}.{key}" if path else str(key), v) for key, v in reversed(item.items())]
        elif isinstance(item, list):
            stack += [(f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item)))]
    return None


def _geojson_sheet(text: str) -> Sheet:
    try:
        collection = json.loads(text, parse_int=_bounded(int), parse_float=_bounded(float))
    except json.JSONDecodeError as err:
        raise FileRejected(err.lineno, Message("invalid_json", line=err.lineno, error=err.msg)) from None
    except RecursionError:
        raise FileRejected(1, Message("json_too_deep")) from None
    found = _long_number(collection)
    if found:
        path, number_ = found
        raise FileRejected(1, Message("number_too_long", field=path, length=len(number_), max=MAX_NUMBER_LENGTH))
    if isinstance(collection, list):
        raise FileRejected(1, Message("list_not_collection"))
    if not isinstance(collection, dict):
        raise FileRejected(1, Message("value_not_collection", found=type(collection).__name__))
    if collection.get("type") != "FeatureCollection":
        raise FileRejected(1, Message("not_a_collection"))
    features = collection.get("features")
    if not isinstance(features, list):
        raise FileRejected(1, Message("no_features"))
    keys: dict[str, None] = {}  # every property name, in order of appearance
    for number_, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise FileRejected(number_, Message("feature_not_object", number=number_))
        props = feature.get("properties")
        if props is not None and not isinstance(props, dict):
            raise FileRejected(number_, Message("properties_not_object", number=number_))
        keys.update(dict.fromkeys(props or {}))
        if len(keys) > MAX_COLUMNS:
            break  # refused by map_headers
    headers = list(keys)
    mapping = map_headers(headers)
    rows = []
    for number_, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        values = {mapping[k]: "" if v is None else str(v).strip() for k, v in props.items() if k in mapping}
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:
                lon, lat = coordinates[:2]  # RFC 7946: [longitude, latitude]
                values["longitude"], values["latitude"] = str(lon), str(lat)
        rows.append(RawRow(number_, values))
    return _sheet(rows, headers, mapping)


def read_rows(data: bytes, filename: str) -> Iterator[RawRow]:
    """The rows alone (see :func:`read_sheet`)."""
    yield from read_sheet(data, filename).rows


_CURRENCY_HINTS = {"$": "USD", "usd": "USD", "eur": "EUR", "€": "EUR", "£": "GBP", "gbp": "GBP"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y")


def _confirmed_at(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CleaningError("not_a_date", value=text)


def clean(row: RawRow, sheet: Sheet | None = None) -> CleanRow:
    """The row's values, each read on its own: an unreadable one is left out with a warning.

    :raise RowError: only when the row has no name.
    """
    v = row.values
    name = v.get("name", "")
    if not name:
        raise RowError(row.line, Message("no_name"))
    out = CleanRow(row.line, country_text=v.get("country", ""))
    header = sheet.header_of if sheet else (lambda f: f)

    def read(fieldname: str, parse, left_out: str = "value_left_out"):
        try:
            return parse(v.get(fieldname))
        except MessageError as err:  # a CleaningError, or a link that is no address (InvalidLink)
            out.warnings.append(Message(left_out, column=header(fieldname), problem=err.message))
            return None

    lat = read("latitude", lambda text: coordinate(text, "latitude"), "point_left_out")
    lon = read("longitude", lambda text: coordinate(text, "longitude"), "point_left_out")
    if (lat is None) != (lon is None):
        if not (v.get("latitude") and v.get("longitude")):  # an unreadable one is reported already
            out.warnings.append(Message("one_coordinate"))
        lat = lon = None
    out.fields = {
        "name": name[:200], "description": v.get("description", "")[:5000],
        "address_line1": v.get("address_line1", "")[:200], "address_line2": v.get("address_line2", "")[:200],
        "postcode": v.get("postcode", "")[:20], "city": v.get("city", "")[:120], "region": v.get("region", "")[:120],
        "website": (read("website", website) or "")[:300], "email": _email(v.get("email", ""), out, header),
        "phone": v.get("phone", "")[:40], "latitude": lat, "longitude": lon,
        "links": clean_links({kind: read(kind, lambda text, kind=kind: normalize_link(kind, text))
                              for kind in LINK_KINDS}),
    }
    currency = _CURRENCY_HINTS.get((sheet.hints.get("price", "") if sheet else "").strip(), "")
    cost = read("price", lambda text: price(text, currency))
    if cost is None and read("drop_in_free", lambda text: yes_no(text, None)):
        out.fields.update(price_amount=Decimal(0), price_currency=currency, price_unit="day")
    if cost is not None:
        out.fields.update(price_amount=cost.amount, price_currency=cost.currency, price_unit=cost.unit)
    confirmed = read("terms_confirmed_at", lambda text: _confirmed_at(text or ""))
    if confirmed is not None:
        out.fields["terms_confirmed_at"] = confirmed
    for f in terms_schema.TERMS:
        if v.get(f.name, "").strip():
            value = read(f.name, f.parse, "term_left_out")
            if value is not None:
                out.terms[f.name] = value
    out.has_point = lat is not None
    return out


#: Spaces typed around the @ ("coworking.stuttgart @ gmail.com"); an address holds no space, so this is sure.
_SPACED_AT = re.compile(r"\s*@\s*")


def _email(text: str, out: CleanRow, header) -> str:
    text = text.strip()
    if text.count("@") == 1 and _SPACED_AT.search(text).group(0) != "@":
        fixed = _SPACED_AT.sub("@", text)
        if _is_email(fixed):
            out.repairs.append(Message("email_spaces", column=header("email"), value=text, fixed=fixed))
            text = fixed
    if text and not _is_email(text):
        out.warnings.append(Message("not_an_email", column=header("email"), value=text))
        return ""
    return text[:254]


def _is_email(text: str) -> bool:
    return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None
