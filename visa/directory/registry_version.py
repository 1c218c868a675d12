"""Read the registry version, as every search does first, without the ORM session's costs.

Each search compares its process's spatial index with the registry version
(:class:`visa.directory.models.RegistryVersion`), so that a write by any worker
or machine is seen at once. Through the ORM session that read costs about
70 µs on SQLite and 180 µs on PostgreSQL (the identity map, a pre-ping on
checkout, then BEGIN and ROLLBACK around one row), a third of a radius search
end to end. Here it is one statement on a connection of a small engine of its
own, in autocommit, with no ping and no reset on return, on the DBAPI cursor: about
10 µs and 75 µs.

The version read is the last *committed* one, as other processes see it; a
session that has bumped the version but not yet committed gets the index as
everybody else sees it, or, when that must be built, one of its own that is
never shared (``visa.directory.spatial_index.get_index``).
"""

from __future__ import annotations

import os
import threading
import weakref

import sqlalchemy as sa

_SQL = "SELECT version FROM registry_version WHERE id = 1"
_engines: dict[str, sa.Engine] = {}
_keys: weakref.WeakKeyDictionary[sa.Engine, str] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def database_key(bind: sa.Engine) -> str:
    """The URL of *bind*'s database as a string: the key of what a process builds from that database.

    Remembered per engine: rendering a URL is a few microseconds, on every search.
    """
    key = _keys.get(bind)
    if key is None:
        key = _keys[bind] = bind.url.render_as_string(hide_password=False)
    return key


def read_version(bind: sa.Engine) -> int:
    """The committed registry version of *bind*'s database (0 before the first write).

    :raise sqlalchemy.exc.DBAPIError: the database cannot be read (not migrated yet, down).
    """
    engine = _engine(bind)
    try:
        return _read(engine)
    except sa.exc.DBAPIError as err:
        if not err.connection_invalidated:
            raise
        # The server dropped a pooled connection (a restart, a failover): every other one in the pool is
        # as dead, so all are let go and the read is made once more on a new connection.
        engine.dispose()
        return _read(engine)


def _read(engine: sa.Engine) -> int:
    # The DBAPI connection and cursor directly (a pooled connection, checked out and back): the
    # SQLAlchemy Connection and Result around one integer cost twice the statement itself.
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        try:
            cursor.execute(_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as err:
        dropped = engine.dialect.is_disconnect(err, conn.dbapi_connection, None)
        if dropped:
            conn.invalidate(err)
        raise sa.exc.DBAPIError.instance(_SQL, (), err, engine.dialect.loaded_dbapi.Error,
                                         connection_invalidated=dropped) from err
    finally:
        conn.close()
    return int(row[0]) if row else 0


def _engine(bind: sa.Engine) -> sa.Engine:
    key = database_key(bind)
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = sa.create_engine(bind.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                                          pool_size=8, max_overflow=8)
                _engines[key] = engine
    return engine


def dispose_all() -> None:
    """Close every connection (a master about to fork: no worker may share one)."""
    for engine in list(_engines.values()):
        engine.dispose()


def _forget_inherited() -> None:
    # A forked child must not use (nor close) the connections its parent opened.
    for engine in list(_engines.values()):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited)
