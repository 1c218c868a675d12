"""The authorization matrix: every write route, as anonymous, host of the space, other host, admin, volunteer and
validator."""

from __future__ import annotations

import re

import pytest
from flask import current_app

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import SpaceStatus
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report, ReportKind
from visa.photos.images import process
from visa.photos.services import add_photo
from visa.volunteers.models import OpenState, SourceKind
from visa.volunteers.services import FindingInput, approve_volunteer, open_task, record_finding, set_validator, take_task

ROLES = ("anonymous", "host_of_space", "other_host", "admin", "volunteer", "validator")
LOGIN, FORBIDDEN, OK, NOT_FOUND = "login", "forbidden", "ok", "not_found"


@pytest.fixture
def world(make_space, make_user):
    space = make_space("Kept Space", lat=38.7101, lon=-9.1367)
    pending = make_space("Pending Space", lat=38.72, lon=-9.15, status=SpaceStatus.PENDING)
    host = make_user("host@example.org")
    make_user("other@example.org")
    make_user("admin@example.org", role=Role.ADMIN)
    volunteer, validator, recorder = (make_user(f"{name}@example.org", role=Role.VOLUNTEER)
                                      for name in ("volunteer", "validator", "recorder"))
    for user in (volunteer, validator, recorder):
        approve_volunteer(user.id)
    set_validator(validator.id, True)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.add(SpaceHost(space_id=pending.id, user_id=host.id, is_confirmed=True))
    report = Report(space_id=space.id, kind=ReportKind.NOT_HONORED, message="closed")
    db.session.add(report)
    db.session.commit()
    revision = db.session.query(Revision).filter_by(space_id=space.id).first()
    # An open task on the kept space, and on the pending one a finding by a third volunteer, waiting for review.
    task = open_task(space.id, "no_email")
    reviewed = open_task(pending.id, "stale")
    take_task(reviewed.id, recorder.id)
    finding = record_finding(reviewed.id, recorder.id, FindingInput(OpenState.UNKNOWN, {}, SourceKind.PHONE))
    # A photo shown on the kept space, and one waiting for approval.
    store = current_app.extensions["visa.photo_store"]
    shown, waiting = (add_photo(space, process(_png(width)), "Our desks", "", "en", host.id, approved, store)
                      for width, approved in ((400, True), (401, False)))
    db.session.commit()
    return {"space": space, "pending": pending, "host": host, "report": report, "revision": revision, "task": task,
            "finding": finding, "recorder": recorder, "photo": shown, "waiting": waiting}


def _png(width: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, 300), (10, 90, 60)).save(out, "PNG")
    return out.getvalue()


def _as(role, login):
    emails = {"host_of_space": "host@example.org", "other_host": "other@example.org", "admin": "admin@example.org",
              "volunteer": "volunteer@example.org", "validator": "validator@example.org"}
    if role != "anonymous":
        login(emails[role])


def _token(client) -> str:
    html = client.get("/home").get_data(as_text=True)  # a page whose own form holds a token, session or not
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


# (method, url template, form data, expected per role: anonymous, host of space, other host, admin, volunteer, validator)
MATRIX = [
    ("GET", "/host", {}, (LOGIN, OK, OK, OK, OK, OK)),
    ("POST", "/host/spaces/new", {"name": ""}, (LOGIN, OK, OK, OK, OK, OK)),
    ("GET", "/spaces/{slug}/edit", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/edit", {"name": ""}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/spaces/{slug}/terms", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/terms", {"free_days_per_visit": "x"}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/confirm", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/claim", {}, (LOGIN, FORBIDDEN, OK, OK, OK, OK)),
    # The badge page hands out a listing's badge code: its hosts and admins. The images and the embed are public.
    ("GET", "/host/spaces/{slug}/badge", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/spaces/{slug}/badge.svg", {}, (OK, OK, OK, OK, OK, OK)),
    ("GET", "/we-are-coworking.svg", {}, (OK, OK, OK, OK, OK, OK)),
    ("GET", "/embed/map", {}, (OK, OK, OK, OK, OK, OK)),
    ("GET", "/embed", {}, (OK, OK, OK, OK, OK, OK)),
    ("POST", "/spaces/{slug}/report", {"kind": "not_honored", "message": "x"}, (OK, OK, OK, OK, OK, OK)),
    ("GET", "/admin/", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/spaces/{pending_id}/approve", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/spaces/{pending_id}/reject", {"reason": "no"}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/spaces/{space_id}/suspend", {"reason": "no"}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/claims/{space_id}/{host_id}/accept", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/reports/{report_id}/resolve", {"reason": "done"}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/admin/revisions", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/revisions/{revision_id}/revert", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/admin/stale", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/admin/import", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/import", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/admin/export.geojson", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/admin/export.csv", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    # A member's own actions: their pass link is the credential (members have no account), and no account stands
    # in for it, an admin's included.
    ("POST", "/pass/not-a-pass-link/requests/1/cancel", {}, (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("POST", "/pass/not-a-pass-link/use", {}, (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    # Volunteers: anybody reads what volunteering is; a plain account offers to; approved volunteers (and admins)
    # work the queue; validators (and admins) review others' findings; admins approve volunteers.
    ("GET", "/volunteer", {}, (OK, OK, OK, OK, OK, OK)),
    ("POST", "/volunteer/apply", {}, (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("GET", "/volunteer/tasks/{task_id}", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("POST", "/volunteer/tasks/{task_id}/take", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("POST", "/volunteer/tasks/{task_id}/extend", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("POST", "/volunteer/tasks/{task_id}/release", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("POST", "/volunteer/tasks/{task_id}/finding", {"open_state": "unknown"}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/volunteer/history", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/volunteer/review", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK)),
    ("POST", "/volunteer/findings/{finding_id}/accept", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK)),
    ("POST", "/volunteer/findings/{finding_id}/reject", {"comment": "Call them"},
     (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK)),
    ("GET", "/admin/volunteers", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/volunteers/{recorder_id}/validator", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    # Photos: a listing's hosts and admins add, order and remove them; admins decide; anybody reports a shown one;
    # a file waiting for approval is its hosts' and the admins' only (404 to others: nothing to see there).
    ("GET", "/spaces/{slug}/photos", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/photos", {"alt": "x"}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/photos/{photo_id}/move", {"direction": "later"},
     (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/photos/{photo_id}/remove", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/spaces/{slug}/photos/{photo_id}/report", {}, (OK, OK, OK, OK, OK, OK)),
    ("POST", "/spaces/{slug}/photos/{photo_id}/report", {"message": "x"}, (OK, OK, OK, OK, OK, OK)),
    ("POST", "/admin/photos/{waiting_id}/approve", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/photos/{photo_id}/remove", {"reason": "no"}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/admin/photos/{photo_id}/keep", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/photos/{photo_file}", {}, (OK, OK, OK, OK, OK, OK)),
    ("GET", "/photos/{waiting_file}", {}, (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND)),
    # The members' survey: a space's hosts (and admins) run it; members answer through their link, with no account.
    ("GET", "/spaces/{slug}/survey", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/survey/open", {"starts_on": ""}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/survey/invite", {"addresses": ""}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/survey/link", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/spaces/{slug}/survey/close", {}, (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/survey/not-a-link", {}, (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("GET", "/admin/survey/answers.csv", {}, (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _, _ in MATRIX])
def test_authorization_matrix(client, login, world, role_index, method, url, data, expected):
    _as(ROLES[role_index], login)
    target = url.format(slug=world["space"].slug, space_id=world["space"].id, pending_id=world["pending"].id,
                        host_id=world["host"].id, report_id=world["report"].id, revision_id=world["revision"].id,
                        task_id=world["task"].id, finding_id=world["finding"].id, recorder_id=world["recorder"].id,
                        photo_id=world["photo"].id, waiting_id=world["waiting"].id,
                        photo_file=f"{world['photo'].key}-320.webp", waiting_file=f"{world['waiting'].key}-320.jpg")
    r = client.get(target) if method == "GET" else client.post(target, data={**data, "csrf_token": _token(client)})
    outcome = expected[role_index]
    if outcome == LOGIN:
        assert r.status_code == 302 and "/login" in r.headers["Location"], (r.status_code, r.headers.get("Location"))
    elif outcome == FORBIDDEN:
        assert r.status_code == 403
    elif outcome == NOT_FOUND:
        assert r.status_code == 404
    else:
        assert r.status_code in (200, 302, 303, 400, 409), r.status_code
        assert "/login" not in r.headers.get("Location", "")


@pytest.mark.parametrize("url", ["/spaces/{slug}/report", "/spaces/{slug}/confirm", "/admin/spaces/{pending_id}/approve"])
def test_writes_without_csrf_token_are_refused(client, login, world, url):
    login("admin@example.org")
    r = client.post(url.format(slug=world["space"].slug, pending_id=world["pending"].id),
                    data={"kind": "not_honored", "message": "x"})
    assert r.status_code == 400
    assert db.session.get(type(world["pending"]), world["pending"].id).status == SpaceStatus.PENDING


def test_the_api_takes_no_writes(client):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/spaces").status_code == 405


def test_members_are_seen_by_their_spaces_hosts_only_admins_included(world):
    """Passes and visit requests show members' names and e-mails: an admin acts on them only as a host."""
    from visa.accounts.permissions import can
    from visa.accounts.services import find_user

    admin, host = find_user("admin@example.org"), world["host"]
    for action in ("manage_passes", "host_visits"):
        assert can(host, action, world["space"]) and not can(admin, action, world["space"])
    assert can(admin, "edit_space", world["space"]) and can(admin, "moderate")
    db.session.add(SpaceHost(space_id=world["space"].id, user_id=admin.id, is_confirmed=True))
    db.session.commit()
    assert can(admin, "manage_passes", world["space"]) and can(admin, "host_visits", world["space"])


@pytest.mark.parametrize("role", ["volunteer", "validator"])
def test_volunteers_see_no_members_passes_or_other_accounts(client, login, world, role):
    """A volunteer's pages show a listing's public contact details only: no member, pass or other account."""
    from visa.accounts.permissions import can
    from visa.accounts.services import find_user
    from visa.passes.models import Pass

    db.session.add(Pass(id="p1", home_space_id=world["space"].id, member_name="Maria Member",
                        member_email="maria@members.example", valid_from=world["revision"].created_at.date(),
                        valid_to=world["revision"].created_at.date(), access_hash="0" * 64))
    db.session.commit()
    user = find_user(f"{role}@example.org")
    for action in ("edit_space", "manage_passes", "host_visits", "moderate", "export", "manage_volunteers"):
        assert not can(user, action, world["space"]), action
    _as(role, login)
    pages = ["/host/passes", "/host/visits", "/host", "/volunteer", "/volunteer/history",
             f"/volunteer/tasks/{world['task'].id}"] + (["/volunteer/review"] if role == "validator" else [])
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        for private in ("Maria Member", "maria@members.example", "host@example.org", "recorder@example.org",
                        "admin@example.org"):
            assert private not in html, (url, private)
    assert world["space"].name in client.get(f"/volunteer/tasks/{world['task'].id}").get_data(as_text=True)
