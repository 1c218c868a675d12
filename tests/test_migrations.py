"""Migrations build the whole schema on an empty database of each kind, matching the models."""

from __future__ import annotations

import uuid

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
