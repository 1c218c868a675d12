"""Migrations build the whole schema on an empty database of each kind, matching the models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import PG_URL
from visa.app import create_app
from visa.config import _database_url
from visa.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite")
        return
    admin_url = sa.engine.make_url(_database_url(PG_URL, ""))
    name = f"visa_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == []
        assert {"space", "visa_terms", "user_account", "revision", "registry_version"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.session.remove()
        db.engine.dispose()


def test_listings_that_share_an_import_key_are_set_apart_before_the_key_is_made_unique(empty_database_url):
    """Two imports at once could list one space twice under one key: the oldest keeps it, the others keep it
    with their id added, so the next import matches the oldest and the others still say where they came from."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade(revision="b8f4d2e0a513")  # the revision before the unique key
        with db.engine.begin() as conn:
            space = sa.Table("space", sa.MetaData(), autoload_with=conn)
            base = {"description": "", "address_line1": "", "address_line2": "", "city": "Lisbon", "region": "",
                    "postcode": "", "country_code": "PT", "latitude": 38.7, "longitude": -9.1,
                    "geocode_precision": "city", "geocode_source": "import", "timezone": "", "website": "",
                    "email": "", "phone": "", "status": "approved", "is_demo": False, "price_currency": "",
                    "price_unit": "", "lock_version": 1, "created_at": datetime(2012, 3, 14, tzinfo=UTC),
                    "updated_at": datetime(2012, 3, 14, tzinfo=UTC)}
            long_key = "web:" + "x" * 296
            for i, key in enumerate(["web:a.example:PT:lisbon"] * 3 + [long_key] * 2 + ["web:b.example:PT:lisbon"]):
                conn.execute(sa.insert(space).values(base | {"slug": f"s{i}", "name": f"S{i}", "import_key": key}))
        upgrade()
        with db.engine.connect() as conn:
            keys = dict(conn.execute(sa.text("SELECT slug, import_key FROM space")).all())
        db.session.remove()
        db.engine.dispose()
    assert keys["s0"] == "web:a.example:PT:lisbon" and keys["s5"] == "web:b.example:PT:lisbon"
    ids = {slug: int(key.rsplit("#", 1)[1]) for slug, key in keys.items() if "#" in key}
    assert set(ids) == {"s1", "s2", "s4"}
    assert keys["s1"] == f"web:a.example:PT:lisbon#{ids['s1']}" and keys["s3"] == long_key
    assert len(keys["s4"]) == 300 and keys["s4"].startswith("web:xxx")


def test_opt_outs_are_rewritten_by_the_address_key(empty_database_url):
    """Kept lower-cased before, compared by visa.emails.key now: "Straße" and full-width letters become the key."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade(revision="a7c3e9f15b42")  # the revision before the keys
        with db.engine.begin() as conn:
            for email in ("straße@casa.example", "ｉｎｆｏ@desk.example", "plain@desk.example"):
                conn.execute(sa.text("INSERT INTO mail_opt_out (email, created_at) VALUES (:email, :at)"),
                             {"email": email, "at": datetime(2026, 12, 1, tzinfo=UTC)})
        upgrade()
        with db.engine.connect() as conn:
            emails = sorted(conn.execute(sa.text("SELECT email FROM mail_opt_out")).scalars())
        db.session.remove()
        db.engine.dispose()
    assert emails == ["info@desk.example", "plain@desk.example", "strasse@casa.example"]
