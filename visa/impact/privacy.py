"""Forgetting a member: their personal data goes, the anonymous counts stay.

What is personal (see the README, "What is stored and for how long"): the name
and e-mail on a pass, the signed token (it carries the name), the messages a
member wrote and the hosts' answers to them, and a report's e-mail. A visit or a
request keeps its day, its spaces and the home space's country, so the record
and impact figures do not change when a member is forgotten. Flush only.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from visa import emails
from visa.extensions import db
from visa.moderation.models import Report
from visa.passes.models import Pass, PassStatus, VisitRequest
from visa.timeutil import utcnow

FORGOTTEN = "forgotten"
#: A pass's personal data is kept this long after it expires (a member may renew; a host may look back),
#: then cleared by `visa forget-expired` (daily from cron).
KEEP_AFTER_EXPIRY = timedelta(days=365)


@dataclass(frozen=True)
class Forgotten:
    passes: int
    requests: int
    reports: int


def forget_member(email: str) -> Forgotten:
    """Remove every personal field tied to *email* (any case or width); counts of what was changed."""
    address = emails.normalise(email)
    passes = db.session.scalars(sa.select(Pass).where(sa.func.lower(Pass.member_email) == address)).all()
    requests = _clear_passes(passes)
    reports = db.session.execute(
        sa.update(Report).where(sa.func.lower(Report.reporter_email) == address).values(reporter_email="")
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return Forgotten(len(passes), requests, reports)


def forget_expired(today: date) -> int:
    """Clear the personal data of passes that expired more than :data:`KEEP_AFTER_EXPIRY` ago; how many."""
    passes = db.session.scalars(sa.select(Pass).where(Pass.valid_to < today - KEEP_AFTER_EXPIRY,
                                                      Pass.member_email != "")).all()
    _clear_passes(passes)
    db.session.flush()
    return len(passes)


def _clear_passes(passes: list[Pass]) -> int:
    """Clear the passes' personal fields and their requests' messages; the number of requests touched."""
    pass_ids = [p.id for p in passes]
    for visa_pass in passes:
        visa_pass.member_name = ""
        visa_pass.member_email = ""
        visa_pass.message = ""
        visa_pass.token = None
        # The card link was the member's credential: a fresh random hash opens nothing.
        visa_pass.access_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        if visa_pass.status != PassStatus.REVOKED:
            visa_pass.status, visa_pass.revoked_at = PassStatus.REVOKED, utcnow()
        visa_pass.revoke_reason = FORGOTTEN
    if not pass_ids:
        return 0
    return db.session.execute(
        sa.update(VisitRequest).where(VisitRequest.pass_id.in_(pass_ids))
        .values(message="", decline_reason="").execution_options(synchronize_session=False)).rowcount


def may_see_member(user, visa_pass: Pass) -> bool:
    """The rule of :func:`visa.accounts.permissions.can_see_member`, for this pass's member."""
    from visa.accounts.permissions import can_see_member

    asked = db.session.scalars(sa.select(VisitRequest.host_space_id).where(VisitRequest.pass_id == visa_pass.id))
    return can_see_member(user, visa_pass.home_space_id, asked)
