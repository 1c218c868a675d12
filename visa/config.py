"""Configuration from the environment; tests pass their own mapping to create_app."""

from __future__ import annotations

import json
import os
from pathlib import Path

from geodata import CHECKOUT_DIR, GeodataPaths, in_checkout


def from_environment(instance_path: str) -> dict:
    """Settings read from the environment, with embedded, offline defaults."""
    env = os.environ.get
    geodata = GeodataPaths.at(env("VISA_GEODATA_DIR") or default_geodata_dir(instance_path))
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(env("DATABASE_URL"), instance_path),
        "SECRET_KEY": env("SECRET_KEY"),
        "VISA_GEOCODER": env("VISA_GEOCODER", "offline"),
        "VISA_GEOCODER_OPTIONS": json.loads(env("VISA_GEOCODER_OPTIONS", "{}")),
        "VISA_GEOCODER_MIN_DELAY": float(env("VISA_GEOCODER_MIN_DELAY", "1.0")),
        # Street tiles over the offline basemap; "none" shows the offline basemap alone.
        "VISA_TILE_URL": env("VISA_TILE_URL", OSM_TILE_URL),
        "VISA_TILE_ATTRIBUTION": env("VISA_TILE_ATTRIBUTION", ""),
        # Where `flask visa build-geodata` writes the geographic data and the app reads it.
        "VISA_GEODATA_DIR": str(geodata.root),
        "VISA_GAZETTEER_PATH": env("VISA_GAZETTEER_PATH", str(geodata.gazetteer)),
        "VISA_COUNTRIES_PATH": env("VISA_COUNTRIES_PATH", str(geodata.countries)),
        "VISA_LABELS_PATH": env("VISA_LABELS_PATH", str(geodata.labels)),
        # Not set: Redis at VISA_REDIS_URL when it answers, else per-process memory (see visa/rate_limit_setup.py).
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI"),
        "VISA_REDIS_URL": env("VISA_REDIS_URL", "redis://127.0.0.1:6379"),
        # How many reverse proxies stand in front of the app (0: none, X-Forwarded-* headers are ignored).
        "VISA_PROXY_COUNT": _count(env("VISA_PROXY_COUNT", "0"), "VISA_PROXY_COUNT"),
        # No MAIL_SERVER: messages are written as .eml files to VISA_MAIL_DIR.
        "MAIL_SERVER": env("MAIL_SERVER", ""),
        "MAIL_PORT": int(env("MAIL_PORT", "587")),
        "MAIL_USE_TLS": env("MAIL_USE_TLS", "1") == "1",
        "MAIL_USERNAME": env("MAIL_USERNAME"),
        "MAIL_PASSWORD": env("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER", "Coworking Visa Directory <no-reply@localhost>"),
        "VISA_MAIL_DIR": env("VISA_MAIL_DIR", os.path.join(instance_path, "mail")),
        # Links in mail sent from the command line (remind-stale) start with this.
        "VISA_BASE_URL": env("VISA_BASE_URL", "http://127.0.0.1:5000"),
        # Set to 1 behind HTTPS: the session cookie is then sent over HTTPS only.
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "VISA_FORCE_HTTPS": env("VISA_FORCE_HTTPS", "0") == "1",
    }


def default_geodata_dir(instance_path: str) -> Path:
    """``geodata/build`` in a source checkout; ``geodata`` in the instance folder for an installed package
    (site-packages may not be writable, and a new version of the package must not lose the built data)."""
    return CHECKOUT_DIR if in_checkout() else Path(instance_path) / "geodata"


#: OpenStreetMap's standard tiles: the one thing a page may load from another host (see README, "Tiles").
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def normalise_tiles(config: dict) -> None:
    """``none`` (or empty) switches street tiles off; OpenStreetMap's tiles carry their attribution."""
    url = (config.get("VISA_TILE_URL") or "").strip()
    config["VISA_TILE_URL"] = "" if url.lower() == "none" else url
    if config["VISA_TILE_URL"] == OSM_TILE_URL and not config.get("VISA_TILE_ATTRIBUTION"):
        config["VISA_TILE_ATTRIBUTION"] = OSM_ATTRIBUTION


def _count(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more (got {raw!r})")
    return value


def _database_url(url: str | None, instance_path: str) -> str:
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "visa.sqlite")
    # Heroku-style URLs; SQLAlchemy wants an explicit driver for psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "en",
    # Relative to the app root (visa/); `make messages` writes the template there.
    "BABEL_TRANSLATION_DIRECTORIES": "translations",
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Explicit: Flask-Limiter otherwise keeps the previous app's setting (one limiter object per process).
    "RATELIMIT_ENABLED": True,
    # One Redis may serve several sites: this site's counters start with this.
    "RATELIMIT_KEY_PREFIX": "visa",
    "VISA_LOGIN_LIMIT": "10 per minute",
    "VISA_REPORT_LIMIT": "5 per hour",
    "VISA_SIGNUP_LIMIT": "20 per hour",
    #: Each volunteer's and validator's writes (take, extend, release, record, accept, reject, apply), per account.
    "VISA_VOLUNTEER_LIMIT": "60 per hour",
    #: How long confirmation and password-reset links stay valid (seconds).
    "VISA_TOKEN_MAX_AGE": 2 * 24 * 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}
