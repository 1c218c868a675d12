"""``python -m bench.impact``: load visits in bulk, then time the network impact page and the open export.

The visits go in as fast as the database takes them (COPY on PostgreSQL, one
executemany per chunk on SQLite), bypassing the ORM; the monthly rollups are
then rebuilt once, as `visa impact-rebuild` does after a restore. The pages are
timed end to end over HTTP against gunicorn (one worker) on 127.0.0.1.

Defaults keep the run short on a shared machine (100,000 visits); the issue's
figure is ``--visits 1000000`` (README, "Impact data: performance").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bench.network import fresh_network
from bench.servers import Server, percentile

#: Visits per member over the year (five stays of a day, a member's usual share of the visa's free days).
VISITS_PER_MEMBER = 5
CHUNK = 50_000


def _bulk(engine: sa.Engine, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    """Insert *rows* into *table* by COPY (PostgreSQL) or executemany in chunks (SQLite); the count."""
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            chunk: list[tuple] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == CHUNK:
                    cursor.executemany(statement, chunk)
                    count += len(chunk)
                    chunk = []
            cursor.executemany(statement, chunk)
            count += len(chunk)
        raw.commit()
    finally:
        raw.close()
    return count


def _stamp(moment: datetime, sqlite: bool):
    # SQLAlchemy keeps SQLite datetimes as naive ISO text; PostgreSQL's COPY takes the object itself.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment


def load_visits(engine: sa.Engine, spaces: int, visits: int, seed: int = 5,
                progress: Callable[[str], None] = print) -> dict[str, float]:
    """Passes, requests and *visits* visits over the last 365 days among spaces 1..*spaces*; seconds taken."""
    rng = random.Random(seed)
    sqlite = engine.dialect.name == "sqlite"
    today = datetime.now(UTC).date()
    now = datetime.now(UTC)
    with engine.connect() as conn:
        countries = dict(conn.execute(sa.text("SELECT id, country_code FROM space")).all())
    members = max(1, visits // VISITS_PER_MEMBER)
    # Members come from a third of the spaces, busy ones more often (real networks have a few big senders).
    homes = [rng.randint(1, spaces) for _ in range(max(1, spaces // 3))]
    member_home = [homes[min(len(homes) - 1, int(rng.paretovariate(1.2)) - 1)] for _ in range(members)]
    hosts_by_member = [[rng.randint(1, spaces) for _ in range(2)] for _ in range(members)]
    timings = {}

    started = time.perf_counter()
    day = date.isoformat if sqlite else (lambda d: d)
    passes = ((f"bench{m:07d}", member_home[m], f"Bench Member {m}", f"member{m}@bench.example",
               day(today - timedelta(days=400)), day(today + timedelta(days=30)), "active", _stamp(now, sqlite),
               f"{m:064x}", "", "") for m in range(members))
    _bulk(engine, "visa_pass", ["id", "home_space_id", "member_name", "member_email", "valid_from", "valid_to",
                                "status", "created_at", "access_hash", "revoke_reason", "message"], passes)
    progress(f"  {members:,} passes")

    def visit_rows() -> Iterator[tuple]:
        for i in range(visits):
            m = i % members
            stay = i // members  # each member's stays fall in separate 73-day windows: no day twice
            when = today - timedelta(days=stay % VISITS_PER_MEMBER * 73 + rng.randint(0, 72))
            host = hosts_by_member[m][stay % 2]
            yield (day(when), host, member_home[m], countries[member_home[m]], f"bench{m:07d}",
                   _stamp(datetime.combine(when, datetime.min.time(), UTC), sqlite))

    count = _bulk(engine, "visit", ["visit_date", "host_space_id", "home_space_id", "member_country", "pass_id",
                                    "checked_in_at"], visit_rows())
    timings["visits_s"] = time.perf_counter() - started
    progress(f"  {count:,} visits in {timings['visits_s']:.1f} s")

    started = time.perf_counter()
    statuses = ["checked_in"] * 7 + ["declined", "pending", "cancelled"]

    def request_rows() -> Iterator[tuple]:
        for r in range(members * 2):
            m = r % members
            asked = now - timedelta(days=rng.randint(0, 364), seconds=rng.randint(0, 86399))
            status = rng.choice(statuses)
            answered = asked + timedelta(hours=rng.randint(1, 96)) if status in ("checked_in", "declined") else None
            first = (asked + timedelta(days=7)).date()
            yield (f"bench{m:07d}", hosts_by_member[m][r // members % 2], member_home[m], countries[member_home[m]],
                   day(first), day(first + timedelta(days=1)), "", status, "", _stamp(asked, sqlite),
                   _stamp(answered, sqlite) if answered else None)

    count = _bulk(engine, "visit_request", ["pass_id", "host_space_id", "home_space_id", "member_country",
                                            "first_day", "last_day", "message", "status", "decline_reason",
                                            "created_at", "answered_at"], request_rows())
    timings["requests_s"] = time.perf_counter() - started
    progress(f"  {count:,} requests in {timings['requests_s']:.1f} s")

    from visa.impact.rollup import rebuild

    started = time.perf_counter()
    with engine.begin() as conn:
        rebuild(conn)
    timings["rollup_s"] = time.perf_counter() - started
    progress(f"  rollups rebuilt in {timings['rollup_s']:.1f} s")
    return timings


def time_pages(url: str, rounds: int) -> list[tuple[str, str, str]]:
    from visa.impact.cache import bump

    # Max age 0: every new version is recomputed, so the last row measures the real recomputation.
    server = Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench", "VISA_IMPACT_MAX_AGE": "0"},
                    probe="/impact")
    rows = []
    try:
        for path, label in (("/impact", "Network impact page (12 months, charts and corridor map)"),
                            ("/impact/open-data.csv", "Open data export, CSV (every month, suppressed)"),
                            ("/impact/open-data.json", "Open data export, JSON")):
            for _ in range(5):
                server.get(path)  # warm-up: templates compiled, outlines simplified
            timings = [server.get(path)[0] for _ in range(rounds)]
            rows.append((f"{label}, end to end (HTTP)",
                         f"p50 {statistics.median(timings) * 1000:.1f} ms, p95 {percentile(timings, 0.95) * 1000:.1f} ms",
                         "p95 ≤ 200 ms"))
        # The worst case: the first request after a check-in recomputes the figures from the rollups.
        engine = sa.create_engine(url)
        timings = []
        for _ in range(max(5, rounds // 10)):
            with engine.begin() as conn:
                bump(conn)
            timings.append(server.get("/impact")[0])
        engine.dispose()
        rows.append(("Network impact page, first request after a check-in (figures recomputed from the rollups)",
                     f"p50 {statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms", "-"))
    finally:
        server.close()
    return rows


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--spaces", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("VISA_BENCH_IMPACT_URL"),
                        help="an empty PostgreSQL database to fill (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="visa-bench-impact-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/impact.sqlite"
        print(f"==> Impact data: {args.spaces:,} spaces, {args.visits:,} visits in {url}", flush=True)
        engine = fresh_network(url, args.spaces)
        load = load_visits(engine, args.spaces, args.visits, progress=lambda m: print(m, flush=True))
        engine.dispose()
        rows = [(f"Bulk load of {args.visits:,} visits ({engine.dialect.name})",
                 f"{args.visits / load['visits_s']:,.0f} visits/s ({load['visits_s']:.1f} s); rollups rebuilt "
                 f"in {load['rollup_s']:.1f} s", "-")]
        rows += time_pages(url, args.rounds)
    print("\n| Figure | Result | Target |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    return rows


if __name__ == "__main__":
    main()
