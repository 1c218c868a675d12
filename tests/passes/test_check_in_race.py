"""Twenty check-ins of one visit at the same moment, over real HTTP: one visit, one "checked in", nineteen
"already checked in", never a 500.

Werkzeug's threaded server on 127.0.0.1 runs each POST in its own request, app context and database session,
as workers would; the hosts' browsers share one signed-in session (a host's phone and the front desk).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import date, timedelta

import pytest
import requests
import sqlalchemy as sa

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


def _csrf(browser: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get(url).text).group(1)


def _flash(html: str) -> str:
    found = re.search(r'<div class="flash" role="status">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_twenty_concurrent_check_ins_record_one_visit(app, server, network):
    issued = services.issue_pass(network["home"].id, "Ana Sousa", "ana@example.org", TODAY,
                                 TODAY + timedelta(days=30), None)
    r = visits.request_visit(issued.pass_id, network["host"].id, TODAY, TODAY, "", TODAY)
    visits.accept_request(r.id, None)
    db.session.commit()
    request_id = r.id
    host = requests.Session()
    login = host.post(f"{server}/login", data={"email": "berlin@example.org", "password": "correct horse battery",
                                               "csrf_token": _csrf(host, f"{server}/login")}, allow_redirects=False)
    assert login.status_code == 302
    token = _csrf(host, f"{server}/host/visits")
    browsers = []
    for _ in range(SCANS):
        browser = requests.Session()
        browser.cookies.update(host.cookies)
        browsers.append(browser)
    start = threading.Barrier(SCANS)
    answers: list[tuple[int, str]] = [(0, "")] * SCANS

    def scan(i: int) -> None:
        start.wait()
        try:
            answer = browsers[i].post(f"{server}/host/visits/{request_id}/checkin", data={"csrf_token": token},
                                      allow_redirects=False, timeout=60)
            shown = browsers[i].get(f"{server}/host/visits", timeout=60).text if answer.status_code == 302 else ""
            answers[i] = (answer.status_code, _flash(shown))
        except Exception as err:  # reported by the assertion
            answers[i] = (0, repr(err))

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(SCANS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for b in [host, *browsers]:
        b.close()

    print(f"\n{SCANS} concurrent check-ins on {db.engine.dialect.name}: {Counter(answers)}")
    assert Counter(answers) == {(302, "Checked in: the visit is recorded."): 1,
                                (302, "Already checked in: this visit was recorded before."): SCANS - 1}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1
    assert db.session.get(VisitRequest, request_id).status == RequestStatus.CHECKED_IN
