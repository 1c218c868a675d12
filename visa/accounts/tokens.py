"""Signed, expiring links for e-mail confirmation and password reset.

Each link carries a fingerprint of the account's state it was made for (a
digest, never the state itself); the link stops working once that state
changes: a confirmation link once the address is confirmed or the password
changed, a reset link once the password changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"visa-{purpose}")


def _digest(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:20]


def make_token(purpose: str, user_id: int, fingerprint: str) -> str:
    """A link token for *purpose* that is valid while the user's fingerprint stays *fingerprint*."""
    return _serializer(purpose).dumps({"u": user_id, "f": _digest(fingerprint)})


def read_token(purpose: str, token: str, fingerprint_of: Callable[[int], str | None]) -> int | None:
    """The user id in a valid token, else None. *fingerprint_of(user_id)* gives the current fingerprint."""
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config["VISA_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int):
        return None
    current = fingerprint_of(user_id)
    if current is None or data.get("f") != _digest(current):
        return None
    return user_id
