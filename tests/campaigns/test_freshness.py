"""One freshness pipeline: listings about to go stale enter the year's freshness campaign, once per confirmation."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import has_request_context

from visa.accounts.models import SpaceHost
from visa.campaigns.freshness import queue_due
from visa.campaigns.models import CampaignEntry, EntryState
from visa.directory.models import STALE_AFTER
from visa.extensions import db
from visa.moderation import services
from visa.timeutil import utcnow


def _entries() -> dict[int, tuple[EntryState, str]]:
    return {e.space_id: (e.state, e.email) for e in db.session.scalars(sa.select(CampaignEntry))}


def test_the_stale_list_and_the_pipeline_share_one_limit(app, make_space, make_user):
    assert not has_request_context()
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
    campaign = queue_due()
    assert campaign.name == f"freshness-{now.year}"
    # The stale one has no address: the volunteers'; the nearly due one's host gets the mail.
    assert _entries() == {stale.id: (EntryState.NO_ADDRESS, ""), soon.id: (EntryState.QUEUED, "host@example.org")}
    queue_due()
    assert len(_entries()) == 2  # once per confirmation
