"""How api plugs into the app: the /api/v1 blueprint (read-only JSON, so no CSRF token)."""

from __future__ import annotations

from flask import Flask, request

from visa.extensions import limiter

#: The API's reads that no rate limit applies to (the map asks for them on every pan and zoom): the
#: limiter skips them at once instead of working out, on every request, that it has nothing to count.
#: The geocoder's endpoint has its limit (visa.rate_limits) and is not one of them.
UNLIMITED_ENDPOINTS = frozenset({"api.spaces", "api.space", "api.reciprocity", "api.openapi"})

#: Security headers for JSON answers (as OWASP's REST cheat sheet lists them): no document policy to
#: build per response, since no browser renders these as a page. The CSP forbids everything, so an
#: answer opened as a page loads nothing and cannot be framed; nosniff and X-Frame-Options stay.
API_HEADERS = {
    "content_security_policy": "default-src 'none'; frame-ancestors 'none'",
    "content_security_policy_nonce_in": [],
    "permissions_policy": {},
}


@limiter.request_filter
def _unlimited_read() -> bool:
    return request.endpoint in UNLIMITED_ENDPOINTS


def init_app(app: Flask) -> None:
    from visa.api.views import bp
    from visa.extensions import csrf, talisman

    app.register_blueprint(bp)
    csrf.exempt(bp)  # read-only JSON; writes through the API are not offered
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith(f"{bp.name}."):
            talisman(**API_HEADERS)(view)
