"""One freshness pipeline: a listing about to go unconfirmed for 12 months gets the campaign mail, then reminders,
then the volunteers, through the year's standing campaign ("freshness-2026"). ``visa remind-stale`` runs it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from visa.campaigns.models import Campaign, CampaignEntry
from visa.campaigns.services import add_entries
from visa.directory.models import REMIND_BEFORE, STALE_AFTER, Space
from visa.extensions import db
from visa.timeutil import utcnow

#: The standing campaigns' names start with this; the year follows.
FRESHNESS_PREFIX = "freshness-"


def freshness_campaign(now: datetime | None = None) -> Campaign:
    name = f"{FRESHNESS_PREFIX}{(now or utcnow()).year}"
    campaign = db.session.scalars(sa.select(Campaign).where(Campaign.name == name)).first()
    if campaign is None:
        campaign = Campaign(name=name, selection={"freshness": True})
        db.session.add(campaign)
        db.session.flush()
    return campaign


def freshness_campaigns() -> list[Campaign]:
    return list(db.session.scalars(sa.select(Campaign).where(Campaign.name.startswith(FRESHNESS_PREFIX))
                                   .order_by(Campaign.id)))


def queue_due(now: datetime | None = None) -> Campaign:
    """Queue the listed spaces whose terms go stale within REMIND_BEFORE (or are stale) in the year's campaign.

    Once per confirmation: a listing already in any campaign since its terms were last confirmed waits for that.
    """
    now = now or utcnow()
    campaign = freshness_campaign(now)
    asked_since = sa.select(CampaignEntry.space_id).where(
        CampaignEntry.space_id == Space.id,
        sa.or_(Space.terms_confirmed_at.is_(None), CampaignEntry.created_at >= Space.terms_confirmed_at))
    due = list(db.session.scalars(
        sa.select(Space).where(Space.is_visible, Space.unconfirmed_since(now - (STALE_AFTER - REMIND_BEFORE)),
                               ~sa.exists(asked_since)).order_by(Space.id)).unique())
    add_entries(campaign, due)
    return campaign
