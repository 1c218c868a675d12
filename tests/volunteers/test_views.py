"""The volunteers' pages through the test client: applying, approval, a task from taking to acceptance."""

from __future__ import annotations

import re

import pytest

from visa.accounts.models import Role
from visa.extensions import db
from visa.volunteers.models import Finding, FindingState, TaskState
from visa.volunteers.services import open_task


@pytest.fixture
def form_token(client):
    def _token(url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    return _token


def test_a_host_offers_to_volunteer_and_an_admin_approves(client, login, make_user, form_token):
    helper = make_user("helper@example.org")
    make_user("admin@example.org", role=Role.ADMIN)
    login("helper@example.org")
    r = client.post("/volunteer/apply", data={"csrf_token": form_token("/volunteer")})
    assert r.status_code == 303
    assert "volunteer-waiting" in client.get("/volunteer").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": form_token("/volunteer")})

    login("admin@example.org")
    page = client.get("/admin/volunteers").get_data(as_text=True)
    assert "helper@example.org" in page
    r = client.post(f"/admin/volunteers/{helper.id}/approve", data={"csrf_token": form_token("/admin/volunteers")})
    assert r.status_code == 303
    r = client.post(f"/admin/volunteers/{helper.id}/validator", data={"csrf_token": form_token("/admin/volunteers")})
    db.session.expire_all()
    assert helper.is_volunteer and helper.is_validator


def test_a_task_from_taking_to_a_live_finding(client, login, volunteer, make_space, form_token):
    space = make_space("Casa Coworking", website="https://casa.example", phone="+351 21 123 4567")
    task = open_task(space.id, "mail_refused", "550 mailbox unavailable")
    db.session.commit()
    volunteer("ana@example.org")
    vera = volunteer("vera@example.org", validator=True)

    login("ana@example.org")
    queue = client.get("/volunteer").get_data(as_text=True)
    assert "Casa Coworking" in queue and "The mail server refused" in queue
    page_url = f"/volunteer/tasks/{task.id}"
    r = client.post(f"{page_url}/take", data={"csrf_token": form_token(page_url)})
    assert r.status_code == 303
    page = client.get(page_url).get_data(as_text=True)
    assert "This task is yours." in page and re.search(r"(1 h 59|2 h 0) min left", page)
    assert "+351 21 123 4567" in page and 'name="free_days_per_visit"' in page

    token = form_token(page_url)
    bad = client.post(f"{page_url}/finding", data={"csrf_token": token, "open_state": "open", "source_kind": "website",
                                                   "source_url": "casa.example", "is_participating": "yes"})
    assert bad.status_code == 400 and "starting with https://" in bad.get_data(as_text=True)
    r = client.post(f"{page_url}/finding", data={
        "csrf_token": token, "open_state": "open", "source_kind": "phone", "checked_on": "2026-12-01",
        "finding_note": "Spoke with Rita", "is_participating": "yes", "free_days_per_visit": "5",
        "request_method": "email", "weekdays": ["mon", "tue"]})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    assert "Waiting for a validator" in client.get("/volunteer/history").get_data(as_text=True)
    assert client.get("/volunteer/review").status_code == 403  # ana is no validator
    client.post("/logout", data={"csrf_token": form_token("/volunteer")})

    login("vera@example.org")
    review = client.get("/volunteer/review").get_data(as_text=True)
    assert "A phone call on" in review and "Spoke with Rita" in review
    finding = db.session.query(Finding).one()
    r = client.post(f"/volunteer/findings/{finding.id}/accept", data={"csrf_token": form_token("/volunteer/review")})
    assert r.status_code == 303
    db.session.expire_all()
    assert finding.state == FindingState.ACCEPTED and finding.reviewed_by_id == vera.id
    assert task.state == TaskState.DONE and space.terms.free_days_per_visit == 5


def test_the_recorder_cannot_accept_their_own_finding_over_http(client, login, volunteer, make_space, form_token):
    space = make_space("Own Work")
    task = open_task(space.id, "stale")
    db.session.commit()
    volunteer("vera@example.org", validator=True)
    login("vera@example.org")
    page_url = f"/volunteer/tasks/{task.id}"
    client.post(f"{page_url}/take", data={"csrf_token": form_token(page_url)})
    client.post(f"{page_url}/finding", data={"csrf_token": form_token(page_url), "open_state": "unknown",
                                             "source_kind": "phone", "checked_on": "2026-12-01"})
    finding = db.session.query(Finding).one()
    assert f"finding-{finding.id}" not in client.get("/volunteer/review").get_data(as_text=True)
    r = client.post(f"/volunteer/findings/{finding.id}/accept", data={"csrf_token": form_token("/volunteer/review")})
    assert r.status_code == 403
    db.session.expire_all()
    assert finding.state == FindingState.PENDING


def test_volunteer_actions_are_rate_limited_per_account(app, client, login, volunteer, make_space, form_token):
    app.config["VISA_VOLUNTEER_LIMIT"] = "2 per hour"
    task = open_task(make_space().id, "stale")
    db.session.commit()
    volunteer("ana@example.org")
    login("ana@example.org")
    page_url = f"/volunteer/tasks/{task.id}"
    codes = [client.post(f"{page_url}/{action}", data={"csrf_token": form_token(page_url)}).status_code
             for action in ("take", "extend", "extend")]
    assert codes == [303, 303, 429]
