"""Export the approved registry as GeoJSON (RFC 7946) or CSV.

Demo listings (invented spaces) are marked in a ``demo`` column, and can be left out.

Each listing carries its approved photos: in GeoJSON a ``photos`` list (absolute URLs, alt text, caption,
language, every published file); in CSV the largest JPEG's URL and the alt text of each, one a line, in the
gallery's order (``photo_urls``, ``photo_alts``).

The terms columns come from :mod:`visa.directory.terms_schema`; a term not
stated is an empty cell (CSV) or null (GeoJSON). CSV text cells that a
spreadsheet would run as a formula are neutralised, as OWASP recommends.
"""

from __future__ import annotations

import csv
import io
import json

from visa.directory import terms_schema
from visa.directory.models import Space
from visa.directory.presenters import provenance
from visa.extensions import db
from visa.mailer import absolute_url
from visa.photos.presenters import photo_json, shown_photos

SPACE_COLUMNS = ("slug", "name", "address_line1", "address_line2", "postcode", "city", "region", "country",
                 "latitude", "longitude", "precision", "website", "email", "phone")
CSV_COLUMNS = (*SPACE_COLUMNS, *(f.export for f in terms_schema.TERMS), "excluded_spaces", "terms_confirmed_at",
               "facts_source", "facts_source_detail", "demo", "photo_urls", "photo_alts")
#: A cell starting with one of these runs as a formula in spreadsheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_KINDS = (terms_schema.Weekdays, terms_schema.Periods, terms_schema.MonthDay, terms_schema.Choice)


def _approved(include_demo: bool = True):
    query = Space.visible().order_by(Space.slug)
    if not include_demo:
        query = query.where(~Space.is_demo)
    return db.session.scalars(query).unique()


def _flat(space: Space, as_cells: bool) -> dict:
    row = {
        "slug": space.slug, "name": space.name, "address_line1": space.address_line1,
        "address_line2": space.address_line2, "postcode": space.postcode, "city": space.city, "region": space.region,
        "country": space.country_code, "latitude": space.latitude, "longitude": space.longitude,
        "precision": space.geocode_precision, "website": space.website, "email": space.email, "phone": space.phone,
    }
    terms = space.terms
    for f in terms_schema.TERMS:
        value = getattr(terms, f.name) if terms is not None else None
        if value is None:
            row[f.export] = "" if as_cells else None
        else:
            row[f.export] = f.to_cell(value) if as_cells or isinstance(f.kind, _TEXT_KINDS) else f.to_plain(value)
    row["excluded_spaces"] = " ".join(sorted(s.slug for s in terms.excluded_spaces)) if terms is not None else ""
    row["terms_confirmed_at"] = space.terms_confirmed_at.isoformat() if space.terms_confirmed_at else (
        "" if as_cells else None)
    origin = provenance(space)  # who confirmed the facts (host, contact, volunteer) or the import they came from
    row["facts_source"], row["facts_source_detail"] = origin["kind"], origin["source"]
    row["demo"] = ("yes" if space.is_demo else "no") if as_cells else bool(space.is_demo)
    return row


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_geojson(include_demo: bool = True) -> str:
    features = []
    photos = shown_photos()
    for space in _approved(include_demo):
        props = _flat(space, as_cells=False)
        props["photos"] = [photo_json(p, absolute_url) for p in photos.get(space.id, [])]
        lon, lat = props.pop("longitude"), props.pop("latitude")
        features.append({"type": "Feature", "id": space.slug,
                         "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def export_csv(include_demo: bool = True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    photos = shown_photos()
    for space in _approved(include_demo):
        row = _flat(space, as_cells=True)
        shown = [photo_json(p, absolute_url) for p in photos.get(space.id, [])]
        row["photo_urls"] = "\n".join(p["url"] for p in shown)
        row["photo_alts"] = "\n".join(p["alt"] for p in shown)
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return out.getvalue()
