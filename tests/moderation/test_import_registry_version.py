"""An import writes the registry version once, at its end.

The version is one row that every write to a listing updates (visa.directory.models). An import that updated
it with its first batch held that row's lock until its commit, so on PostgreSQL every host's save during a
10,000-row import waited for the whole import (11.8 s). Written at the end, just before the commit, a save
waits for that moment alone.
"""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from visa.directory.models import RegistryVersion, bump_registry_version
from visa.extensions import db
from visa.moderation.importer import import_file

ROWS = 1200  # more than two of the import's batches of 500


def _sheet(rows: int = ROWS, price: str = "") -> io.BytesIO:
    lines = ["Name,City,Country,Latitude,Longitude,Website,Day pass"]
    lines += [f"Desk {i},Lisbon,Portugal,{38.715 + (i % 40) * 0.002:.4f},{-9.19 + (i // 40) * 0.003:.4f},"
              f"desk{i}.example,{price}" for i in range(rows)]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _executemany) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


def _writes(statements: list[str], table: str) -> list[int]:
    return [i for i, s in enumerate(statements) if re.match(rf"\s*(UPDATE|INSERT INTO) {table}\b", s)]


@pytest.mark.parametrize("second_run", [False, True], ids=["creating", "updating"])
def test_an_import_writes_the_registry_version_once_after_its_last_listing(app, statements, second_run):
    bump_registry_version(db.session.connection())  # the version's row exists: one write is one UPDATE
    db.session.commit()
    if second_run:  # the ORM's updates, not the bulk inserts
        import_file(_sheet(), "lisbon.csv")
        db.session.commit()
    statements.clear()
    report = import_file(_sheet(price="€10" if second_run else ""), "lisbon.csv")
    db.session.commit()
    assert (report.updated if second_run else report.created) == ROWS
    versions = _writes(statements, "registry_version")
    assert len(versions) == 1, [statements[i] for i in versions]
    assert versions[0] > max(_writes(statements, "space"))


def test_a_dry_run_or_an_import_that_changes_nothing_writes_no_version(app, statements):
    import_file(_sheet(20), "lisbon.csv")
    db.session.commit()
    statements.clear()
    import_file(_sheet(20), "lisbon.csv")
    db.session.commit()
    assert _writes(statements, "registry_version") == []


@pytest.mark.skipif(not PG_URL, reason="row locks: PostgreSQL (SQLite has one writer at a time)")
def test_a_save_during_an_import_does_not_wait_for_the_import(app):
    """Each batch of the import, another connection writes the version as a host's save does, and may wait
    for a lock at most 2 s: before, the import held it from its first batch to its commit."""
    waits: list[str] = []

    def host_saves(_line: str) -> None:
        with db.engine.connect() as other:
            other.execute(sa.text("SET lock_timeout = '2s'"))
            try:
                bump_registry_version(other)
                other.commit()
            except sa.exc.OperationalError as err:
                waits.append(str(err).splitlines()[0])
                other.rollback()

    import_file(_sheet(), "lisbon.csv", progress=host_saves)
    db.session.commit()
    assert waits == []
    assert db.session.get(RegistryVersion, 1) is not None
