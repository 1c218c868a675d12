"""How hosts plugs into the app: the pages where hosts list and edit their spaces."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.hosts.views import bp

    app.register_blueprint(bp)
