"""International and look-alike addresses on the account pages and create-admin: an address is taken only when
mail can reach it (RFC 6531 needs a server that offers SMTPUTF8), compared NFKC and case-folded, and a look-alike of
another account's address is shown to the admins."""

from __future__ import annotations

import re

import sqlalchemy as sa

from visa.accounts.models import Role, User
from visa.accounts.services import find_user
from visa.extensions import db


def _sign_up(client, csrf_token, address: str):
    return client.post("/signup", data={"email": address, "password": "a long enough pw",
                                        "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})


def _users() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_an_international_address_signs_up_and_gets_its_link(client, csrf_token, mails):
    for address in ("straße@s.example", "müller@member.example"):
        r = _sign_up(client, csrf_token, address)
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
        assert find_user(address).email == address
    sent = {m["To"]: m for m in mails()}
    assert set(sent) == {"straße@s.example", "müller@member.example"}
    assert "/confirm/" in sent["müller@member.example"].get_body(preferencelist=("plain",)).get_content()


def test_full_width_letters_are_the_ascii_address(client, csrf_token, mails):
    r = _sign_up(client, csrf_token, "ｆｕｌｌ@ｅｘａｍｐｌｅ.org")
    assert r.status_code == 302
    assert find_user("full@example.org").email == "full@example.org"
    assert [m["To"] for m in mails()] == ["full@example.org"]


def test_without_smtputf8_the_form_refuses_before_anything_is_stored(app, client, csrf_token, mails):
    app.config["VISA_MAIL_SMTPUTF8"] = False
    r = _sign_up(client, csrf_token, "müller@member.example")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'class="error"' in html
    assert "cannot deliver to an address with ü before the @" in html
    assert 'value="müller@member.example"' in html  # the input is kept
    assert _users() == 0 and mails() == []


def test_a_server_is_not_assumed_to_offer_smtputf8(app, client, csrf_token):
    app.config.update(MAIL_SERVER="127.0.0.1", VISA_MAIL_SMTPUTF8=None)
    assert _sign_up(client, csrf_token, "müller@member.example").status_code == 400
    app.config["VISA_MAIL_SMTPUTF8"] = True
    from visa.mailer import takes_smtputf8

    assert takes_smtputf8()


def test_an_address_in_another_case_or_width_is_the_same_account(client, csrf_token, make_user, mails):
    make_user("strasse@s.example")
    for address in ("Straße@S.example", "ＳＴＲＡＳＳＥ@s.example"):
        assert _sign_up(client, csrf_token, address).status_code == 302
    assert _users() == 1
    assert all("tried to sign up" in m["Subject"] and m["To"] == "strasse@s.example" for m in mails())


def test_create_admin_refuses_an_address_the_mail_server_cannot_reach(app, runner):
    app.config["VISA_MAIL_SMTPUTF8"] = False
    result = runner.invoke(args=["visa", "create-admin", "müller@member.example", "--password", "a long admin pw"])
    assert result.exit_code == 2 and "EMAIL" in result.output and "ü" in result.output
    assert _users() == 0
    app.config["VISA_MAIL_SMTPUTF8"] = True
    ok = runner.invoke(args=["visa", "create-admin", "Müller@Member.example", "--password", "a long admin pw"])
    assert ok.exit_code == 0 and find_user("müller@member.example").role == Role.ADMIN


def test_a_look_alike_address_is_shown_to_the_admins(client, csrf_token, make_user, login, mails):
    make_user("admin@example.org", role=Role.ADMIN)
    make_user("maria@example.org")
    r = _sign_up(client, csrf_token, "m\u0430ria@example.org")  # a Cyrillic а
    assert r.status_code == 302 and _users() == 3  # a second identity, but not a silent one
    login("admin@example.org")
    html = client.get("/admin/overview").get_data(as_text=True)
    section = re.search(r'<ul id="lookalikes">(.*?)</ul>', html, re.S).group(1)
    assert "maria@example.org" in section and "m[CYRILLIC SMALL LETTER A]ria@example.org" in section
    assert "admin@example.org" not in section


def test_no_look_alikes_no_section(client, make_user, login):
    make_user("admin@example.org", role=Role.ADMIN)
    make_user("maria@example.org")
    make_user("mario@example.org")
    login("admin@example.org")
    assert 'id="lookalikes"' not in client.get("/admin/overview").get_data(as_text=True)
