"""The signed link of a campaign's mail: one listing in one campaign, valid 60 days, never a sign-in."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

#: How long a mail's link answers; it may be opened again to correct an answer until then.
CHECK_LINK_VALID = timedelta(days=60)
#: A salt of its own: no other signed value of the site (a reset link, a session) reads as a check link.
_SALT = "visa-campaign-check"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_check_token(entry) -> str:
    """The token for *entry* (a CampaignEntry): its id, its listing and its campaign."""
    return _serializer().dumps({"e": entry.id, "s": entry.space_id, "c": entry.campaign_id})


def read_check_token(token: str) -> dict | None:
    """{"e": entry id, "s": space id, "c": campaign id} from a valid, unexpired token, else None."""
    try:
        data = _serializer().loads(token, max_age=int(CHECK_LINK_VALID.total_seconds()))
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("e", "s", "c")):
        return None
    return data
