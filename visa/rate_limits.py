"""Shared limits: the per-client limit on geocoding, and the per-account limit on volunteers' actions.

Geocoding: shared by every place that geocodes a typed text.

A nonsense address can cost the geocoder a sizeable fraction of a second of
CPU; without a limit a handful of clients slowed every search on the site. The
API, the search page and the trip planner draw from one bucket per client
(Flask-Limiter's shared limit), so moving between them does not multiply it.

Members of one coworking space often share one public address, so the bucket is
kept per browser session where there is one (``VISA_GEOCODE_LIMIT`` each), and
per address only for clients without a session (scripts, a first visit). A
second, larger bucket per address (``VISA_GEOCODE_ADDRESS_LIMIT``) bounds what
one address gets however many sessions it holds: sessions are free to make.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from itsdangerous import BadSignature

from visa.extensions import limiter

GEOCODE_SCOPE = "geocode"
GEOCODE_ADDRESS_SCOPE = "geocode-address"


def geocode_limit() -> str:
    return current_app.config["VISA_GEOCODE_LIMIT"]


def geocode_address_limit() -> str:
    return current_app.config["VISA_GEOCODE_ADDRESS_LIMIT"]


def session_or_address() -> str:
    """The browser session when the request carries a valid one (its signed cookie), else the client's address.

    Only a cookie this site signed counts: a forged one counts by its address.
    The cookie's text stands for the session: it changes only when the session does (a new home space),
    which starts a new bucket, still under the address's.
    """
    cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    if cookie and _signed_here(cookie):
        return "session:" + hashlib.sha256(cookie.encode()).hexdigest()[:32]
    return get_remote_address()


def _signed_here(cookie: str) -> bool:
    """Whether this site signed *cookie*, checked here rather than by opening the session: a JSON read opens
    none (visa.wire.session), and the API's geocoder must count a member's session as the search page does."""
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    if serializer is None:
        return False
    try:
        serializer.loads(cookie, max_age=int(current_app.permanent_session_lifetime.total_seconds()))
    except BadSignature:
        return False
    return True


def limit_geocoding(exempt_when: Callable[[], bool] | None = None, cost: Callable[[], int] | int = 1):
    """Decorator for a view that geocodes user text: *cost* lookups from the session's (else the address's)
    bucket, and from the address's larger one."""
    per_client = limiter.shared_limit(geocode_limit, scope=GEOCODE_SCOPE, exempt_when=exempt_when, cost=cost,
                                      key_func=session_or_address)
    per_address = limiter.shared_limit(geocode_address_limit, scope=GEOCODE_ADDRESS_SCOPE,
                                       exempt_when=exempt_when, cost=cost)

    def decorate(view):
        return per_address(per_client(view))

    return decorate


def search_does_not_geocode() -> bool:
    """The search page geocodes q unless the browser sent a point (near) instead."""
    return not request.args.get("q", "").strip() or bool(request.args.get("near"))


VOLUNTEER_SCOPE = "volunteer"


def _account_key() -> str:
    """Counted per account, wherever it signs in from (a volunteer on a phone changes address); else per client."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def limit_volunteer_actions():
    """Decorator for a volunteer's or validator's write: one bucket per account across all of them.

    Enough for a day's honest work (a task is a take, an extension or two and a finding); a script
    grabbing every task in the queue, or accepting findings in bulk, runs into it (``VISA_VOLUNTEER_LIMIT``).
    """
    return limiter.shared_limit(lambda: current_app.config["VISA_VOLUNTEER_LIMIT"], scope=VOLUNTEER_SCOPE,
                                key_func=_account_key)
