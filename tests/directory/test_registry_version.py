"""The registry version read beside the ORM session: what every search compares its index with."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

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


def test_a_dropped_connection_is_replaced(app, make_space):
    """A server restart drops pooled connections: the read opens a new one instead of failing a search."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a connection the server drops: PostgreSQL's")
    make_space("Lisbon Hub")
    version = read_version(_bind())
    killed = db.session.execute(sa.text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = :sql"),
        {"sql": "SELECT version FROM registry_version WHERE id = 1"}).scalar()
    db.session.commit()
    assert killed >= 1
    assert read_version(_bind()) == version
