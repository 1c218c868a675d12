"""Operations on the registry shared by pages and commands.

They flush but never commit: the request or command that calls them commits once.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from unidecode import unidecode

from visa.directory.locations import check_location
from visa.directory.models import Space, VisaTerms
from visa.extensions import db
from visa.moderation.models import Revision

SPACE_FIELDS = ("name", "description", "address_line1", "address_line2", "city", "region", "postcode",
                "country_code", "latitude", "longitude", "geocode_precision", "geocode_source", "timezone",
                "website", "email", "phone", "status", "is_demo")
TERMS_FIELDS = ("is_participating", "free_days_per_visit", "free_days_per_month", "free_days_per_year",
                "advance_notice_hours", "request_method", "request_contact", "requires_membership_proof",
                "weekdays", "season_start", "season_end", "blackout_dates", "capacity_per_day",
                "min_distance_km", "excludes_same_city", "is_reciprocal_only", "notes")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")[:100] or "space"


def unique_slug(name: str, city: str) -> str:
    base = slugify(f"{name} {city}" if city and slugify(city) not in slugify(name) else name)
    taken = set(db.session.scalars(sa.select(Space.slug).where(Space.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def snapshot(space: Space) -> dict:
    data = {f: _plain(getattr(space, f)) for f in SPACE_FIELDS}
    if space.terms is not None:
        data["terms"] = {f: _plain(getattr(space.terms, f)) for f in TERMS_FIELDS}
    return data


def create_space(fields: dict, terms: dict | None = None, source: str = "web", user_id: int | None = None) -> Space:
    """Add a space after checking its point against its country.

    :raise CoordinateError: when the point is not in the stated country.
    """
    check_location(fields["latitude"], fields["longitude"], fields["country_code"])
    space = Space(**fields)
    space.slug = unique_slug(space.name, space.city)
    space.terms = VisaTerms(**(terms or {}))
    db.session.add(space)
    db.session.flush()
    after = snapshot(space)
    db.session.add(Revision(space_id=space.id, user_id=user_id, source=source,
                            changes={key: [None, value] for key, value in after.items()}, snapshot=after))
    return space
