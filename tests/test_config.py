"""Configuration that does what the README says: every variable of its table is read in visa/config.py alone,
and setting each one changes what the app does."""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from visa.app import create_app
from visa.config import ENVIRONMENT, shown
from visa.extensions import db

ROOT = Path(__file__).resolve().parent.parent
#: Modules that may touch os.environ for another reason than reading a setting, and why.
ENVIRON_ALLOWED = {
    "visa/config.py": "the one reader of settings",
    "visa/backup/dump.py": "passes the environment on to pg_dump with PGPASSWORD added",
}


def readme_variables() -> set[str]:
    """The variables of the README's Configuration table (first column, backticked, several per row allowed)."""
    text = (ROOT / "README.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n\n", 2)[1]
    names = set()
    for line in table.splitlines()[2:]:
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_every_documented_variable_is_read_in_config_and_nowhere_else():
    assert readme_variables() == set(ENVIRONMENT)
    readers = []
    for path in sorted((ROOT / "visa").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"} and name not in ENVIRON_ALLOWED:
                readers.append(f"{name}:{node.lineno}")
    assert readers == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _geocodes(app: Flask) -> list[int]:
    client = app.test_client()
    return [client.get("/api/v1/geocode?q=Lisbon").status_code for _ in range(5)]


def _page(app: Flask, url: str = "/"):
    return app.test_client().get(url)


def _client_address(app: Flask, forwarded_for: str) -> str:
    """The address the app sees for a request the proxy says came from *forwarded_for*."""
    from flask import request

    app.add_url_rule("/probe/address", "probe_address", lambda: request.remote_addr)
    return app.test_client().get("/probe/address", headers={"X-Forwarded-For": forwarded_for}).text


def _in_app(check: Callable[[], object]) -> Callable[[Flask], object]:
    def run(app: Flask):
        with app.app_context():
            return check()
    return run


def _geocoder():
    from visa.geocoding.service import geocoder

    return geocoder()


def _mail_to(folder: Path) -> Callable[[Flask], list[str]]:
    def run(app: Flask) -> list[str]:
        from visa.mailer import send_mail

        with app.app_context():
            send_mail("ana@example.org", "Hello", "Body")
        return [p.suffix for p in folder.glob("*.eml")]
    return run


def _base_url(app: Flask) -> str:
    from visa.mailer import absolute_url

    with app.app_context():
        return absolute_url("directory.search_page")


def _ask_limit(app: Flask) -> str:
    from visa.passes.views import _ask_limit

    with app.app_context():
        return _ask_limit()


def _key_folder(app: Flask) -> str:
    from visa.passes.services import key_store

    with app.app_context():
        return str(key_store().folder)


def _kept_figures(app: Flask) -> bool:
    """With a long max age, figures computed before another process's write are still served."""
    import sqlalchemy as sa

    from visa.impact import cache

    with app.app_context():
        first = cache.cached(("probe",), object)
        with db.engine.begin() as conn:
            cache.bump(conn)
        kept = cache.cached(("probe",), object) is first
        db.session.execute(sa.text("DELETE FROM impact_version"))
        db.session.commit()
        return kept


TMP = Path("/nonexistent")  # replaced by the test's tmp_path in the values below
#: (variable, value, what to look at, what it must be then).
EFFECTS: list[tuple[str, str, Callable[[Flask], object], object]] = [
    ("SECRET_KEY", "a-key-from-the-environment-0123456789", lambda app: app.secret_key,
     "a-key-from-the-environment-0123456789"),
    ("VISA_GEOCODER", "photon,offline", _in_app(lambda: _geocoder().order), ["photon", "offline"]),
    ("VISA_GEOCODER_OPTIONS", '{"photon": {"domain": "geo.example.org", "scheme": "http"}}',
     lambda app: app.config["VISA_GEOCODER_OPTIONS"]["photon"]["domain"], "geo.example.org"),
    ("VISA_GEOCODER_MIN_DELAY", "2.5",
     lambda app: app.config["VISA_GEOCODER_MIN_DELAY"], 2.5),
    ("VISA_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png",
     lambda app: "https://tiles.example.org" in _page(app).headers["Content-Security-Policy"], True),
    ("VISA_TILE_ATTRIBUTION", "Tiles by Example Maps", lambda app: "Tiles by Example Maps" in _page(app).text, True),
    ("RATELIMIT_STORAGE_URI", "memory://", lambda app: app.config["RATELIMIT_STORAGE_URI"], "memory://"),
    ("VISA_REDIS_URL", f"redis://127.0.0.1:{_closed_port()}", lambda app: app.config["RATELIMIT_STORAGE_URI"],
     "memory://"),
    ("VISA_PROXY_COUNT", "1", lambda app: _client_address(app, "203.0.113.9"), "203.0.113.9"),
    ("VISA_GEOCODE_LIMIT", "2 per minute", _geocodes, [200, 200, 429, 429, 429]),
    ("MAIL_SERVER", "smtp.example.org", lambda app: app.extensions["mail"].server, "smtp.example.org"),
    ("MAIL_PORT", "2525", lambda app: app.extensions["mail"].port, 2525),
    ("MAIL_USE_TLS", "0", lambda app: app.extensions["mail"].use_tls, False),
    ("MAIL_USERNAME", "mailer", lambda app: app.extensions["mail"].username, "mailer"),
    ("MAIL_PASSWORD", "mail-secret", lambda app: app.extensions["mail"].password, "mail-secret"),
    ("MAIL_DEFAULT_SENDER", "Visa <visa@example.org>", lambda app: app.extensions["mail"].default_sender,
     "Visa <visa@example.org>"),
    ("VISA_MAIL_DIR", "{tmp}/letters", None, [".eml"]),
    ("VISA_BASE_URL", "https://visa.example.org", _base_url, "https://visa.example.org/"),
    ("SESSION_COOKIE_SECURE", "1",
     lambda app: "Secure" in _page(app, "/login").headers.get("Set-Cookie", ""), True),
    ("VISA_FORCE_HTTPS", "1", lambda app: _page(app).headers.get("Location", ""), "https://localhost/"),
    ("VISA_PASS_REQUEST_LIMIT", "2 per hour", _ask_limit, "2 per hour"),
    ("VISA_PASS_KEYS_DIR", "{tmp}/keys", _key_folder, "{tmp}/keys"),
    ("VISA_IMPACT_MAX_AGE", "3600", _kept_figures, True),
]


@pytest.mark.parametrize(("variable", "value", "look", "expected"), EFFECTS, ids=[e[0] for e in EFFECTS])
def test_each_variable_has_its_effect(variable, value, look, expected, _schema, app_config, monkeypatch, tmp_path):
    value = value.replace("{tmp}", str(tmp_path))
    expected = expected.replace("{tmp}", str(tmp_path)) if isinstance(expected, str) else expected
    if look is None:
        look = _mail_to(Path(value))
    config = {k: v for k, v in app_config.items() if k != ENVIRONMENT[variable]}
    if variable == "VISA_TILE_ATTRIBUTION":
        config["VISA_TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    monkeypatch.setenv(variable, value)
    app = create_app(config)
    try:
        assert look(app) == expected
    finally:
        with app.app_context():
            db.engine.dispose()


def test_database_url_chooses_the_database(app_config, monkeypatch, tmp_path):
    import sqlalchemy as sa

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/from-env.sqlite")
    app = create_app({k: v for k, v in app_config.items() if k != "SQLALCHEMY_DATABASE_URI"})
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE probe (id INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    assert (tmp_path / "from-env.sqlite").exists()


def test_doctor_masks_secrets():
    assert shown("SECRET_KEY", "abc") == "****** (set)"
    assert shown("SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://visa:pw@db/visa") == \
        "postgresql+psycopg://visa:******@db/visa"
    assert shown("MAIL_USERNAME", None) == "(not set)"
