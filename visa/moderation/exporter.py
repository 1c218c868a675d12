"""Export the approved registry as GeoJSON (RFC 7946) or CSV."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.directory.presenters import terms_dict
from visa.extensions import db

CSV_COLUMNS = ("slug", "name", "address_line1", "address_line2", "postcode", "city", "region", "country",
               "latitude", "longitude", "precision", "website", "email", "phone", "participates", "free_days_per_visit",
               "free_days_per_month", "free_days_per_year", "advance_notice_hours", "request_method", "request_contact",
               "membership_proof_required", "weekdays", "min_distance_km", "same_city_excluded", "reciprocal_only",
               "capacity_per_day", "terms_confirmed_at", "notes")


def _approved():
    return db.session.scalars(sa.select(Space).where(Space.status == SpaceStatus.APPROVED)
                              .order_by(Space.slug)).unique()


def _flat(space: Space) -> dict:
    t = terms_dict(space.terms)
    return {
        "slug": space.slug, "name": space.name, "address_line1": space.address_line1,
        "address_line2": space.address_line2, "postcode": space.postcode, "city": space.city, "region": space.region,
        "country": space.country_code, "latitude": space.latitude, "longitude": space.longitude,
        "precision": space.geocode_precision, "website": space.website, "email": space.email, "phone": space.phone,
        "participates": t["participates"], "free_days_per_visit": t["free_days_per_visit"],
        "free_days_per_month": t["free_days_per_month"], "free_days_per_year": t["free_days_per_year"],
        "advance_notice_hours": t["advance_notice_hours"], "request_method": t["request_method"],
        "request_contact": t["request_contact"], "membership_proof_required": t["membership_proof_required"],
        "weekdays": " ".join(t["weekdays"]), "min_distance_km": t["exclusions"]["min_distance_km"],
        "same_city_excluded": t["exclusions"]["same_city"], "reciprocal_only": t["reciprocal_only"],
        "capacity_per_day": t["capacity_per_day"],
        "terms_confirmed_at": space.terms_confirmed_at.isoformat() if space.terms_confirmed_at else "",
        "notes": t["notes"],
    }


def export_geojson() -> str:
    features = []
    for space in _approved():
        props = _flat(space)
        lon, lat = props.pop("longitude"), props.pop("latitude")
        features.append({"type": "Feature", "id": space.slug,
                         "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def export_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for space in _approved():
        writer.writerow(_flat(space))
    return out.getvalue()
