"""The error pages: an error saves nothing, and its page never reads through the failed transaction."""

from __future__ import annotations

import pytest
from flask import abort

from visa.accounts.models import User
from visa.extensions import db


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}  # as in production: the 500 page, not the traceback


def test_a_failed_flush_gets_the_500_page_for_a_signed_in_user(app, client, make_user, login):
    @app.get("/test/duplicate")
    def duplicate():
        # Before anything reads the signed-in user: the error page is the first to load them.
        db.session.add(User(email="host@example.org"))
        db.session.flush()  # a unique violation: the session now needs a rollback
        return "never"

    make_user("host@example.org")
    login("host@example.org")
    r = client.get("/test/duplicate")
    html = r.get_data(as_text=True)
    assert r.status_code == 500 and "Something went wrong on our side." in html
    assert "Sign out" in html  # the page read the signed-in user, after the rollback


def test_an_error_page_saves_nothing_the_request_wrote(app, client, make_user):
    @app.get("/test/half-done")
    def half_done():
        db.session.add(User(email="half@example.org", email_key="half@example.org", email_skeleton="half@example.org"))
        db.session.flush()
        abort(404)

    assert client.get("/test/half-done").status_code == 404
    assert db.session.query(User).filter_by(email="half@example.org").one_or_none() is None
