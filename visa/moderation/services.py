"""Admin operations: approve, reject, suspend, confirm claims, resolve reports (flush only)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import gettext as _

from visa.accounts.models import SpaceHost, User
from visa.directory.models import Space, SpaceStatus, VisaTerms
from visa.directory.services import set_status
from visa.extensions import db
from visa.mailer import absolute_url, in_language, send_mail
from visa.moderation.models import Report
from visa.timeutil import utcnow


def hosts_of(space: Space, confirmed: bool = True) -> list[User]:
    query = sa.select(User).join(SpaceHost, SpaceHost.user_id == User.id).where(SpaceHost.space_id == space.id)
    if confirmed:
        query = query.where(SpaceHost.is_confirmed)
    return list(db.session.scalars(query))


def _tell_hosts(space: Space, compose: Callable[[], tuple[str, str]]) -> None:
    """Mail every host of ``space`` the (subject, body) that ``compose`` writes, in each host's language."""
    for host in hosts_of(space):
        with in_language(host.language):
            send_mail(host.email, *compose())


def approve(space: Space, admin: User) -> None:
    set_status(space, SpaceStatus.APPROVED, admin.id)
    link = absolute_url("directory.space_page", slug=space.slug)
    _tell_hosts(space, lambda: (_("“%(name)s” is now listed", name=space.name),
                                _("Your listing is approved and on the map:\n\n%(link)s\n", link=link)))


def reject(space: Space, admin: User, reason: str) -> None:
    set_status(space, SpaceStatus.REJECTED, admin.id)
    _tell_hosts(space, lambda: (_("“%(name)s” was not approved", name=space.name),
                                _("An admin of the Coworking Visa Directory did not approve this listing.\n\n"
                                  "Reason:\n%(reason)s\n", reason=reason)))


def suspend(space: Space, admin: User, reason: str) -> None:
    set_status(space, SpaceStatus.SUSPENDED, admin.id)
    _tell_hosts(space, lambda: (_("“%(name)s” is suspended", name=space.name),
                                _("An admin took this listing off the map for now.\n\nReason:\n%(reason)s\n",
                                  reason=reason)))


def decide_claim(space_id: int, user_id: int, accept: bool) -> SpaceHost | None:
    link = db.session.get(SpaceHost, (space_id, user_id))
    if link is None:
        return None
    user = db.session.get(User, user_id)
    space = db.session.get(Space, space_id)
    with in_language(user.language):
        if accept:
            link.is_confirmed = True
            send_mail(user.email, _("You now keep “%(name)s”", name=space.name),
                      _("Your claim is accepted: you can edit the listing."))
        else:
            db.session.delete(link)
            send_mail(user.email, _("Your claim on “%(name)s”", name=space.name),
                      _("An admin could not confirm your claim on this listing."))
    db.session.flush()
    return link


def resolve_report(report: Report, admin: User, resolution: str) -> None:
    report.resolved_at = utcnow()
    report.resolved_by_id = admin.id
    report.resolution = resolution


def pending_claims() -> list[tuple[SpaceHost, Space, User]]:
    rows = db.session.execute(
        sa.select(SpaceHost, Space, User).join(Space, Space.id == SpaceHost.space_id)
        .join(User, User.id == SpaceHost.user_id).where(~SpaceHost.is_confirmed)
        .where(Space.status == SpaceStatus.APPROVED)).unique().all()
    return [tuple(r) for r in rows]


def open_reports() -> list[Report]:
    return list(db.session.scalars(sa.select(Report).where(Report.resolved_at.is_(None)).order_by(Report.created_at)))


def stale_spaces(limit: int = 500) -> list[Space]:
    from datetime import timedelta

    cutoff = utcnow() - timedelta(days=365)
    return list(db.session.scalars(
        sa.select(Space).join(VisaTerms).where(Space.status == SpaceStatus.APPROVED)
        .where(sa.or_(Space.terms_confirmed_at.is_(None), Space.terms_confirmed_at < cutoff))
        .order_by(Space.terms_confirmed_at.asc().nulls_first()).limit(limit)).unique())
