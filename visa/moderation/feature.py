"""How moderation plugs into the app: models, the admin pages and the import, export and reminder commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.moderation import cli, models  # noqa: F401  (models: Alembic and create_all see the tables)
    from visa.moderation.views import bp

    app.register_blueprint(bp)
