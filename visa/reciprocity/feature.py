"""How reciprocity plugs into the app: the home space, trip planner and reach pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.reciprocity.views import bp

    app.register_blueprint(bp)
