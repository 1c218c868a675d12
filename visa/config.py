"""Configuration from the environment; tests pass their own mapping to create_app."""

from __future__ import annotations

import json
import os

from geodata import COUNTRIES_GEOJSON, GAZETTEER_DB


def from_environment(instance_path: str) -> dict:
    """Settings read from the environment, with embedded, offline defaults."""
    env = os.environ.get
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(env("DATABASE_URL"), instance_path),
        "SECRET_KEY": env("SECRET_KEY"),
        "VISA_GEOCODER": env("VISA_GEOCODER", "offline"),
        "VISA_GEOCODER_OPTIONS": json.loads(env("VISA_GEOCODER_OPTIONS", "{}")),
        "VISA_GEOCODER_MIN_DELAY": float(env("VISA_GEOCODER_MIN_DELAY", "1.0")),
        # Empty means no tile server: the map shows the country-outline basemap only.
        "VISA_TILE_URL": env("VISA_TILE_URL", ""),
        "VISA_TILE_ATTRIBUTION": env("VISA_TILE_ATTRIBUTION", ""),
        "VISA_GAZETTEER_PATH": env("VISA_GAZETTEER_PATH", str(GAZETTEER_DB)),
        "VISA_COUNTRIES_PATH": env("VISA_COUNTRIES_PATH", str(COUNTRIES_GEOJSON)),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
    }


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
    "JSON_SORT_KEYS": False,
}
