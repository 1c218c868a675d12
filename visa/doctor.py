"""``flask --app wsgi visa doctor``: the effective configuration, then a check of everything the site needs.

Prints each setting of the README's Configuration table as the app sees it
(secrets and the passwords inside URLs masked), then one line per check:
the database answers, its migrations are current, the rate-limit Redis
answers, mail can go out, photos can be stored, the geographic data is built and the translation
catalogues are compiled (and the secret key is not a development one). A failed check says what to do on the next line; the
command exits 1 when any failed, so it can gate a deployment.
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app

from visa import health
from visa.cli import visa_cli
from visa.config import ENVIRONMENT, is_development_key, shown
from visa.extensions import db

#: Seconds a check waits for a server (SMTP, Redis) before calling it down.
TIMEOUT = 5.0


@dataclass(frozen=True)
class Finding:
    """One check: ``ok`` True (fine), False (broken: *fix* says what to do) or None (works, with a caveat)."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""

    @property
    def mark(self) -> str:
        return {True: "ok", False: "FAIL", None: "warn"}[self.ok]


def configuration(app: Flask) -> list[tuple[str, str]]:
    """(variable, value as shown) for each documented variable."""
    return [(variable, shown(key, app.config.get(key))) for variable, key in ENVIRONMENT.items()]


def check_database(app: Flask) -> Finding:
    database = health.check_database(app)[0]
    if not database.ok:
        return Finding("database", False, f"{_url(app)} does not answer: {database.cause}",
                       "check DATABASE_URL; is the server running and the database created "
                       "(PostgreSQL: pg_isready -h HOST; createdb -O USER NAME)?")
    return Finding("database", True, f"{_url(app)} answers")


def check_migrations(app: Flask) -> Finding:
    database, migrations = health.check_database(app)
    if not database.ok:
        return Finding("migrations", False, f"not checked: {database.cause}", "fix the database first")
    if not migrations.ok:
        return Finding("migrations", False, migrations.detail,
                       "run `flask --app wsgi db upgrade` (after a backup: `flask --app wsgi visa backup FILE`)")
    return Finding("migrations", True, f"current ({', '.join(sorted(health.migration_heads(app)))})")


def check_redis(app: Flask) -> Finding:
    uri = health.redis_storage(app)
    if uri:
        if all(check.ok for check in health.check_redis(app, timeout=TIMEOUT)):
            return Finding("redis", True, f"rate limits are counted in {shown('', uri)}, shared by every process")
        return Finding("redis", False, f"{shown('', uri)} does not answer: rate limits are counted per process",
                       "start Redis (systemctl start redis-server) or correct RATELIMIT_STORAGE_URI / VISA_REDIS_URL")
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory"
    return Finding("redis", None, f"rate limits are counted in {uri}, per process: each worker allows "
                   "the full limit", "fine for one process; for several, run Redis and set RATELIMIT_STORAGE_URI")


def check_mail(app: Flask) -> Finding:
    server = app.config.get("MAIL_SERVER")
    if not server:
        folder = Path(app.config["VISA_MAIL_DIR"])
        if not _writable(folder):
            return Finding("mail", False, f"no SMTP server, and {folder} cannot be written",
                           "set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD) or a writable VISA_MAIL_DIR")
        return Finding("mail", None, f"no SMTP server: messages are written to {folder}, nobody receives them",
                       "set MAIL_SERVER, MAIL_PORT, MAIL_USERNAME and MAIL_PASSWORD to send mail")
    port = app.config["MAIL_PORT"]
    try:
        with smtplib.SMTP(server, port, timeout=TIMEOUT) as smtp:
            smtp.ehlo()
            if app.config.get("MAIL_USE_TLS"):
                smtp.starttls()
                smtp.ehlo()
            if app.config.get("MAIL_USERNAME"):
                smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
    except (OSError, smtplib.SMTPException) as err:
        return Finding("mail", False, f"SMTP at {server}:{port} refused: {health.first_line(err)}",
                       "check MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (1 for STARTTLS), MAIL_USERNAME and MAIL_PASSWORD")
    return Finding("mail", True, f"SMTP at {server}:{port} accepts the connection"
                   + (" and the login" if app.config.get("MAIL_USERNAME") else ""))


def _writable(folder: Path) -> bool:
    """Whether the app can write into *folder* (made when missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.access(folder, os.W_OK)
    except OSError:
        return False


def check_photos(app: Flask) -> Finding:
    from visa.photos.storage import FolderStore

    store = app.extensions["visa.photo_store"]
    if not isinstance(store, FolderStore):
        return Finding("photos", True, f"kept by {type(store).__name__} (not checked here)")
    if not _writable(store.root):
        return Finding("photos", False, f"{store.root} cannot be written: hosts cannot add photos",
                       "make it writable by the app's user, or set VISA_PHOTO_DIR to a folder that is (the same on "
                       "every app server)")
    return Finding("photos", True, f"kept in {store.root}")


def check_geodata(app: Flask) -> Finding:
    from visa.directory.locations import MissingGeodata, boundaries

    missing = [key for key in ("VISA_GAZETTEER_PATH", "VISA_COUNTRIES_PATH", "VISA_LABELS_PATH",
                               "VISA_PLACE_NAMES_PATH") if not Path(app.config[key]).is_file()]
    if missing:
        return Finding("geodata", False, "missing: " + ", ".join(f"{key} ({app.config[key]})" for key in missing),
                       "build it: `make geodata` (python -m geodata.build), or point those settings at a built copy")
    try:
        countries = len(boundaries().shapes)
    except (MissingGeodata, OSError, ValueError) as err:
        return Finding("geodata", False, f"the country outlines cannot be read: {health.first_line(err)}",
                       "rebuild them: `make geodata` (python -m geodata.build)")
    return Finding("geodata", True, f"gazetteer, labels, place names and {countries} country outlines")


def check_catalogues(app: Flask) -> Finding:
    stale = []
    languages = []
    for directory in app.extensions["babel"].translation_directories:
        for po in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po")):
            languages.append(po.parent.parent.name)
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po.parent.parent.name)
    if stale:
        return Finding("catalogues", False, f"not compiled, or older than their .po: {', '.join(stale)}",
                       "compile them: `make translations` (pybabel compile -d visa/translations)")
    return Finding("catalogues", True, f"compiled: {', '.join(languages) or 'English only'}")


def check_secret_key(app: Flask) -> Finding:
    if is_development_key(app.config.get("SECRET_KEY")):
        return Finding("secret key", None, "a development key: anyone can forge sessions with it; gunicorn refuses "
                       "to serve beyond loopback with it",
                       "set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                       "the same on every app server")
    return Finding("secret key", True, "set, not a development key")


CHECKS: list[Callable[[Flask], Finding]] = [check_database, check_migrations, check_redis, check_mail,
                                             check_photos, check_geodata, check_catalogues, check_secret_key]


def run_checks(app: Flask) -> list[Finding]:
    return [check(app) for check in CHECKS]


def _url(app: Flask) -> str:
    return shown("SQLALCHEMY_DATABASE_URI", app.config["SQLALCHEMY_DATABASE_URI"])


@visa_cli.command("doctor")
def doctor_command() -> None:
    """Print the effective configuration (secrets masked) and check the database, migrations, Redis, mail,
    the photo folder, geodata, catalogues and the secret key; exit 1 when a check fails."""
    import sys

    app = current_app._get_current_object()
    click.echo("Configuration (environment, then instance/config.py):")
    width = max(len(name) for name in ENVIRONMENT)
    for variable, value in configuration(app):
        click.echo(f"  {variable:<{width}}  {value}")
    click.echo("Checks:")
    findings = run_checks(app)
    for finding in findings:
        click.echo(f"  {finding.mark:<4}  {finding.name}: {finding.detail}")
        if finding.fix and finding.ok is not True:
            click.echo(f"        what to do: {finding.fix}")
    db.session.remove()
    if any(finding.ok is False for finding in findings):
        sys.exit(1)


def init_app(app: Flask) -> None:
    """The command joins the ``visa`` group when this module is imported (by the factory)."""
