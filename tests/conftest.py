"""Fixtures: a real database (SQLite, or PostgreSQL via VISA_TEST_DATABASE_URL), real geodata.

The schema is created once per session with create_all (migrations have their
own test); each test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import settings

from geodata import COUNTRIES_GEOJSON, GAZETTEER_DB
from visa.app import create_app
from visa.config import _database_url
from visa.extensions import db
from visa.wire import files

PG_URL = os.environ.get("VISA_TEST_DATABASE_URL")

# Every run draws the same examples (derandomize, no example database), so a
# property test passes or fails the same way on every machine; a counter-example
# found while developing becomes an explicit @example. No deadline: the shared
# test machine's load would make timing, not correctness, fail a test.
settings.register_profile("visa", derandomize=True, database=None, deadline=None)
settings.load_profile("visa")


def pytest_report_header(config) -> str:
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if PG_URL:
        return _database_url(PG_URL, "")
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        db.drop_all()
        _drop_alembic_table()
        db.create_all()
        yield
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _drop_alembic_table() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def app_config(database_url: str, mail_dir) -> dict:
    return {
        "VISA_MAIL_DIR": str(mail_dir),
        "VISA_MAIL_OUTBOX": str(mail_dir.parent / "outbox"),
        "VISA_PHOTO_DIR": str(mail_dir.parent / "photos"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test",
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,
        "VISA_GAZETTEER_PATH": str(GAZETTEER_DB),
        "VISA_COUNTRIES_PATH": str(COUNTRIES_GEOJSON),
        "VISA_TILE_URL": "none",
        # Each test counts on its own (a shared Redis would carry counts from test to test and helper to helper).
        "RATELIMIT_STORAGE_URI": "memory://",
        # A cheap hash: the suite makes thousands of accounts (production keeps scrypt; tested in tests/accounts).
        "VISA_PASSWORD_METHOD": "pbkdf2:sha256:1000",
    }


#: The asset files read and compressed (brotli at its slowest) once for the whole run, as a server process keeps
#: them for as long as it serves: each test's new app would otherwise compress every file a page links again.
_LOADED_FILES = files.LoadedFiles()


@pytest.fixture
def app(_schema, app_config: dict):
    app = create_app(app_config)
    app.extensions[files.LOADED_KEY] = _LOADED_FILES
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()  # each test's app has its own engine; close its connections


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on Werkzeug's threaded server at 127.0.0.1 (tests/live.py): each request in its own thread, app
    context and database session, as workers would run them. Yields its base URL."""
    from tests.live import serving

    with serving(app) as url:
        yield url


@pytest.fixture
def sent_sql(app) -> Callable[[Callable[[], object]], tuple[object, list[str]]]:
    """Run a call and tell what it asked the database: (its result, the SQL statements sent)."""
    def run(call: Callable[[], object]) -> tuple[object, list[str]]:
        sent: list[str] = []

        def note(_conn, _cursor, statement, *_args) -> None:
            sent.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            return call(), sent
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)

    return run


#: The visa's traditional terms, stated in full: what make_space gives unless a test says otherwise.
TRADITIONAL_TERMS = {"is_participating": True, "free_days_per_visit": 3, "advance_notice_hours": 24,
                     "request_contact": "", "requires_membership_proof": True,
                     "weekdays": 31, "blackout_dates": [], "excludes_same_city": False, "is_reciprocal_only": False,
                     "notes": ""}


@pytest.fixture
def make_space(app) -> Callable[..., object]:
    """Create an approved space through the service (so its point is checked), with the traditional terms."""
    from visa.directory.models import RequestMethod, SpaceStatus
    from visa.directory.services import create_space

    counter = iter(range(1, 10_000))

    def _make(name: str | None = None, lat: float = 38.7223, lon: float = -9.1393, country: str = "PT",
              city: str = "Lisbon", status: SpaceStatus = SpaceStatus.APPROVED, terms: dict | None = None,
              **fields):
        space = create_space({"name": name or f"Space {next(counter)}", "latitude": lat, "longitude": lon,
                              "country_code": country, "city": city, "status": status, **fields},
                             {"request_method": RequestMethod.EMAIL, **TRADITIONAL_TERMS, **(terms or {})})
        db.session.commit()
        return space

    return _make


@pytest.fixture
def csrf_token(client) -> Callable[[str], str]:
    """The CSRF token a page hands out, as a browser would read it.

    By default the home-space page's: every page's header form goes without a token for a visitor who has no
    session yet (visa/wire/same_origin.py), but that page always holds one.
    """
    import re

    def _token(url: str = "/home") -> str:
        html = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    return _token


@pytest.fixture
def make_user(app):
    from visa.accounts.models import Role
    from visa.accounts.services import create_user

    def _make(email: str = "host@example.org", role: Role = Role.HOST, confirmed: bool = True,
              password: str = "correct horse battery"):
        user = create_user(email, password, role=role, is_confirmed=confirmed)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def login(client, csrf_token):
    def _login(email: str, password: str = "correct horse battery"):
        r = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token("/login")})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        return r

    return _login


@pytest.fixture
def mails(mail_dir):
    """The messages written so far, oldest first, parsed, as a reader sees them: without the invisible FSI and PDI
    that isolate the names and texts people wrote (tests/test_bidi_isolation.py checks those); ``raw=True`` keeps
    them."""
    import email
    from email import policy

    def _read(raw: bool = False):
        if not mail_dir.exists():
            return []
        found = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                 for p in sorted(mail_dir.glob("*.eml"))]
        return found if raw else [_as_read(message) for message in found]

    return _read


def _as_read(message):
    from visa.l10n import FSI, PDI

    def seen(text: str) -> str:
        return text.replace(FSI, "").replace(PDI, "")

    if message["Subject"]:
        message.replace_header("Subject", seen(str(message["Subject"])))
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.is_multipart():
            text = part.get_content()
            if seen(text) != text:
                part.set_content(seen(text), subtype=part.get_content_subtype())
    return message


@pytest.fixture(scope="session")
def gazetteer():
    """The offline gazetteer index, opened once (read-only)."""
    from visa.geocoding.gazetteer import Gazetteer

    return Gazetteer(GAZETTEER_DB)


@pytest.fixture(autouse=True)
def _no_default_rate_limit_left_behind():
    """Flask-Limiter is one object per process and keeps the first default limit an app gives it: a test that
    sets RATELIMIT_DEFAULT would otherwise leave it on every later app (a 429 on the next test's pages)."""
    yield
    from visa.extensions import limiter

    limiter.limit_manager.set_default_limits([])
