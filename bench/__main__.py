"""``python -m bench``: build 100,000 spaces, measure the API and the geocoder, compare with PostGIS.

Figures are printed as a Markdown table; nothing is asserted. The API is
measured end to end over HTTP against gunicorn (one worker) on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import sqlalchemy as sa

from bench.network import build_network
from geodata import GAZETTEER_DB

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("VISA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


class Api:
    def __init__(self, url: str, instance: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--threads", "1", "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.get("/api/v1/openapi.json")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
        return elapsed, body

    def worker_rss_mb(self) -> float:
        children = psutil.Process(self.proc.pid).children()
        return max((c.memory_info().rss for c in children), default=0) / 2**20

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def postgis_reference(points: list[tuple[float, float]], queries: list[tuple[float, float]], radius_km: float) -> dict:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = "visa_bench_postgis"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as err:
        return {"error": f"PostgreSQL not reachable: {err.orig}"}
    engine = sa.create_engine(sa.engine.make_url(PG_ADMIN_URL).set(database=name))
    try:
        with engine.begin() as conn:
            try:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            except sa.exc.SQLAlchemyError as err:
                return {"error": f"PostGIS not installed ({type(err).__name__})"}
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("CREATE TABLE pts (id int primary key, lat float8, lon float8, geog geography(Point, 4326))")
            with cur.copy("COPY pts (id, lat, lon) FROM STDIN") as copy:
                for i, (lat, lon) in enumerate(points, start=1):
                    copy.write_row((i, lat, lon))
            cur.execute("UPDATE pts SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography")
            cur.execute("CREATE INDEX pts_geog ON pts USING gist (geog)")
            cur.execute("ANALYZE pts")
            raw.commit()
            sql = ("SELECT id, ST_Distance(geog, q) AS d FROM pts, "
                   "(SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS q) AS p "
                   "WHERE ST_DWithin(geog, q, %s) ORDER BY d LIMIT 50")
            for lat, lon in queries[:20]:
                cur.execute(sql, (lon, lat, radius_km * 1000))
                cur.fetchall()
            timings = []
            for lat, lon in queries:
                t = time.perf_counter()
                cur.execute(sql, (lon, lat, radius_km * 1000))
                cur.fetchall()
                timings.append(time.perf_counter() - t)
            return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95)}
        finally:
            raw.close()
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def geocoder_rows() -> list[tuple[str, str, str]]:
    """The offline geocoder, measured in a fresh process (bench/geocoder_probe.py)."""
    print("==> Offline geocoder in a fresh process: times, nonsense, the real-address corpus", flush=True)
    probe = subprocess.run([sys.executable, "-m", "bench.geocoder_probe", str(GAZETTEER_DB)], cwd=ROOT,
                           capture_output=True, text=True, check=True)
    geo = json.loads(probe.stdout)
    corpus, naive, holdout = geo["corpus"], geo["naive"], geo["holdout"]

    def share(score: dict) -> str:
        return (f"{score['within_10km']:.1%} within 10 km, {score['within_25km']:.1%} within 25 km, "
                f"median error {score['median_km']:.1f} km")

    return [
        ("Offline geocoder cold start (import + open + first answer)", f"{geo['cold_start_s']:.2f} s", "≤ 1.5 s"),
        ("Offline geocoder resident memory", f"{geo['rss_mb']:.0f} MB", "≤ 80 MB"),
        ("Offline geocoder lookup", f"p50 {geo['p50_ms']:.3f} ms, p95 {geo['p95_ms']:.3f} ms "
         f"({geo['lookups']} lookups)", "p50 ≤ 0.5 ms"),
        (f"Geocoding accuracy, {corpus['rows']} real addresses (tests/data/geocoder-corpus.csv)", share(corpus),
         "≥ 97% within 25 km"),
        (f"… of which {holdout['rows']} held out (written after the fixes)", share(holdout), "-"),
        ("Naive baseline on the same corpus (the city's name alone, first gazetteer match)", share(naive), "-"),
        ("Nonsense query, CPU per query", f"200 characters: {geo['nonsense_cpu_ms']['200']:.1f} ms; "
         f"300 characters (refused): {geo['nonsense_cpu_ms']['300']:.2f} ms", "bounded"),
    ]


def print_table(title: str, rows: list[tuple[str, str, str]]) -> None:
    print()
    print(title)
    print()
    print("| Measure | Result | Target |")
    print("|---|---|---|")
    for measure, result, target in rows:
        print(f"| {measure} | {result} | {target} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spaces", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--geocoder-only", action="store_true", help="only the offline geocoder's rows")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.geocoder_only:
        print_table(f"Bench {datetime.date.today().isoformat()} · {machine}, offline geocoder", geocoder_rows())
        return

    with tempfile.TemporaryDirectory(prefix="visa-bench-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        print(f"==> Building a network of {args.spaces:,} spaces in {url}", flush=True)
        migrate(url)
        started = time.perf_counter()
        engine = sa.create_engine(url)
        points = build_network(engine, str(GAZETTEER_DB), args.spaces,
                               progress=lambda m: print(m, flush=True) if "00,000" in m or "0,000/" in m else None)
        engine.dispose()
        print(f"    built in {time.perf_counter() - started:.1f} s", flush=True)

        rng = random.Random(11)
        queries = [rng.choice(points) for _ in range(args.queries)]
        print("==> Starting gunicorn (1 worker, 1 thread) and warming up", flush=True)
        api = Api(url, Path(tmp))
        try:
            t0 = time.perf_counter()
            api.get("/api/v1/spaces?near=38.72,-9.14&radius_km=25")
            first_request = time.perf_counter() - t0
            for lat, lon in queries[:20]:
                api.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")

            print(f"==> {args.queries} radius searches (25 km) through the API", flush=True)
            timings, counts = [], []
            for lat, lon in queries:
                elapsed, body = api.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")
                timings.append(elapsed)
                counts.append(json.loads(body)["total"])
            ours_p50, ours_p95 = statistics.median(timings), percentile(timings, 0.95)
            rows.append(("Radius search 25 km, API end to end (HTTP)",
                         f"p50 {ours_p50 * 1000:.1f} ms, p95 {ours_p95 * 1000:.1f} ms "
                         f"(median {statistics.median(counts):.0f} matches, 50 returned at most)", "p95 ≤ 25 ms"))

            print(f"==> {args.queries} radius searches (25 km) filtered by honors=HOME, 100 different homes", flush=True)
            homes = [f"bench-{rng.randint(1, args.spaces)}" for _ in range(100)]
            honors_timings = []
            for i, (lat, lon) in enumerate(queries):
                elapsed, _ = api.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25&honors={homes[i % 100]}")
                honors_timings.append(elapsed)
            rows.append(("Radius search 25 km with honors=HOME, API end to end",
                         f"p50 {statistics.median(honors_timings) * 1000:.1f} ms, "
                         f"p95 {percentile(honors_timings, 0.95) * 1000:.1f} ms (each home's first query computes "
                         "its filter over the whole network)", "p95 ≤ 40 ms"))

            print("==> World view (bbox whole world, zoom 2)", flush=True)
            world = [api.get("/api/v1/spaces?bbox=-180,-85,180,85&zoom=2") for _ in range(30)]
            size = len(world[0][1])
            features = len(json.loads(world[0][1])["features"])
            world_ms = [w[0] * 1000 for w in world]
            rows.append(("World view response, zoom 2",
                         f"p50 {statistics.median(world_ms):.1f} ms, p95 {percentile(world_ms, 0.95):.1f} ms, "
                         f"{size / 1024:.1f} KB, {features} features", "≤ 60 ms, ≤ 150 KB"))
            europe = [api.get("/api/v1/spaces?bbox=-12,35,30,60&zoom=5") for _ in range(30)]
            europe_ms = statistics.median([e[0] for e in europe]) * 1000
            rows.append(("Europe view response, zoom 5", f"p50 {europe_ms:.1f} ms, {len(europe[0][1]) / 1024:.1f} KB", "-"))
            rows.append(("First request of a worker (builds the spatial index)", f"{first_request * 1000:.0f} ms", "-"))
            rows.append(("API worker resident memory after the runs", f"{api.worker_rss_mb():.0f} MB", "-"))
        finally:
            api.close()

        rows.extend(geocoder_rows())

        print("==> Import of a 10,000-row legacy CSV with offline geocoding (fresh process)", flush=True)
        probe = subprocess.run([sys.executable, "-m", "bench.import_probe", "10000"], cwd=ROOT, capture_output=True,
                               text=True, check=True)
        imp = json.loads(probe.stdout.strip().splitlines()[-1])
        rows.append(("Import 10,000 legacy CSV rows (a third geocoded offline), SQLite",
                     f"{imp['rows_per_s']:.0f} rows/s ({imp['seconds']:.1f} s; {imp['created']} created, "
                     f"{imp['duplicates']} duplicates, {imp['rejected']} rejected, {imp['flagged']} flagged); "
                     f"peak RSS {imp['peak_rss_mb']:.0f} MB, +{imp['rss_growth_mb']:.0f} MB during the import",
                     "≥ 1,000 rows/s"))

        print("==> PostGIS reference: ST_DWithin on geography with a GiST index, same points and queries", flush=True)
        ref = postgis_reference(points, queries, 25)
        if "error" in ref:
            rows.append(("PostGIS reference", ref["error"], "-"))
        else:
            rows.append(("PostGIS ST_DWithin 25 km (SQL only, same 100k points)",
                         f"p50 {ref['p50'] * 1000:.1f} ms, p95 {ref['p95'] * 1000:.1f} ms", "reference"))
            rows.append(("Ratio API end to end / PostGIS SQL",
                         f"p50 ×{ours_p50 / ref['p50']:.2f}, p95 ×{ours_p95 / ref['p95']:.2f}", "-"))

    print_table(f"Bench {datetime.date.today().isoformat()} · {machine}, {args.spaces:,} spaces, SQLite", rows)


if __name__ == "__main__":
    main()
