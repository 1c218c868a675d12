"""Rate-limit counters shared by all workers (Redis when it answers) and the client's real address behind proxies."""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import uuid
from concurrent.futures import ProcessPoolExecutor

import pytest
import redis

from visa.app import create_app
from visa.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is required in CI")
        pytest.skip("no Redis at 127.0.0.1:6379")
    finally:
        store.close()
    return REDIS_URL


@pytest.fixture
def key_prefix(redis_url):
    """A prefix of this test's own: other test runs on this machine use the same Redis."""
    prefix = f"visa-test-{uuid.uuid4().hex}"
    yield prefix
    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter(f"*{prefix}*"):
        store.delete(key)
    store.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def _apps(config: dict, n: int = 2) -> list:
    return [create_app(config) for _ in range(n)]


def _dispose(apps) -> None:
    for other in apps:  # each app has its own engine: close its connections
        with other.app_context():
            db.engine.dispose()


def _failed_logins(clients, attempts: int = 11, forwarded_for=None) -> list[int]:
    codes = []
    for i in range(attempts):
        headers = {"X-Forwarded-For": forwarded_for(i)} if forwarded_for else {}
        codes.append(clients[i % len(clients)].post(
            "/login", data={"email": "host@example.org", "password": "wrong password!"}, headers=headers).status_code)
    return codes


def test_redis_is_used_when_it_answers_and_workers_count_together(app_config, make_user, redis_url, key_prefix):
    config = {**app_config, "WTF_CSRF_ENABLED": False, "VISA_REDIS_URL": redis_url,
              "RATELIMIT_KEY_PREFIX": key_prefix}
    del config["RATELIMIT_STORAGE_URI"]  # not configured: found by asking Redis
    make_user()
    apps = _apps(config)
    try:
        assert [a.config["RATELIMIT_STORAGE_URI"] for a in apps] == [redis_url] * 2
        codes = _failed_logins([a.test_client() for a in apps])
    finally:
        _dispose(apps)
    assert codes[:10] == [400] * 10 and codes[10] == 429  # two "workers", one limit of 10 a minute


def test_without_redis_limits_are_per_process_and_the_log_says_so(app_config, caplog):
    config = {**app_config, "VISA_REDIS_URL": f"redis://127.0.0.1:{_closed_port()}"}
    del config["RATELIMIT_STORAGE_URI"]
    with caplog.at_level(logging.WARNING):
        [app] = _apps(config, 1)
    _dispose([app])
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert any("per process" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_a_configured_storage_is_kept(app_config):
    [app] = _apps({**app_config, "RATELIMIT_STORAGE_URI": "memory://", "VISA_REDIS_URL": REDIS_URL}, 1)
    _dispose([app])
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_behind_a_proxy_each_client_has_its_own_bucket(app_config, make_user):
    make_user()
    [app] = _apps({**app_config, "WTF_CSRF_ENABLED": False, "VISA_PROXY_COUNT": 1}, 1)
    try:
        client = app.test_client()
        # The proxy appends the address it saw; whatever the client sent before it is not trusted.
        first = _failed_logins([client], forwarded_for=lambda i: f"10.9.9.{i}, 203.0.113.7")
        other = _failed_logins([client], attempts=1, forwarded_for=lambda i: "198.51.100.4")
    finally:
        _dispose([app])
    assert first[:10] == [400] * 10 and first[10] == 429
    assert other == [400]  # another client behind the same proxy is not locked out


def test_without_proxy_count_forwarded_headers_are_ignored(app, make_user):
    """A client cannot escape its limit by inventing X-Forwarded-For."""
    make_user()
    app.config["WTF_CSRF_ENABLED"] = False
    codes = _failed_logins([app.test_client()], forwarded_for=lambda i: f"198.51.100.{i}")
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_proxy_count_must_be_a_whole_number(monkeypatch, tmp_path):
    from visa.config import from_environment

    monkeypatch.setenv("VISA_PROXY_COUNT", "two")
    with pytest.raises(ValueError, match="VISA_PROXY_COUNT must be a whole number"):
        from_environment(str(tmp_path))
    monkeypatch.setenv("VISA_PROXY_COUNT", "2")
    assert from_environment(str(tmp_path))["VISA_PROXY_COUNT"] == 2


def _every_limited_route(client, slug: str) -> dict[str, int]:
    """One request to each rate-limited route: its status code."""
    return {
        "sign-in": client.post("/login", data={"email": "host@example.org", "password": "wrong password!"}).status_code,
        "sign-up": client.post("/signup", data={"email": "new@example.org", "password": "x"}).status_code,
        "reset": client.post("/reset", data={"email": "host@example.org"}).status_code,
        "report": client.post(f"/spaces/{slug}/report", data={"reason": "closed"}).status_code,
        "ask-pass": client.post(f"/spaces/{slug}/ask-pass", data={}).status_code,
        "geocoder": client.get("/api/v1/geocode?q=Lisbon").status_code,
        "search with a place": client.get("/?q=Lisbon").status_code,
        "trip planner": client.get("/trip?stops-0-place=Lisbon").status_code,
    }


def _with_a_dead_storage(config: dict, slug: str) -> tuple[list[dict[str, int]], list[int], list[str], tuple]:
    """In a process of its own: three rounds of the limited routes and two failed sign-ins against an app whose
    Redis does not answer, the warnings logged, and the rate-limit page of a search (status, Retry-After, body)."""
    warnings: list[str] = []

    class Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record.getMessage())

    logging.getLogger("flask-limiter").addHandler(Kept(logging.WARNING))
    [app] = _apps(config, 1)
    try:
        client = app.test_client()
        codes = [_every_limited_route(client, slug) for _ in range(3)]
        logins = _failed_logins([client], attempts=2)
        app.config["VISA_GEOCODE_LIMIT"] = "1 per minute"
        client.get("/?q=Porto")
        page = client.get("/?q=Porto")  # the rate-limit page, counted in the process: when, and the form
        limited = (page.status_code, page.headers.get("Retry-After"), page.get_data(as_text=True))
    finally:
        _dispose([app])
    return codes, logins, warnings, limited


def test_an_unreachable_redis_degrades_to_per_process_counting(app_config, make_user, make_space, redis_url):
    """A configured Redis that stops answering costs the shared counting, never a request (no 500).

    Flask-Limiter keeps "the storage is dead" on its one limiter per process, and the site builds one app per
    process (wsgi.py, once per gunicorn worker). So the dead storage is met in a process of its own, as a worker
    would meet it, and an app made afterwards in this process counts in its own storage, from its first request.
    """
    make_user()
    slug = make_space("Lisbon Hub").slug
    config = {**app_config, "WTF_CSRF_ENABLED": False,
              "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}", "VISA_LOGIN_LIMIT": "3 per minute"}
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as worker:
        codes, logins, warnings, limited = worker.submit(_with_a_dead_storage, config, slug).result(timeout=120)
    assert all(code < 500 for round_ in codes for code in round_.values()), codes
    status, retry_after, body = limited
    assert status == 429 and int(retry_after) >= 1
    assert 'name="q" value="Porto"' in body
    assert codes[0]["geocoder"] == 200 and codes[0]["search with a place"] == 200
    assert logins == [429, 429]  # still limited: counted in this process (3 a minute, 5 tries)
    assert len([w for w in warnings if "unreachable" in w]) == 1, warnings  # once, not per request

    per_minute = 1000 + uuid.uuid4().int % 9000  # in the counter's key: this test's own among other runs'
    [app] = _apps({**app_config, "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": redis_url,
                   "VISA_LOGIN_LIMIT": f"{per_minute} per minute"}, 1)
    try:
        _failed_logins([app.test_client()], attempts=1)
    finally:
        _dispose([app])
    store = redis.Redis.from_url(redis_url)
    counted = list(store.scan_iter(f"*/{per_minute}/1/minute*"))
    store.delete(*counted) if counted else None
    assert counted, "the sign-in was not counted in this app's Redis"
    store.close()


def test_the_fallback_warning_is_written_at_most_once_a_minute():
    from visa.rate_limit_setup import OncePerMinute

    throttle = OncePerMinute(interval=60)

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("flask-limiter", logging.WARNING, __file__, 1, message, (), None)

    flaps = [throttle.filter(record("Rate limit storage unreachable - falling back to in-memory storage"))
             for _ in range(3)]
    assert flaps == [True, False, False]  # a Redis that comes and goes writes one line a minute
    assert throttle.filter(record("Rate limit storage recovered"))  # other lines pass
    assert OncePerMinute(interval=0).filter(record("storage unreachable")) is True


def test_behind_a_proxy_a_client_cannot_choose_the_url_root(app_config):
    """X-Forwarded-Prefix is not trusted: the app keeps fragments per URL root, and a client naming new roots
    would have it keep new ones without end."""
    [app] = _apps({**app_config, "VISA_PROXY_COUNT": 1}, 1)
    try:
        page = app.test_client().get("/about", headers={"X-Forwarded-Prefix": "/chosen-by-a-client"})
    finally:
        _dispose([app])
    assert page.status_code == 200 and "/chosen-by-a-client" not in page.get_data(as_text=True)
