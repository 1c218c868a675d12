"""How directory plugs into the app: its models and its CLI command."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.directory import cli, models, revisions  # noqa: F401  (models: Alembic and create_all see the tables)
