"""How maps plugs into the app: the blueprint that serves Leaflet and the offline basemap."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.maps.assets import bp

    app.register_blueprint(bp)
