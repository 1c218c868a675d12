"""Backup and restore of the whole database: users, revisions, pending listings, everything.

PostgreSQL goes through ``pg_dump``/``pg_restore`` in their custom format
(compressed, restorable table by table); SQLite through its online backup API,
which copies a consistent snapshot while the site keeps running. A restore
first checks that the file is a backup of the right kind, and afterwards
changes the registry version so that every process's spatial index reloads.

No Flask here: the commands in ``visa/backup/cli.py`` pass the database URL and print
the progress lines.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

#: First bytes of each kind of file.
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Tables every backup of this registry has; a file without them is someone else's database.
REGISTRY_TABLES = {"space", "visa_terms", "user_account"}
#: Pages copied per step of the SQLite backup (4 KB each): a progress line every 40 MB or so.
SQLITE_PAGES_PER_STEP = 10_000

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore could not be done; the message says why, for the operator."""


def backup(url: sa.URL | str, path: str | os.PathLike, progress: Progress = print) -> None:
    """Write the database at *url* to the file *path*."""
    url = sa.make_url(url)
    if url.get_backend_name() == "postgresql":
        _pg_backup(url, Path(path), progress)
    elif url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_file(url), Path(path), progress, check_source=False)
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def restore(url: sa.URL | str, path: str | os.PathLike, progress: Progress = print) -> None:
    """Replace the database at *url* by the backup in *path*.

    :raise BackupError: when *path* is not a backup of this kind of database; nothing is changed then.
    """
    url, path = sa.make_url(url), Path(path)
    kind = file_kind(path)
    backend = url.get_backend_name()
    if backend == "postgresql":
        if kind != "postgresql":
            raise BackupError(f"{path} is {_describe(kind)}, not a PostgreSQL backup (pg_dump custom format): "
                              "this database is PostgreSQL. Nothing was changed.")
        _pg_restore(url, path, progress)
    elif backend == "sqlite":
        if kind != "sqlite":
            raise BackupError(f"{path} is {_describe(kind)}, not an SQLite backup: this database is SQLite. "
                              "Nothing was changed.")
        _sqlite_copy(path, _sqlite_file(url), progress, check_source=True)
    else:
        raise BackupError(f"restoring {backend} databases is not supported")


def file_kind(path: Path) -> str:
    """"postgresql", "sqlite", "empty" or "other", from the file's first bytes."""
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if not head:
        return "empty"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return "other"


def _describe(kind: str) -> str:
    return {"postgresql": "a PostgreSQL backup", "sqlite": "an SQLite database", "empty": "empty"}.get(
        kind, "not a backup made by `visa backup`")


# --- PostgreSQL -------------------------------------------------------------------------------------------------

def _libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it (not on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], progress: Progress) -> None:
    """Run a PostgreSQL client tool, passing its --verbose lines on as progress."""
    try:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client tools of the server's "
                          "version (Debian: apt-get install postgresql-client)") from None
    errors = []
    with process:
        for line in process.stderr:
            line = line.rstrip()
            if "error" in line.lower() or "fatal" in line.lower():
                errors.append(line)
            progress(line)
    if process.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {process.returncode})" + (f": {errors[-1]}" if errors else ""))


def _pg_backup(url: sa.URL, path: Path, progress: Progress) -> None:
    target, env = _libpq(url)
    # Write next to the target, then rename: a failed run never leaves half a backup under the real name.
    partial = path.with_name(path.name + ".partial")
    try:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--verbose",
              f"--file={partial}", f"--dbname={target}"], env, progress)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _pg_restore(url: sa.URL, path: Path, progress: Progress) -> None:
    target, env = _libpq(url)
    _check_pg_backup(path, env)
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--verbose", f"--dbname={target}", str(path)], env, progress)


def _check_pg_backup(path: Path, env: dict[str, str]) -> None:
    """A backup of this registry: pg_restore can read its table of contents, which has the registry's tables."""
    try:
        listing = subprocess.run(["pg_restore", "--list", str(path)], env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError("pg_restore is not installed: install the PostgreSQL client tools of the server's "
                          "version (Debian: apt-get install postgresql-client)") from None
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore ({listing.stderr.strip()}). Nothing was changed.")
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\w+) ", listing.stdout, flags=re.MULTILINE))
    if not tables >= REGISTRY_TABLES:
        raise BackupError(f"{path} is a PostgreSQL backup but not of this registry (no space, visa_terms and "
                          "user_account tables). Nothing was changed.")


# --- SQLite -----------------------------------------------------------------------------------------------------

def _sqlite_file(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has no file to back up or restore")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path, progress: Progress, check_source: bool) -> None:
    """Copy *source* onto *target* page by page with SQLite's online backup (a consistent snapshot)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        if check_source:
            _check_sqlite_backup(src, source)
        dst = sqlite3.connect(target)
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                progress(f"copied {total - remaining:,} of {total:,} pages")

            src.backup(dst, pages=SQLITE_PAGES_PER_STEP, progress=step)
        finally:
            dst.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(f"{source}: {err}") from None
    finally:
        src.close()


def _check_sqlite_backup(con: sqlite3.Connection, path: Path) -> None:
    """A backup of this registry: sound, and with the registry's tables."""
    if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise BackupError(f"{path} is a damaged SQLite file. Nothing was changed.")
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables >= REGISTRY_TABLES:
        raise BackupError(f"{path} is an SQLite database but not a backup of this registry (no space, visa_terms "
                          "and user_account tables). Nothing was changed.")
