"""`visa transfer` on a large network: SQLite to PostgreSQL, through the real command.

    python -m bench.transfer_probe [--spaces 100000] [--pg-admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Builds the network (bench/network.py) in a fresh, migrated SQLite file, creates
an empty PostgreSQL database of its own (dropped afterwards), times
`flask --app wsgi visa transfer --to URL` (copy, sequences and the row-by-row
check) and prints a table row.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

from bench.__main__ import ROOT, migrate
from bench.network import build_network
from geodata import GAZETTEER_DB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spaces", type=int, default=100_000)
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    admin_url = args.pg_admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"visa_transfer_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with tempfile.TemporaryDirectory(prefix="visa-transfer-") as tmp:
        source = f"sqlite:///{tmp}/bench.sqlite"
        print(f"==> building {args.spaces:,} spaces in SQLite", flush=True)
        migrate(source)
        engine = sa.create_engine(source)
        build_network(engine, str(GAZETTEER_DB), args.spaces, progress=lambda _m: None)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            target = sa.make_url(args.pg_admin_url).set(database=name).render_as_string(hide_password=False)
            print("==> visa transfer", flush=True)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "visa", "transfer", "--to", target],
                                  cwd=ROOT, env={**os.environ, "DATABASE_URL": source, "SECRET_KEY": "bench"},
                                  capture_output=True, text=True)
            wall = time.perf_counter() - started
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(done.stdout)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        sys.exit(1)
    copied = re.search(r"^copied in ([0-9.]+) s", done.stdout, flags=re.MULTILINE).group(1)
    rows = re.search(r"Transferred ([0-9,]+) rows in (\d+) tables", done.stdout)
    print("| Measure | Result |")
    print("|---|---|")
    print(f"| `visa transfer` of {args.spaces:,} spaces, SQLite to PostgreSQL | {wall:.1f} s end to end "
          f"(copy {copied} s, the rest the migrations and the row-by-row check); {rows.group(1)} rows in "
          f"{rows.group(2)} tables, all identical |")


if __name__ == "__main__":
    main()
