"""Twenty check-ins of one visit at the same moment, over real HTTP: one visit, one "checked in", nineteen
"already checked in", never a 500.

Werkzeug's threaded server on 127.0.0.1 runs each POST in its own request, app context and database session,
as workers would; the hosts' browsers share one signed-in session (a host's phone and the front desk).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import requests
import sqlalchemy as sa

from tests.live import at_once, csrf, flash, signed_in
from visa.extensions import db
from visa.passes import services, visits
from visa.passes.models import RequestStatus, Visit, VisitRequest

SCANS = 20
TODAY = date.today()


@pytest.fixture
def app_config(app_config: dict) -> dict:
    # Production's error handling: an exception gets the 500 page instead of propagating to the server.
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def server(live_server: str) -> str:
    return live_server


def test_twenty_concurrent_check_ins_record_one_visit(app, server, network):
    issued = services.issue_pass(network["home"].id, "Ana Sousa", "ana@example.org", TODAY,
                                 TODAY + timedelta(days=30), None)
    r = visits.request_visit(issued.pass_id, network["host"].id, TODAY, TODAY, "", TODAY)
    visits.accept_request(r.id, None)
    db.session.commit()
    request_id = r.id
    host = signed_in(server, "berlin@example.org")
    token = csrf(host, f"{server}/host/visits")
    browsers = []
    for _ in range(SCANS):
        browser = requests.Session()
        browser.cookies.update(host.cookies)
        browsers.append(browser)

    def scan(i: int) -> tuple[int, str]:
        answer = browsers[i].post(f"{server}/host/visits/{request_id}/checkin", data={"csrf_token": token},
                                  allow_redirects=False, timeout=60)
        shown = browsers[i].get(f"{server}/host/visits", timeout=60).text if answer.status_code == 302 else ""
        return answer.status_code, flash(shown)

    answers = at_once(SCANS, scan)
    for b in [host, *browsers]:
        b.close()

    print(f"\n{SCANS} concurrent check-ins on {db.engine.dialect.name}: {Counter(answers)}")
    assert Counter(answers) == {(302, "Checked in: the visit is recorded."): 1,
                                (302, "Already checked in: this visit was recorded before."): SCANS - 1}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1
    assert db.session.get(VisitRequest, request_id).status == RequestStatus.CHECKED_IN
