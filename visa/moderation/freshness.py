"""Keeping terms fresh: remind hosts before their listing's terms go stale (12 months)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from visa.directory.models import STALE_AFTER, Space
from visa.extensions import db
from visa.mailer import absolute_url, send_message
from visa.moderation.services import hosts_of
from visa.timeutil import utcnow

#: Hosts are reminded this long before their terms go stale.
REMIND_BEFORE = timedelta(days=30)


def remind_stale() -> int:
    """E-mail the hosts of listings about to go stale (or stale). Idempotent: once per confirmation."""
    due = utcnow() - (STALE_AFTER - REMIND_BEFORE)
    spaces = db.session.scalars(
        sa.select(Space).where(Space.is_visible, Space.unconfirmed_since(due))
        # Not reminded since the terms were last confirmed.
        .where(sa.or_(Space.stale_reminder_sent_at.is_(None),
                      Space.stale_reminder_sent_at < Space.terms_confirmed_at))).unique().all()
    sent = 0
    for space in spaces:
        hosts = hosts_of(space)
        if not hosts:
            continue
        link = absolute_url("hosts.dashboard")
        for host in hosts:
            send_message(host.email, "stale_reminder", host.language, space=space, link=link)
        space.stale_reminder_sent_at = utcnow()
        sent += 1
    return sent
