"""Shared limits: the per-client limit on geocoding, and the per-account limit on volunteers' actions.

Geocoding: shared by every place that geocodes a typed text.

A nonsense address can cost the geocoder a sizeable fraction of a second of
CPU; without a limit a handful of clients slowed every search on the site. The
API, the search page and the trip planner draw from one bucket per client
(Flask-Limiter's shared limit), so moving between them does not multiply it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from visa.extensions import limiter

#: Enough for typing an address in the listing form (one lookup per 600 ms pause) and
#: a few searches; ``VISA_GEOCODE_LIMIT`` changes it (Flask-Limiter's notation).
DEFAULT_GEOCODE_LIMIT = "30 per minute"
GEOCODE_SCOPE = "geocode"


def geocode_limit() -> str:
    return current_app.config.get("VISA_GEOCODE_LIMIT", DEFAULT_GEOCODE_LIMIT)


def limit_geocoding(exempt_when: Callable[[], bool] | None = None, cost: Callable[[], int] | int = 1):
    """Decorator for a view that geocodes user text: *cost* lookups from the client's geocode bucket."""
    return limiter.shared_limit(geocode_limit, scope=GEOCODE_SCOPE, exempt_when=exempt_when, cost=cost)


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
