"""Account services with no request: what `visa create-admin` and the mails sent from cron rely on."""

from __future__ import annotations

import pytest
from flask import has_request_context

from visa.accounts.models import Role
from visa.accounts.services import EmailTaken, create_user, find_user, request_reset, sign_up


def test_accounts_outside_a_request(app, mails):
    assert not has_request_context()
    admin = create_user(" Admin@Example.org ", "correct horse battery", role=Role.ADMIN, is_confirmed=True)
    assert find_user("ADMIN@example.org") is admin and admin.check_password("correct horse battery")
    with pytest.raises(EmailTaken):
        create_user("admin@example.org", "another long password")
    sign_up("new@example.org", "correct horse battery")
    assert find_user("new@example.org").is_confirmed is False
    request_reset("admin@example.org")
    assert sorted(m["To"] for m in mails()) == ["admin@example.org", "new@example.org"]  # file order is not send order
    assert all("http" in m.get_body(preferencelist=("plain",)).get_content() for m in mails())  # links built from VISA_BASE_URL
