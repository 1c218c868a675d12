"""Twenty hosts' browsers save one listing's terms at the same moment, over real HTTP.

All of them loaded the same version of the form. Exactly one save may win; the
others must get the conflict page (409, with what changed), never a 500, and
exactly one revision is written. The server is Werkzeug's threaded server on
127.0.0.1, so the saves really run at the same time, each in its own request,
app context and database session.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from tests.live import at_once, csrf, serving, signed_in
from visa.accounts.models import SpaceHost
from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.extensions import db

SAVES = 20


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "RATELIMIT_ENABLED": False}  # twenty sign-ins from one address


@pytest.fixture
def server(app):
    with serving(app) as url:
        yield url


def test_twenty_concurrent_saves_one_wins_nineteen_conflicts(app, server, make_user, make_space):
    user = make_user("host@example.org")
    space = make_space("Raced Space")
    db.session.add(SpaceHost(space_id=space.id, user_id=user.id, is_confirmed=True))
    db.session.commit()
    space_id, version = space.id, space.lock_version
    url = f"{server}/spaces/{space.slug}/terms"
    # Each "browser" is signed in on its own and has loaded the form: the same lock_version for all.
    browsers = [signed_in(server, "host@example.org") for _ in range(SAVES)]
    tokens = [csrf(b, url) for b in browsers]

    def save(i: int) -> tuple[int, str]:
        data = {"is_participating": "yes", "free_days_per_visit": "1", "free_days_per_month": str(2 + i),
                "request_method": "email", "weekdays": ["mon"], "lock_version": str(version),
                "csrf_token": tokens[i]}
        r = browsers[i].post(url, data=data, allow_redirects=False, timeout=60)
        return r.status_code, r.text

    answers = at_once(SAVES, save)
    for b in browsers:
        b.close()

    codes = Counter(code for code, _ in answers)
    print(f"\n{SAVES} concurrent saves on {db.engine.dialect.name}: {dict(codes)}")
    assert codes == {302: 1, 409: SAVES - 1}, codes
    [winner] = [i for i, (code, _) in enumerate(answers) if code == 302]
    for code, html in answers:
        if code == 409:  # the conflict page names what the winner changed
            assert "someone else saved this space" in html and "<td>terms.free_days_per_month</td>" in html
    db.session.expire_all()
    saved = db.session.get(Space, space_id)
    assert saved.terms.free_days_per_month == 2 + winner
    assert saved.lock_version == version + 1
    revisions = db.session.scalar(sa.select(sa.func.count()).select_from(Revision)
                                  .where(Revision.space_id == space_id))
    assert revisions == 2  # the listing's creation and the one save that won


def test_a_lost_race_anywhere_else_is_a_409_not_a_500(app, client, make_user, make_space, login, csrf_token):
    """Another process saves the space between this request's read and its write (here: an admin's approval)."""
    from visa.accounts.models import Role
    from visa.directory.models import SpaceStatus

    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    space = make_space("Pending Space", status=SpaceStatus.PENDING)
    token = csrf_token("/admin/")
    # This session keeps the version it read; another connection commits a newer one meanwhile.
    assert db.session.get(Space, space.id).lock_version == 1
    with db.engine.begin() as other:
        other.execute(sa.update(Space.__table__).where(Space.__table__.c.id == space.id).values(lock_version=2))
    r = client.post(f"/admin/spaces/{space.id}/approve", data={"csrf_token": token})
    assert r.status_code == 409 and "Someone else saved this at the same time." in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Space, space.id).status == SpaceStatus.PENDING
