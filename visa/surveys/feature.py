"""How the members' survey plugs into the app: its tables, pages, its part of /impact and ``visa survey``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.impact.cli import FORGETTERS
    from visa.impact.views import add_section
    from visa.surveys import cli, models  # noqa: F401  (models: Alembic and create_all see the tables)
    from visa.surveys.views import bp, network_section

    app.register_blueprint(bp)
    add_section(app, network_section)
    app.extensions.setdefault(FORGETTERS, []).append(_forget)


def _forget(address: str) -> str:
    from flask import current_app

    from visa.surveys.services import forget_address

    return f"{forget_address(address, current_app.config['SECRET_KEY'])} survey invitation(s) deleted"
