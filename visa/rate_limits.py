"""The per-client limit on geocoding, shared by every place that geocodes a typed text.

A nonsense address can cost the geocoder a sizeable fraction of a second of
CPU; without a limit a handful of clients slowed every search on the site. The
API, the search page and the trip planner draw from one bucket per client
(Flask-Limiter's shared limit), so moving between them does not multiply it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request

from visa.extensions import limiter

GEOCODE_SCOPE = "geocode"


def geocode_limit() -> str:
    return current_app.config["VISA_GEOCODE_LIMIT"]


def limit_geocoding(exempt_when: Callable[[], bool] | None = None, cost: Callable[[], int] | int = 1):
    """Decorator for a view that geocodes user text: *cost* lookups from the client's geocode bucket."""
    return limiter.shared_limit(geocode_limit, scope=GEOCODE_SCOPE, exempt_when=exempt_when, cost=cost)


def search_does_not_geocode() -> bool:
    """The search page geocodes q unless the browser sent a point (near) instead."""
    return not request.args.get("q", "").strip() or bool(request.args.get("near"))
