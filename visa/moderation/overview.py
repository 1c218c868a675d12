"""The state of the network at a glance, for admins: counts by status and by country, stale and soon-stale
listings, open reports, changes this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from visa.directory.models import REMIND_BEFORE, Space, SpaceStatus
from visa.directory.presenters import STALE_AFTER
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report
from visa.timeutil import utcnow


@dataclass(frozen=True)
class Overview:
    by_status: dict[str, int]  # every status, zero included
    by_country: list[tuple[str, int]]  # listed spaces, most first
    stale: int  # listed, terms not confirmed for a year (or never)
    soon_stale: int  # listed, terms go stale within REMIND_BEFORE
    open_reports: int
    changes_this_week: int
    demo: int
    confirmed_recently: int = 0  # listed, terms confirmed in the last 12 months (by anyone)

    @property
    def confirmed_share(self) -> int:
        """The percentage of listed spaces confirmed in the last 12 months."""
        listed = self.by_status.get("approved", 0)
        return round(100 * self.confirmed_recently / listed) if listed else 0


def overview(now: datetime | None = None) -> Overview:
    now = now or utcnow()
    counts = dict(db.session.execute(sa.select(Space.status, sa.func.count()).group_by(Space.status)).all())
    by_status = {status.value: counts.get(status, 0) for status in SpaceStatus}
    listed = Space.status == SpaceStatus.APPROVED
    by_country = [(code, n) for code, n in db.session.execute(
        sa.select(Space.country_code, sa.func.count()).where(listed).group_by(Space.country_code)
        .order_by(sa.func.count().desc(), Space.country_code))]
    stale_cutoff = now - STALE_AFTER
    soon_cutoff = stale_cutoff + REMIND_BEFORE
    stale = _count(sa.select(sa.func.count()).select_from(Space).where(listed).where(
        sa.or_(Space.terms_confirmed_at.is_(None), Space.terms_confirmed_at < stale_cutoff)))
    soon = _count(sa.select(sa.func.count()).select_from(Space).where(listed).where(
        Space.terms_confirmed_at >= stale_cutoff, Space.terms_confirmed_at < soon_cutoff))
    reports = _count(sa.select(sa.func.count()).select_from(Report).where(Report.resolved_at.is_(None)))
    week = _count(sa.select(sa.func.count()).select_from(Revision).where(
        Revision.created_at >= now - timedelta(days=7)))
    demo = _count(sa.select(sa.func.count()).select_from(Space).where(Space.is_demo))
    recent = by_status["approved"] - stale
    return Overview(by_status, by_country, stale, soon, reports, week, demo, confirmed_recently=recent)


def _count(query) -> int:
    return int(db.session.scalar(query) or 0)


def soon_stale_spaces(now: datetime | None = None, limit: int = 500) -> list[Space]:
    """Listed spaces whose terms go stale within REMIND_BEFORE, the soonest first."""
    stale_cutoff = (now or utcnow()) - STALE_AFTER
    return list(db.session.scalars(
        sa.select(Space).where(Space.status == SpaceStatus.APPROVED)
        .where(Space.terms_confirmed_at >= stale_cutoff, Space.terms_confirmed_at < stale_cutoff + REMIND_BEFORE)
        .order_by(Space.terms_confirmed_at).limit(limit)).unique())
