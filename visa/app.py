"""The app factory: configuration, extensions, request checks, then each feature package registers itself.

Reads as a table of contents. A feature package plugs in through ``init_app(app)`` in its own
``feature`` module (blueprint, CLI commands, models); see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import os
import secrets
import weakref
from collections.abc import Callable
from pathlib import Path

from flask import Flask


def _shipped(folder: str) -> Path:
    """*folder* (templates, migrations) as the wheel ships it inside the package (setup.py copies it to
    ``visa/_bundled/`` at build time), else at the top of the source checkout, where the project keeps it."""
    package = Path(__file__).resolve().parent
    bundled = package / "_bundled" / folder
    return bundled if bundled.is_dir() else package.parent / folder


TEMPLATES = _shipped("templates")
MIGRATIONS = _shipped("migrations")


class VisaFlask(Flask):
    """Flask, asking once per function whether it is a coroutine function.

    Flask asks ``inspect.iscoroutinefunction`` of every hook and view on every request, about 4 µs each: with
    some 19 hooks, a tenth of a JSON read's time in Flask. The answer never changes for a function. Held
    weakly: Flask also asks of callables made per request (a class-based view's bound method, an
    ``after_this_request`` function), which must not be kept after it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync: weakref.WeakKeyDictionary[Callable, Callable] = weakref.WeakKeyDictionary()

    def ensure_sync(self, func: Callable) -> Callable:
        found = self._sync.get(func)
        if found is None:
            found = self._sync[func] = super().ensure_sync(func)
        return found


def create_app(test_config: dict | None = None) -> Flask:
    from visa import config as settings

    app = VisaFlask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
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
    register_features(app)
    from visa import wire  # compression, hashed asset URLs, Vary: Cookie only where needed
    wire.init_app(app)
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
    from visa import i18n, l10n, mailer
    from visa.extensions import csrf, db, limiter, login_manager, migrate, talisman
    from visa.rate_limit_setup import choose_storage, degrade_quietly

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    mailer.init_app(app)
    choose_storage(app)
    limiter.init_app(app)
    degrade_quietly(limiter.logger)
    talisman.init_app(app, **_security_headers(app))
    if not talisman.force_https:
        # Talisman's redirect to HTTPS asks of every request whether it came over HTTPS, to do nothing when
        # HTTPS is not forced (no view forces it on its own: health opts out).
        app.before_request_funcs[None].remove(talisman._force_https)
    i18n.init_app(app)
    l10n.init_app(app)


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


def register_features(app: Flask) -> None:
    """Each feature package adds its blueprint, CLI commands and models; the order is the URL map's."""
    from visa import cli, doctor, health, pages
    from visa.accounts import feature as accounts
    from visa.api import feature as api
    from visa.backup import feature as backup
    from visa.badges import feature as badges
    from visa.campaigns import feature as campaigns
    from visa.directory import feature as directory
    from visa.embed import feature as embed
    from visa.finder import feature as finder
    from visa.geocoding import feature as geocoding
    from visa.hosts import feature as hosts
    from visa.impact import feature as impact
    from visa.maps import feature as maps
    from visa.moderation import feature as moderation
    from visa.passes import feature as passes
    from visa.photos import feature as photos
    from visa.reciprocity import feature as reciprocity
    from visa.surveys import feature as surveys
    from visa.volunteers import feature as volunteers

    for feature in (directory, finder, api, maps, pages, reciprocity, accounts, hosts, photos, moderation, passes, volunteers,
                    impact, geocoding, backup, campaigns, badges, embed, surveys, health, doctor):
        feature.init_app(app)
    cli.init_app(app)
