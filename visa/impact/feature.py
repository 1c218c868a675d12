"""How impact data plugs into the app: settings, tables, rollup listeners, pages, commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, rollup upkeep, pages, template filters and commands of impact data."""
    from visa.cli import visa_cli
    from visa.impact import cache, presenters
    from visa.impact import models as _models  # noqa: F401 - Alembic and create_all see the tables
    from visa.impact import rollup as _rollup  # noqa: F401 - registers the listeners that keep rollups current
    from visa.impact.cli import register_commands
    from visa.impact.views import bp

    cache.init_app(app)  # the app's own figures (VISA_IMPACT_MAX_AGE: visa/config.py)
    app.register_blueprint(bp)
    presenters.init_app(app)
    register_commands(visa_cli)
