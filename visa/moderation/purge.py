"""Removing the demo network once a network has real listings: its spaces, terms, revisions and reports."""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import SpaceHost
from visa.directory.models import Space, VisaTerms, bump_registry_version, terms_excluded_spaces
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report


class PurgeRefused(Exception):
    """Purging now would leave the map empty: the network has no real listing yet."""


def purge_demo(force: bool = False) -> int:
    """Delete every demo listing with everything recorded about it; returns how many (flush only).

    :raise PurgeRefused: when no real listing exists and *force* is not given.
    """
    real = db.session.scalar(sa.select(sa.func.count()).select_from(Space).where(~Space.is_demo))
    if not real and not force:
        raise PurgeRefused("the network has no real listing yet: the map would be empty")
    demo_ids = sa.select(Space.id).where(Space.is_demo).scalar_subquery()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Space).where(Space.is_demo)) or 0
    if not count:
        return 0
    # Children first: SQLite may run without enforced foreign keys, so ON DELETE CASCADE cannot be relied on.
    db.session.execute(sa.update(Revision).where(Revision.space_id.in_(demo_ids)).values(reverted_by_id=None))
    for statement in (
        sa.delete(Revision).where(Revision.space_id.in_(demo_ids)),
        sa.delete(Report).where(Report.space_id.in_(demo_ids)),
        sa.delete(SpaceHost).where(SpaceHost.space_id.in_(demo_ids)),
        sa.delete(terms_excluded_spaces).where(sa.or_(terms_excluded_spaces.c.space_id.in_(demo_ids),
                                                      terms_excluded_spaces.c.excluded_space_id.in_(demo_ids))),
        sa.delete(VisaTerms).where(VisaTerms.space_id.in_(demo_ids)),
        sa.delete(Space).where(Space.is_demo),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    bump_registry_version(db.session.connection())
    db.session.expire_all()
    return count
