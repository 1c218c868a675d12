"""Mail through a real SMTP server on 127.0.0.1: an address beyond ASCII before the @ (RFC 6531) goes out with the
SMTPUTF8 option when the server offers it, and is never mangled into a server that does not."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from tests.smtp import smtp_server


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def smtp(request):
    with smtp_server(smtputf8=request.param) as server:
        yield server


@pytest.fixture
def app_config(app_config, smtp) -> dict:
    return {**app_config, **smtp.config(), "VISA_MAIL_SMTPUTF8": True}


def test_an_international_address_goes_out_with_smtputf8_or_not_at_all(app, smtp):
    from visa.mailer import send_mail

    if not smtp.smtputf8:
        # smtplib refuses (SMTPNotSupportedError): nothing is mangled into the server; the mail waits in the outbox.
        send_mail("müller@member.example", "Ihr Pass", "Grüße")
        assert smtp.received == []
        [kept] = list(Path(app.config["VISA_MAIL_OUTBOX"]).glob("*.json"))
        assert "SMTPNotSupportedError" in kept.read_text(encoding="utf-8")
        return
    send_mail("müller@member.example", "Ihr Pass", "Grüße, http://127.0.0.1:5000/pass/x")
    [sent] = smtp.received
    assert "SMTPUTF8" in sent["mail"] and sent["rcpt"] == ["müller@member.example"]
    message = email.message_from_bytes(sent["data"], policy=policy.default)
    assert message["To"] == "müller@member.example" and message["Subject"] == "Ihr Pass"
    assert "Grüße" in message.get_body(preferencelist=("plain",)).get_content()


def test_an_ascii_address_goes_out_as_before(app, smtp):
    from visa.mailer import send_mail

    send_mail("ana@bücher.example", "Your pass", "Hello")
    [sent] = smtp.received
    assert "SMTPUTF8" not in sent["mail"] and sent["rcpt"] == ["ana@xn--bcher-kva.example"]
