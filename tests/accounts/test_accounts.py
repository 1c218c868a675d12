"""Sign up, confirm by the link in the written mail, sign in, reset a password, create-admin."""

from __future__ import annotations

import re

import pytest

from visa.accounts.models import Role, User
from visa.accounts.services import find_user
from visa.extensions import db


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.get_body(preferencelist=("plain",)).get_content()).group(1)


@pytest.fixture
def app_config(app_config):
    """This module tests the production hash itself (scrypt), not the suite's cheap one."""
    return {**app_config, "VISA_PASSWORD_METHOD": "scrypt"}


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


def test_signup_never_says_an_address_is_taken(client, csrf_token, make_user, mails):
    make_user("taken@example.org")
    answers = []
    for address in ("taken@example.org", "fresh@example.org"):
        r = client.post("/signup", data={"email": address, "password": "a long enough pw",
                                         "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})
        answers.append((r.status_code, r.headers["Location"], client.get("/login").get_data(as_text=True)
                        .replace(csrf_token("/login"), "")))
    assert answers[0][:2] == answers[1][:2] == (302, "/login")
    assert "Check your e-mail" in answers[0][2] and answers[0][2].count("Check your e-mail") == 1
    fresh, taken = sorted(mails(), key=lambda m: m["To"])  # written the same second: file order is random
    # The owner of the taken address is told, by mail, and nobody else.
    assert taken["To"] == "taken@example.org" and "tried to sign up" in taken["Subject"]
    taken_text = taken.get_body(preferencelist=("plain",)).get_content()
    assert "/login" in taken_text and "/confirm/" not in taken_text
    assert fresh["To"] == "fresh@example.org" and "/confirm/" in fresh.get_body(preferencelist=("plain",)).get_content()
    assert find_user("taken@example.org").check_password("correct horse battery")  # untouched


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


def test_confirmation_link_confirms_once(client, csrf_token, mails):
    client.post("/signup", data={"email": "once@example.org", "password": "a long enough pw",
                                 "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})
    link = _link(mails()[0])
    assert client.get(link).headers["Location"] == "/host"
    client.post("/logout", data={"csrf_token": csrf_token("/host")})
    assert client.get("/host").status_code == 302  # signed out
    again = client.get(link)
    assert again.headers["Location"] == "/login"  # used: it neither confirms again nor signs in
    assert client.get("/host").status_code == 302


def test_confirmation_link_does_not_sign_in_after_a_password_reset(client, csrf_token, make_user, mails):
    from visa.accounts.services import send_confirmation

    user = make_user("late@example.org", confirmed=False)
    send_confirmation(user)  # an old link, still in a mailbox
    confirm_link = _link(mails()[0])
    client.post("/reset", data={"email": "late@example.org", "csrf_token": csrf_token("/reset")})
    [reset_link] = [_link(m) for m in mails() if "Reset" in m["Subject"]]
    r = client.post(reset_link, data={"password": "a brand new password", "confirm": "a brand new password",
                                      "csrf_token": csrf_token(reset_link)})
    assert r.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token("/host")})
    r = client.get(confirm_link)
    assert r.headers["Location"] == "/login"
    assert client.get("/host").status_code == 302


def test_password_reset_ends_every_other_session(app, client, csrf_token, make_user, login, mails):
    make_user()
    login("host@example.org")
    assert client.get("/host").status_code == 200
    elsewhere = app.test_client()
    with app.app_context():  # its own g, so its own CSRF token (the fixture's context is shared otherwise)
        elsewhere.post("/reset", data={"email": "host@example.org", "csrf_token": _token_of(elsewhere, "/reset")})
        link = _link(mails()[0])
        r = elsewhere.post(link, data={"password": "a brand new password", "confirm": "a brand new password",
                                       "csrf_token": _token_of(elsewhere, link)})
        assert r.status_code == 302
        assert elsewhere.get("/host").status_code == 200  # the session that reset the password goes on
    with app.app_context():  # as a new request in a real server: nothing cached from the earlier ones
        r = client.get("/host")
    assert r.status_code == 302 and "/login" in r.headers["Location"]  # the old one has ended


def test_signing_out_ends_a_copied_session_cookie(app, client, csrf_token, make_user, login):
    make_user()
    login("host@example.org")
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    with app.app_context():  # as a new request in a real server: nothing cached from the earlier ones
        assert copied.get("/host").status_code == 200  # a copy works while the session lasts
    assert client.post("/logout", data={"csrf_token": csrf_token("/host")}).status_code == 302
    with app.app_context():
        r = copied.get("/host")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    login("host@example.org")  # signing in again starts a new session
    assert client.get("/host").status_code == 200


def _signed_in_id(client) -> str:
    with client.session_transaction() as session:
        return session.get("_user_id", "").partition(":")[0]


def test_a_confirmation_link_opened_while_signed_in_as_someone_else_asks_first(app, client, csrf_token, make_user,
                                                                              login, mails):
    from visa.accounts.services import send_confirmation

    signed_in = make_user("ana@example.org")
    newcomer = make_user("bo@example.org", confirmed=False)
    send_confirmation(newcomer)
    link = _link(mails()[0])
    login("ana@example.org")
    page = client.get(link)
    assert page.status_code == 200
    assert "You are signed in as ana@example.org. Continue as bo@example.org?" in page.get_data(as_text=True)
    assert _signed_in_id(client) == str(signed_in.id)
    db.session.expire_all()
    assert not db.session.get(User, newcomer.id).is_confirmed  # nothing happens until the answer
    r = client.post(link, data={"csrf_token": csrf_token(link)})
    assert r.status_code == 302 and r.headers["Location"] == "/host"
    assert _signed_in_id(client) == str(newcomer.id)
    db.session.expire_all()
    assert db.session.get(User, newcomer.id).is_confirmed


def test_a_session_cookie_of_the_old_form_is_refused(app, client, make_user):
    """A session holding a bare user id (as before session versions) is not signed in."""
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert client.get("/host").status_code == 302


def _token_of(some_client, url: str) -> str:
    html = some_client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.fixture
def scrypt_runs(monkeypatch):
    """Counts password-hash computations (the real ones still run): the work that would show in timing.

    Tests never assert timings; equal work is what makes the answers equally slow.
    """
    import werkzeug.security

    runs = []
    real = werkzeug.security._hash_internal

    def counted(*args, **kwargs):
        runs.append(args[0].split(":")[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counted)
    return runs


def _hashes_during(scrypt_runs: list, post) -> list:
    scrypt_runs.clear()
    post()
    return list(scrypt_runs)


def test_sign_in_does_the_same_work_for_an_unknown_address(app, client, csrf_token, make_user, scrypt_runs):
    """An unknown address is checked against a dummy scrypt hash: no shortcut reveals who has an account."""
    make_user()
    token = csrf_token("/login")

    def attempt(address: str):
        return lambda: client.post("/login", data={"email": address, "password": "wrong password!",
                                                   "csrf_token": token})

    attempt("nobody@example.org")()  # the dummy hash is made once per process
    known = _hashes_during(scrypt_runs, attempt("host@example.org"))
    unknown = _hashes_during(scrypt_runs, attempt("nobody@example.org"))
    assert known == unknown == ["scrypt"]  # without the dummy hash an unknown address cost no scrypt at all


def test_sign_up_does_the_same_work_for_a_taken_address(app, client, csrf_token, make_user, scrypt_runs):
    make_user("taken@example.org")
    token = csrf_token("/signup")

    def attempt(address: str):
        return lambda: client.post("/signup", data={"email": address, "password": "a long enough pw",
                                                    "confirm": "a long enough pw", "csrf_token": token})

    taken = _hashes_during(scrypt_runs, attempt("taken@example.org"))
    new = _hashes_during(scrypt_runs, attempt("new@example.org"))
    assert taken == new == ["scrypt"]


def test_create_admin_refuses_an_address_the_form_refuses(runner):
    for address in ("not-an-address", "boss@", "a b@example.org", "x" * 250 + "@example.org"):
        result = runner.invoke(args=["visa", "create-admin", address, "--password", "a long admin pw"])
        assert result.exit_code == 2, (address, result.output)
        assert "EMAIL" in result.output
        assert find_user(address) is None


def test_production_hashes_with_scrypt_whatever_the_tests_use():
    from visa.config import DEFAULTS

    assert DEFAULTS["VISA_PASSWORD_METHOD"] == "scrypt"
