"""How the volunteers' queue plugs into the app: its tables, pages and commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.volunteers import cli, models  # noqa: F401  (models: Alembic and create_all see the tables)
    from visa.volunteers.views import bp

    app.register_blueprint(bp)
