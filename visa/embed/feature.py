"""How the embed plugs into the app: its pages, and the one Content-Security-Policy that lets another site
frame a page of this one."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.embed.views import bp, embed_map
    from visa.extensions import talisman

    app.register_blueprint(bp)
    # The app's policy (visa.app._security_headers, set on talisman by register_extensions just before), with
    # frame-ancestors * and no X-Frame-Options: this route only (uMap's embeds broke on a site-wide DENY).
    # A new dict for each app: Talisman completes a view's options in place.
    policy = {**talisman.content_security_policy, "frame-ancestors": "*"}
    embed_map.talisman_view_options = {"frame_options": None, "content_security_policy": policy}
