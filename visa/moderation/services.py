"""Admin operations: approve, reject, suspend, confirm claims, resolve reports (flush only; the admin by id)."""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import SpaceHost, User
from visa.directory.models import STALE_AFTER, Space, SpaceStatus, VisaTerms
from visa.directory.revisions import Revision
from visa.directory.services import set_status
from visa.extensions import db
from visa.mailer import absolute_url, send_message
from visa.moderation.models import Report
from visa.timeutil import utcnow


def hosts_of(space: Space, confirmed: bool = True) -> list[User]:
    query = sa.select(User).join(SpaceHost, SpaceHost.user_id == User.id).where(SpaceHost.space_id == space.id)
    if confirmed:
        query = query.where(SpaceHost.is_confirmed)
    return list(db.session.scalars(query))


def _tell_hosts(space: Space, name: str, **context) -> None:
    """The templated message *name* (visa.mailer.send_message) to each confirmed host of *space*, in their language."""
    for host in hosts_of(space):
        send_message(host.email, name, host.language, space=space, **context)


def _with_note(revision: Revision | None, note: str) -> None:
    """Keep the admin's reason with the decision: the host's dashboard and the timeline show it."""
    if revision is not None:
        revision.note = note


def approve(space: Space, admin_id: int) -> None:
    set_status(space, SpaceStatus.APPROVED, admin_id)
    _tell_hosts(space, "approved", link=absolute_url("directory.space_page", slug=space.slug))


def reject(space: Space, admin_id: int, reason: str) -> None:
    _with_note(set_status(space, SpaceStatus.REJECTED, admin_id), reason)
    _tell_hosts(space, "rejected", reason=reason, link=absolute_url("hosts.dashboard"))


def suspend(space: Space, admin_id: int, reason: str) -> None:
    _with_note(set_status(space, SpaceStatus.SUSPENDED, admin_id), reason)
    _tell_hosts(space, "suspended", reason=reason, link=absolute_url("hosts.dashboard"))


def decide_claim(space_id: int, user_id: int, accept: bool) -> SpaceHost | None:
    link = db.session.get(SpaceHost, (space_id, user_id))
    if link is None:
        return None
    user = db.session.get(User, user_id)
    space = db.session.get(Space, space_id)
    if accept:
        link.is_confirmed = True
        send_message(user.email, "claim_accepted", user.language, space=space, link=absolute_url("hosts.dashboard"))
    else:
        db.session.delete(link)
        send_message(user.email, "claim_refused", user.language, space=space,
                     link=absolute_url("directory.space_page", slug=space.slug))
    db.session.flush()
    return link


def resolve_report(report: Report, admin_id: int, resolution: str) -> None:
    report.resolved_at = utcnow()
    report.resolved_by_id = admin_id
    report.resolution = resolution


def pending_claims() -> list[tuple[SpaceHost, Space, User]]:
    rows = db.session.execute(
        sa.select(SpaceHost, Space, User).join(Space, Space.id == SpaceHost.space_id)
        .join(User, User.id == SpaceHost.user_id).where(~SpaceHost.is_confirmed)
        .where(Space.is_visible)).unique().all()
    return [tuple(r) for r in rows]


def open_reports() -> list[Report]:
    return list(db.session.scalars(sa.select(Report).where(Report.resolved_at.is_(None)).order_by(Report.created_at)))


def stale_spaces(limit: int = 500) -> list[Space]:
    return list(db.session.scalars(
        Space.visible().join(VisaTerms).where(Space.unconfirmed_since(utcnow() - STALE_AFTER))
        .order_by(Space.terms_confirmed_at.asc().nulls_first()).limit(limit)).unique())
