"""Sending mail: through Flask-Mail when MAIL_SERVER is set, else written to a folder; after the commit.

Every message has a plain-text and an HTML part, opens with a one-line summary and carries the link to the
page where the reader acts. Messages of this package are templates (templates/mail/NAME.txt: blocks
``subject``, ``summary``, ``text`` and ``html``); a caller that only has plain text gets an HTML part made
from it.

The folder (VISA_MAIL_DIR, by default instance/mail/) holds one .eml file per
message, so everything works with no mail server and tests read real messages.

During a request a message is only queued: the request's commit delivers the queue, a rollback (or a request
that never commits) drops it, so no mail tells of a change that was not saved, and the commit is saved before
any mail server is asked (Indico's model). A command does the same inside :func:`mail_after_commit`; elsewhere
outside a request a message goes at once. A message that
cannot be delivered is tried again (VISA_MAIL_ATTEMPTS in all), then logged and kept in the outbox
(VISA_MAIL_OUTBOX, by default instance/outbox/) for ``flask visa send-outbox``; it never fails the request.
"""

from __future__ import annotations

import email
import json
import re
import smtplib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from pathlib import Path

from flask import Flask, current_app, g, has_app_context, has_request_context, url_for
from flask_babel import force_locale
from flask_mail import Message, sanitize_address
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session

from visa.emails import needs_smtputf8
from visa.extensions import db, mail
from visa.i18n import html_lang
from visa.timeutil import utcnow

_URL = re.compile(r"https?://[^\s<>\"]+")
#: The request's messages waiting for its commit (on ``g``: a request's own, never another's).
_QUEUE = "visa_mail_queue"
#: A command's, inside :func:`mail_after_commit` (apart: a request context the command opens to build a link
#: closes the request's queue when it ends).
_COMMAND_QUEUE = "visa_command_mail_queue"


def send_mail(to: str, subject: str, body: str, html: str | None = None, summary: str | None = None) -> Path | None:
    """Send (or write) one message: during a request, once the request commits; returns the file written now,
    if any.

    Without *html*, the HTML part is the text with its paragraphs kept and its links made links.
    """
    message = _message(to, subject, body, html, summary)
    queue = _queue()
    if queue is not None:
        queue.append(message)
        return None
    return deliver(message)


def _message(to: str, subject: str, body: str, html: str | None, summary: str | None) -> Message:
    if summary is None:
        summary = body.strip().split("\n", 1)[0]
    if html is None:
        html = _render("mail/_layout.html", subject=subject, summary=summary, body=text_to_html(body))
    return Message(subject=subject, recipients=[to], body=body, html=html)


def send_message_now(to: str, name: str, language: str | None, **context) -> None:
    """:func:`send_message` at once, for a command that records each address's fate (a campaign): the mail
    server's refusal of the address is the caller's to record; any other failure goes to the outbox.

    :raise smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException: the server refused the message.
    """
    subject, summary, text, html = render_message(name, language, **context)
    message = _message(to, subject, text, html, summary)
    try:
        _send_now(message)
    except Exception as err:
        if refuses_the_address(err):
            raise
        # The network, the server's own settings (login, sender) or a temporary refusal: not this address's fault.
        path = _keep_in_outbox(message, err)
        current_app.logger.error("mail to %s (%s) not sent: %r; kept in %s", to, subject, err, path)


def refuses_the_address(err: Exception) -> bool:
    """The server refused the recipient for good (5xx on RCPT or DATA), as opposed to a failure of the server, its
    login, the sender or the network, or a temporary (4xx) refusal: only the former says the address is bad."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _msg in err.recipients.values())
    if isinstance(err, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused | smtplib.SMTPConnectError
                  | smtplib.SMTPHeloError):
        return False  # the server, its login or our sender: no address is to blame
    return isinstance(err, smtplib.SMTPResponseException) and 500 <= err.smtp_code < 600


def deliver(message: Message) -> Path | None:
    """Send (or write) *message* now, trying again while the server or the network fails; then log it and keep
    it in the outbox. Never raises: whatever was saved before stays saved, and the operator resends the outbox.
    """
    attempts, log = max(1, current_app.config["VISA_MAIL_ATTEMPTS"]), current_app.logger
    for attempt in range(1, attempts + 1):
        try:
            return _send_now(message)
        except Exception as err:  # SMTP refusals, a network down, an address SMTP cannot carry: never the caller's
            log.warning("mail to %s (%s): attempt %d of %d failed: %r", message.recipients, message.subject, attempt,
                        attempts, err)
            failure = err
            # A permanent refusal, or an error that is not the server's or the network's: another try would fail alike.
            if not isinstance(err, OSError) or refuses_the_address(err):
                break
        if attempt < attempts:
            time.sleep(current_app.config["VISA_MAIL_RETRY_PAUSE"] * attempt)
    path = _keep_in_outbox(message, failure)
    log.error("mail to %s (%s) not sent: %r; kept in %s for `flask visa send-outbox`", message.recipients,
              message.subject, failure, path)
    return None


def _send_now(message: Message) -> Path | None:
    utf8 = any(needs_smtputf8(to) for to in message.recipients)
    if current_app.config.get("MAIL_SERVER"):
        if utf8:
            _send_smtputf8(message)
        else:
            mail.send(message)
        return None
    folder = Path(current_app.config["VISA_MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    # First: an address it cannot write leaves no empty file behind.
    text, data = (None, _smtputf8_bytes(message)) if utf8 else (message.as_string(), None)
    # Microseconds in the name: files sorted by name are in the order they were sent.
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    if data is None:
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(data)
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


def _keep_in_outbox(message: Message, error: Exception) -> Path:
    """The message's parts as JSON (a message whose address Flask-Mail cannot write is kept as well)."""
    folder = Path(current_app.config["VISA_MAIL_OUTBOX"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
    record = {"recipients": list(message.recipients), "subject": message.subject, "body": message.body,
              "html": message.html, "error": repr(error), "failed_at": utcnow().isoformat()}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def send_outbox() -> tuple[int, int]:
    """Try each message of the outbox once more; those sent leave it. Returns (sent, still waiting)."""
    folder = Path(current_app.config["VISA_MAIL_OUTBOX"])
    sent = waiting = 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = json.loads(path.read_text(encoding="utf-8"))
        message = Message(subject=record["subject"], recipients=record["recipients"], body=record["body"],
                          html=record["html"])
        try:
            _send_now(message)
        except Exception as err:  # still refused: it stays for the next run
            current_app.logger.warning("mail to %s (%s) still not sent: %r", message.recipients, message.subject,
                                       err)
            waiting += 1
        else:
            path.unlink()
            sent += 1
    return sent, waiting


def forget_outbox(address: str) -> int:
    """Delete the outbox's messages to *address* (compared by :func:`visa.emails.key`: case and width aside), for
    ``visa forget``: a mail waiting to be resent holds the address and what it said. Returns how many."""
    from visa.emails import key

    folder = Path(current_app.config["VISA_MAIL_OUTBOX"])
    wanted, removed = key(address), 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = json.loads(path.read_text(encoding="utf-8"))
        if any(key(to) == wanted for to in record["recipients"]):
            path.unlink()
            removed += 1
    return removed


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
    # lang: a BCP 47 tag ("pt-BR"), not Babel's "pt_BR".
    return current_app.jinja_env.get_template(name).render(lang=html_lang(), **context)


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


@event.listens_for(Session, "after_commit")
def _deliver_queue(session: Session) -> None:
    """The request's (or command's) commit is saved: now its messages go."""
    if session.in_nested_transaction() or not has_app_context() or session is not db.session():
        return  # a savepoint, or another session (a test's thread) than the request's
    queue = _queue()
    while queue:
        deliver(queue.pop(0))


@event.listens_for(Session, "after_rollback")
def _drop_queue(session: Session) -> None:
    """What the request (or command) wrote is undone: so are its messages."""
    if session.in_nested_transaction() or not has_app_context() or session is not db.session():
        return
    queue = _queue()
    if queue:
        current_app.logger.info("%d mail(s) dropped with the rollback: %s", len(queue), [m.subject for m in queue])
        queue.clear()


def _queue() -> list[Message] | None:
    """The messages waiting for the commit: the request's, or outside a request the command's; None: send now."""
    if not has_app_context():
        return None
    # A request's queue is made on first use: most requests send nothing, and a hook per request cost each one.
    return g.setdefault(_QUEUE, []) if has_request_context() else g.get(_COMMAND_QUEUE)


def close_queue(_exc: BaseException | None) -> None:
    queue = g.pop(_QUEUE, None)
    if queue:  # queued and never committed: the change they tell of was never saved
        current_app.logger.warning("%d mail(s) dropped: the request did not commit: %s", len(queue),
                                   [m.subject for m in queue])


@contextmanager
def mail_after_commit() -> Iterator[None]:
    """For a command: the messages sent in the block wait for db.session's commit and go after it, as a request's
    do; a rollback, or leaving the block without a commit, drops them (no mail tells of a change not saved)."""
    g.setdefault(_COMMAND_QUEUE, [])
    try:
        yield
    finally:
        queue = g.pop(_COMMAND_QUEUE, None)
        if queue:
            current_app.logger.warning("%d mail(s) dropped: the command did not commit: %s", len(queue),
                                       [m.subject for m in queue])


def init_app(app: Flask) -> None:
    """Flask-Mail, and a mail queue per request (delivered by its commit, dropped at its end)."""
    mail.init_app(app)
    app.teardown_request(close_queue)


def absolute_url(endpoint: str, **values) -> str:
    """A full link for a message; outside a request (cron, CLI) it starts with VISA_BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["VISA_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)
