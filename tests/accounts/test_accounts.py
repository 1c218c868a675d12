"""Sign up, confirm by the link in the written mail, sign in, reset a password, create-admin."""

from __future__ import annotations

import re

from visa.accounts.models import Role, User
from visa.accounts.services import find_user
from visa.extensions import db


def _link(message) -> str:
    return re.search(r"http://localhost(/\S+)", message.get_body().get_content()).group(1)


def test_signup_confirm_by_mail_and_sign_in(client, csrf_token, mails):
    r = client.post("/signup", data={"email": "Ana@Example.org", "password": "a long enough pw",
                                     "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})
    assert r.status_code == 302
    user = find_user("ana@example.org")
    assert user is not None and not user.is_confirmed
    assert user.password_hash.startswith("scrypt:")  # modern hashing, never the password itself
    [message] = mails()
    assert message["To"] == "ana@example.org" and "Confirm" in message["Subject"]
    r = client.get(_link(message))
    assert r.status_code == 302 and r.headers["Location"] == "/host"
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed
    assert client.get("/host").status_code == 200


def test_signup_errors_keep_the_input(client, csrf_token, make_user):
    make_user("taken@example.org")
    r = client.post("/signup", data={"email": "taken@example.org", "password": "a long enough pw",
                                     "confirm": "different one!!", "csrf_token": csrf_token("/signup")})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "The passwords differ." in html and 'value="taken@example.org"' in html
    r = client.post("/signup", data={"email": "taken@example.org", "password": "a long enough pw",
                                     "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})
    assert "An account with this e-mail exists" in r.get_data(as_text=True)


def test_forged_or_expired_links_do_nothing(client, make_user):
    user = make_user("x@example.org", confirmed=False)
    r = client.get("/confirm/not-a-token")
    assert r.status_code == 302
    assert not db.session.get(User, user.id).is_confirmed


def test_unconfirmed_sign_in_resends_the_link(client, csrf_token, make_user, mails):
    make_user("new@example.org", confirmed=False)
    r = client.post("/login", data={"email": "new@example.org", "password": "correct horse battery",
                                    "csrf_token": csrf_token("/login")})
    assert r.status_code == 400 and "Confirm your e-mail first" in r.get_data(as_text=True)
    assert len(mails()) == 1


def test_wrong_password(client, csrf_token, make_user):
    make_user()
    r = client.post("/login", data={"email": "host@example.org", "password": "nope nope nope",
                                    "csrf_token": csrf_token("/login")})
    assert r.status_code == 400 and "Wrong e-mail or password." in r.get_data(as_text=True)


def test_login_is_rate_limited(client, csrf_token, make_user):
    make_user()
    token = csrf_token("/login")
    codes = [client.post("/login", data={"email": "host@example.org", "password": "wrong password!",
                                         "csrf_token": token}).status_code for _ in range(12)]
    assert codes[:10] == [400] * 10 and codes[-1] == 429


def test_password_reset_link_works_once(client, csrf_token, make_user, mails):
    make_user()
    client.post("/reset", data={"email": "host@example.org", "csrf_token": csrf_token("/reset")})
    client.post("/reset", data={"email": "nobody@example.org", "csrf_token": csrf_token("/reset")})
    [message] = mails()  # nothing is sent, and nothing said, about unknown addresses
    link = _link(message)
    r = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password",
                                "csrf_token": csrf_token(link)})
    assert r.status_code == 302
    assert find_user("host@example.org").check_password("a brand new password")
    again = client.get(link)
    assert again.status_code == 302 and "/reset" in again.headers["Location"]


def test_no_open_redirect_after_login(client, csrf_token, make_user):
    make_user()
    r = client.post("/login?next=https://evil.example/x", data={
        "email": "host@example.org", "password": "correct horse battery", "csrf_token": csrf_token("/login")})
    assert r.headers["Location"] == "/host"


def test_create_admin_command(runner):
    result = runner.invoke(args=["visa", "create-admin", "boss@example.org"], input="a long admin pw\na long admin pw\n")
    assert result.exit_code == 0, result.output
    user = find_user("boss@example.org")
    assert user.role == Role.ADMIN and user.is_confirmed and user.check_password("a long admin pw")
    short = runner.invoke(args=["visa", "create-admin", "b2@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_session_cookie_flags_and_security_headers(client, make_user, login):
    make_user()
    r = login("host@example.org")
    cookie = r.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_rate_limits_can_live_in_redis(app_config, make_user):
    """Several app processes share one limit when the storage is Redis (as configured in production)."""
    import os

    import pytest
    import redis

    url = "redis://127.0.0.1:6379/15"
    store = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        store.flushdb()
    except redis.ConnectionError:
        store.close()
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is required in CI")
        pytest.skip("no Redis at 127.0.0.1:6379")
    from visa import create_app

    make_user()
    apps = [create_app({**app_config, "RATELIMIT_STORAGE_URI": url, "WTF_CSRF_ENABLED": False}) for _ in range(2)]
    clients = [a.test_client() for a in apps]
    codes = [clients[i % 2].post("/login", data={"email": "host@example.org", "password": "wrong password!"}).status_code
             for i in range(11)]
    for other in apps:  # each app has its own engine: close its connections
        with other.app_context():
            db.engine.dispose()
    store.flushdb()
    store.close()
    assert codes[:10] == [400] * 10 and codes[10] == 429  # the two "processes" count together
