"""How badges plugs into the app: the badge and mark images and the host's badge page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.badges.views import bp

    app.register_blueprint(bp)
