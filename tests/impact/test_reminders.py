"""`visa remind-hosts`: a week's wait brings one reminder; a poor record flags the host to the admins, once."""

from __future__ import annotations

from datetime import timedelta

from tests.impact.conftest import NOW
from visa.accounts.models import Role, SpaceHost
from visa.extensions import db
from visa.impact.models import HostFlag
from visa.moderation.models import Report, ReportKind
from visa.passes.models import RequestStatus


def _hosted(space, make_user, email="host@example.org"):
    host = make_user(email)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return host


def test_hosts_are_reminded_once_of_requests_waiting_a_week(runner, network, make_user, make_pass, add_request,
                                                            mails):
    lisbon, porto, _berlin = network
    _hosted(lisbon, make_user)
    ana = make_pass(porto)
    add_request(ana, lisbon, NOW - timedelta(days=8))
    add_request(ana, lisbon, NOW - timedelta(days=7, minutes=1))
    add_request(ana, lisbon, NOW - timedelta(days=6))  # not a week yet
    add_request(ana, lisbon, NOW - timedelta(days=9), timedelta(hours=1), RequestStatus.ACCEPTED)  # answered

    result = runner.invoke(args=["visa", "remind-hosts"])
    assert result.exit_code == 0, result.output
    assert "1 space(s) about 2 request(s)" in result.output
    [message] = mails()
    assert message["To"] == "host@example.org"
    assert "2 visit requests" in message["Subject"] and "Lisbon Hub" in message["Subject"]
    assert "/host" in message.get_body(preferencelist=("plain",)).get_content()
    # Run again (cron is daily): no second mail for the same requests.
    again = runner.invoke(args=["visa", "remind-hosts"])
    assert "0 space(s) about 0 request(s)" in again.output and len(mails()) == 1


def test_repeated_unanswered_requests_flag_the_host_to_admins_once(runner, network, make_user, make_pass,
                                                                   add_request, mails, client, login):
    lisbon, porto, _berlin = network
    _hosted(lisbon, make_user)
    make_user("admin@example.org", role=Role.ADMIN)
    ana = make_pass(porto)
    add_request(ana, lisbon, NOW - timedelta(days=30), timedelta(days=8), RequestStatus.ACCEPTED)  # answered late
    add_request(ana, lisbon, NOW - timedelta(days=20))
    runner.invoke(args=["visa", "remind-hosts"])
    assert db.session.get(HostFlag, lisbon.id) is None  # two: not yet a habit
    add_request(ana, lisbon, NOW - timedelta(days=10))
    result = runner.invoke(args=["visa", "remind-hosts"])
    assert "flagged 1 space(s)" in result.output
    to_admin = [m for m in mails() if m["To"] == "admin@example.org"]
    assert len(to_admin) == 1 and "Lisbon Hub" in to_admin[0].get_body(preferencelist=("plain",)).get_content()
    assert "flagged 0 space(s)" in runner.invoke(args=["visa", "remind-hosts"]).output

    login("admin@example.org")
    page = client.get("/admin/host-flags").get_data(as_text=True)
    assert "Lisbon Hub" in page and "3 requests left a week without an answer" in page


def test_upheld_did_not_honor_reports_flag_the_host(runner, network, make_user, client, login, csrf_token):
    lisbon, _porto, _berlin = network
    make_user("admin@example.org", role=Role.ADMIN)
    reports = [Report(space_id=lisbon.id, kind=ReportKind.NOT_HONORED, message=f"Turned away, try {i}")
               for i in range(3)]
    db.session.add_all(reports)
    db.session.commit()
    login("admin@example.org")
    token = csrf_token("/admin/host-flags")
    for report, finding in zip(reports, ("upheld", "dismissed", "upheld"), strict=True):
        response = client.post(f"/admin/reports/{report.id}/finding/{finding}", data={"csrf_token": token})
        assert response.status_code == 303
    assert client.post(f"/admin/reports/{reports[0].id}/finding/upheld", data={"csrf_token": token}).status_code == 409
    db.session.expire_all()
    assert all(r.resolved_at is not None for r in reports)
    assert "flagged 1 space(s)" in runner.invoke(args=["visa", "remind-hosts"]).output
    flag = db.session.get(HostFlag, lisbon.id)
    assert flag.upheld_reports == 2
    client.post(f"/admin/host-flags/{lisbon.id}/clear", data={"csrf_token": token})
    assert "flagged 0 space(s)" in runner.invoke(args=["visa", "remind-hosts"]).output  # cleared, no worse


def test_host_flags_page_is_for_admins(client, make_user, login):
    make_user("host@example.org")
    login("host@example.org")
    assert client.get("/admin/host-flags").status_code == 403
