"""Issuing, approving, revoking and checking passes: plain functions over ids and values.

Views, the CLI and tests call these; each returns its result or raises
:class:`PassError` (a code the presenters put into words). They flush and never
commit: the caller commits once, and the mails queued here go after that commit
(:mod:`visa.mailer`), so a failed mail never leaves a half-made pass.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from visa import emails
from visa.directory.models import Space, SpaceStatus
from visa.extensions import db
from visa.mailer import absolute_url, send_message
from visa.moderation.services import hosts_of
from visa.passes import tokens
from visa.passes.keys import KeyStore
from visa.passes.models import Pass, PassStatus
from visa.timeutil import utcnow

#: The longest validity a host may give a pass (a year and a leap day).
MAX_VALIDITY_DAYS = 367


class PassError(Exception):
    """A pass operation refused: ``code`` (not_found, not_participating, bad_dates, not_pending, not_active)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def key_store() -> KeyStore:
    """The app's key store, kept on the app (its cache serves every request; another app has its own)."""
    folder = current_app.config.get("VISA_PASS_KEYS_DIR") or os.path.join(current_app.instance_path, "pass_keys")
    stores: dict[str, KeyStore] = current_app.extensions.setdefault("visa.pass_keys", {})
    store = stores.get(folder)
    if store is None:
        store = stores[folder] = KeyStore(folder)
    return store


def access_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_pass(home: Space, name: str, email: str, valid_from: date, valid_to: date, message: str = "",
              language: str | None = None) -> tuple[Pass, str]:
    if home.status != SpaceStatus.APPROVED or not (home.terms and home.terms.is_participating):
        raise PassError("not_participating")
    if valid_to < valid_from or (valid_to - valid_from).days >= MAX_VALIDITY_DAYS:
        raise PassError("bad_dates")
    secret = secrets.token_urlsafe(24)
    p = Pass(id=secrets.token_urlsafe(12), home_space=home, member_name=name.strip(),
             member_email=emails.normalise(email), valid_from=valid_from, valid_to=valid_to,
             access_hash=access_hash(secret), message=message.strip(), language=language or None)
    db.session.add(p)
    return p, secret


def _get(model: type, key: object):
    row = db.session.get(model, key)
    if row is None:
        raise PassError("not_found")
    return row


def _sign(p: Pass, user_id: int | None) -> None:
    store = key_store()
    p.issued_at = utcnow()
    p.issued_by_id = user_id
    home = p.home_space
    claims = tokens.PassClaims(p.id, p.member_name, home.slug, home.name, home.country_code, p.valid_from,
                               p.valid_to, p.issued_at)
    key = store.signing_key()
    p.token = tokens.sign(claims, key)
    p.key_id = key.kid
    p.status = PassStatus.ACTIVE


def tell_member(p: Pass, message: str, **context) -> None:
    """The templated *message* (templates/mail/) to the member of pass *p*, in the pass's language."""
    send_message(p.member_email, message, p.language, p=p, **context)


def tell_hosts(space_id: int, message: str, **context) -> None:
    """The templated *message* to everyone who gets a space's mail (:func:`host_emails`), each in their language."""
    for to in host_emails(space_id):
        send_message(to.email, message, to.language, **context)


@dataclass(frozen=True)
class Issued:
    pass_id: str
    secret: str  # the member's link secret: shown once (in the mail), only its hash is stored


def issue_pass(home_space_id: int, name: str, email: str, valid_from: date, valid_to: date,
               issued_by_id: int | None, language: str | None = None) -> Issued:
    """A host issues a pass to a member of its space: signed now and mailed to the member, in *language* (the
    member's, which the host chose; None: English)."""
    p, secret = _new_pass(_get(Space, home_space_id), name, email, valid_from, valid_to, language=language)
    _sign(p, issued_by_id)
    db.session.flush()
    tell_member(p, "pass_issued", link=absolute_url("passes.card", secret=secret))
    return Issued(p.id, secret)


def request_pass(home_space_id: int, name: str, email: str, valid_from: date, valid_to: date,
                 message: str = "", language: str | None = None) -> Issued:
    """A member asks their home space for a pass; its hosts are told and approve or decline. The member's mails
    are in *language* (the site's language as they asked)."""
    home = _get(Space, home_space_id)
    p, secret = _new_pass(home, name, email, valid_from, valid_to, message, language)
    db.session.flush()
    tell_member(p, "pass_requested", link=absolute_url("passes.card", secret=secret))
    tell_hosts(home.id, "pass_request", p=p, link=absolute_url("passes.host_passes"))
    return Issued(p.id, secret)


def approve_pass(pass_id: str, user_id: int | None) -> Pass:
    """Sign a requested pass; the member's link (made at the request) now shows it."""
    p: Pass = _get(Pass, pass_id)
    if p.status != PassStatus.REQUESTED:
        raise PassError("not_pending")
    _sign(p, user_id)
    db.session.flush()
    tell_member(p, "pass_approved")
    return p


def decline_pass(pass_id: str, reason: str = "") -> Pass:
    p: Pass = _get(Pass, pass_id)
    if p.status != PassStatus.REQUESTED:
        raise PassError("not_pending")
    p.status = PassStatus.DECLINED
    p.revoke_reason = reason.strip()[:500]
    db.session.flush()
    tell_member(p, "pass_declined")
    return p


def revoke_pass(pass_id: str, reason: str = "") -> Pass:
    """A revoked pass is refused wherever revocation can be checked (the app's status endpoint, the door check,
    ``visa verify-pass`` beside the database)."""
    p: Pass = _get(Pass, pass_id)
    if p.status != PassStatus.ACTIVE:
        raise PassError("not_active")
    p.status = PassStatus.REVOKED
    p.revoked_at = utcnow()
    p.revoke_reason = reason.strip()[:500]
    db.session.flush()
    return p


def pass_by_secret(secret: str) -> Pass | None:
    """The pass a member's link opens."""
    if not secret:
        return None
    return db.session.scalars(sa.select(Pass).where(Pass.access_hash == access_hash(secret))).one_or_none()


class Recipient(NamedTuple):
    email: str
    language: str | None  # None: English


def host_emails(space_id: int) -> list[Recipient]:
    """Where a space's mail goes, and in which language: its confirmed hosts in their accounts' languages, else
    the space's own address (in English: nobody chose a language for it)."""
    space = db.session.get(Space, space_id)
    if space is None:
        return []
    hosts = hosts_of(space)
    if hosts:
        return [Recipient(host.email, host.language) for host in hosts]
    return [Recipient(space.email, None)] if space.email else []


# -- checking -------------------------------------------------------------------------------------------


def published_jwks(today: date) -> dict:
    """The JWKS to publish: the current key and every retired key that signed a pass not yet expired."""
    store = key_store()
    store.current_kid()  # the first request makes the first key, so the document is never empty
    needed = set(db.session.scalars(sa.select(Pass.key_id).where(
        Pass.key_id.is_not(None), Pass.valid_to >= today).distinct()))
    return store.public_jwks(lambda kid, _record: kid in needed)


@dataclass(frozen=True)
class PassStatusInfo:
    pass_id: str
    status: str  # active, revoked, unknown
    revoked_at: str | None = None


def pass_status(pass_id: str) -> PassStatusInfo:
    """What the revocation endpoint says of a pass (nothing personal)."""
    p = db.session.get(Pass, pass_id)
    if p is None or p.status in (PassStatus.REQUESTED, PassStatus.DECLINED):
        return PassStatusInfo(pass_id, "unknown")
    if p.status == PassStatus.REVOKED:
        return PassStatusInfo(pass_id, "revoked", p.revoked_at.isoformat() if p.revoked_at else None)
    return PassStatusInfo(pass_id, "active")


def check_token(text: str, today: date) -> tokens.CheckedPass:
    """Signature, dates and revocation of a presented pass, here where the database is at hand.

    :raise tokens.PassRefused: with the reason (``revoked`` included).
    """
    checked = tokens.verify(text, key_store().keyset(), today)
    if pass_status(checked.claims.pass_id).status == "revoked":
        raise tokens.PassRefused("revoked", checked.claims)
    return checked
