"""Merging two listings of one space keeps both histories (visa.moderation.merging, /admin/merge)."""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.directory.services import revert, update_space
from visa.extensions import db
from visa.moderation.models import Report, ReportKind


def _revisions(space_id: int) -> list[Revision]:
    return list(db.session.scalars(sa.select(Revision).where(Revision.space_id == space_id).order_by(Revision.id)))


def test_admin_merges_two_listings_and_both_histories_stay(client, make_space, make_user, login, csrf_token):
    keep = make_space("Impact Hub Berlin", lat=52.5020, lon=13.4170, country="DE", city="Berlin")
    merged = make_space("Impact Hub Berlin (old list)", lat=52.5021, lon=13.4171, country="DE", city="Berlin",
                        website="https://impacthub.example", phone="+49 30 123")
    update_space(merged, {"email": "hello@impacthub.example"}, user_id=None, expected_version=merged.lock_version)
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=merged.id, user_id=host.id, is_confirmed=True))
    db.session.add(Report(space_id=merged.id, kind=ReportKind.WRONG_LISTING, message="listed twice"))
    db.session.commit()
    keep_id, merged_id = keep.id, merged.id
    merged_history = [r.id for r in _revisions(merged_id)]
    assert len(merged_history) == 2

    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    r = client.post("/admin/merge", data={"merged": merged.slug, "keep": keep.slug,
                                          "csrf_token": csrf_token("/admin/merge")})
    assert r.status_code == 302, r.get_data(as_text=True)

    keep, merged = db.session.get(Space, keep_id), db.session.get(Space, merged_id)
    assert merged.status == SpaceStatus.SUSPENDED  # off the map, not deleted
    assert (keep.website, keep.phone, keep.email) == ("https://impacthub.example", "+49 30 123",
                                                      "hello@impacthub.example")
    assert db.session.get(SpaceHost, (keep_id, host.id)).is_confirmed
    assert db.session.scalar(sa.select(Report.space_id)) == keep_id
    # Both histories: the merged listing's revisions are all still its own, each side has a merge revision.
    assert [r.id for r in _revisions(merged_id)][:2] == merged_history
    kept_merge, merged_merge = _revisions(keep_id)[-1], _revisions(merged_id)[-1]
    assert kept_merge.source == merged_merge.source == "merge"
    assert kept_merge.changes["merged_from"] == [None, merged.slug]
    assert kept_merge.changes["website"] == ["", "https://impacthub.example"]
    assert merged_merge.changes["merged_into"] == [None, keep.slug]

    # A merge is undone like any change, and reverting it does not take the kept listing off the map.
    revert(kept_merge, user_id=None)
    revert(merged_merge, user_id=None)
    db.session.commit()
    assert keep.status == SpaceStatus.APPROVED and keep.website == ""
    assert merged.status == SpaceStatus.APPROVED


def test_merge_refuses_bad_pairs(client, make_space, make_user, login, csrf_token):
    space = make_space("Alone")
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    token = csrf_token("/admin/merge")
    r = client.post("/admin/merge", data={"merged": space.slug, "keep": space.slug, "csrf_token": token})
    assert r.status_code == 400 and "cannot be merged into itself" in r.get_data(as_text=True)
    r = client.post("/admin/merge", data={"merged": "no-such-space", "keep": space.slug, "csrf_token": token})
    assert r.status_code == 400 and "No listing has this address." in r.get_data(as_text=True)
    assert db.session.get(Space, space.id).status == SpaceStatus.APPROVED


def test_only_admins_merge(client, make_space, make_user, login, csrf_token):
    a, b = make_space("One"), make_space("Two", lat=38.7224)
    r = client.post("/admin/merge", data={"merged": a.slug, "keep": b.slug, "csrf_token": csrf_token()})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    make_user("host@example.org")
    login("host@example.org")
    r = client.post("/admin/merge", data={"merged": a.slug, "keep": b.slug, "csrf_token": csrf_token("/host")})
    assert r.status_code == 403
    assert db.session.get(Space, a.id).status == SpaceStatus.APPROVED
