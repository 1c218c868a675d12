"""A home space and a host space in the demo's real cities, each with a confirmed host; keys in a temporary folder."""

from __future__ import annotations

import pytest

from visa.accounts.models import SpaceHost
from visa.extensions import db


@pytest.fixture
def app_config(app_config, tmp_path) -> dict:
    return {**app_config, "VISA_PASS_KEYS_DIR": str(tmp_path / "pass_keys")}


@pytest.fixture
def network(make_space, make_user):
    """Lisbon (home, its host home@) and Berlin (host, its host berlin@, 2 places a day, 3 days a visit, 4 a month,
    no notice: a member may ask for today)."""
    home = make_space("Lisbon Hub", email="hello@lisbonhub.example")
    host = make_space("Berlin Loft", lat=52.52, lon=13.405, country="DE", city="Berlin", timezone="Europe/Berlin",
                      terms={"capacity_per_day": 2, "free_days_per_month": 4, "weekdays": 127,
                             "advance_notice_hours": 0})
    home_user = make_user("home@example.org")
    host_user = make_user("berlin@example.org")
    db.session.add_all([SpaceHost(space_id=home.id, user_id=home_user.id, is_confirmed=True),
                        SpaceHost(space_id=host.id, user_id=host_user.id, is_confirmed=True)])
    db.session.commit()
    return {"home": home, "host": host, "home_user": home_user, "host_user": host_user}


@pytest.fixture(autouse=True)
def _user_per_request(app):
    """Several test clients (host, member, another host) take turns here; the test's app context is shared by
    their requests, so the per-request caches on ``g`` (Flask-Login's user, Flask-WTF's CSRF token) are cleared
    before each one, as a server's fresh app context per request would."""
    from flask import g

    def _forget_cached_user() -> None:
        g.pop("_login_user", None)
        g.pop("csrf_token", None)

    app.before_request(_forget_cached_user)
