"""Admin decisions beyond one listing at a time: asking a host for changes, and bulk approve or suspend
(flush only; the request commits)."""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import User
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import record_event
from visa.extensions import db
from visa.mailer import absolute_url, send_message
from visa.moderation import services

BULK_ACTIONS = ("approve", "suspend")


def ask_for_changes(space: Space, admin_id: int, message: str) -> int:
    """Mail the listing's hosts what to change, and keep it in the listing's history; the listing stays pending.

    Returns how many hosts were told.
    """
    record_event(space, admin_id, "changes_asked", note=message)
    hosts = services.hosts_of(space)
    for host in hosts:
        send_message(host.email, "changes_asked", host.language, space=space, message=message,
                     link=absolute_url("hosts.edit_space", slug=space.slug))
    return len(hosts)


def bulk(space_ids: list[int], action: str, admin: User, reason: str = "") -> list[Space]:
    """Approve pending listings, or suspend listed ones, all at once; listings in another state are left be.

    :raise ValueError: for an unknown action, or a suspension without a reason (it is sent to the hosts).
    """
    if action not in BULK_ACTIONS:
        raise ValueError(f"unknown bulk action {action!r}")
    if action == "suspend" and not reason.strip():
        raise ValueError("a suspension needs a reason")
    wanted = SpaceStatus.PENDING if action == "approve" else SpaceStatus.APPROVED
    spaces = db.session.scalars(sa.select(Space).where(Space.id.in_(space_ids), Space.status == wanted)
                                .order_by(Space.id)).unique().all()
    for space in spaces:
        if action == "approve":
            services.approve(space, admin.id)
        else:
            services.suspend(space, admin.id, reason)
    return list(spaces)
