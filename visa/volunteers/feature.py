"""How the volunteers' queue plugs into the app: its tables (pages and commands come with them)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.volunteers import models  # noqa: F401  (Alembic and create_all see the tables)
