"""`visa forget` and the outbox: a mail the server refused waits there with the address and what it said."""

from __future__ import annotations

import pytest

from tests.smtp import outbox_mails, smtp_server
from visa.mailer import send_mail


@pytest.fixture
def smtp():
    with smtp_server(refusing=True) as server:
        yield server


@pytest.fixture
def app_config(app_config: dict, smtp) -> dict:
    return {**app_config, **smtp.config(), "VISA_MAIL_RETRY_PAUSE": 0}


def test_forget_deletes_the_unsent_mails_to_the_address(app, runner):
    send_mail("Ana@Example.org", "Your pass", "Ana's pass for Porto")
    send_mail("bo@example.org", "Your pass", "Bo's pass")
    assert len(outbox_mails(app)) == 2
    result = runner.invoke(args=["visa", "forget", "ana@EXAMPLE.org", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 unsent mail(s) deleted from the outbox" in result.output
    [left] = outbox_mails(app)
    assert left["recipients"] == ["bo@example.org"]
