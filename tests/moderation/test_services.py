"""Moderation services and the freshness reminder, called with no request (as a cron job or command does)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import has_request_context
from visa.moderation.freshness import remind_stale

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import STALE_AFTER, SpaceStatus
from visa.extensions import db
from visa.moderation import services
from visa.moderation.models import Report, ReportKind
from visa.timeutil import utcnow


def test_moderation_outside_a_request(app, make_space, make_user, mails):
    assert not has_request_context()
    admin = make_user("admin@example.org", role=Role.ADMIN)
    host, claimant = make_user("host@example.org"), make_user("claimant@example.org")
    waiting = make_space("Waiting Room", status=SpaceStatus.PENDING)
    listed = make_space("Old Loft", lat=41.1496, lon=-8.6110, city="Porto")
    db.session.add_all([SpaceHost(space_id=waiting.id, user_id=host.id, is_confirmed=True),
                        SpaceHost(space_id=listed.id, user_id=claimant.id, is_confirmed=False),
                        Report(space_id=listed.id, kind=ReportKind.NOT_HONORED, message="Turned away")])
    db.session.commit()

    services.approve(waiting, admin.id)
    [approved] = mails()
    # A full link, built without a request.
    assert waiting.is_visible and "http" in approved.get_body(preferencelist=("plain",)).get_content()
    assert [(link.space_id, user.id) for link, _space, user in services.pending_claims()] == [(listed.id, claimant.id)]
    services.decide_claim(listed.id, claimant.id, accept=True)
    report = services.open_reports()[0]
    services.resolve_report(report, admin.id, "Talked to the host")
    services.suspend(listed, admin.id, "Closed for works")
    db.session.commit()
    assert not services.open_reports() and not listed.is_visible
    assert db.session.scalar(sa.select(SpaceHost.is_confirmed).where(SpaceHost.space_id == listed.id))
    services.reject(waiting, admin.id, "Not a coworking space")
    assert waiting.status == SpaceStatus.REJECTED


def test_stale_list_and_reminder_share_one_limit(app, make_space, make_user, mails):
    fresh = make_space("Fresh Desk")
    stale = make_space("Dusty Desk", lat=41.1496, lon=-8.6110, city="Porto")
    soon = make_space("Nearly Due", lat=40.2033, lon=-8.4103, city="Coimbra")
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=soon.id, user_id=host.id, is_confirmed=True))
    now = utcnow()
    fresh.terms_confirmed_at = now
    stale.terms_confirmed_at = now - STALE_AFTER - timedelta(days=1)
    soon.terms_confirmed_at = now - STALE_AFTER + timedelta(days=10)  # within the reminder's 30 days
    db.session.commit()
    assert [s.id for s in services.stale_spaces()] == [stale.id]
    assert remind_stale() == 1  # the stale one has no host to remind; the nearly due one has
    assert [m["To"] for m in mails()] == ["host@example.org"]
