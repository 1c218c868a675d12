"""One import at a time, across every worker and machine: the import lock.

An import reads the registry, then writes hundreds of rows in one transaction.
Two at once would each miss what the other is adding (the unique import key
then refuses the second's rows: a 500 after minutes of work). So an import
first takes the lock: a row in ``import_lock``, inserted in a transaction of
its own and committed at once, so that another worker sees it while the
import's own transaction is still open. A second admin is told who started
the running import and when. The row is deleted when the import's transaction
has ended (committed or rolled back); a lock older than
:data:`STALE_AFTER` is a worker that died mid-import, and is taken over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from visa.extensions import db
from visa.moderation.models import ImportLock
from visa.timeutil import as_utc, utcnow

#: Longer than any import of a file within the upload limit takes (10 MB, about 40,000 rows: a few minutes).
STALE_AFTER = timedelta(hours=1)
_LOCK_ID = 1


class ImportRunning(Exception):
    """Another import holds the lock: who started it, and when (UTC)."""

    def __init__(self, started_by: str, started_at: datetime, filename: str = "") -> None:
        super().__init__(f"an import is running, started by {started_by} at {started_at:%Y-%m-%d %H:%M:%S} UTC")
        self.started_by, self.started_at, self.filename = started_by, started_at, filename


@contextmanager
def import_lock(started_by: str, filename: str = "") -> Iterator[None]:
    """Hold the import lock for the block, which imports and commits (or rolls back) the session.

    :raise ImportRunning: when another import holds it.

    The session is rolled back if the block raises, before the lock goes: on SQLite, the import's open
    write transaction would otherwise keep the lock's own delete waiting.
    """
    started_at = _take(started_by[:254], filename[:255])
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _release(started_at)


def _take(started_by: str, filename: str) -> datetime:
    """Insert the lock row, after reading it: on SQLite a write would wait for the running import's commit
    (one writer at a time), while a read answers at once."""
    table = ImportLock.__table__
    held = None
    for _attempt in range(3):
        now = utcnow()
        with db.engine.connect() as conn:
            held = conn.execute(sa.select(table).where(table.c.id == _LOCK_ID)).one_or_none()
        if held is not None:
            if now - as_utc(held.started_at) < STALE_AFTER:
                raise ImportRunning(held.started_by, as_utc(held.started_at), held.filename)
            with db.engine.begin() as conn:  # a worker that died mid-import: its lock is taken over
                conn.execute(sa.delete(table).where(table.c.id == _LOCK_ID,
                                                    table.c.started_at == held.started_at))
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.insert(table).values(id=_LOCK_ID, started_by=started_by, started_at=now,
                                                     filename=filename))
            return now
        except sa.exc.IntegrityError:
            continue  # another admin took it between the read and the insert: read who
    if held is None:  # taken and released three times while we looked
        raise ImportRunning("another admin", utcnow())
    raise ImportRunning(held.started_by, as_utc(held.started_at), held.filename)


def _release(started_at: datetime) -> None:
    table = ImportLock.__table__
    with db.engine.begin() as conn:  # only our own lock: a stale one taken over is another admin's now
        conn.execute(sa.delete(table).where(table.c.id == _LOCK_ID, table.c.started_at == started_at))


