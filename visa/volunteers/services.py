"""The volunteers' queue as plain operations (they flush; the view or command commits).

Other packages (the outreach campaigns, the reports) send listings here with :func:`open_task`;
:func:`refresh_queue` adds the listings nobody sent: reports that a listing is wrong, and listings
unconfirmed for 12 months.

The lock on a task is a lease of :data:`LOCK_FOR`. Nothing runs when it runs out: every read treats an
expired lock as free, and :func:`settle_expired` (called by the queue and task pages before they read,
and by every operation on a task) writes the expiry into the task's history, dated when the lock ran
out, not when it was noticed.

A finding goes live only when someone other than the volunteer who recorded it accepts it
(:func:`accept_finding`); it is then a revision of the listing attributed to the volunteer, with source
``volunteer`` and the volunteer's source (a URL, a phone call or a visit on a date) in its note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from visa.accounts.models import Role, User
from visa.directory import terms_schema
from visa.directory.models import STALE_AFTER, ConfirmedBy, Space, SpaceStatus, VisaTerms
from visa.directory.revisions import Revision, record_event, record_revision, snapshot
from visa.directory.services import EditConflict, changes_since, update_terms
from visa.extensions import db
from visa.messages import N_, MessageError, define
from visa.moderation.models import Report, ReportKind
from visa.moderation.services import resolve_report
from visa.passes.models import VisitRequest
from visa.timeutil import as_utc, utcnow
from visa.volunteers.models import (
    ACTIVE_STATES,
    Finding,
    FindingState,
    OpenState,
    SourceKind,
    TaskEvent,
    TaskEventKind,
    TaskReason,
    TaskState,
    VolunteerTask,
)

#: How long taking a task holds it (HOT Tasking Manager's 2 hours); extending renews it from now.
LOCK_FOR = timedelta(hours=2)
#: Tasks one volunteer may hold at once, so that nobody parks the queue.
MAX_HELD = 3
#: After a task closes, the sweeps (stale, reports) leave its listing alone this long: an accepted "unknown"
#: confirms nothing, and the listing would otherwise come straight back.
RETRY_AFTER = timedelta(days=30)
#: Demand, for the queue's order: visit requests over this period to spaces in the same town.
DEMAND_PERIOD = timedelta(days=365)
#: The revision source of an accepted finding: the listing's provenance reads "verified by a volunteer".
REVISION_SOURCE = "volunteer"

define({
    "volunteer.task_taken": N_("Another volunteer is working on this listing."),
    "volunteer.not_holder": N_("You do not hold this task: take it first."),
    "volunteer.lock_expired": N_("Your time on this task ran out. Take it again to go on."),
    "volunteer.task_closed": N_("This listing no longer waits in the queue."),
    # Translators: %(limit)s is the largest number of tasks a volunteer may
    # hold.
    "volunteer.too_many": N_("You hold %(limit)s tasks already: finish or release one first."),
    "volunteer.own_finding": N_("A finding is accepted or rejected by someone other than the volunteer who "
                                "recorded it."),
    "volunteer.decided": N_("This finding was reviewed already."),
    "volunteer.listing_changed": N_("The listing changed after the volunteer recorded this finding: reject it, "
                                    "so that a volunteer checks it again."),
    "volunteer.comment_needed": N_("Say what is wrong: the next volunteer reads it before they start."),
})


class VolunteerError(MessageError):
    """An operation on a task or finding that the rules refuse; ``say(err.message)`` words it."""


# --- Opening tasks ----------------------------------------------------------------------------------------------


def active_task(space_id: int) -> VolunteerTask | None:
    """The listing's task that is open or waiting for a validator, if any."""
    return db.session.scalars(sa.select(VolunteerTask).where(VolunteerTask.space_id == space_id,
                                                             VolunteerTask.state.in_(ACTIVE_STATES))).first()


def open_task(space_id: int, reason: str, detail: str | None = None) -> VolunteerTask:
    """Put the listing in the volunteers' queue, or return the task already there.

    Idempotent while a task for the listing is open (or in review): a second call adds nothing
    but, for a new reason, a line in the task's history. Raises ``ValueError`` for an unknown reason.
    """
    reason = TaskReason(reason)
    task = active_task(space_id)
    if task is not None:
        if reason != task.reason and not any(e.kind == TaskEventKind.REASON_ADDED and e.note.startswith(reason.value)
                                             for e in task.events):
            task.events.append(TaskEvent(kind=TaskEventKind.REASON_ADDED, note=_reason_note(reason, detail)))
            db.session.flush()
        return task
    task = VolunteerTask(space_id=space_id, reason=reason, detail=detail or "", created_at=utcnow())
    task.events.append(TaskEvent(kind=TaskEventKind.OPENED, note=_reason_note(reason, detail)))
    try:
        # A savepoint: when another process opened the listing's task first, the unique index refuses this
        # one and that task is the answer, without losing the caller's other writes.
        with db.session.begin_nested():
            db.session.add(task)
    except sa.exc.IntegrityError:
        return open_task(space_id, reason, detail)
    return task


def cancel_task(space_id: int, note: str = "", now: datetime | None = None) -> VolunteerTask | None:
    """Take the listing out of the queue: it no longer needs a person (its contact answered, an admin removed it).

    Only an open task is cancelled (a volunteer holding it loses it); a finding waiting for a validator is
    left to them. Returns the cancelled task, or None when there was none to cancel.
    """
    now = now or utcnow()
    task = active_task(space_id)
    if task is None or task.state != TaskState.OPEN:
        return None
    task.state, task.closed_at, task.locked_by_id, task.locked_until = TaskState.CANCELLED, now, None, None
    task.events.append(TaskEvent(kind=TaskEventKind.CANCELLED, at=now, note=note))
    db.session.flush()
    return task


def _reason_note(reason: TaskReason, detail: str | None) -> str:
    return f"{reason.value}: {detail}" if detail else reason.value


def _recently_closed(now: datetime) -> sa.Select:
    return sa.select(VolunteerTask.space_id).where(VolunteerTask.closed_at >= now - RETRY_AFTER)


def refresh_queue(now: datetime | None = None) -> int:
    """Open the tasks nobody sent: unresolved reports that a listing is wrong, listings unconfirmed for 12 months.

    A listing never confirmed counts from the day it was listed, so a fresh import waits for its campaign's
    mail first. Listings whose task closed in the last :data:`RETRY_AFTER` are left alone. Returns how many
    tasks were opened.
    """
    now = now or utcnow()
    busy = sa.select(VolunteerTask.space_id).where(VolunteerTask.state.in_(ACTIVE_STATES))
    opened = 0
    reports = db.session.scalars(
        sa.select(Report).join(Space, Space.id == Report.space_id)
        .where(Report.kind == ReportKind.WRONG_LISTING, Report.resolved_at.is_(None), Space.is_visible,
               Report.space_id.not_in(busy), Report.space_id.not_in(_recently_closed(now)))
        .order_by(Report.created_at)).unique().all()
    for report in reports:
        if active_task(report.space_id) is None:
            open_task(report.space_id, TaskReason.REPORT, report.message[:500])
            opened += 1
    moment = now - STALE_AFTER
    stale = db.session.scalars(
        sa.select(Space.id).where(Space.is_visible, Space.id.not_in(busy), Space.id.not_in(_recently_closed(now)),
                                  sa.or_(Space.terms_confirmed_at < moment,
                                         sa.and_(Space.terms_confirmed_at.is_(None), Space.created_at < moment)))
        .order_by(Space.id)).all()
    for space_id in stale:
        if active_task(space_id) is None:
            open_task(space_id, TaskReason.STALE)
            opened += 1
    return opened


# --- The lock ---------------------------------------------------------------------------------------------------


def lock_holder(task: VolunteerTask, now: datetime | None = None) -> int | None:
    """Who holds *task* now: a lock past its time holds nobody, written down or not."""
    until = as_utc(task.locked_until)
    if task.locked_by_id is None or until is None or until <= (now or utcnow()):
        return None
    return task.locked_by_id


def time_left(task: VolunteerTask, now: datetime | None = None) -> timedelta:
    until = as_utc(task.locked_until)
    return max(until - (now or utcnow()), timedelta(0)) if until and lock_holder(task, now) else timedelta(0)


def _expire(task: VolunteerTask) -> None:
    task.events.append(TaskEvent(kind=TaskEventKind.EXPIRED, user_id=task.locked_by_id, at=as_utc(task.locked_until)))
    task.locked_by_id = task.locked_until = None


def settle_expired(now: datetime | None = None) -> int:
    """Write down every lock that ran out (dated when it ran out) and free its task. Returns how many."""
    now = now or utcnow()
    tasks = db.session.scalars(sa.select(VolunteerTask).where(VolunteerTask.locked_until <= now)).unique().all()
    for task in tasks:
        _expire(task)
    db.session.flush()
    return len(tasks)


def _locked(task_id: int) -> VolunteerTask | None:
    """The task, read afresh under a row lock held until the commit (PostgreSQL): of two volunteers taking it at
    once, the second reads it only after the first committed, and sees who holds it."""
    return db.session.scalar(sa.select(VolunteerTask).where(VolunteerTask.id == task_id)
                             .with_for_update(of=VolunteerTask)  # not the joined, nullable locked_by
                             .execution_options(populate_existing=True))


def take_task(task_id: int, user_id: int, now: datetime | None = None) -> VolunteerTask:
    """Lock the task to *user_id* for :data:`LOCK_FOR`; taking a task one holds already keeps its time.

    :raise VolunteerError: it is closed, another volunteer holds it, or the volunteer holds :data:`MAX_HELD`.
    """
    now = now or utcnow()
    task = _locked(task_id)
    if task is None or task.state != TaskState.OPEN:
        raise VolunteerError("volunteer.task_closed")
    holder = lock_holder(task, now)
    if holder == user_id:
        return task
    if holder is not None:
        raise VolunteerError("volunteer.task_taken")
    held = db.session.scalar(sa.select(sa.func.count()).select_from(VolunteerTask)
                             .where(VolunteerTask.locked_by_id == user_id, VolunteerTask.locked_until > now))
    if held >= MAX_HELD:
        raise VolunteerError("volunteer.too_many", limit=MAX_HELD)
    lapsed = (task.locked_by_id, as_utc(task.locked_until)) if task.locked_by_id is not None else None
    # Claimed with a conditional UPDATE too: where there is no row lock (SQLite reads outside a transaction),
    # the second of two volunteers who both saw the task free changes no row.
    claimed = db.session.execute(
        sa.update(VolunteerTask)
        .where(VolunteerTask.id == task_id, VolunteerTask.state == TaskState.OPEN,
               sa.or_(VolunteerTask.locked_by_id.is_(None), VolunteerTask.locked_until <= now))
        .values(locked_by_id=user_id, locked_until=now + LOCK_FOR)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise VolunteerError("volunteer.task_taken")
    db.session.refresh(task)
    if lapsed:
        task.events.append(TaskEvent(kind=TaskEventKind.EXPIRED, user_id=lapsed[0], at=lapsed[1]))
    task.events.append(TaskEvent(kind=TaskEventKind.TAKEN, user_id=user_id, at=now))
    db.session.flush()
    return task


def _held(task_id: int, user_id: int, now: datetime) -> VolunteerTask:
    """The task, which *user_id* must hold now: read under the row lock, as :func:`take_task` reads it, so an
    extension or a release cannot write over a take that another volunteer committed meanwhile."""
    task = _locked(task_id)
    if task is None or task.state != TaskState.OPEN:
        raise VolunteerError("volunteer.task_closed")
    if task.locked_by_id == user_id and lock_holder(task, now) is None:
        _expire(task)
        db.session.flush()
        raise VolunteerError("volunteer.lock_expired")
    if lock_holder(task, now) != user_id:
        raise VolunteerError("volunteer.not_holder")
    return task


def extend_task(task_id: int, user_id: int, now: datetime | None = None) -> VolunteerTask:
    """Another :data:`LOCK_FOR` from now, for the volunteer who holds the task (not after it ran out)."""
    now = now or utcnow()
    task = _held(task_id, user_id, now)
    task.locked_until = now + LOCK_FOR
    task.events.append(TaskEvent(kind=TaskEventKind.EXTENDED, user_id=user_id, at=now))
    db.session.flush()
    return task


def release_task(task_id: int, user_id: int, now: datetime | None = None) -> VolunteerTask:
    """Give the task back to the queue unfinished."""
    now = now or utcnow()
    task = _held(task_id, user_id, now)
    task.locked_by_id = task.locked_until = None
    task.events.append(TaskEvent(kind=TaskEventKind.RELEASED, user_id=user_id, at=now))
    db.session.flush()
    return task


# --- Findings ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    """What a volunteer found: the terms by field name (terms_schema values, None: not stated)."""

    open_state: OpenState
    terms: dict
    source_kind: SourceKind
    source_url: str = ""
    checked_on: date | None = None
    note: str = ""


def record_finding(task_id: int, user_id: int, found: FindingInput, now: datetime | None = None) -> Finding:
    """The holder hands the task over: the finding waits for a validator, and the lock ends."""
    now = now or utcnow()
    task = _held(task_id, user_id, now)
    finding = Finding(task_id=task.id, space_id=task.space_id, volunteer_id=user_id, created_at=now,
                      open_state=OpenState(found.open_state), terms=terms_schema.to_plain(found.terms),
                      source_kind=SourceKind(found.source_kind), source_url=found.source_url.strip(),
                      checked_on=found.checked_on, note=found.note.strip(), space_version=task.space.lock_version)
    db.session.add(finding)
    task.state, task.locked_by_id, task.locked_until = TaskState.REVIEW, None, None
    task.events.append(TaskEvent(kind=TaskEventKind.SUBMITTED, user_id=user_id, at=now, note=source_text(finding)))
    db.session.flush()
    return finding


def source_text(finding: Finding) -> str:
    """The finding's source in plain English for the revision's note and the history ("phone call on 2026-12-07").

    Pages word it in the reader's language (visa.volunteers.presenters); the stored note stays as written.
    """
    day = finding.checked_on.isoformat() if finding.checked_on else ""
    if finding.source_kind == SourceKind.WEBSITE:
        return f"{finding.source_url} ({day})" if day else finding.source_url
    kind = "phone call" if finding.source_kind == SourceKind.PHONE else "visit"
    return f"{kind} on {day}" if day else kind


def _reviewable(finding_id: int, reviewer_id: int) -> Finding:
    finding = db.session.get(Finding, finding_id)
    if finding is None or finding.state != FindingState.PENDING:
        raise VolunteerError("volunteer.decided")
    if finding.volunteer_id == reviewer_id:
        # Tasking Manager's rule: the person who mapped a task never validates it.
        raise VolunteerError("volunteer.own_finding")
    return finding


def finding_terms(finding: Finding) -> dict:
    """The finding's terms as model values (the inverse of ``terms_schema.to_plain``)."""
    return {f.name: f.from_plain(finding.terms.get(f.name)) for f in terms_schema.TERMS if f.name in finding.terms}


def accept_finding(finding_id: int, reviewer_id: int, now: datetime | None = None) -> Revision:
    """Make the finding live: a revision of the listing attributed to the volunteer, with its source.

    Open: the terms as found, confirmed as of now. Closed: the listing is archived as closed (it leaves search and
    export; an admin can restore it). Unknown: a revision with the note only, confirming nothing.
    The task is done, and the listing's open "this listing is wrong" reports are resolved.

    :raise VolunteerError: the reviewer recorded the finding, it was reviewed already, or the listing changed
        since the volunteer saw it (an ``EditConflict`` underneath).
    """
    now = now or utcnow()
    finding = _reviewable(finding_id, reviewer_id)
    space = finding.space
    note = f"Verified by a volunteer: {source_text(finding)}" + (f"\n{finding.note}" if finding.note else "")
    try:
        if finding.open_state == OpenState.OPEN:
            # Never None: the confirmation date changes even when every term was right as listed.
            # The listing's provenance (visa.directory.presenters.provenance): verified by a volunteer, from SOURCE.
            revision = update_terms(space, finding_terms(finding), finding.volunteer_id, finding.space_version,
                                    source=REVISION_SOURCE, by=ConfirmedBy.VOLUNTEER, via=source_text(finding))
        elif finding.open_state == OpenState.CLOSED:
            if space.lock_version != finding.space_version:
                raise EditConflict(changes_since(space, finding.space_version))
            before = snapshot(space)
            space.status = SpaceStatus.CLOSED  # archived like a contact's "we closed": history kept, an admin restores it
            revision = record_revision(space, before, finding.volunteer_id, REVISION_SOURCE)
        else:
            revision = record_event(space, finding.volunteer_id, REVISION_SOURCE)
    except EditConflict as conflict:
        raise VolunteerError("volunteer.listing_changed") from conflict
    revision.note = note
    db.session.flush()
    finding.state, finding.reviewed_by_id, finding.reviewed_at, finding.revision_id = (
        FindingState.ACCEPTED, reviewer_id, now, revision.id)
    task = finding.task
    task.state, task.closed_at = TaskState.DONE, now
    task.events.append(TaskEvent(kind=TaskEventKind.ACCEPTED, user_id=reviewer_id, at=now))
    for report in db.session.scalars(sa.select(Report).where(Report.space_id == space.id, Report.resolved_at.is_(None),
                                                             Report.kind == ReportKind.WRONG_LISTING)):
        resolve_report(report, reviewer_id, note)
    db.session.flush()
    return revision


def reject_finding(finding_id: int, reviewer_id: int, comment: str, now: datetime | None = None) -> Finding:
    """Send the task back to the queue with *comment*, which the next volunteer reads before they start."""
    now = now or utcnow()
    comment = comment.strip()
    if not comment:
        raise VolunteerError("volunteer.comment_needed")
    finding = _reviewable(finding_id, reviewer_id)
    finding.state, finding.reviewed_by_id, finding.reviewed_at, finding.review_comment = (
        FindingState.REJECTED, reviewer_id, now, comment)
    task = finding.task
    task.state = TaskState.OPEN
    task.events.append(TaskEvent(kind=TaskEventKind.REJECTED, user_id=reviewer_id, at=now, note=comment))
    db.session.flush()
    return finding


# --- Reading the queue ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    task: VolunteerTask
    is_participating: bool
    demand: int  # visit requests over the last year to spaces in the listing's town
    holder_id: int | None
    rejection: Finding | None  # the last rejected finding: its comment is read before starting


def _demand_by_town(now: datetime) -> sa.Subquery:
    """Visit requests per town over :data:`DEMAND_PERIOD`.

    Travellers' searches are not recorded, so the requests they send are the measure of where they
    look for a space: a town with many requests needs its listings to be right first.
    """
    town = sa.func.lower(Space.city)
    return (sa.select(Space.country_code, town.label("town"), sa.func.count(VisitRequest.id).label("demand"))
            .join(VisitRequest, VisitRequest.host_space_id == Space.id)
            .where(VisitRequest.created_at >= now - DEMAND_PERIOD)
            .group_by(Space.country_code, town).subquery())


def queue(now: datetime | None = None, limit: int = 200) -> list[QueueItem]:
    """The open tasks, participating listings first, then the towns travellers ask most, then the oldest."""
    now = now or utcnow()
    demand = _demand_by_town(now)
    participating = sa.func.coalesce(VisaTerms.is_participating, sa.false())
    count = sa.func.coalesce(demand.c.demand, 0)
    rows = db.session.execute(
        sa.select(VolunteerTask, participating, count)
        .join(Space, Space.id == VolunteerTask.space_id)
        .outerjoin(VisaTerms, VisaTerms.space_id == Space.id)
        .outerjoin(demand, sa.and_(demand.c.country_code == Space.country_code,
                                   demand.c.town == sa.func.lower(Space.city)))
        .where(VolunteerTask.state == TaskState.OPEN)
        .order_by(participating.desc(), count.desc(), VolunteerTask.created_at, VolunteerTask.id)
        .limit(limit)).unique().all()
    rejections = last_rejections([task.id for task, _, _ in rows])
    return [QueueItem(task, bool(p), int(d), lock_holder(task, now), rejections.get(task.id)) for task, p, d in rows]


def open_count() -> int:
    """Tasks in the queue (taken or not)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(VolunteerTask)
                             .where(VolunteerTask.state == TaskState.OPEN))


def last_rejections(task_ids: list[int]) -> dict[int, Finding]:
    """The latest rejected finding of each task."""
    out: dict[int, Finding] = {}
    if task_ids:
        for finding in db.session.scalars(sa.select(Finding).where(Finding.task_id.in_(task_ids),
                                                                   Finding.state == FindingState.REJECTED)
                                          .order_by(Finding.reviewed_at, Finding.id)):
            out[finding.task_id] = finding
    return out


def findings_to_review(reviewer_id: int) -> list[Finding]:
    """Pending findings, oldest first, without the reviewer's own (they may not review them)."""
    return list(db.session.scalars(
        sa.select(Finding).where(Finding.state == FindingState.PENDING,
                                 sa.or_(Finding.volunteer_id.is_(None), Finding.volunteer_id != reviewer_id))
        .order_by(Finding.created_at, Finding.id)).unique())


def history_of(volunteer_id: int, limit: int = 200) -> list[Finding]:
    """A volunteer's own findings, newest first, with how each was reviewed."""
    return list(db.session.scalars(sa.select(Finding).where(Finding.volunteer_id == volunteer_id)
                                   .order_by(Finding.created_at.desc(), Finding.id.desc()).limit(limit)).unique())


def held_by(user_id: int, now: datetime | None = None) -> list[VolunteerTask]:
    return list(db.session.scalars(sa.select(VolunteerTask).where(
        VolunteerTask.locked_by_id == user_id, VolunteerTask.locked_until > (now or utcnow()),
        VolunteerTask.state == TaskState.OPEN).order_by(VolunteerTask.locked_until)).unique())


# --- Volunteers themselves --------------------------------------------------------------------------------------


def apply_as_volunteer(user_id: int) -> User:
    """The account asks to volunteer; an admin approves it (admins need not: they do volunteers' work already)."""
    user = db.session.get(User, user_id)
    if user.role == Role.HOST:
        user.role, user.volunteer_approved_at, user.is_validator = Role.VOLUNTEER, None, False
        db.session.flush()
    return user


def approve_volunteer(user_id: int, now: datetime | None = None) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.VOLUNTEER:
        raise LookupError(user_id)
    user.volunteer_approved_at = user.volunteer_approved_at or now or utcnow()
    db.session.flush()
    return user


def set_validator(user_id: int, is_validator: bool) -> User:
    """Give an approved volunteer the right to review others' findings, or take it back."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_volunteer:
        raise LookupError(user_id)
    user.is_validator = is_validator
    db.session.flush()
    return user


def volunteers() -> list[User]:
    """Every volunteer account, those waiting for approval first."""
    return list(db.session.scalars(sa.select(User).where(User.role == Role.VOLUNTEER)
                                   .order_by(User.volunteer_approved_at.is_not(None), User.created_at)))
