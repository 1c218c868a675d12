"""Sending mail: through Flask-Mail when MAIL_SERVER is set, else written to a folder.

The folder (VISA_MAIL_DIR, by default instance/mail/) holds one .eml file per
message, so everything works with no mail server and tests read real messages.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_mail import Message

from visa.extensions import mail
from visa.timeutil import utcnow


def send_mail(to: str, subject: str, body: str) -> Path | None:
    """Send (or write) one plain-text message; returns the file written, if any."""
    message = Message(subject=subject, recipients=[to], body=body)
    if current_app.config.get("MAIL_SERVER"):
        mail.send(message)
        return None
    folder = Path(current_app.config["VISA_MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path.write_text(message.as_string(), encoding="utf-8")
    return path


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Write a message in its recipient's language (an account's ``language``; English when none is saved).

    Whatever language the acting admin reads the site in, the host gets the mail in the host's.
    """
    from visa.i18n import SOURCE_LANGUAGE

    with force_locale(language or SOURCE_LANGUAGE):
        yield


def absolute_url(endpoint: str, **values) -> str:
    """A full link for a message; outside a request (cron, CLI) it starts with VISA_BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["VISA_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)
