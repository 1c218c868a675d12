"""Copy the whole database to another engine (SQLite to PostgreSQL and back), then check it row by row.

``visa backup``/``restore`` copy a database within one engine; a network that
starts on the embedded SQLite and grows onto PostgreSQL needs its every row
moved across. This works with SQLAlchemy Core on the models' tables (their
types turn SQLite's stored text into the same Python values PostgreSQL
returns, and back):

1. The target must be empty: no table of it may hold a row (an empty schema
   made by ``flask db upgrade`` is fine, and so is what a failed transfer leaves).
2. Its schema is made by the migrations (the caller passes ``create_schema``),
   so its ``alembic_version`` is right; the source must be at the same revision.
3. Each table is copied in primary-key order, in batches, parents before
   children, all in one transaction on the target: a failure leaves no row.
   A column that refers to its own table (a revision's ``reverted_by_id``) is
   filled in after its table, as the row it names may come later.
4. PostgreSQL's sequences are set past the copied ids.
5. Every table, ``alembic_version`` included, is read again on both sides in
   primary-key order (byte order on both engines) and compared in batches.

No Flask here: ``visa/backup/cli.py`` passes the engines, the tables and the
migration step, and prints the progress lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

Progress = Callable[[str], None]

#: Rows read and written at a time: large enough for few round trips, small enough to keep memory flat.
BATCH = 5_000
#: A progress line within a table every this many rows.
PROGRESS_EVERY = 50_000
#: Differences listed per table (the count says how many there are).
SHOWN_DIFFERENCES = 5
#: Tables a database may hold beside the models': the migrations' and SQLite's own.
BOOKKEEPING = {"alembic_version", "sqlite_sequence"}
ALEMBIC_VERSION = sa.Table("alembic_version", sa.MetaData(),
                           sa.Column("version_num", sa.String(32), primary_key=True))


class TransferError(Exception):
    """The transfer was refused or failed; the message says why, for the operator."""


@dataclass
class TableCheck:
    """One table compared on both sides after the copy."""

    name: str
    rows: int
    differences: int = 0
    shown: list[str] = field(default_factory=list)


def transfer(source: sa.Engine, target: sa.Engine, tables: list[sa.Table],
             create_schema: Callable[[Connection], None], progress: Progress = print,
             batch: int = BATCH) -> list[TableCheck]:
    """Copy every row of *tables* (in dependency order) from *source* to the empty *target*, then compare.

    :raise TransferError: same database, target not empty, unknown tables or revisions; nothing copied then.
    :return: the check of each table, ``alembic_version`` last; any difference is in its ``differences``.
    """
    if _same_database(source, target):
        raise TransferError("the target is the database this site uses: give the URL of another, empty database")
    _check_source(source, tables)
    _check_empty(target)
    progress(f"creating the schema in {_show(target)} with the migrations")
    with target.begin() as conn:
        create_schema(conn)
    revisions = (_revision(source), _revision(target))
    if revisions[0] != revisions[1]:
        raise TransferError(f"the source is at migration {revisions[0]}, this code's migrations at {revisions[1]}: "
                            "run `flask --app wsgi db upgrade` on the source first. The target holds an empty schema.")
    started = time.perf_counter()
    with source.connect() as src, target.begin() as dst:
        for table in tables:
            _copy_table(src, dst, table, progress, batch)
        if target.dialect.name == "postgresql":
            _set_sequences(dst, tables)
    progress(f"copied in {time.perf_counter() - started:.1f} s; checking every row")
    return [check_table(source, target, table, progress, batch) for table in [*tables, ALEMBIC_VERSION]]


def _show(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _same_database(a: sa.Engine, b: sa.Engine) -> bool:
    def where(url: sa.URL) -> tuple:
        if url.get_backend_name() == "sqlite":
            from pathlib import Path
            return ("sqlite", str(Path(url.database or "").resolve()) if url.database not in (None, "", ":memory:")
                    else id(url))
        return (url.get_backend_name(), url.host or "localhost", url.port or 5432, url.database)

    return where(a.url) == where(b.url)


def _check_source(source: sa.Engine, tables: list[sa.Table]) -> None:
    names = set(sa.inspect(source).get_table_names())
    unknown = names - {t.name for t in tables} - BOOKKEEPING
    if unknown:
        raise TransferError(f"the source has tables this code does not know ({', '.join(sorted(unknown))}): "
                            "is it this site's database, and is the code up to date? Nothing was copied.")
    if "alembic_version" not in names:
        raise TransferError("the source has no alembic_version table: it was not made by the migrations "
                            "(`flask --app wsgi db stamp head` marks a schema that is current). Nothing was copied.")


def _check_empty(target: sa.Engine) -> None:
    """Refuse a target any of whose tables holds a row (alembic_version aside)."""
    try:
        names = sa.inspect(target).get_table_names()
    except sa.exc.OperationalError as err:
        raise TransferError(f"cannot open the target {_show(target)}: {err.orig}") from None
    with target.connect() as conn:
        for name in names:
            if name in BOOKKEEPING:
                continue
            table = sa.table(name)
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
                raise TransferError(f"the target is not empty (table {name} holds rows): a transfer only fills "
                                    "an empty database. Nothing was copied.")


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(ALEMBIC_VERSION.c.version_num)).scalar()


def _order(table: sa.Table, dialect: str) -> list:
    """The primary key in byte order on both engines (PostgreSQL's collation would sort text differently)."""
    columns = list(table.primary_key.columns) or list(table.columns)
    if dialect != "postgresql":
        return columns
    return [c.collate("C") if isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum) else c
            for c in columns]


def _batches(conn: Connection, table: sa.Table, batch: int) -> Iterator[list[tuple]]:
    query = sa.select(*table.columns).order_by(*_order(table, conn.dialect.name))
    result = conn.execution_options(yield_per=batch).execute(query)
    for part in result.partitions(batch):
        yield [tuple(row) for row in part]


def _utc_columns(table: sa.Table) -> list[int]:
    """Positions of the columns that hold UTC times: SQLite gives them back naive, PostgreSQL aware."""
    return [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.DateTime) and c.type.timezone]


def _as_utc(value: object) -> object:
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _normalised(rows: list[tuple], utc: list[int]) -> list[tuple]:
    if not utc:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i in utc:
            values[i] = _as_utc(values[i])
        out.append(tuple(values))
    return out


def _copy_table(src: Connection, dst: Connection, table: sa.Table, progress: Progress, batch: int) -> None:
    started = time.perf_counter()
    keys = [c.key for c in table.columns]
    utc = _utc_columns(table)
    # Columns naming a row of the same table: NULL on insert, filled in once every row is there.
    later = [c.key for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
    pk = [c.key for c in table.primary_key.columns]
    write = _copier(dst, table)
    copied, shown, filled = 0, 0, []
    for rows in _batches(src, table, batch):
        values = [dict(zip(keys, row, strict=True)) for row in _normalised(rows, utc)]
        for row in values:
            if any(row[key] is not None for key in later):
                filled.append({**{f"pk_{k}": row[k] for k in pk}, **{f"v_{k}": row[k] for k in later}})
                row.update({key: None for key in later})
        write(values)
        copied += len(values)
        if copied - shown >= PROGRESS_EVERY:
            shown = copied
            progress(f"  {table.name}: {copied:,} rows so far")
    if filled:
        update = (table.update().where(*(table.c[k] == sa.bindparam(f"pk_{k}") for k in pk))
                  .values({k: sa.bindparam(f"v_{k}") for k in later}))
        for start in range(0, len(filled), batch):
            dst.execute(update, filled[start:start + batch])
    progress(f"{table.name}: {copied:,} rows copied in {time.perf_counter() - started:.1f} s")


def _copier(dst: Connection, table: sa.Table) -> Callable[[list[dict]], None]:
    """A function that writes rows (dicts by column key) into *table*.

    PostgreSQL gets them through COPY, three to four times faster than a pipelined executemany: each value
    goes through its column type's bind processor (an enum becomes its name, JSON its text) and then
    psycopg's own adaptation, as an INSERT would have it. SQLite gets an executemany.
    """
    if dst.dialect.name != "postgresql":
        insert = table.insert()
        return lambda values: dst.execute(insert, values) and None
    columns = list(table.columns)
    processors = [c.type.dialect_impl(dst.dialect).bind_processor(dst.dialect) for c in columns]
    statement = "COPY {} ({}) FROM STDIN".format(
        dst.dialect.identifier_preparer.format_table(table),
        ", ".join(dst.dialect.identifier_preparer.format_column(c) for c in columns))
    raw = dst.connection.dbapi_connection

    def write(values: list[dict]) -> None:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row([value if process is None or value is None else process(value)
                                for value, process in zip((row[c.key] for c in columns), processors, strict=True)])

    return write


def _set_sequences(dst: Connection, tables: list[sa.Table]) -> None:
    """Each serial id's sequence continues after the largest copied id (the next insert must not collide)."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        dst.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX({column.name}), 1), "
            f"MAX({column.name}) IS NOT NULL) FROM {table.name}"), {"table": table.name, "column": column.name})


def check_table(source: sa.Engine, target: sa.Engine, table: sa.Table, progress: Progress = print,
                batch: int = BATCH) -> TableCheck:
    """Compare *table* on both sides, row by row in primary-key order, a batch at a time."""
    started = time.perf_counter()
    utc = _utc_columns(table)
    check = TableCheck(table.name, 0)
    pk = [i for i, c in enumerate(table.columns) if c.primary_key] or list(range(len(table.columns)))

    def rows(engine: sa.Engine) -> Iterator[tuple]:
        with engine.connect() as conn:
            for part in _batches(conn, table, batch):
                yield from _normalised(part, utc)

    def key(row: tuple) -> tuple:
        return tuple(row[i] for i in pk)

    def differ(what: str) -> None:
        check.differences += 1
        if len(check.shown) < SHOWN_DIFFERENCES:
            check.shown.append(what)

    left, right = rows(source), rows(target)
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and _before(key(a), key(b))):
            differ(f"only in the source: {key(a)}")
            a = next(left, None)
        elif a is None or _before(key(b), key(a)):
            differ(f"only in the target: {key(b)}")
            b = next(right, None)
        else:
            if a != b:
                columns = [c.name for c, x, y in zip(table.columns, a, b, strict=True) if x != y]
                differ(f"{key(a)} differs in {', '.join(columns)}")
            check.rows += 1
            a, b = next(left, None), next(right, None)
    outcome = "identical" if not check.differences else f"{check.differences:,} DIFFER"
    progress(f"{table.name}: {check.rows:,} rows checked in {time.perf_counter() - started:.1f} s, {outcome}")
    return check


def _before(a: tuple, b: tuple) -> bool:
    """Byte order, as both sides were sorted (str compares by code point: the same order as UTF-8 bytes)."""
    return a < b
