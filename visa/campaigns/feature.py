"""How campaigns plug into the app: their models, the answer page, the admin pages and ``visa campaign``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.campaigns import cli, models  # noqa: F401  (models: Alembic and create_all see the tables)
    from visa.campaigns.views import admin_bp, bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
