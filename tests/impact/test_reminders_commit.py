"""`visa remind-hosts` mails only what it committed: when its commit fails, nobody is mailed.

The failure is a real one: another server's cron run reminded the same request a moment earlier (both app servers
run the cron file), so this run's reminder row collides with the one that run committed while this one was
writing its mails.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import sqlalchemy as sa

from tests.impact.conftest import NOW
from tests.impact.test_reminders import _hosted
from visa.extensions import db
from visa.impact.models import RequestReminder


def test_a_run_whose_commit_fails_mails_nobody(app, runner, network, make_user, make_pass, add_request, mails):
    lisbon, porto, _berlin = network
    _hosted(lisbon, make_user)
    waiting = add_request(make_pass(porto), lisbon, NOW - timedelta(days=8))
    db.session.commit()
    request_id = waiting.id
    written, done = threading.Event(), threading.Event()

    def other_server() -> None:
        """The other server's run: its reminder row is written first and committed a second later."""
        with app.app_context(), db.engine.connect() as connection:
            connection.execute(sa.insert(RequestReminder).values(request_id=request_id, reminded_at=NOW))
            written.set()
            time.sleep(1)
            connection.commit()
        done.set()

    thread = threading.Thread(target=other_server)
    thread.start()
    assert written.wait(10)
    result = runner.invoke(args=["visa", "remind-hosts"])
    thread.join()
    db.session.rollback()

    assert isinstance(result.exception, sa.exc.IntegrityError), result.output
    assert mails() == []  # the run's reminder was rolled back, and so was its mail
    assert db.session.scalars(sa.select(RequestReminder.request_id)).all() == [request_id]
