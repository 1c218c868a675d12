"""`visa transfer --to URL`: the whole database from SQLite to PostgreSQL and back, checked row by row.

The source is a migrated SQLite file holding the demo network, accounts, a
reverted edit, passes, visit requests and visits; the target a PostgreSQL
database the test creates (and drops), then a fresh SQLite file.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.conftest import PG_URL
from tests.impact.conftest import NOW, TODAY, add_request, add_visit, make_pass  # noqa: F401 - fixtures
from visa.config import driver_url
from visa.extensions import db

ADMIN_URL = driver_url(PG_URL or "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def app_config(app_config, tmp_path) -> dict:
    # A source of its own, made by the migrations (the suite's database is made by create_all).
    return {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/source.sqlite"}


@pytest.fixture
def postgres_url():
    """An empty PostgreSQL database of this test's own, dropped afterwards."""
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"visa_transfer_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    try:
        yield sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def network(app, runner, make_user, make_pass, add_visit, add_request):  # noqa: F811 - fixtures
    """The demo network with hosts, an admin, a reverted edit, passes, requests and visits."""
    from visa.accounts.models import Role, SpaceHost
    from visa.directory.models import Space
    from visa.directory.revisions import Revision
    from visa.directory.services import revert, update_space
    from visa.passes.models import RequestStatus

    upgrade()
    result = runner.invoke(args=["visa", "seed-demo"])
    assert result.exit_code == 0, result.output
    spaces = db.session.scalars(sa.select(Space).order_by(Space.id)).all()
    admin = make_user("admin@example.org", role=Role.ADMIN)
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=spaces[0].id, user_id=host.id, is_confirmed=True))
    update_space(spaces[0], {"name": "Renamed Hub"}, host.id, spaces[0].lock_version, "host")
    db.session.commit()
    edit = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc())).first()
    revert(edit, admin.id)  # the edit names the later revision that undid it
    db.session.commit()
    home, host_space = spaces[1], spaces[2]
    for i in range(3):
        visa_pass = make_pass(home, f"m{i}@example.org", f"Member {i}")
        add_visit(visa_pass, host_space, TODAY - timedelta(days=i))
        add_request(visa_pass, host_space, NOW - timedelta(days=3 + i), timedelta(hours=5), RequestStatus.ACCEPTED)
    return spaces


def _everything(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, through the models' types, in primary-key (byte) order, times in UTC."""
    from visa.backup.transfer import ALEMBIC_VERSION, _batches, _normalised, _utc_columns

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [row for part in _batches(conn, t, 1000) for row in _normalised(part, _utc_columns(t))]
                    for t in [*db.metadata.sorted_tables, ALEMBIC_VERSION]}
    finally:
        engine.dispose()


def test_transfer_to_postgresql_and_back_keeps_every_row(app, runner, network, postgres_url, tmp_path):
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    before = _everything(source_url)
    assert len(before["space"]) >= 10 and before["visit"] and before["visa_pass"] and before["user_account"]
    assert any(row[-1] is not None for row in before["revision"])  # reverted_by_id, filled in after its table

    result = runner.invoke(args=["visa", "transfer", "--to", postgres_url])
    assert result.exit_code == 0, result.output
    assert "space: " in result.output and "rows copied" in result.output and "identical" in result.output
    on_postgres = _everything(driver_url(postgres_url))
    assert on_postgres == before

    # Sequences continue after the copied ids: a new row gets the next id.
    engine = sa.create_engine(driver_url(postgres_url))
    with engine.begin() as conn:
        next_id = conn.execute(sa.text("SELECT nextval(pg_get_serial_sequence('space', 'id'))")).scalar()
        assert next_id == max(row[0] for row in before["space"]) + 1
    engine.dispose()

    # A target that holds rows is refused, and nothing is changed.
    refused = runner.invoke(args=["visa", "transfer", "--to", postgres_url])
    assert refused.exit_code == 1 and "not empty" in refused.output
    assert _everything(driver_url(postgres_url)) == before

    # And back: PostgreSQL to a new SQLite file, from an app on PostgreSQL.
    from visa.app import create_app

    back_url = f"sqlite:///{tmp_path}/back.sqlite"
    pg_app = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": driver_url(postgres_url)})
    with pg_app.app_context():  # the command runs in the context it finds: this app's
        back = pg_app.test_cli_runner().invoke(args=["visa", "transfer", "--to", back_url])
        db.engine.dispose()
    assert back.exit_code == 0, back.output
    assert "creating the schema in sqlite:///" in back.output
    assert _everything(back_url) == before


def test_a_difference_is_reported_table_by_table(app, network, tmp_path):
    from flask import current_app

    from visa.backup.transfer import check_table

    target_url = f"sqlite:///{tmp_path}/copy.sqlite"
    result = app.test_cli_runner().invoke(args=["visa", "transfer", "--to", target_url])
    assert result.exit_code == 0, result.output
    target = sa.create_engine(target_url)
    with target.begin() as conn:
        conn.execute(sa.text("UPDATE space SET city = 'Elsewhere' WHERE id = (SELECT MIN(id) FROM space)"))
        conn.execute(sa.text("DELETE FROM visit WHERE id = (SELECT MAX(id) FROM visit)"))
    tables = {t.name: t for t in db.metadata.sorted_tables}
    lines: list[str] = []
    space = check_table(db.engine, target, tables["space"], lines.append)
    visit = check_table(db.engine, target, tables["visit"], lines.append)
    target.dispose()
    assert space.differences == 1 and "differs in city" in space.shown[0]
    assert visit.differences == 1 and space.shown and "only in the source" in visit.shown[0]
    assert "1 DIFFER" in lines[0] and "1 DIFFER" in lines[1]
    assert current_app.config["SQLALCHEMY_DATABASE_URI"].endswith("source.sqlite")


def test_the_site_database_itself_is_refused(app, runner, network):
    result = runner.invoke(args=["visa", "transfer", "--to", app.config["SQLALCHEMY_DATABASE_URI"]])
    assert result.exit_code == 1 and "the database this site uses" in result.output
