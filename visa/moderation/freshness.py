"""Keeping terms fresh: remind hosts before their listing's terms go stale (12 months)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from visa.directory.models import Space, SpaceStatus
from visa.directory.presenters import STALE_AFTER
from visa.extensions import db
from visa.l10n import date_label
from visa.mailer import absolute_url, in_language, send_mail
from visa.moderation.services import hosts_of
from visa.timeutil import utcnow

#: Hosts are reminded this long before their terms go stale.
REMIND_BEFORE = timedelta(days=30)


def remind_stale() -> int:
    """E-mail the hosts of listings about to go stale (or stale). Idempotent: once per confirmation."""
    due = utcnow() - (STALE_AFTER - REMIND_BEFORE)
    spaces = db.session.scalars(
        sa.select(Space).where(Space.status == SpaceStatus.APPROVED)
        .where(sa.or_(Space.terms_confirmed_at.is_(None), Space.terms_confirmed_at <= due))
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
            with in_language(host.language):
                if space.terms_confirmed_at:
                    when = _("Travellers rely on the visa terms of “%(name)s”; they were last confirmed on %(date)s.",
                             name=space.name, date=date_label(space.terms_confirmed_at.date()))
                else:
                    when = _("Travellers rely on the visa terms of “%(name)s”; they were never confirmed.",
                             name=space.name)
                send_mail(host.email, _("Are the visa terms of “%(name)s” still right?", name=space.name),
                          _("%(when)s After 12 months the map marks them as not confirmed. One click confirms them, "
                            "or edit them:\n\n%(link)s\n", when=when, link=link))
        space.stale_reminder_sent_at = utcnow()
        sent += 1
    return sent
