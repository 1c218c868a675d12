"""Volunteers taking one task at the same moment, over real HTTP: one gets it, every other one is told another
volunteer is working on it, and the task's history has one "taken".

Werkzeug's threaded server on 127.0.0.1 runs each POST in its own request, app context and database session, as
workers would. On PostgreSQL the requests really overlap; SQLite serialises its writers.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from tests.live import at_once, csrf, flash, signed_in
from visa.extensions import db
from visa.volunteers.models import TaskEvent, TaskEventKind, VolunteerTask
from visa.volunteers.services import open_task

TAKERS = 8
MINE = "The task is yours for two hours."
TAKEN = "Another volunteer is working on this listing."


@pytest.fixture
def app_config(app_config: dict) -> dict:
    # Production's error handling: an exception gets the 500 page instead of propagating to the server.
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}


def test_volunteers_taking_one_task_at_once_get_it_once(app, live_server, volunteer, make_space):
    task = open_task(make_space("Casa Coworking").id, "mail_refused", "550 mailbox unavailable")
    db.session.commit()
    task_id = task.id
    people = [volunteer(f"v{i}@example.org") for i in range(TAKERS)]
    page = f"{live_server}/volunteer/tasks/{task_id}"
    browsers = [signed_in(live_server, person.email) for person in people]
    tokens = [csrf(browser, page) for browser in browsers]

    def take(i: int) -> tuple[int, str]:
        answer = browsers[i].post(f"{page}/take", data={"csrf_token": tokens[i]}, allow_redirects=False, timeout=60)
        return answer.status_code, flash(browsers[i].get(page, timeout=60).text) if answer.status_code == 303 else ""

    answers = at_once(TAKERS, take)
    for browser in browsers:
        browser.close()

    print(f"\n{TAKERS} volunteers taking one task on {db.engine.dialect.name}: {Counter(answers)}")
    assert Counter(answers) == {(303, MINE): 1, (303, TAKEN): TAKERS - 1}
    db.session.expire_all()
    winner = next(person.id for person, answer in zip(people, answers, strict=True) if answer[1] == MINE)
    assert db.session.get(VolunteerTask, task_id).locked_by_id == winner
    taken = db.session.scalars(sa.select(TaskEvent).where(TaskEvent.task_id == task_id,
                                                          TaskEvent.kind == TaskEventKind.TAKEN)).all()
    assert [event.user_id for event in taken] == [winner]
