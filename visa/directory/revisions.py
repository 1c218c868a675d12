"""Every change to a listing, kept as a revision; the one way to write them, one at a time or in bulk.

Services, the importer's updates and its bulk inserts, merges and reverts all write through
``record_revision`` or ``record_new_spaces``, so every revision has the same shape.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.directory import terms_schema
from visa.directory.models import Space
from visa.extensions import db
from visa.timeutil import utcnow

SPACE_FIELDS = ("name", "description", "address_line1", "address_line2", "city", "region", "postcode",
                "country_code", "latitude", "longitude", "geocode_precision", "geocode_source", "timezone",
                "website", "links", "email", "phone", "status", "is_demo", "terms_confirmed_at", "price_amount",
                "price_currency", "price_unit")
TERMS_FIELDS = terms_schema.FIELD_NAMES



class Revision(db.Model):
    """One change to a space or its terms: who, when, the field-by-field diff and the state after."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(sa.String(40), default="web")  # web, import, seed, revert
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # {field: [old, new]} for the readable diff; snapshot is the state after the change.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reverted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id", ondelete="SET NULL"))
    # What an admin wrote with a decision: a rejection's or suspension's reason, the changes asked for.
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    space = relationship("Space", lazy="joined")
    user = relationship("User", lazy="joined")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # the column's scale: 25 and 25.00 are the same price
    if hasattr(value, "value"):
        return value.value
    return value


def snapshot(space: Space) -> dict:
    """The space and its terms as plain JSON values, flat ("terms.x" keys)."""
    terms = None
    if space.terms is not None:
        terms = {f: getattr(space.terms, f) for f in TERMS_FIELDS}
        terms["excluded_spaces"] = sorted(s.slug for s in space.terms.excluded_spaces)
    return snapshot_of_values({f: getattr(space, f) for f in SPACE_FIELDS} | {"lock_version": space.lock_version},
                              terms)


def snapshot_of_values(space: dict, terms: dict | None) -> dict:
    """The same snapshot from column values, for bulk imports that create no ORM objects."""
    data = {f: _plain(space.get(f)) for f in SPACE_FIELDS}
    data["links"] = dict(space.get("links") or {})  # a listing not yet flushed has None: the same as no links
    data["lock_version"] = space.get("lock_version")
    if terms is not None:
        data.update({f"terms.{f}": _plain(terms.get(f)) for f in TERMS_FIELDS})
        data["terms.excluded_spaces"] = list(terms.get("excluded_spaces") or [])
    return data


def diff(before: dict, after: dict) -> dict[str, list]:
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
            if k != "lock_version" and before.get(k) != after.get(k)}


def record_revision(space: Space, before: dict | None, user_id: int | None, source: str) -> Revision | None:
    db.session.flush()
    after = snapshot(space)
    changes = diff(before or {}, after)
    if not changes:
        return None
    revision = Revision(space_id=space.id, user_id=user_id, source=source, changes=changes, snapshot=after)
    db.session.add(revision)
    return revision


def record_event(space: Space, user_id: int | None, source: str, note: str = "") -> Revision:
    """A revision with no field change (a confirmation, a merge, changes asked for): who, when, the state after.

    The snapshot is taken after a flush, so it holds the new ``lock_version`` an edit conflict compares with.
    """
    db.session.flush()
    revision = Revision(space_id=space.id, user_id=user_id, source=source, changes={}, snapshot=snapshot(space),
                        note=note)
    db.session.add(revision)
    return revision


def record_new_spaces(created: list[tuple[int, dict, dict | None]], user_id: int | None, source: str,
                      now: datetime) -> None:
    """The first revision of each (space id, space columns, terms columns) written by a Core bulk insert.

    One statement for all: the same revisions ``record_revision`` writes, without ORM objects.
    """
    rows = []
    for space_id, space, terms in created:
        state = snapshot_of_values(space, terms)
        rows.append({"space_id": space_id, "user_id": user_id, "source": source, "created_at": now,
                     "changes": diff({}, state), "snapshot": state})
    if rows:
        db.session.execute(sa.insert(Revision.__table__), rows)
