"""Signed, expiring links for e-mail confirmation and password reset."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"visa-{purpose}")


def make_token(purpose: str, user_id: int, fingerprint: str = "") -> str:
    """*fingerprint* ties a reset link to the current password hash: once used, it stops working."""
    return _serializer(purpose).dumps({"u": user_id, "f": fingerprint[-12:]})


def read_token(purpose: str, token: str, fingerprint_of) -> int | None:
    """The user id in a valid token, else None. *fingerprint_of(user_id)* gives the current fingerprint."""
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config["VISA_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int) or data.get("f", "") != fingerprint_of(user_id)[-12:]:
        return None
    return user_id
