"""Two hosts accepting two requests for the last place at the same moment: one wins, on a real database.

Each acceptance runs in its own thread with its own app context (so its own session and connection), as two
workers would. A barrier between each one's check and its write makes both check before either writes, every
time, unless the host lock makes the second wait: then the barrier times out and the second checks after the
first has written.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import event

from visa.directory.models import RegistryVersion
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.passes import services, visits
from visa.passes.models import Pass, RequestStatus, VisitRequest

#: How long the first acceptance waits at the barrier for the second (which, locked out, never comes).
BARRIER_WAIT = 1.5


def _accept_at_once(app, request_ids: list[int]) -> list[object]:
    """Accept each request in its own thread; the outcome of each, in order: the request's status or the error."""
    barrier = threading.Barrier(len(request_ids))
    outcomes: list[object] = [None] * len(request_ids)

    def wait_for_the_other(_session, _context, _instances) -> None:
        # Broken: the other acceptance is waiting for the lock, and this one writes alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(BARRIER_WAIT)

    def accept(i: int, request_id: int) -> None:
        with app.app_context():
            # The acceptance's flush is its write: everything before it is the check.
            event.listen(db.session(), "before_flush", wait_for_the_other)
            try:
                outcomes[i] = visits.accept_request(request_id, None).status
                db.session.commit()  # the caller's one commit ends the transaction and lets go of the lock
            except Exception as err:  # a VisitError, or anything else: reported by the assertion
                outcomes[i] = err

    threads = [threading.Thread(target=accept, args=(i, rid)) for i, rid in enumerate(request_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_acceptances_for_the_last_place_of_a_day_one_succeeds(app, network):
    day = date.today() + timedelta(days=3)
    members = [db.session.get(Pass, services.issue_pass(network["home"].id, f"M{i}", f"m{i}@example.org",
                                                        date.today(), day, None).pass_id) for i in range(3)]
    asked = [visits.request_visit(m.id, network["host"].id, day, day, "", date.today()) for m in members]
    visits.accept_request(asked[0].id, None)  # capacity 2: one place left on the day
    ids = [asked[1].id, asked[2].id]
    db.session.commit()
    registry = (db.session.scalar(sa.select(RegistryVersion.version)), db.session.scalar(sa.select(sa.func.count())
                                                                                         .select_from(Revision)))

    outcomes = _accept_at_once(app, ids)

    accepted = [o for o in outcomes if o == RequestStatus.ACCEPTED]
    refused = [o for o in outcomes if isinstance(o, visits.VisitError)]
    assert len(accepted) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "limit" and [b.code for b in refused[0].breaches] == ["full"]
    db.session.expire_all()
    statuses = sorted(db.session.get(VisitRequest, i).status.value for i in ids)
    assert statuses == ["accepted", "pending"]
    assert visits.booked_days(network["host"].id, day, day) == {day: 2}
    # The lock writes nothing to the registry: no new version for the spatial indexes, no revision.
    assert (db.session.scalar(sa.select(RegistryVersion.version)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Revision))) == registry
