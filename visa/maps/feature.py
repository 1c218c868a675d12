"""How maps plugs into the app: the blueprint that serves Leaflet and the offline basemap, and each page's map."""

from __future__ import annotations

from flask import Flask, current_app

from visa.maps.builder import MapTemplate, RenderedMap

_TEMPLATES = "visa.maps.templates"


def init_app(app: Flask) -> None:
    from visa.maps.assets import bp

    app.register_blueprint(bp)


def page_map(center: tuple[float, float], zoom: int) -> RenderedMap:
    """A page's map with the app's tiles, filled in from a map rendered once per process and tile settings."""
    config = current_app.config
    key = (config["VISA_TILE_URL"], config["VISA_TILE_ATTRIBUTION"])
    templates = current_app.extensions.setdefault(_TEMPLATES, {})
    template = templates.get(key)
    if template is None:
        template = templates[key] = MapTemplate(*key)
    return template.fill(center, zoom)
