"""How api plugs into the app: the /api/v1 blueprint (read-only JSON, so no CSRF token)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.api.views import bp
    from visa.extensions import csrf

    app.register_blueprint(bp)
    csrf.exempt(bp)  # read-only JSON; writes through the API are not offered
