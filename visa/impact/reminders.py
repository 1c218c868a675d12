"""Reminding hosts of requests that wait, and flagging to admins the hosts whose record calls for a look.

Run daily by cron (`visa remind-hosts`). Idempotent: a request's hosts are reminded
once (a :class:`RequestReminder` row says so), a space is flagged once (a
:class:`HostFlag` row), and flagged again only when its record grows worse after an
admin cleared the flag. Flush only: the command commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from visa.accounts.models import Role, User
from visa.directory.models import Space
from visa.extensions import db
from visa.impact.models import HostFlag, ReportFinding, RequestReminder
from visa.impact.record import ANSWER_WITHIN, PERIOD, flag_reasons
from visa.mailer import absolute_url, send_message
from visa.moderation.models import Report, ReportKind
from visa.moderation.services import hosts_of
from visa.passes.models import RequestStatus, VisitRequest
from visa.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class RunResult:
    reminded_spaces: int
    reminded_requests: int
    flagged: list[int]  # space ids newly flagged


def remind_hosts(now: datetime | None = None) -> RunResult:
    """Remind the hosts of requests waiting 7 days or more, then flag hosts with a poor record."""
    now = now or utcnow()
    waiting = db.session.scalars(
        sa.select(VisitRequest)
        .outerjoin(RequestReminder, RequestReminder.request_id == VisitRequest.id)
        .where(VisitRequest.status == RequestStatus.PENDING, VisitRequest.created_at <= now - ANSWER_WITHIN,
               RequestReminder.request_id.is_(None))
        .order_by(VisitRequest.host_space_id, VisitRequest.created_at)).all()
    by_space: dict[int, list[VisitRequest]] = defaultdict(list)
    for request in waiting:
        by_space[request.host_space_id].append(request)
    for space_id, requests in by_space.items():
        space = db.session.get(Space, space_id)
        link = absolute_url("hosts.dashboard")
        for host in hosts_of(space):  # each in the host's language, not the cron job's
            send_message(host.email, "requests_waiting", host.language, space=space, count=len(requests), link=link)
        db.session.add_all(RequestReminder(request_id=r.id, reminded_at=now) for r in requests)
    flagged = flag_hosts(now)
    db.session.flush()
    return RunResult(len(by_space), len(waiting), flagged)


def overdue_counts(since: datetime, now: datetime) -> dict[int, int]:
    """{space id: requests made since *since* that went 7 days or more without an answer}."""
    late = sa.or_(
        sa.and_(VisitRequest.answered_at.is_(None), VisitRequest.status == RequestStatus.PENDING,
                VisitRequest.created_at <= now - ANSWER_WITHIN),
        # Answered, but late: compared in Python below, as date arithmetic differs between databases.
        VisitRequest.answered_at.is_not(None))
    rows = db.session.execute(
        sa.select(VisitRequest.host_space_id, VisitRequest.created_at, VisitRequest.answered_at)
        .where(VisitRequest.created_at >= since, VisitRequest.status != RequestStatus.CANCELLED, late)).all()
    counts: dict[int, int] = defaultdict(int)
    for space_id, created, answered in rows:
        if answered is None or as_utc(answered) - as_utc(created) >= ANSWER_WITHIN:
            counts[space_id] += 1
    return counts


def upheld_counts(since: datetime) -> dict[int, int]:
    """{space id: "did not honor" reports since *since* that an admin upheld}."""
    rows = db.session.execute(
        sa.select(Report.space_id, sa.func.count())
        .join(ReportFinding, ReportFinding.report_id == Report.id)
        .where(Report.kind == ReportKind.NOT_HONORED, ReportFinding.is_upheld, Report.created_at >= since)
        .group_by(Report.space_id)).all()
    return dict(rows)


def flag_hosts(now: datetime) -> list[int]:
    """Flag (and tell the admins about) spaces whose last 12 months reach a threshold; the newly flagged ids."""
    since = now - PERIOD
    overdue, upheld = overdue_counts(since, now), upheld_counts(since)
    newly = []
    for space_id in sorted(set(overdue) | set(upheld)):
        late, reports = overdue.get(space_id, 0), upheld.get(space_id, 0)
        if not flag_reasons(late, reports):
            continue
        flag = db.session.get(HostFlag, space_id)
        if flag is None:
            db.session.add(HostFlag(space_id=space_id, flagged_at=now, unanswered=late, upheld_reports=reports))
        elif flag.cleared_at is not None and (late > flag.unanswered or reports > flag.upheld_reports):
            flag.flagged_at, flag.cleared_at, flag.unanswered, flag.upheld_reports = now, None, late, reports
        else:
            flag.unanswered, flag.upheld_reports = late, reports
            continue
        newly.append(space_id)
    if newly:
        _tell_admins(newly)
    return newly


def _tell_admins(space_ids: list[int]) -> None:
    spaces = [db.session.get(Space, i) for i in space_ids]
    link = absolute_url("impact.host_flags")
    for admin in db.session.scalars(sa.select(User).where(User.role == Role.ADMIN)):
        send_message(admin.email, "hosts_flagged", admin.language, spaces=spaces, link=link)
