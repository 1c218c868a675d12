"""Configuration from the environment; tests pass their own mapping to create_app."""

from __future__ import annotations

import json
import os
from pathlib import Path

from geodata import CHECKOUT_DIR, GeodataPaths, in_checkout

#: Enough for typing an address in the listing form (one lookup per 600 ms pause) and a few searches
#: (Flask-Limiter's notation).
DEFAULT_GEOCODE_LIMIT = "30 per minute"
#: The emission factor the survey's report uses by default (VISA_SURVEY_CO2_KG_PER_KM: 0.17 kg CO2e per km).
SURVEY_CO2_FACTOR = "average car, unknown fuel (UK Government GHG conversion factors 2023)"
#: Geocoding per address, whatever sessions it holds: a busy coworking space's members behind one address
#: (each counted per session at DEFAULT_GEOCODE_LIMIT) search normally; a script minting sessions stops here.
DEFAULT_GEOCODE_ADDRESS_LIMIT = "300 per minute"


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
        # Place lookups one worker runs at once: half its threads (gunicorn --threads, 4 in `make run`), so a
        # flood of lookups never holds every thread (visa.geocoding.service.geocode).
        "VISA_GEOCODE_SLOTS": geocode_slots(env("VISA_GEOCODE_SLOTS"), env("VISA_WORKER_THREADS", "4")),
        # Street tiles over the offline basemap; "none" shows the offline basemap alone.
        "VISA_TILE_URL": env("VISA_TILE_URL", OSM_TILE_URL),
        "VISA_TILE_ATTRIBUTION": env("VISA_TILE_ATTRIBUTION", ""),
        # Where `flask visa build-geodata` writes the geographic data and the app reads it.
        "VISA_GEODATA_DIR": str(geodata.root),
        "VISA_GAZETTEER_PATH": env("VISA_GAZETTEER_PATH", str(geodata.gazetteer)),
        "VISA_COUNTRIES_PATH": env("VISA_COUNTRIES_PATH", str(geodata.countries)),
        "VISA_LABELS_PATH": env("VISA_LABELS_PATH", str(geodata.labels)),
        "VISA_PLACE_NAMES_PATH": env("VISA_PLACE_NAMES_PATH", str(geodata.place_names)),
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
        # 1: the mail server offers SMTPUTF8, so addresses such as müller@example.org are taken (RFC 6531); 0: they
        # are refused on the form. Not set: taken when mail is written to a folder, refused with a MAIL_SERVER.
        "VISA_MAIL_SMTPUTF8": _flag(env("VISA_MAIL_SMTPUTF8", "")),
        "VISA_MAIL_DIR": env("VISA_MAIL_DIR", os.path.join(instance_path, "mail")),
        # Messages that could not be sent, kept for `flask visa send-outbox`.
        "VISA_MAIL_OUTBOX": env("VISA_MAIL_OUTBOX", os.path.join(instance_path, "outbox")),
        # Links in mail sent from the command line (remind-stale) start with this.
        "VISA_BASE_URL": env("VISA_BASE_URL", "http://127.0.0.1:5000"),
        # Campaign mails per minute (visa campaign send --rate overrides it): SMTP servers limit senders.
        "VISA_CAMPAIGN_RATE": float(env("VISA_CAMPAIGN_RATE", "60")),
        # The answer page of a campaign's mail (/check/<token>), per client: a contact opens and corrects it a few times.
        "VISA_CHECK_LIMIT": env("VISA_CHECK_LIMIT", "60 per hour"),
        # Set to 1 behind HTTPS: the session cookie is then sent over HTTPS only.
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "VISA_FORCE_HTTPS": env("VISA_FORCE_HTTPS", "0") == "1",
        # Geocoding per client: the API, the search page and the trip planner draw from one bucket.
        "VISA_GEOCODE_LIMIT": env("VISA_GEOCODE_LIMIT", DEFAULT_GEOCODE_LIMIT),
        # ... and per address, all its sessions together.
        "VISA_GEOCODE_ADDRESS_LIMIT": env("VISA_GEOCODE_ADDRESS_LIMIT", DEFAULT_GEOCODE_ADDRESS_LIMIT),
        # Members asking a space for a pass, per client (each request mails the member and the hosts).
        "VISA_PASS_REQUEST_LIMIT": env("VISA_PASS_REQUEST_LIMIT", "5 per hour"),
        # Each volunteer's and validator's writes (take, extend, release, record, accept, reject), per account.
        "VISA_VOLUNTEER_LIMIT": env("VISA_VOLUNTEER_LIMIT", "60 per hour"),
        # The pass-signing keys, made on first use (several app servers share one folder).
        "VISA_PASS_KEYS_DIR": env("VISA_PASS_KEYS_DIR", os.path.join(instance_path, "pass_keys")),
        # The listings' published photo files (visa.photos.storage.FolderStore); several app servers share one folder.
        "VISA_PHOTO_DIR": env("VISA_PHOTO_DIR", os.path.join(instance_path, "photos")),
        # Seconds a computed network figure may lag the check-ins (visa/impact/cache.py).
        "VISA_IMPACT_MAX_AGE": _count(env("VISA_IMPACT_MAX_AGE", "60"), "VISA_IMPACT_MAX_AGE"),
        # The members' survey: kg of CO2 a car emits per km, and the factor's name the report prints beside it.
        "VISA_SURVEY_CO2_KG_PER_KM": float(env("VISA_SURVEY_CO2_KG_PER_KM", "0.17")),
        "VISA_SURVEY_CO2_FACTOR": env("VISA_SURVEY_CO2_FACTOR", SURVEY_CO2_FACTOR),
        # Answers through a survey's shared link, per client (each makes a new answer: the link is not verified).
        "VISA_SURVEY_LINK_LIMIT": env("VISA_SURVEY_LINK_LIMIT", "10 per hour"),
    }


def default_geodata_dir(instance_path: str) -> Path:
    """``geodata/build`` in a source checkout; ``geodata`` in the instance folder for an installed package
    (site-packages may not be writable, and a new version of the package must not lose the built data)."""
    return CHECKOUT_DIR if in_checkout() else Path(instance_path) / "geodata"


#: Each variable of the README's Configuration table and the setting it fills (``visa doctor`` shows them).
ENVIRONMENT = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "SECRET_KEY": "SECRET_KEY", "VISA_GEOCODER": "VISA_GEOCODER",
    "VISA_GEOCODER_OPTIONS": "VISA_GEOCODER_OPTIONS", "VISA_GEOCODER_MIN_DELAY": "VISA_GEOCODER_MIN_DELAY",
    "VISA_TILE_URL": "VISA_TILE_URL", "VISA_TILE_ATTRIBUTION": "VISA_TILE_ATTRIBUTION",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI", "VISA_REDIS_URL": "VISA_REDIS_URL",
    "VISA_PROXY_COUNT": "VISA_PROXY_COUNT", "VISA_GEOCODE_LIMIT": "VISA_GEOCODE_LIMIT",
    "VISA_GEOCODE_ADDRESS_LIMIT": "VISA_GEOCODE_ADDRESS_LIMIT",
    "MAIL_SERVER": "MAIL_SERVER", "MAIL_PORT": "MAIL_PORT", "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USERNAME": "MAIL_USERNAME", "MAIL_PASSWORD": "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
    "VISA_MAIL_DIR": "VISA_MAIL_DIR", "VISA_BASE_URL": "VISA_BASE_URL",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE", "VISA_FORCE_HTTPS": "VISA_FORCE_HTTPS",
    "VISA_PASS_REQUEST_LIMIT": "VISA_PASS_REQUEST_LIMIT", "VISA_PASS_KEYS_DIR": "VISA_PASS_KEYS_DIR",
    "VISA_IMPACT_MAX_AGE": "VISA_IMPACT_MAX_AGE", "VISA_GEODATA_DIR": "VISA_GEODATA_DIR",
    "VISA_VOLUNTEER_LIMIT": "VISA_VOLUNTEER_LIMIT", "VISA_MAIL_SMTPUTF8": "VISA_MAIL_SMTPUTF8",
    "VISA_CAMPAIGN_RATE": "VISA_CAMPAIGN_RATE", "VISA_CHECK_LIMIT": "VISA_CHECK_LIMIT",
    "VISA_MAIL_OUTBOX": "VISA_MAIL_OUTBOX", "VISA_GEOCODE_SLOTS": "VISA_GEOCODE_SLOTS",
    "VISA_PHOTO_DIR": "VISA_PHOTO_DIR",
    "VISA_SURVEY_CO2_KG_PER_KM": "VISA_SURVEY_CO2_KG_PER_KM", "VISA_SURVEY_CO2_FACTOR": "VISA_SURVEY_CO2_FACTOR",
    "VISA_SURVEY_LINK_LIMIT": "VISA_SURVEY_LINK_LIMIT",
}
#: Settings never shown in full; the passwords inside URLs are masked too (:func:`shown`).
SECRETS = {"SECRET_KEY", "MAIL_PASSWORD"}
#: Secret keys that are fine for a laptop and nowhere else (tests, benches, examples); a key shorter than
#: :data:`MIN_SECRET_KEY_LENGTH` counts as one of them too.
DEVELOPMENT_SECRET_KEYS = {"dev", "development", "test", "testing", "bench", "secret", "change-me", "changeme"}
MIN_SECRET_KEY_LENGTH = 24


def is_development_key(key: str | None) -> bool:
    """A key anyone could guess: one of the well-known ones, or too short to resist guessing."""
    return not key or key.strip().lower() in DEVELOPMENT_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH


def shown(name: str, value: object) -> str:
    """*value* of setting *name* as ``visa doctor`` prints it: secrets masked, a URL without its password."""
    if value in (None, ""):
        return "(not set)"
    if name in SECRETS:
        return "****** (set)"
    text = str(value)
    if "://" in text and "@" in text.split("://", 1)[1]:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        if ":" in credentials:
            text = f"{scheme}://{credentials.split(':', 1)[0]}:******@{host}"
    return text


#: OpenStreetMap's standard tiles: the one thing a page may load from another host (see README, "Tiles").
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def normalise_tiles(config: dict) -> None:
    """``none`` (or empty) switches street tiles off; OpenStreetMap's tiles carry their attribution."""
    url = (config.get("VISA_TILE_URL") or "").strip()
    config["VISA_TILE_URL"] = "" if url.lower() == "none" else url
    if config["VISA_TILE_URL"] == OSM_TILE_URL and not config.get("VISA_TILE_ATTRIBUTION"):
        config["VISA_TILE_ATTRIBUTION"] = OSM_ATTRIBUTION


def _flag(raw: str) -> bool | None:
    """1 or 0; empty is None (not set)."""
    return None if not raw.strip() else raw.strip() == "1"


def geocode_slots(slots: str | None, threads: str) -> int:
    """``VISA_GEOCODE_SLOTS`` when set, else half of ``VISA_WORKER_THREADS``; at least 1."""
    if slots:
        return max(1, _count(slots, "VISA_GEOCODE_SLOTS"))
    return max(1, _count(threads, "VISA_WORKER_THREADS") // 2)


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
    return driver_url(url)


def driver_url(url: str) -> str:
    """*url* with the driver SQLAlchemy needs: ``postgres://`` and ``postgresql://`` go through psycopg 3."""
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
    # A storage that stops answering: count in the process until it answers again, never fail the request.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "VISA_LOGIN_LIMIT": "10 per minute",
    # werkzeug's password hash: scrypt, memory-hard. Tests set a cheap one (tests/conftest.py).
    "VISA_PASSWORD_METHOD": "scrypt",
    "VISA_REPORT_LIMIT": "5 per hour",
    "VISA_SIGNUP_LIMIT": "20 per hour",
    #: How long confirmation and password-reset links stay valid (seconds).
    "VISA_TOKEN_MAX_AGE": 2 * 24 * 3600,
    #: How many times a message is tried before it goes to the outbox, and the pause (seconds) times the attempt.
    "VISA_MAIL_ATTEMPTS": 2,
    "VISA_MAIL_RETRY_PAUSE": 0.5,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}
