"""The host's dashboard: statuses in words, a preview of a pending listing, Edit (never "claim") on their own
listings, "still accurate" as a confirmation event, the request contact prefilled, word of reports."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from visa.accounts.models import SpaceHost
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.extensions import db


@pytest.fixture
def host(make_user, login):
    user = make_user("host@example.org")
    login("host@example.org")
    return user


def _keep(space, user) -> None:
    db.session.add(SpaceHost(space_id=space.id, user_id=user.id, is_confirmed=True))
    db.session.commit()


def test_statuses_are_explained_and_never_confirmed_reads_plainly(client, host, make_space):
    pending = make_space("Waiting Desk", status=SpaceStatus.PENDING)
    listed = make_space("Listed Desk", lat=38.72, lon=-9.15)
    for space in (pending, listed):
        _keep(space, host)
    html = client.get("/host").get_data(as_text=True)
    assert "Waiting for a network admin" in html and "usually within a week" in html
    assert "Listed on the map" in html and "Travellers find it on the map." in html
    assert "Not confirmed yet" in html and "Terms never confirmed by the host" in html
    assert ">pending<" not in html and "never /" not in html
    assert f'/host/spaces/{pending.slug}/preview' in html and f'/host/spaces/{listed.slug}/preview' not in html


def test_preview_shows_the_pending_listing_to_its_host_only(client, host, make_space, make_user, login):
    space = make_space("Waiting Desk", status=SpaceStatus.PENDING)
    _keep(space, host)
    assert client.get(f"/spaces/{space.slug}").status_code == 404  # travellers: not yet
    page = client.get(f"/host/spaces/{space.slug}/preview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1><bdi>Waiting Desk</bdi></h1>" in html and "Preview: travellers will see" in html
    make_user("other@example.org")
    login("other@example.org")
    assert client.get(f"/host/spaces/{space.slug}/preview").status_code == 403


def test_own_listing_offers_edit_not_claim(client, host, make_space):
    mine = make_space("Mine", lat=38.72, lon=-9.15)
    theirs = make_space("Theirs", lat=38.73, lon=-9.16)
    _keep(mine, host)
    assert "claim the listing" not in client.get(f"/spaces/{mine.slug}").get_data(as_text=True)
    assert f"/spaces/{mine.slug}/edit" in client.get(f"/spaces/{mine.slug}").get_data(as_text=True)
    assert "claim the listing" in client.get(f"/spaces/{theirs.slug}").get_data(as_text=True)


def test_still_accurate_is_a_confirmation_event(client, csrf_token, host, make_space):
    space = make_space("Kept", lat=38.72, lon=-9.15)
    _keep(space, host)
    before = db.session.scalar(sa.select(sa.func.count(Revision.id)))
    version = re.search(r'name="lock_version" value="(\d+)"', client.get("/host").get_data(as_text=True)).group(1)
    r = client.post(f"/spaces/{space.slug}/confirm", data={"lock_version": version, "csrf_token": csrf_token("/host")})
    assert r.status_code == 302
    event = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc())).first()
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == before + 1
    assert event.source == "confirm" and event.changes == {} and event.user_id == host.id
    db.session.expire_all()
    assert db.session.get(Space, space.id).terms_confirmed_at is not None
    # Confirming from a page loaded before another save is refused: the host must look again.
    stale = client.post(f"/spaces/{space.slug}/confirm", data={"lock_version": version,
                                                              "csrf_token": csrf_token("/host")})
    assert stale.headers["Location"].endswith(f"/spaces/{space.slug}/terms")


def test_request_contact_starts_as_the_listing_email(client, host, make_space):
    space = make_space("Mailed", lat=38.72, lon=-9.15, email="visits@mailed.example",
                       terms={"request_contact": None})
    _keep(space, host)
    html = client.get(f"/spaces/{space.slug}/terms").get_data(as_text=True)
    assert re.search(r'id="request_contact"[^>]*value="visits@mailed.example"', html)


def test_a_report_reaches_the_host_with_a_link(client, csrf_token, make_space, make_user, mails):
    space = make_space("Reported", lat=38.72, lon=-9.15)
    _keep(space, make_user("host@example.org"))
    client.post(f"/spaces/{space.slug}/report", data={"kind": "not_honored", "message": "Turned away.",
                                                      "csrf_token": csrf_token(f"/spaces/{space.slug}")})
    [message] = mails()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "host@example.org"
    assert text.splitlines()[0] == "A traveller says about “Reported”: The space did not honor the visa."
    assert f"/spaces/{space.slug}/terms" in text and message.get_body(preferencelist=("html",)) is not None
