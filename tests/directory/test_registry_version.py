"""The registry version read beside the ORM session: what every search compares its index with."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from visa.directory import registry_version
from visa.directory.models import bump_registry_version
from visa.directory.registry_version import read_version
from visa.directory.spatial_index import get_index
from visa.extensions import db


def _bind():
    return db.session.get_bind()


def test_a_commit_in_another_connection_is_seen_by_the_next_search(app, make_space):
    """What another worker or machine writes: the next search has a new index holding it."""
    make_space("Lisbon Hub")
    index = get_index(db.session)
    other = sa.create_engine(_bind().url)  # another process's connection, as far as this one can tell
    try:
        with other.begin() as conn:
            conn.execute(sa.text("UPDATE space SET latitude = 41.1496, longitude = -8.6109"))
            bump_registry_version(conn)
    finally:
        other.dispose()
    rebuilt = get_index(db.session)
    assert rebuilt is not index
    assert rebuilt.lat.tolist() == [41.1496]


def test_only_a_committed_version_counts(app, make_space):
    """A bump not yet committed is not seen (by this process either): the index stays what others see."""
    make_space("Lisbon Hub")
    before = read_version(_bind())
    assert before != 0
    bump_registry_version(db.session.connection())
    assert read_version(_bind()) == before
    db.session.commit()
    assert read_version(_bind()) != before


def test_dropped_connections_are_replaced(app, make_space):
    """A server restart drops every pooled connection: the read opens a new one instead of failing a search."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("connections the server drops: PostgreSQL's")
    make_space("Lisbon Hub")
    version = read_version(_bind())
    pool = registry_version._engine(_bind())
    held = [pool.raw_connection() for _ in range(3)]  # three pooled connections, as three threads leave them
    for conn in held:
        conn.cursor().execute("SELECT version FROM registry_version WHERE id = 1")
        conn.close()
    killed = db.session.execute(sa.text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = :sql"),
        {"sql": "SELECT version FROM registry_version WHERE id = 1"}).scalar()
    db.session.commit()
    assert killed >= 3
    assert read_version(_bind()) == version


def test_an_index_holding_uncommitted_writes_is_not_kept(app, make_space):
    """A search inside a transaction that changed a space sees it; after a rollback nobody does."""
    space = make_space("Lisbon Hub")
    get_index(db.session)
    db.session.execute(sa.text("UPDATE registry_version SET version = version + 1"))  # another process wrote
    db.session.commit()
    space.latitude, space.longitude = 41.1496, -8.6109
    db.session.flush()
    inside = get_index(db.session)
    assert inside.lat.tolist() == [41.1496]
    db.session.rollback()
    assert get_index(db.session).lat.tolist() == [38.7223]
