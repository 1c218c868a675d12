"""Sending mail: through Flask-Mail when MAIL_SERVER is set, else written to a folder.

Every message has a plain-text and an HTML part, opens with a one-line summary and carries the link to the
page where the reader acts. Messages of this package are templates (templates/mail/NAME.txt: blocks
``subject``, ``summary``, ``text`` and ``html``); a caller that only has plain text gets an HTML part made
from it.

The folder (VISA_MAIL_DIR, by default instance/mail/) holds one .eml file per
message, so everything works with no mail server and tests read real messages.
"""

from __future__ import annotations

import email
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from pathlib import Path

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, get_locale
from flask_mail import Message, sanitize_address
from markupsafe import Markup, escape

from visa.emails import needs_smtputf8
from visa.extensions import mail
from visa.timeutil import utcnow

_URL = re.compile(r"https?://[^\s<>\"]+")


def send_mail(to: str, subject: str, body: str, html: str | None = None, summary: str | None = None) -> Path | None:
    """Send (or write) one message; returns the file written, if any.

    Without *html*, the HTML part is the text with its paragraphs kept and its links made links.
    """
    if summary is None:
        summary = body.strip().split("\n", 1)[0]
    if html is None:
        html = _render("mail/_layout.html", subject=subject, summary=summary, body=text_to_html(body))
    message = Message(subject=subject, recipients=[to], body=body, html=html)
    if current_app.config.get("MAIL_SERVER"):
        if needs_smtputf8(to):
            _send_smtputf8(message)
        else:
            mail.send(message)
        return None
    folder = Path(current_app.config["VISA_MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    # Microseconds in the name: files sorted by name are in the order they were sent.
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    if needs_smtputf8(to):
        path.write_bytes(_smtputf8_bytes(message))
    else:
        path.write_text(message.as_string(), encoding="utf-8")
    return path


def takes_smtputf8() -> bool:
    """Whether addresses with letters beyond ASCII before the @ (RFC 6531) can be written to: VISA_MAIL_SMTPUTF8,
    or, when it is not set, only while mail goes to a folder (a server is not assumed to offer SMTPUTF8)."""
    setting = current_app.config.get("VISA_MAIL_SMTPUTF8")
    return not current_app.config.get("MAIL_SERVER") if setting is None else bool(setting)


def _smtputf8_bytes(message: Message) -> bytes:
    """The message with its recipients in a UTF-8 header (RFC 6532): Flask-Mail writes ASCII addresses only."""
    recipients, message.recipients = message.recipients, []
    try:
        parsed = email.message_from_bytes(message.as_bytes(), policy=policy.SMTPUTF8)
    finally:
        message.recipients = recipients
    parsed.replace_header("To", ", ".join(recipients))
    return parsed.as_bytes()


def _send_smtputf8(message: Message) -> None:
    """Send through Flask-Mail's connection with the SMTPUTF8 option; smtplib raises SMTPNotSupportedError when
    the server does not offer it."""
    with mail.connect() as connection:
        if connection.host is None:  # MAIL_SUPPRESS_SEND: Flask-Mail opens no connection
            return
        connection.host.sendmail(sanitize_address(message.sender), message.recipients, _smtputf8_bytes(message),
                                 mail_options=["SMTPUTF8"])


def send_message(to: str, name: str, language: str | None, **context) -> Path | None:
    """Send the templated message *name* (templates/mail/NAME.txt) with *context*, written in *language*: the
    recipient's (an account's ``language``; None is English), whoever's request sends it."""
    subject, summary, text, html = render_message(name, language, **context)
    return send_mail(to, subject, text, html=html, summary=summary)


def render_message(name: str, language: str | None, **context) -> tuple[str, str, str, str]:
    """(subject, summary, text, html) of the templated message *name*, as :func:`send_message` sends it (an admin's
    preview shows the same)."""
    with in_language(language):
        template = current_app.jinja_env.get_template(f"mail/{name}.txt")
        ctx = template.new_context(dict(context))

        def block(block_name: str) -> str:
            return "".join(template.blocks[block_name](ctx)).strip()

        subject, summary = _one_line(block("subject")), _one_line(block("summary"))
        text = f"{summary}\n\n{block('text')}\n"
        html = _render("mail/_layout.html", subject=subject, summary=summary, body=Markup(block("html")),
                       link=context.get("link"))
        return subject, summary, text, html


def _one_line(text: str) -> str:
    """A block's text on one line. Only ASCII white space is folded: the thin and no-break spaces Babel writes in
    dates ("10 – 12 de jan.") and French typography ("Motif :") stay as they are."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def _render(name: str, **context) -> str:
    """A mail template, without the page's context processors: a message needs no request, form or session
    (and must not leave a CSRF token behind in ``g`` for the request that sends it)."""
    return current_app.jinja_env.get_template(name).render(lang=str(get_locale() or "en"), **context)


def text_to_html(text: str) -> Markup:
    """Paragraphs of plain text as HTML, every web address a link; everything else escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for paragraph in paragraphs:
        escaped = str(escape(paragraph))
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        out.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(out))


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
