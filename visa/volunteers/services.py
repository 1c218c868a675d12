"""The volunteers' queue as plain operations (they flush; the view or command commits).

Other packages (the outreach campaigns, the reports) send listings here with :func:`open_task`.
"""

from __future__ import annotations

import sqlalchemy as sa

from visa.extensions import db
from visa.timeutil import utcnow
from visa.volunteers.models import ACTIVE_STATES, TaskEvent, TaskEventKind, TaskReason, VolunteerTask


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


def _reason_note(reason: TaskReason, detail: str | None) -> str:
    return f"{reason.value}: {detail}" if detail else reason.value
