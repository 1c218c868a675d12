"""The registry: spaces, their structured visa terms, and the registry version.

Only approved spaces are ever shown to travellers: use :meth:`Space.visible` or
``Space.is_visible``. Each rule about which spaces count is a named query here, never
a status filter written by hand.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from visa.directory.terms_schema import (  # noqa: F401 - re-exported for callers
    ALL_WEEKDAYS,
    TERMS,
    WEEKDAY_BITS,
    WEEKDAYS_MON_FRI,
    RequestMethod,
)
from visa.extensions import db
from visa.timeutil import utcnow


class SpaceStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    CLOSED = "closed"  # the space closed: archived, off search and export, history kept; an admin can restore it


class ConfirmedBy(enum.StrEnum):
    """Who last confirmed a listing's facts (``Space.terms_confirmed_by``): the provenance travellers see."""

    HOST = "host"  # its host, signed in
    CONTACT = "contact"  # its listed contact, answering a campaign's mail (via: the campaign's name)
    VOLUNTEER = "volunteer"  # a volunteer, checked by a second person (via: a URL, or "phone call on DATE")


#: Listed, or waiting for an admin: the spaces a new listing may duplicate.
LISTED_OR_PENDING = (SpaceStatus.APPROVED, SpaceStatus.PENDING)
#: Terms not confirmed for this long are shown as possibly out of date (and their hosts reminded before).
STALE_AFTER = timedelta(days=365)
#: Listings come back into the freshness pipeline (a campaign's mail, then the volunteers) this long before.
REMIND_BEFORE = timedelta(days=30)


terms_excluded_spaces = db.Table(
    "terms_excluded_space",
    sa.Column("space_id", sa.ForeignKey("visa_terms.space_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("excluded_space_id", sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)


class Space(db.Model):
    __tablename__ = "space"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    address_line1: Mapped[str] = mapped_column(sa.String(200), default="")
    address_line2: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    region: Mapped[str] = mapped_column(sa.String(120), default="")
    postcode: Mapped[str] = mapped_column(sa.String(20), default="")
    country_code: Mapped[str] = mapped_column(sa.String(2), index=True)
    latitude: Mapped[float] = mapped_column(sa.Float)
    longitude: Mapped[float] = mapped_column(sa.Float)
    geocode_precision: Mapped[str] = mapped_column(sa.String(10), default="city")
    geocode_source: Mapped[str] = mapped_column(sa.String(40), default="offline")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    status: Mapped[SpaceStatus] = mapped_column(
        sa.Enum(SpaceStatus, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]),
        default=SpaceStatus.PENDING, index=True,
    )
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    terms_confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Who confirmed the terms last (ConfirmedBy; None: nobody known, as for an import's own date) and through
    # what: a campaign's name, a volunteer's source.
    terms_confirmed_by: Mapped[str | None] = mapped_column(sa.String(12))
    terms_confirmed_via: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # The file an import created the listing from ("coworking-visa-2012.csv"): provenance and campaign selection.
    import_file: Mapped[str] = mapped_column(sa.String(200), default="", server_default="", index=True)
    # A visitor's price when there is no visa (legacy lists carried it: "$25", "25 euro", "R$ 10/h").
    price_amount: Mapped[float | None] = mapped_column(sa.Numeric(10, 2))
    price_currency: Mapped[str] = mapped_column(sa.String(3), default="", server_default="")
    price_unit: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")  # hour, day, week, month
    # Its pages elsewhere ({"facebook": url, "twitter": url, "yelp": url, "google_places": url, "logo": url}),
    # https addresses that passed the website rule (visa.directory.links); kept in revisions like any field.
    links: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))
    # The key an import matched this space by (a normalised website or name and city), so re-running it is
    # idempotent; unique, so two imports at once can never list one space twice.
    import_key: Mapped[str | None] = mapped_column(sa.String(300), index=True, unique=True)
    # Optimistic locking: a save based on a stale copy fails instead of overwriting.
    lock_version: Mapped[int] = mapped_column(default=1)

    terms: Mapped[VisaTerms] = relationship(back_populates="space", uselist=False, cascade="all, delete-orphan",
                                            lazy="joined")

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (sa.Index("ix_space_status_lat_lon", "status", "latitude", "longitude"),)

    @hybrid_property
    def is_visible(self) -> bool:
        """Approved: a traveller may see it. On the class, the same rule as a SQL condition."""
        return self.status == SpaceStatus.APPROVED

    @hybrid_property
    def is_listed_or_pending(self) -> bool:
        """Listed or waiting for an admin (see ``LISTED_OR_PENDING``)."""
        return self.status in LISTED_OR_PENDING

    @is_listed_or_pending.inplace.expression
    @classmethod
    def _is_listed_or_pending_expression(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(LISTED_OR_PENDING)

    @classmethod
    def visible(cls) -> sa.Select:
        """Spaces a traveller may see."""
        return sa.select(cls).where(cls.is_visible)

    @classmethod
    def unconfirmed_since(cls, moment: datetime) -> sa.ColumnElement[bool]:
        """Terms never confirmed, or last confirmed before *moment* (``utcnow() - STALE_AFTER``: stale)."""
        return sa.or_(cls.terms_confirmed_at.is_(None), cls.terms_confirmed_at < moment)

    def __repr__(self) -> str:
        return f"<Space {self.slug}>"


class VisaTerms(db.Model):
    """A host's visa terms as structured fields; ``notes`` only adds to them.

    The fields are declared in :mod:`visa.directory.terms_schema`; each may be
    None ("not stated"), and ``is_participating`` is yes / no / not stated.
    """

    __tablename__ = "visa_terms"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    # One nullable column per field of visa.directory.terms_schema: NULL is "not stated".
    vars().update({f.name: mapped_column(f.name, f.kind.column_type(f), nullable=True) for f in TERMS})

    space: Mapped[Space] = relationship(back_populates="terms")
    excluded_spaces: Mapped[list[Space]] = relationship(secondary=terms_excluded_spaces, lazy="selectin")


class RegistryVersion(db.Model):
    """One row whose value changes on every change to a space or its terms.

    Per-process indexes compare it on each request, so a write made by another
    worker or machine is seen at once. The value is random rather than a
    counter so that a restored backup can never repeat a version an index saw.
    """

    __tablename__ = "registry_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


@event.listens_for(Session, "before_flush")
def _bump_registry_version(session: Session, _context, _instances) -> None:
    touched = (session.new | session.dirty | session.deleted)
    if not any(isinstance(obj, Space | VisaTerms) for obj in touched):
        return
    if session.info.get("registry_bumped"):
        return
    session.info["registry_bumped"] = True
    bump_registry_version(session.connection())


def bump_registry_version(connection) -> None:
    """Tell every process's spatial index that the registry changed (also for Core bulk writes)."""
    version = secrets.randbits(62)
    updated = connection.execute(sa.update(RegistryVersion).where(RegistryVersion.id == 1).values(version=version))
    if updated.rowcount == 0:
        connection.execute(sa.insert(RegistryVersion).values(id=1, version=version))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _reset_bump_flag(session: Session) -> None:
    session.info.pop("registry_bumped", None)
