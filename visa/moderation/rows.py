"""Read legacy spreadsheets and GeoJSON into clean rows (pure; no Flask, no database).

Column names are free: each known field has the headers networks really use
("Space", "Lat", "Coworking Visa?", "Day pass"...), matched after folding case,
accents and punctuation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from visa.geocoding.normalize import name_key
from visa.moderation.cleaning import CleaningError, number, price, website, yes_no

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "space", "space name", "coworking", "coworking space", "title", "nome", "nombre"),
    "address_line1": ("address", "street", "address line 1", "street address", "endereco", "direccion", "adresse"),
    "address_line2": ("address line 2", "address 2"),
    "postcode": ("postcode", "postal code", "zip", "zip code", "cep", "plz", "cp"),
    "city": ("city", "town", "cidade", "ciudad", "ville", "stadt", "location"),
    "region": ("region", "state", "province", "county", "estado"),
    "country": ("country", "country code", "iso", "pais", "país", "land", "pays"),
    "latitude": ("lat", "latitude", "y"),
    "longitude": ("lon", "lng", "long", "longitude", "x"),
    "website": ("website", "url", "web", "site", "homepage", "web site"),
    "email": ("email", "e mail", "mail", "contact email"),
    "phone": ("phone", "telephone", "tel", "telefone"),
    "price": ("price", "day pass", "day price", "drop in", "drop in price", "daily rate", "rate"),
    "participates": ("visa", "coworking visa", "participates", "honors visa", "accepts visa", "coworking visa?"),
    "free_days": ("days", "free days", "visa days", "free days per visit", "max days"),
    "notice_hours": ("notice", "notice hours", "advance notice", "advance notice hours"),
    "proof": ("proof", "membership proof", "proof of membership", "card required"),
    "notes": ("notes", "comments", "terms", "visa terms", "remarks"),
}
_HEADER_TO_FIELD = {name_key(alias): fieldname for fieldname, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass
class RawRow:
    line: int  # the line in the file (CSV) or the feature number (GeoJSON)
    values: dict[str, str]


@dataclass
class CleanRow:
    line: int
    fields: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    country_text: str = ""
    has_point: bool = False


class RowError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def map_headers(headers: list[str]) -> dict[str, str]:
    """{original header: field}; unknown headers are left out."""
    mapped = {}
    for header in headers:
        fieldname = _HEADER_TO_FIELD.get(name_key(header or ""))
        if fieldname and fieldname not in mapped.values():
            mapped[header] = fieldname
    return mapped


def read_rows(data: bytes, filename: str) -> Iterator[RawRow]:
    """Rows of a CSV (any common delimiter, UTF-8 with or without BOM) or a GeoJSON FeatureCollection."""
    text = data.decode("utf-8-sig", errors="replace")
    if filename.lower().endswith((".geojson", ".json")) or text.lstrip().startswith("{"):
        yield from _geojson_rows(text)
        return
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    mapping = map_headers(reader.fieldnames or [])
    if "name" not in mapping.values():
        raise RowError(1, f"no column holds the space's name (headers: {', '.join(reader.fieldnames or [])})")
    for record in reader:
        values = {mapping[h]: (v or "").strip() for h, v in record.items() if h in mapping and isinstance(v, str)}
        if any(values.values()):
            yield RawRow(reader.line_num, values)


def _geojson_rows(text: str) -> Iterator[RawRow]:
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as err:
        raise RowError(err.lineno, f"not valid JSON: {err.msg}") from None
    if collection.get("type") != "FeatureCollection":
        raise RowError(1, "a GeoJSON import must be a FeatureCollection")
    for number_, feature in enumerate(collection.get("features") or [], start=1):
        props = feature.get("properties") or {}
        mapping = map_headers(list(props))
        values = {mapping[k]: "" if v is None else str(v).strip() for k, v in props.items() if k in mapping}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            lon, lat = geometry["coordinates"][:2]  # RFC 7946: [longitude, latitude]
            values["longitude"], values["latitude"] = str(lon), str(lat)
        yield RawRow(number_, values)


def clean(row: RawRow) -> CleanRow:
    """:raise RowError: naming what is wrong with the row."""
    v = row.values
    name = v.get("name", "")
    if not name:
        raise RowError(row.line, "no name")
    try:
        lat, lon = number(v.get("latitude")), number(v.get("longitude"))
        site = website(v.get("website"))
        participates = yes_no(v.get("participates"), default=True)
        proof = yes_no(v.get("proof"), default=True)
        cost = price(v.get("price"))
        days = number(v.get("free_days"))
        notice = number(v.get("notice_hours"))
    except CleaningError as err:
        raise RowError(row.line, str(err)) from None
    if (lat is None) != (lon is None):
        raise RowError(row.line, "only one of latitude and longitude is given")
    fields = {
        "name": name[:200], "address_line1": v.get("address_line1", "")[:200],
        "address_line2": v.get("address_line2", "")[:200], "postcode": v.get("postcode", "")[:20],
        "city": v.get("city", "")[:120], "region": v.get("region", "")[:120], "website": site[:300],
        "email": v.get("email", "")[:254], "phone": v.get("phone", "")[:40], "latitude": lat, "longitude": lon,
    }
    if cost is not None:
        fields.update(price_amount=cost.amount, price_currency=cost.currency, price_unit=cost.unit)
    terms = {"is_participating": participates, "requires_membership_proof": proof, "notes": v.get("notes", "")[:2000]}
    if days is not None:
        if days < 0 or days > 31 or days != int(days):
            raise RowError(row.line, f"free days must be a whole number from 0 to 31, not {v.get('free_days')!r}")
        terms["free_days_per_visit"] = int(days)
    if notice is not None:
        terms["advance_notice_hours"] = max(0, int(notice))
    return CleanRow(row.line, fields, terms, v.get("country", ""), lat is not None)
