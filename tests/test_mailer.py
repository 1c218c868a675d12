"""Mail goes after the commit, never with a rollback, and a mail server that refuses never fails a saved request.

The SMTP servers here are real sockets on 127.0.0.1: one that refuses every connection with a 554 greeting,
and one that takes the messages (enough of RFC 5321 for smtplib).
"""

from __future__ import annotations

import smtplib

import pytest
from flask import abort

from tests.smtp import outbox_mails, smtp_server
from visa.accounts.services import find_user
from visa.extensions import db
from visa.mailer import send_mail


@pytest.fixture
def smtp():
    """A server that refuses every connection until the test says otherwise (``smtp.refusing = False``)."""
    with smtp_server(refusing=True) as server:
        yield server


@pytest.fixture
def app_config(app_config: dict, smtp) -> dict:
    return {**app_config, **smtp.config(), "VISA_MAIL_RETRY_PAUSE": 0}


def _sign_up(client, csrf_token, address: str):
    return client.post("/signup", data={"email": address, "password": "a long enough pw",
                                        "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})


def test_a_refusing_mail_server_leaves_the_sign_up_saved_and_the_mail_in_the_outbox(app, client, csrf_token, smtp,
                                                                                   runner):
    empty = runner.invoke(args=["visa", "send-outbox"])
    assert (empty.exit_code, empty.output) == (0, "")  # quiet with nothing to send: cron mails any output
    r = _sign_up(client, csrf_token, "ana@example.org")
    assert r.status_code == 302  # saved, and answered: the refusal is the mail's problem, not the page's
    assert find_user("ana@example.org") is not None
    assert smtp.connections == app.config["VISA_MAIL_ATTEMPTS"] == 2
    [kept] = outbox_mails(app)
    assert kept["recipients"] == ["ana@example.org"] and "Confirm" in kept["subject"] and "/confirm/" in kept["body"]
    assert "554" in kept["error"]

    still = runner.invoke(args=["visa", "send-outbox"])
    assert still.exit_code == 1 and "0 sent, 1 still waiting" in still.output and len(outbox_mails(app)) == 1

    smtp.refusing = False
    sent = runner.invoke(args=["visa", "send-outbox"])
    assert sent.exit_code == 0 and "1 sent, 0 still waiting" in sent.output and outbox_mails(app) == []
    message = smtp.received[0]["data"].decode()
    assert len(smtp.received) == 1 and "To: ana@example.org" in message and "/confirm/" in message


def test_the_mail_goes_after_the_commit_and_a_rollback_drops_it(app, client, smtp):
    smtp.refusing = False
    from visa.accounts.models import User

    @app.post("/test/mail/<outcome>")
    def mail_then(outcome: str):
        db.session.add(User(email=f"{outcome}@example.org", email_key=f"{outcome}@example.org",
                            email_skeleton=f"{outcome}@example.org"))
        send_mail(f"{outcome}@example.org", outcome, "About your account.")
        if outcome == "fails":
            abort(409)  # the error page rolls back
        if outcome == "rolled-back":
            db.session.rollback()
        elif outcome == "committed":
            assert smtp.received == []  # queued, not yet sent
            db.session.commit()
            assert len(smtp.received) == 1  # sent by the commit
        return "done"

    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/test/mail/fails").status_code == 409
    assert client.post("/test/mail/rolled-back").status_code == 200
    assert client.post("/test/mail/never-committed").status_code == 200
    assert smtp.received == []
    assert client.post("/test/mail/committed").status_code == 200
    [message] = smtp.received
    assert "To: committed@example.org" in message["data"].decode()
    db.session.rollback()
    assert [find_user(f"{o}@example.org") is not None for o in ("fails", "rolled-back", "committed")] == [
        False, False, True]


def test_outside_a_request_mail_goes_at_once(app, smtp):
    smtp.refusing = False
    send_mail("cli@example.org", "From the command line", "No request, no queue.")
    assert len(smtp.received) == 1


@pytest.mark.parametrize(("error", "refused"), [
    (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no such user")}), True),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"try later")}), False),  # greylisting
    (smtplib.SMTPDataError(554, b"rejected"), True),
    (smtplib.SMTPAuthenticationError(535, b"bad login"), False),  # our server's settings, not the address
    (smtplib.SMTPSenderRefused(553, b"sender", "no-reply@localhost"), False),
    (smtplib.SMTPConnectError(554, b"go away"), False),
    (ConnectionRefusedError(), False),
])
def test_only_a_permanent_refusal_of_the_recipient_blames_the_address(error, refused):
    from visa.mailer import refuses_the_address

    assert refuses_the_address(error) is refused
