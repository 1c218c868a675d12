"""How finder plugs into the app: the map search and space pages (blueprint "directory": its endpoints keep their names)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.finder.views import bp

    app.register_blueprint(bp)
