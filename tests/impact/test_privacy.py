"""Privacy: who may see a member's name, and `visa forget EMAIL` keeping only anonymous counts."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.impact.conftest import NOW, TODAY
from visa.accounts.models import Role, SpaceHost
from visa.extensions import db
from visa.impact import figures
from visa.impact.privacy import may_see_member
from visa.moderation.models import Report, ReportKind
from visa.passes.models import Pass, PassStatus, RequestStatus, Visit, VisitRequest


def _host_of(space, make_user, email, confirmed=True):
    user = make_user(email)
    db.session.add(SpaceHost(space_id=space.id, user_id=user.id, is_confirmed=confirmed))
    db.session.commit()
    return user


def test_only_the_home_host_and_the_hosts_asked_see_a_member(network, make_user, make_pass, add_request):
    lisbon, porto, berlin = network
    home_host = _host_of(porto, make_user, "porto@example.org")
    asked_host = _host_of(lisbon, make_user, "lisbon@example.org")
    other_host = _host_of(berlin, make_user, "berlin@example.org")
    unconfirmed = _host_of(lisbon, make_user, "claimant@example.org", confirmed=False)
    admin = make_user("admin@example.org", role=Role.ADMIN)
    ana = make_pass(porto)
    add_request(ana, lisbon, NOW - timedelta(days=1))
    assert may_see_member(home_host, ana) and may_see_member(asked_host, ana)
    assert not may_see_member(other_host, ana)
    assert not may_see_member(unconfirmed, ana)  # a claim an admin has not confirmed gives no access
    assert not may_see_member(admin, ana)  # moderating listings never needs a member's name
    assert not may_see_member(None, ana)


def test_forget_removes_personal_data_and_keeps_the_counts(runner, network, make_pass, add_visit, add_request):
    lisbon, porto, _berlin = network
    ana = make_pass(porto, "Ana@Example.org", "Ana Member")
    keep = make_pass(porto, "bo@example.org", "Bo Member")
    add_request(ana, lisbon, NOW - timedelta(days=3), timedelta(hours=2), RequestStatus.CHECKED_IN,
                message="I am Ana, a designer from Porto")
    add_visit(ana, lisbon, TODAY)
    add_visit(keep, lisbon, TODAY)
    db.session.add(Report(space_id=lisbon.id, kind=ReportKind.NOT_HONORED, message="turned away",
                          reporter_email="ana@example.org"))
    db.session.commit()
    record_before, impact_before = figures.space_record(lisbon.id), figures.network_impact()

    result = runner.invoke(args=["visa", "forget", "ana@EXAMPLE.org", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 pass(es), 1 request message(s), 1 report address(es)" in result.output
    db.session.expire_all()
    forgotten = db.session.get(Pass, ana.id)
    assert (forgotten.member_name, forgotten.member_email, forgotten.message, forgotten.token) == ("", "", "", None)
    assert forgotten.status == PassStatus.REVOKED
    assert db.session.scalar(sa.select(VisitRequest.message).where(VisitRequest.pass_id == ana.id)) == ""
    assert db.session.scalar(sa.select(Report.reporter_email)) == ""
    everything = " ".join(str(v) for table in (Pass, VisitRequest, Visit, Report)
                          for row in db.session.execute(sa.select(table.__table__)) for v in row)
    assert "Ana" not in everything and "ana@example.org" not in everything.lower()
    assert db.session.get(Pass, keep.id).member_name == "Bo Member"
    assert figures.space_record(lisbon.id) == record_before
    assert figures.network_impact() == impact_before


def test_forget_asks_before_it_acts(runner, network, make_pass):
    ana = make_pass(network[1])
    result = runner.invoke(args=["visa", "forget", "ana@example.org"], input="n\n")
    assert result.exit_code == 1
    db.session.expire_all()
    assert db.session.get(Pass, ana.id).member_name == "Ana Member"


def test_passes_expired_over_a_year_lose_their_personal_data(runner, network, make_pass):
    porto = network[1]
    old, recent = make_pass(porto, "old@example.org", "Old Member"), make_pass(porto, "new@example.org", "New")
    old.valid_to = TODAY - timedelta(days=366)
    recent.valid_to = TODAY - timedelta(days=364)
    db.session.commit()
    result = runner.invoke(args=["visa", "forget-expired"])
    assert "1 expired pass(es)" in result.output
    db.session.expire_all()
    assert db.session.get(Pass, old.id).member_name == "" and db.session.get(Pass, recent.id).member_name == "New"
    assert "0 expired" in runner.invoke(args=["visa", "forget-expired"]).output
