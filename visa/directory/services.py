"""Operations on the registry shared by pages and commands.

Every change is kept as a revision (``visa.directory.revisions``). They flush but never commit: the request or command that calls
them commits once.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from unidecode import unidecode

from visa.directory import terms_schema
from visa.directory.duplicates import DUPLICATE_RADIUS_KM, Likeness, Listing, compare
from visa.directory.locations import check_location
from visa.directory.models import ConfirmedBy, Space, SpaceStatus, VisaTerms
from visa.directory.revisions import Revision, diff, record_event, record_revision, snapshot
from visa.extensions import db
from visa.geo.distance import bounding_box
from visa.timeutil import utcnow


class EditConflict(Exception):
    """Someone saved this space after the editor loaded it; *changes* says what they changed."""

    def __init__(self, changes: dict[str, list]) -> None:
        super().__init__("the space changed since you opened it")
        self.changes = changes


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")[:100] or "space"


def slug_base(name: str, city: str) -> str:
    """"Harbor Desk" in Lisbon -> "harbor-desk-lisbon"; the city is left out when the name holds it."""
    return slugify(f"{name} {city}" if city and slugify(city) not in slugify(name) else name)


def unique_slug(name: str, city: str) -> str:
    base = slug_base(name, city)
    taken = set(db.session.scalars(sa.select(Space.slug).where(Space.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def find_duplicates(name: str, lat: float, lon: float, exclude_id: int | None = None, website: str = "",
                    address: str = "", city: str = "") -> list[Space]:
    """Listed or pending spaces nearby that are, or may be, the same space (visa.directory.duplicates)."""
    south, north, west, east = bounding_box(lat, lon, DUPLICATE_RADIUS_KM)
    query = sa.select(Space).where(Space.latitude.between(south, north), Space.longitude.between(west, east),
                                   Space.is_listed_or_pending)
    if exclude_id is not None:
        query = query.where(Space.id != exclude_id)
    mine = Listing(name, lat, lon, website, address, city)
    found = []
    for other in db.session.scalars(query).unique():
        match = compare(mine, listing_of(other))
        if match is not None and match.likeness in (Likeness.SAME, Likeness.POSSIBLE):
            found.append(other)
    return found


def listing_of(space: Space) -> Listing:
    return Listing(space.name, space.latitude, space.longitude, space.website or "", space.address_line1 or "",
                   space.city or "")


def create_space(fields: dict, terms: dict | None = None, source: str = "web", user_id: int | None = None) -> Space:
    """Add a space after checking its point against its country.

    :raise CoordinateError: when the point is not in the stated country.
    """
    check_location(fields["latitude"], fields["longitude"], fields["country_code"])
    space = Space(**fields)
    space.slug = unique_slug(space.name, space.city)
    space.terms = VisaTerms(**(terms or {}))
    db.session.add(space)
    record_revision(space, None, user_id, source)
    return space


def changes_since(space: Space, version: int) -> dict[str, list]:
    """What was saved to *space* after its *version* (from the revision that recorded that version)."""
    base = db.session.scalars(sa.select(Revision).where(Revision.space_id == space.id)
                              .order_by(Revision.id)).all()
    seen = next((r.snapshot for r in base if r.snapshot.get("lock_version") == version), {})
    return diff(seen, snapshot(space))


def _check_version(space: Space, expected_version: int) -> None:
    """The early check; the database's own (``version_id_col``) catches saves that pass it together."""
    if expected_version != space.lock_version:
        raise EditConflict(changes_since(space, expected_version))


def update_space(space: Space, fields: dict, user_id: int | None, expected_version: int,
                 source: str = "web") -> Revision | None:
    """Change a space's details; the point is checked when it or the country changes.

    :raise EditConflict: when *expected_version* is not the current one.
    :raise CoordinateError: when the new point is not in the country.
    """
    _check_version(space, expected_version)
    before = snapshot(space)
    lat = fields.get("latitude", space.latitude)
    lon = fields.get("longitude", space.longitude)
    country = fields.get("country_code", space.country_code)
    if (lat, lon, country) != (space.latitude, space.longitude, space.country_code):
        check_location(lat, lon, country)
    for name, value in fields.items():
        setattr(space, name, value)
    return record_revision(space, before, user_id, source)


def mark_confirmed(space: Space, by: ConfirmedBy, via: str = "") -> None:
    """The listing's facts were confirmed now, by *by* through *via* (a campaign's name, a volunteer's source):
    what the space page, the API and the export show as its provenance. The caller records the revision."""
    space.terms_confirmed_at = utcnow()  # also bumps lock_version: terms live in another row
    space.terms_confirmed_by = by.value
    space.terms_confirmed_via = via[:300]


def update_terms(space: Space, values: dict, user_id: int | None, expected_version: int,
                 source: str = "web", by: ConfirmedBy = ConfirmedBy.HOST, via: str = "",
                 note: str = "") -> Revision:
    """Set the terms to *values* (field name -> value, None for "not stated"); saving them also confirms them.

    One revision, even when nothing but the confirmation date changed; *note* goes with it.

    :raise EditConflict: when *expected_version* is not the current one.
    """
    _check_version(space, expected_version)
    before = snapshot(space)
    for name, value in values.items():
        setattr(space.terms, name, value)
    mark_confirmed(space, by, via)
    revision = record_revision(space, before, user_id, source) or record_event(space, user_id, source)
    revision.note = note
    return revision


def confirm_terms(space: Space, user_id: int | None, expected_version: int) -> Revision:
    """"These terms are still accurate": renews the last-confirmed date, kept as a confirmation event (a
    revision of kind "confirm" with no field changes), not as an edit.

    :raise EditConflict: the listing changed since *expected_version* (its host must look again).
    """
    _check_version(space, expected_version)
    mark_confirmed(space, ConfirmedBy.HOST)
    return record_event(space, user_id, "confirm")


def set_status(space: Space, status: SpaceStatus, user_id: int | None) -> Revision | None:
    before = snapshot(space)
    space.status = status
    return record_revision(space, before, user_id, "moderation")


#: Keys of a merge revision that name the other listing; reverting a merge leaves them be.
MERGE_LINKS = ("merged_from", "merged_into")


def _restore(space: Space, key: str, value: Any) -> None:
    if key in MERGE_LINKS:
        return
    if key.startswith("terms."):
        name = key.split(".", 1)[1]
        if name == "excluded_spaces":
            space.terms.excluded_spaces = list(db.session.scalars(
                sa.select(Space).where(Space.slug.in_(value or []))).unique())
            return
        setattr(space.terms, name, terms_schema.BY_NAME[name].from_plain(value))
        return
    if key in ("terms_confirmed_at",) and value:
        value = datetime.fromisoformat(value)
    if key == "status":
        value = SpaceStatus(value)
    if key == "price_amount" and value is not None:
        value = Decimal(value)
    setattr(space, key, value)


def revert(revision: Revision, user_id: int | None) -> Revision | None:
    """Undo what *revision* changed (as a new revision); the point is checked again."""
    space = db.session.get(Space, revision.space_id)
    before = snapshot(space)
    changes = {k: v for k, v in revision.changes.items() if k not in MERGE_LINKS}
    if changes and all(old is None for old, _ in changes.values()):
        # The revision created the listing: undoing it takes the listing off the map, keeping its history.
        space.status = SpaceStatus.SUSPENDED
    else:
        for key, (old, _new) in revision.changes.items():
            _restore(space, key, old)
        check_location(space.latitude, space.longitude, space.country_code)
    new = record_revision(space, before, user_id, "revert")
    if new is not None:
        db.session.flush()
        revision.reverted_by_id = new.id
    return new
