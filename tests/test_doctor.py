"""`visa doctor`: the configuration as the app sees it (secrets masked) and a line per check, with what to do."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from flask_migrate import upgrade

from visa.app import create_app
from visa.extensions import db

SECRET = "a-long-production-secret-key-0123456789"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _doctor(config: dict, migrate: bool = False):
    app = create_app(config)
    with app.app_context():  # this app's, not the context another fixture may have pushed
        try:
            if migrate:
                upgrade()
            return app.test_cli_runner().invoke(args=["visa", "doctor"])
        finally:
            db.engine.dispose()


@pytest.fixture
def config(app_config, tmp_path) -> dict:
    return {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/site.sqlite", "SECRET_KEY": SECRET,
            "MAIL_PASSWORD": "smtp-password-42"}


def test_a_healthy_site_passes_and_no_secret_is_printed(config):
    result = _doctor(config, migrate=True)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["SECRET_KEY", "******", "(set)"] for line in lines)
    assert SECRET not in result.output and "smtp-password-42" not in result.output
    for name in ("database", "migrations", "photos", "geodata", "catalogues", "secret key"):
        assert any(line.strip().startswith(f"ok    {name}:") for line in lines), name
    assert "warn  redis: rate limits are counted in memory://" in result.output  # the suite counts per process
    assert "warn  mail: no SMTP server" in result.output


def test_every_failure_says_what_to_do(config, tmp_path):
    translations = tmp_path / "translations"
    shutil.copytree(Path(__file__).resolve().parent.parent / "visa" / "translations", translations)
    (translations / "de" / "LC_MESSAGES" / "messages.mo").unlink()
    (tmp_path / "not-a-folder").write_text("a file where the photos should go")
    broken = {**config, "VISA_PHOTO_DIR": str(tmp_path / "not-a-folder"), "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}",
              "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": _closed_port(),
              "VISA_COUNTRIES_PATH": str(tmp_path / "no-outlines.geojson"),
              "BABEL_TRANSLATION_DIRECTORIES": str(translations), "SECRET_KEY": "dev"}
    result = _doctor(broken)  # never migrated
    assert result.exit_code == 1
    out = result.output
    for name, advice in [("migrations", "flask --app wsgi db upgrade"), ("redis", "start Redis"),
                         ("mail", "check MAIL_SERVER, MAIL_PORT"), ("photos", "VISA_PHOTO_DIR"),
                         ("geodata", "make geodata"),
                         ("catalogues", "make translations")]:
        failure = out.index(f"FAIL  {name}:")
        assert advice in out[failure:].splitlines()[1], (name, out)
    assert "warn  secret key: a development key" in out


def test_a_database_that_does_not_answer(config):
    result = _doctor({**config, "SQLALCHEMY_DATABASE_URI":
                      f"postgresql+psycopg://visa@127.0.0.1:{_closed_port()}/visa?connect_timeout=2"})
    assert result.exit_code == 1
    assert "FAIL  database:" in result.output and "what to do: check DATABASE_URL" in result.output
    assert "FAIL  migrations: not checked" in result.output


def test_doctor_and_healthz_give_one_verdict(config, tmp_path):
    """Both read visa.health's checks: a Redis behind a socket that does not answer fails both, and the driver's
    words are the doctor's to print, never /healthz's."""
    socket_path = tmp_path / "no-redis.sock"
    broken = {**config, "RATELIMIT_STORAGE_URI": f"redis+unix://{socket_path}"}
    result = _doctor(broken, migrate=True)
    assert result.exit_code == 1 and f"FAIL  redis: redis+unix://{socket_path} does not answer" in result.output
    app = create_app(broken)
    with app.app_context():
        try:
            upgrade()
            answer = app.test_client().get("/healthz")
        finally:
            db.engine.dispose()
    assert answer.status_code == 503 and answer.get_json()["down"] == ["redis"]
