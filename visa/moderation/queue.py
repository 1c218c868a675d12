"""What an admin needs to decide on a pending listing or a report, gathered for the queue page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from visa.accounts.models import SpaceHost, User
from visa.directory.locations import namesakes
from visa.directory.models import Space, SpaceStatus
from visa.directory.presenters import headline, term_rows
from visa.directory.revisions import Revision
from visa.directory.services import find_duplicates
from visa.extensions import db
from visa.geocoding.namesakes import nearest
from visa.moderation.models import Report
from visa.moderation.revision_words import kind_of


@dataclass
class PendingItem:
    space: Space
    submitter: User | None
    headline: str
    term_rows: list[tuple[str, str]]
    duplicates: list[Space]
    pin_place: tuple[str, float] | None  # the gazetteer's place nearest the pin, and its distance in km


@dataclass
class ReportItem:
    report: Report
    history: list[Report]  # the listing's other reports, newest first


def pending_items(limit: int = 100) -> list[PendingItem]:
    """Pending listings, oldest first, each with its submitter, terms and possible duplicates nearby."""
    spaces = db.session.scalars(sa.select(Space).where(Space.status == SpaceStatus.PENDING)
                                .order_by(Space.created_at).limit(limit)).unique().all()
    items = []
    for space in spaces:
        twins = find_duplicates(space.name, space.latitude, space.longitude, space.id, space.website or "",
                                space.address_line1 or "", space.city or "")
        items.append(PendingItem(space, submitter_of(space), headline(space.terms),
                                 term_rows(space.terms) if space.terms else [], twins, pin_place(space)))
    return items


#: How far from the pin the queue looks for the place it names.
PIN_PLACE_KM = 30.0


def pin_place(space: Space) -> tuple[str, float] | None:
    """Where the pin really is, from the gazetteer: an address typed as "Lisboa" but pinned in Porto shows."""
    places = namesakes()
    if places is None:
        return None
    found = nearest(space.latitude, space.longitude,
                    places.near(space.latitude, space.longitude, space.country_code, PIN_PLACE_KM))
    return None if found is None else (found[0].label, found[1])


def submitter_of(space: Space) -> User | None:
    """The account that created the listing, else its first host (imports have neither)."""
    first = db.session.scalars(sa.select(Revision).where(Revision.space_id == space.id)
                               .order_by(Revision.id).limit(1)).first()
    if first is not None and first.user is not None and kind_of(first) in ("created", "edited"):
        return first.user
    return db.session.scalars(sa.select(User).join(SpaceHost, SpaceHost.user_id == User.id)
                              .where(SpaceHost.space_id == space.id).order_by(User.id).limit(1)).first()


def report_items() -> list[ReportItem]:
    """Open reports, oldest first, each with the listing's other reports."""
    open_reports = list(db.session.scalars(sa.select(Report).where(Report.resolved_at.is_(None))
                                           .order_by(Report.created_at)))
    space_ids = {r.space_id for r in open_reports}
    by_space: dict[int, list[Report]] = {}
    for report in db.session.scalars(sa.select(Report).where(Report.space_id.in_(space_ids))
                                     .order_by(Report.created_at.desc(), Report.id.desc())):
        by_space.setdefault(report.space_id, []).append(report)
    return [ReportItem(r, [o for o in by_space.get(r.space_id, []) if o.id != r.id]) for r in open_reports]
