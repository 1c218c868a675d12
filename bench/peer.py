"""The bench's peer: the plain PostGIS app (bench/peer_app.py) on the same spaces, measured beside ours.

The peer's database is loaded from the bench's own SQLite registry, so both
answer over exactly the same points; queries are interleaved (ours, peer, ours,
...) so that the machine's noise falls on both alike.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench.servers import Server, percentile


class PeerUnavailable(RuntimeError):
    """PostgreSQL or PostGIS is missing: the peer's rows say so instead of a figure."""


@contextlib.contextmanager
def fresh_database(admin_url: str, name: str) -> Iterator[sa.URL]:
    """A new, empty PostgreSQL database *name* for the block, dropped after it; its URL.

    :raise PeerUnavailable: PostgreSQL does not answer at *admin_url*.
    """
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as err:
        admin.dispose()
        raise PeerUnavailable(f"PostgreSQL not reachable: {err.orig}") from err
    try:
        yield sa.engine.make_url(admin_url).set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def peer_database(admin_url: str, registry_url: str, name: str = "visa_bench_peer") -> Iterator[str]:
    """A fresh PostGIS database holding the registry's approved spaces; yields its psycopg URL."""
    with fresh_database(admin_url, name) as url:
        engine = sa.create_engine(url)
        try:
            _load(engine, registry_url)
            yield url.set(drivername="postgresql").render_as_string(hide_password=False)
        finally:
            engine.dispose()


def _load(engine: sa.Engine, registry_url: str) -> None:
    source = sa.create_engine(registry_url)
    with source.connect() as conn:
        rows = conn.execute(sa.text("SELECT slug, name, city, country_code, latitude, longitude FROM space "
                                    "WHERE status = 'approved'")).fetchall()
    source.dispose()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except Exception as err:  # psycopg raises its own error classes; any of them means no PostGIS
            raise PeerUnavailable(f"PostGIS not installed ({type(err).__name__})") from err
        cur.execute("CREATE TABLE peer_space (id serial primary key, slug text unique, name text, city text, "
                    "country_code text, lat float8, lon float8, geog geography(Point, 4326))")
        with cur.copy("COPY peer_space (slug, name, city, country_code, lat, lon) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row))
        cur.execute("UPDATE peer_space SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography")
        cur.execute("CREATE INDEX peer_space_geog ON peer_space USING gist (geog)")
        cur.execute("ANALYZE peer_space")
        raw.commit()
    finally:
        raw.close()


def slugs(body: bytes) -> list[str]:
    return [f["properties"]["slug"] for f in json.loads(body)["features"] if not f["properties"].get("cluster")]


def interleaved(ours: Server, peer: Server, queries: list[tuple[float, float]], radius_km: float) -> dict:
    """Each query to both apps in turn; timings of each and how many result sets are identical."""
    ours_s, peer_s, same, differing = [], [], 0, []
    for i, (lat, lon) in enumerate(queries):
        near = f"near={lat:.5f},{lon:.5f}&radius_km={radius_km:g}"
        calls = [(ours, f"/api/v1/spaces?{near}&limit=50", ours_s), (peer, f"/spaces?{near}", peer_s)]
        if i % 2:  # alternate who goes first, so neither always meets a warm cache
            calls.reverse()
        bodies = {}
        for server, path, timings in calls:
            elapsed, body = server.get(path)
            timings.append(elapsed)
            bodies[server] = body
        if set(slugs(bodies[ours])) == set(slugs(bodies[peer])):
            same += 1
        else:
            differing.append((lat, lon))
    return {"ours": ours_s, "peer": peer_s, "same": same, "queries": len(queries), "differing": differing}


def percentiles_ms(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    return statistics.median(values) * 1000, percentile(values, 0.95) * 1000, percentile(values, 0.99) * 1000


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk measured: requests per second, and the latency's median and 99th percentile in ms."""

    rate: float
    p50_ms: float
    p99_ms: float


def load(server: Server, paths: list[str], seconds: int = 10, connections: int = 8) -> Load:
    """wrk (2 threads, *connections* keep-alive connections) through *paths* in turn; any non-2xx answer is an error."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise PeerUnavailable("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                              server.base], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed requests under load:\n{out}")
    return Load(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), _latency_ms(out, "50%"),
                _latency_ms(out, "99%"))


def _latency_ms(wrk_output: str, share: str) -> float:
    value, unit = re.search(rf"^\s+{share}\s+([\d.]+)(us|ms|s)\s*$", wrk_output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def throughput(server: Server, paths: list[str], seconds: int = 10, connections: int = 8) -> float:
    """Requests per second that wrk (2 threads, *connections* connections) gets through *paths* in turn."""
    return load(server, paths, seconds, connections).rate
