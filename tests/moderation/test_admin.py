"""Admins: the queue (approve, reject with a reason mailed, suspend), claims, reports, revisions, staleness."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from visa.accounts.models import Role, SpaceHost, User
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report, ReportKind
from visa.timeutil import utcnow


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    return user


@pytest.fixture
def pending(make_space, make_user):
    host = make_user("host@example.org")
    space = make_space("New Place", lat=38.7101, lon=-9.1367, status=SpaceStatus.PENDING)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space


def _post(client, csrf_token, url, data=None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token("/admin/")})


def test_queue_approve_puts_it_on_the_map_and_tells_the_host(client, csrf_token, admin, pending, mails):
    assert "New Place" in client.get("/admin/").get_data(as_text=True)
    assert _post(client, csrf_token, f"/admin/spaces/{pending.id}/approve").status_code == 302
    assert client.get(f"/spaces/{pending.slug}").status_code == 200
    [message] = mails()
    assert message["To"] == "host@example.org" and "is now listed" in message["Subject"]


def test_reject_needs_a_reason_that_is_mailed(client, csrf_token, admin, pending, mails):
    r = _post(client, csrf_token, f"/admin/spaces/{pending.id}/reject", {"reason": ""})
    assert r.status_code == 303 and db.session.get(Space, pending.id).status == SpaceStatus.PENDING
    _post(client, csrf_token, f"/admin/spaces/{pending.id}/reject", {"reason": "Not a coworking space."})
    db.session.expire_all()
    assert db.session.get(Space, pending.id).status == SpaceStatus.REJECTED
    assert "Not a coworking space." in mails()[-1].get_body().get_content()


def test_claims_are_confirmed_by_an_admin(client, csrf_token, admin, make_space, make_user, mails):
    space = make_space("Claimed", lat=38.72, lon=-9.15)
    claimer = make_user("claimer@example.org")
    db.session.add(SpaceHost(space_id=space.id, user_id=claimer.id, is_confirmed=False))
    db.session.commit()
    assert "claimer@example.org" in client.get("/admin/").get_data(as_text=True)
    _post(client, csrf_token, f"/admin/claims/{space.id}/{claimer.id}/accept")
    db.session.expire_all()
    assert db.session.get(SpaceHost, (space.id, claimer.id)).is_confirmed
    assert mails()[-1]["To"] == "claimer@example.org"


def test_reports_flag_the_space_and_are_resolved(client, csrf_token, admin, make_space):
    space = make_space("Reported", lat=38.72, lon=-9.15)
    db.session.add(Report(space_id=space.id, kind=ReportKind.NOT_HONORED, message="<b>turned away</b>"))
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert "1 space has open reports." in html and "&lt;b&gt;turned away&lt;/b&gt;" in html
    report = db.session.scalars(sa.select(Report)).one()
    _post(client, csrf_token, f"/admin/reports/{report.id}/resolve", {"reason": "Talked to the host."})
    db.session.expire_all()
    assert db.session.get(Report, report.id).resolved_at is not None
    assert "No open report." in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?lang=de"])
def test_a_refused_revert_leaves_the_listing_exactly_as_it_was(client, csrf_token, admin, make_space, query):
    """The revert form posts back to its page's own address, ``?lang=`` included: saving the admin's language
    must not save the half-reverted listing with it."""
    from visa.directory.services import update_space

    space = make_space("Moving Desk", lat=38.7101, lon=-9.1367)
    moved = update_space(space, {"latitude": 41.1496, "longitude": -8.6110}, None, space.lock_version)
    update_space(space, {"country_code": "ES", "latitude": 40.4168, "longitude": -3.7038}, None, space.lock_version)
    db.session.commit()
    table, space_id, moved_id = Space.__table__, space.id, moved.id

    def saved() -> tuple:
        with db.engine.connect() as other:  # what is committed, whatever this test's session holds
            row = other.execute(sa.select(table).where(table.c.id == space_id)).mappings().one()
            revisions = other.execute(sa.select(Revision.__table__.c.id, Revision.__table__.c.reverted_by_id)
                                      .where(Revision.__table__.c.space_id == space_id)).all()
            return dict(row), sorted(revisions)

    before = saved()
    # Undoing the first move alone would put the Spanish listing back in Lisbon: refused.
    r = client.post(f"/admin/revisions/{moved_id}/revert{query}", data={"csrf_token": csrf_token("/admin/")})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/revisions")
    assert saved() == before
    listing = db.session.get(Space, space_id)  # the request's session rolled back too: nothing half-done in it
    assert (listing.latitude, listing.longitude, listing.country_code) == (40.4168, -3.7038, "ES")
    assert db.session.get(Revision, moved_id).reverted_by_id is None
    if query:  # the admin's language is kept all the same, in its own transaction
        assert db.session.scalar(sa.select(User.language).where(User.id == admin.id)) == "de"


def test_revision_feed_and_revert(client, csrf_token, admin, make_space):
    from visa.directory.services import update_space

    space = make_space("Before", lat=38.7101, lon=-9.1367)
    update_space(space, {"name": "After"}, None, space.lock_version)
    db.session.commit()
    html = client.get("/admin/revisions").get_data(as_text=True)
    assert '<th scope="row">Name of the space</th><td><bdi>Before</bdi></td><td><bdi>After</bdi></td>' in html
    # A long diff scrolls in its own box, which the keyboard can reach and which says what it holds.
    assert '<div class="scroll-x" tabindex="0" role="group" aria-label="Changes to \u2068After\u2069">' in html
    change = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc())).first()
    # The revert asks first, saying what it will change; nothing changes until the POST.
    ask = client.get(f"/admin/revisions/{change.id}/revert").get_data(as_text=True)
    assert '<th scope="row">Name of the space</th><td><bdi>After</bdi></td><td><bdi>Before</bdi></td>' in ask
    db.session.expire_all()
    assert db.session.get(Space, space.id).name == "After"
    _post(client, csrf_token, f"/admin/revisions/{change.id}/revert")
    db.session.expire_all()
    assert db.session.get(Space, space.id).name == "Before"
    assert db.session.get(Revision, change.id).reverted_by_id is not None
    # Reverting the creation takes the listing off the map; its history stays.
    creation = db.session.scalars(sa.select(Revision).order_by(Revision.id)).first()
    _post(client, csrf_token, f"/admin/revisions/{creation.id}/revert")
    db.session.expire_all()
    assert db.session.get(Space, space.id).status == SpaceStatus.SUSPENDED


def test_stale_list_and_idempotent_reminders(app, client, admin, make_space, make_user, mails, runner):
    host = make_user("host@example.org")
    old = make_space("Old Terms", lat=38.72, lon=-9.15, terms_confirmed_at=utcnow() - timedelta(days=350))
    fresh = make_space("Fresh Terms", lat=38.73, lon=-9.16, terms_confirmed_at=utcnow() - timedelta(days=10))
    for space in (old, fresh):
        db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    first = runner.invoke(args=["visa", "remind-stale"])
    assert ": 1 listing(s) mailed" in first.output  # the freshness campaign of visa.campaigns
    assert [m["To"] for m in mails()] == ["host@example.org"] and "Old Terms" in mails()[0]["Subject"]
    second = runner.invoke(args=["visa", "remind-stale"])
    assert ": 0 listing(s) mailed" in second.output and len(mails()) == 1
    old.terms_confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    stale = client.get("/admin/stale").get_data(as_text=True)
    assert "Old Terms" in stale and "Fresh Terms" not in stale
    assert "Lisbon, Portugal" in stale and ", PT<" not in stale  # country names, not codes
    assert old.terms_confirmed_at.strftime("%b ") + str(old.terms_confirmed_at.day) in stale
