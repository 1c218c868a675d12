"""The volunteers' queue services, called with an app context and no request."""

from __future__ import annotations

import pytest

from visa.extensions import db
from visa.volunteers.models import TaskEventKind, TaskReason, TaskState, VolunteerTask
from visa.volunteers.services import open_task


def test_open_task_is_idempotent_while_the_task_is_open(make_space):
    space = make_space()
    first = open_task(space.id, "no_email")
    again = open_task(space.id, "no_email", "campaign spring")
    other_reason = open_task(space.id, "mail_refused", "550 no such user")
    db.session.commit()

    assert first.id == again.id == other_reason.id
    assert db.session.query(VolunteerTask).count() == 1
    assert first.reason == TaskReason.NO_EMAIL and first.state == TaskState.OPEN
    assert [(e.kind, e.note) for e in first.events] == [
        (TaskEventKind.OPENED, "no_email"), (TaskEventKind.REASON_ADDED, "mail_refused: 550 no such user")]


def test_a_closed_task_lets_a_new_one_open(make_space):
    space = make_space()
    first = open_task(space.id, "stale")
    first.state = TaskState.DONE
    db.session.flush()
    second = open_task(space.id, "report", "the address moved")
    db.session.commit()
    assert second.id != first.id and second.detail == "the address moved"


def test_the_database_refuses_a_second_active_task(make_space):
    """The partial unique index holds even for a writer that does not go through open_task."""
    import sqlalchemy as sa

    space = make_space()
    open_task(space.id, "stale")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.add(VolunteerTask(space_id=space.id, reason=TaskReason.REPORT))
        db.session.flush()
    db.session.rollback()


def test_open_task_refuses_an_unknown_reason(make_space):
    with pytest.raises(ValueError):
        open_task(make_space().id, "bored")
