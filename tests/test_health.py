"""``/healthz``: 200 when the database answers at the migrations' head (and Redis, when configured), else 503
naming what is down; never rate-limited, never redirected to HTTPS."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from visa.app import create_app
from visa.extensions import db
from visa.rate_limit_setup import redis_answers

REDIS_URL = "redis://127.0.0.1:6379/0"
#: Nothing listens on port 1 of the loopback: a Redis or PostgreSQL that is down.
CLOSED = "127.0.0.1:1"


@pytest.fixture
def fresh_app(tmp_path):
    """An app on its own empty SQLite file, so that each test chooses how far it is migrated."""

    def _make(**config):
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'health.sqlite'}", "SECRET_KEY": "test",
                          "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://", "VISA_TILE_URL": "none", **config})
        return app

    return _make


def _migrated(app):
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def test_healthy_when_the_database_is_at_the_head(fresh_app):
    response = _migrated(fresh_app()).test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "migrations"}  # the counters are in memory: no Redis to check
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unmigrated_database_is_named(fresh_app):
    response = fresh_app().test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["down"] == ["migrations"]
    assert body["checks"]["database"]["ok"] is True
    assert "flask db upgrade" in body["checks"]["migrations"]["detail"]


def test_a_database_that_does_not_answer_is_named(fresh_app):
    app = fresh_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@{CLOSED}/nothing")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["database", "migrations"]
    assert CLOSED not in response.get_data(as_text=True)  # where the database lives stays in the log


def test_a_configured_redis_that_does_not_answer_is_named(fresh_app):
    app = _migrated(fresh_app(RATELIMIT_STORAGE_URI=f"redis://{CLOSED}/0"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["redis"]


@pytest.mark.skipif(not redis_answers(REDIS_URL), reason="no Redis at 127.0.0.1:6379")
def test_a_configured_redis_that_answers(fresh_app):
    app = _migrated(fresh_app(RATELIMIT_STORAGE_URI=REDIS_URL))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == {"ok": True, "detail": "reachable"}


def test_never_rate_limited_nor_sent_to_https(fresh_app):
    # A default limit on every route, and HTTPS forced: a balancer probing over plain HTTP still gets 200s.
    app = _migrated(fresh_app(RATELIMIT_DEFAULT="2 per minute", VISA_FORCE_HTTPS=True))
    client = app.test_client()
    assert client.get("/about").status_code == 302  # the site itself is sent to HTTPS
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
