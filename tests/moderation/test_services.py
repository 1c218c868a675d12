"""Moderation services and the freshness reminder, called with no request (as a cron job or command does)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import SpaceStatus
from visa.extensions import db
from visa.moderation import services
from visa.moderation.models import Report, ReportKind


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
