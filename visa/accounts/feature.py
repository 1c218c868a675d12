"""How accounts plugs into the app: models, the sign-in pages and ``visa create-admin``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.accounts import cli, models  # noqa: F401  (models: Alembic and create_all see the tables)
    from visa.accounts.views import bp

    app.register_blueprint(bp)
