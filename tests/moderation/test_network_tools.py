"""The admin's tools beyond one listing: overview, filtered feed, bulk actions, asking for changes, the
timeline, purge-demo, the export's demo marks and the mails' two parts."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.directory.services import update_space
from visa.extensions import db
from visa.moderation.models import Report, ReportKind
from visa.timeutil import utcnow


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    return user


def _hosted(make_space, make_user, name, email="host@example.org", **kw):
    from visa.accounts.models import User

    host = db.session.scalar(sa.select(User).where(User.email == email)) or make_user(email)
    space = make_space(name, **kw)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space


def _post(client, csrf_token, url, data=None, page="/admin/"):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(page)})


def test_overview_counts(client, admin, make_space):
    make_space("Listed Lisbon", lat=38.7101, lon=-9.1367)
    make_space("Listed Porto", lat=41.1496, lon=-8.6109, city="Porto")
    make_space("Listed Berlin", lat=52.52, lon=13.405, country="DE", city="Berlin",
               terms_confirmed_at=utcnow() - timedelta(days=350))
    make_space("Waiting", lat=38.72, lon=-9.15, status=SpaceStatus.PENDING)
    old = make_space("Old", lat=38.73, lon=-9.16, terms_confirmed_at=utcnow() - timedelta(days=400))
    db.session.add(Report(space_id=old.id, kind=ReportKind.NOT_HONORED, message="no"))
    db.session.commit()
    html = client.get("/admin/overview").get_data(as_text=True)
    from visa.moderation.overview import overview

    o = overview()
    assert o.by_status == {"pending": 1, "approved": 4, "rejected": 0, "suspended": 0, "closed": 0}
    assert o.by_country == [("PT", 3), ("DE", 1)]
    assert o.soon_stale == 1 and o.open_reports == 1 and o.changes_this_week == 5
    assert o.stale == 3  # "Old", and the two never confirmed
    assert (o.confirmed_recently, o.confirmed_share) == (1, 25)  # Berlin, of the 4 listed
    assert "<strong>25 %</strong> of the listed spaces confirmed their terms in the last 12 months (1 of 4)" in html
    assert "Portugal" in html and "Listed on the map" in html and "Listed Berlin" in html


def test_feed_filters_by_listing_person_and_kind(client, admin, make_space, make_user):
    host = make_user("ana@example.org")
    a = make_space("Alpha Desk", lat=38.7101, lon=-9.1367)
    b = make_space("Beta Desk", lat=38.72, lon=-9.15)
    update_space(a, {"phone": "+351 1"}, host.id, a.lock_version)
    update_space(b, {"phone": "+351 2"}, None, b.lock_version)
    db.session.commit()
    by_listing = client.get(f"/admin/revisions?listing={a.slug}").get_data(as_text=True)
    assert "Alpha Desk" in by_listing and "Beta Desk" not in by_listing
    by_person = client.get("/admin/revisions?person=ANA@example.org").get_data(as_text=True)
    assert "+351 1" in by_person and "+351 2" not in by_person
    assert "No revision found." in client.get("/admin/revisions?kind=confirmed").get_data(as_text=True)
    assert "No revision found." in client.get("/admin/revisions?person=nobody@example.org").get_data(as_text=True)


def test_bulk_approves_several_through_one_form(client, csrf_token, admin, make_space, make_user, mails):
    spaces = [_hosted(make_space, make_user, f"Wait {i}", lat=38.71 + i / 100, lon=-9.14,
                      status=SpaceStatus.PENDING) for i in range(3)]
    assert client.post("/admin/bulk", data={"space_ids": [spaces[0].id], "action": "approve"}).status_code == 400
    r = _post(client, csrf_token, "/admin/bulk", {"space_ids": [s.id for s in spaces[:2]], "action": "approve"})
    assert r.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Space, s.id).status for s in spaces] == [SpaceStatus.APPROVED] * 2 + [SpaceStatus.PENDING]
    assert len(mails()) == 2
    # A suspension without a reason changes nothing; with one, it takes listed spaces off the map.
    _post(client, csrf_token, "/admin/bulk", {"space_ids": [spaces[0].id], "action": "suspend"})
    db.session.expire_all()
    assert db.session.get(Space, spaces[0].id).status == SpaceStatus.APPROVED
    _post(client, csrf_token, "/admin/bulk", {"space_ids": [spaces[0].id], "action": "suspend", "reason": "Closed"})
    db.session.expire_all()
    assert db.session.get(Space, spaces[0].id).status == SpaceStatus.SUSPENDED


def test_ask_for_changes_mails_the_host_and_keeps_it_in_the_timeline(client, csrf_token, admin, make_space,
                                                                    make_user, mails):
    space = _hosted(make_space, make_user, "Almost There", status=SpaceStatus.PENDING)
    _post(client, csrf_token, f"/admin/spaces/{space.id}/ask", {"reason": "Please add your street number."})
    db.session.expire_all()
    assert db.session.get(Space, space.id).status == SpaceStatus.PENDING
    [message] = mails()
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.splitlines()[0] == "A network admin asks for changes to “Almost There” before approving it."
    assert "Please add your street number." in text and f"/spaces/{space.slug}/edit" in text
    assert f'href="http://localhost/spaces/{space.slug}/edit"' in html
    timeline = client.get(f"/admin/spaces/{space.id}").get_data(as_text=True)
    assert "Changes asked of the host" in timeline and "Please add your street number." in timeline
    assert "Listing created" in timeline


def test_rejection_reason_reaches_the_hosts_dashboard(client, csrf_token, admin, make_space, make_user, login):
    space = _hosted(make_space, make_user, "Not Yet", status=SpaceStatus.PENDING)
    _post(client, csrf_token, f"/admin/spaces/{space.id}/reject", {"reason": "Not a coworking space."})
    login("host@example.org")
    html = client.get("/host").get_data(as_text=True)
    assert "Not approved" in html and "Not a coworking space." in html


def test_purge_demo_needs_real_listings(app, runner, make_space):
    from visa.directory.demo import seed_demo

    seed_demo(app.config["VISA_GAZETTEER_PATH"])
    db.session.commit()
    refused = runner.invoke(args=["visa", "purge-demo"])
    assert refused.exit_code == 1 and "no real listing" in refused.output
    real = make_space("Real Desk", lat=38.7101, lon=-9.1367)
    done = runner.invoke(args=["visa", "purge-demo"])
    assert done.exit_code == 0 and "Removed" in done.output
    db.session.expire_all()
    assert db.session.scalars(sa.select(Space.name)).all() == ["Real Desk"]
    assert set(db.session.scalars(sa.select(Revision.space_id))) == {real.id}


def test_export_marks_demo_listings_and_can_leave_them_out(runner, make_space):
    make_space("Real Desk", lat=38.7101, lon=-9.1367)
    make_space("Invented Desk", lat=38.72, lon=-9.15, is_demo=True)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["visa", "export", "--format", "csv"]).output)))
    assert {r["name"]: r["demo"] for r in rows} == {"Real Desk": "no", "Invented Desk": "yes"}
    out = runner.invoke(args=["visa", "export", "--format", "geojson", "--without-demo"]).output
    assert [f["properties"]["name"] for f in json.loads(out)["features"]] == ["Real Desk"]
