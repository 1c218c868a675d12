"""Backup and restore round trip on a large network, through the real commands.

    python -m bench.backup_probe [--spaces 100000] [--pg-url postgresql://postgres@127.0.0.1:5432/DB]

Builds the network (bench/network.py) in a fresh SQLite file and, with
--pg-url, in that PostgreSQL database (EMPTIED first: give it one of its own),
then times `flask --app wsgi visa backup FILE`, changes the registry, times
`visa restore FILE` and checks that every table holds exactly what it held at
the backup (a digest of every row, in primary-key order). Prints a table.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.__main__ import ROOT, migrate
from bench.network import build_network
from geodata import GAZETTEER_DB


def digests(url: str) -> dict[str, tuple[int, str]]:
    """Per table: row count and a digest of every row in primary-key order (the registry version left out)."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    result = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "registry_version":
                continue
            digest, count = hashlib.sha256(), 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(sa.select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            result[table.name] = (count, digest.hexdigest())
    engine.dispose()
    return result


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def visa(url: str, *args: str) -> tuple[float, float]:
    """Run `flask --app wsgi visa ARGS` against *url*: its wall time, and the operation's as the command reports it."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "visa", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    return wall, float(re.search(r"([0-9.]+) s\)?\.$", done.stdout.strip()).group(1))


def round_trip(name: str, url: str, spaces: int, folder: Path) -> tuple[str, str]:
    print(f"==> {name}: building {spaces:,} spaces", flush=True)
    migrate(url)
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    build_network(engine, str(GAZETTEER_DB), spaces, progress=lambda _m: None)
    engine.dispose()
    plain_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    before = digests(plain_url)
    backup_file = folder / f"{name.lower()}.backup"
    print(f"==> {name}: backup", flush=True)
    backup_wall, backup_s = visa(url, "backup", str(backup_file))
    engine = sa.create_engine(plain_url)
    with engine.begin() as conn:  # the registry moves on after the backup
        conn.execute(sa.text("DELETE FROM space WHERE id % 10 = 0"))
    engine.dispose()
    assert digests(plain_url) != before
    print(f"==> {name}: restore", flush=True)
    restore_wall, restore_s = visa(url, "restore", str(backup_file))
    after = digests(plain_url)
    same = after == before
    size_mb = backup_file.stat().st_size / 1e6
    rows = sum(count for count, _ in before.values())
    return (f"Backup + restore of {spaces:,} spaces, {name} (`visa backup`, `visa restore`)",
            f"backup {backup_s:.1f} s, restore {restore_s:.1f} s (commands end to end, with start-up: "
            f"{backup_wall:.1f} s, {restore_wall:.1f} s), file {size_mb:.1f} MB; {len(before)} tables, {rows:,} rows, "
            f"{'all identical after restore' if same else 'DIFFERENT after restore'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spaces", type=int, default=100_000)
    parser.add_argument("--pg-url", help="a PostgreSQL database of its own: it is emptied first")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="visa-backup-") as tmp:
        rows.append(round_trip("SQLite", f"sqlite:///{tmp}/bench.sqlite", args.spaces, Path(tmp)))
        if args.pg_url:
            empty_postgres(args.pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
            rows.append(round_trip("PostgreSQL", args.pg_url, args.spaces, Path(tmp)))
    print()
    print("| Measure | Result |")
    print("|---|---|")
    for measure, result in rows:
        print(f"| {measure} | {result} |")
    if any("DIFFERENT" in result for _, result in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
