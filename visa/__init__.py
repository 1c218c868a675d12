"""Coworking Visa Directory: the registry of participating spaces and the map to find them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

# Extensions and features are imported inside the factory so that pure parts
# (the offline geocoder, geometry) can be imported without the web stack.

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    from visa import config as settings

    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    settings.normalise_tiles(app.config)
    _ensure_secret_key(app)
    register_extensions(app)
    register_request_checks(app)
    register_proxy_fix(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _ensure_secret_key(app: Flask) -> None:
    """Use the configured key; otherwise one kept in the instance folder, made once."""
    if app.config.get("SECRET_KEY"):
        return
    os.makedirs(app.instance_path, exist_ok=True)
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    from visa import i18n, l10n
    from visa.extensions import csrf, db, limiter, login_manager, mail, migrate, talisman
    from visa.geocoding import service as geocoding_service
    from visa.rate_limit_setup import choose_storage

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    mail.init_app(app)
    choose_storage(app)
    limiter.init_app(app)
    talisman.init_app(app, **_security_headers(app))
    i18n.init_app(app)
    l10n.init_app(app)
    geocoding_service.init_app(app)
    # Import models so that Alembic and create_all see every table.
    from visa.accounts import models as _accounts  # noqa: F401
    from visa.directory import models as _directory  # noqa: F401
    from visa.geocoding import models as _geocoding  # noqa: F401
    from visa.moderation import models as _moderation  # noqa: F401


def register_request_checks(app: Flask) -> None:
    from visa import request_checks

    request_checks.init_app(app)


def register_proxy_fix(app: Flask) -> None:
    from visa.rate_limit_setup import trust_proxies

    trust_proxies(app)


def _security_headers(app: Flask) -> dict:
    """Talisman settings: a Content-Security-Policy under which the map works (scripts by nonce)."""
    from urllib.parse import urlsplit

    images = ["'self'", "data:"]
    tiles = app.config.get("VISA_TILE_URL")
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        images.append(f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in tiles else parts.netloc}")
    force_https = app.config["VISA_FORCE_HTTPS"]
    return {
        "force_https": force_https,
        "strict_transport_security": force_https,
        "session_cookie_secure": app.config["SESSION_COOKIE_SECURE"],
        "session_cookie_http_only": True,
        "frame_options": "DENY",
        "referrer_policy": "strict-origin-when-cross-origin",
        "content_security_policy": {
            "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": images,
            "connect-src": "'self'", "font-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
            "form-action": "'self'", "frame-ancestors": "'none'",
        },
        "content_security_policy_nonce_in": ["script-src"],
    }


def register_blueprints(app: Flask) -> None:
    from visa.accounts.views import bp as accounts_bp
    from visa.api.views import bp as api_bp
    from visa.directory.views import bp as directory_bp
    from visa.extensions import csrf
    from visa.hosts.views import bp as hosts_bp
    from visa.maps.assets import bp as assets_bp
    from visa.moderation.views import bp as admin_bp
    from visa.pages import bp as pages_bp
    from visa.reciprocity.views import bp as reciprocity_bp

    app.register_blueprint(directory_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(assets_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(reciprocity_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(hosts_bp)
    app.register_blueprint(admin_bp)
    csrf.exempt(api_bp)  # read-only JSON; writes through the API are not offered


def register_errorhandlers(app: Flask) -> None:
    from sqlalchemy.orm.exc import StaleDataError
    from werkzeug.exceptions import HTTPException

    from visa.pages import render_error, render_stale

    # Every HTTP error (414 and 431 included, and 500s, which Flask hands over as
    # InternalServerError), so none reaches /api as Werkzeug's HTML page.
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(StaleDataError, render_stale)


def register_commands(app: Flask) -> None:
    from visa.cli import visa_cli

    app.cli.add_command(visa_cli)
