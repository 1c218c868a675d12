"""How geocoding plugs into the app: the per-process geocoder, its cache table and ``visa geocode``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.geocoding import cli, local_names, models, service  # noqa: F401  (models: Alembic and create_all see the tables)

    service.init_app(app)
    local_names.init_app(app)
