"""``python -m bench.pages [--size N]``: the pages and the search API under load, beside the peer and the Flask floor.

One run prints (and :func:`main` returns as rows for ``python -m bench``):

- the home page ``/``, a space page and ``/?q=Lisbon`` on the demo network:
  requests/s, p50 and p99 from wrk (2 threads, 16 connections, 10 s each)
  against gunicorn at 2 workers × 4 threads, as ``make run`` serves; and the
  CPU time of each request in one process, the figure a shared machine's load
  changes least;
- the search API on N spaces (100,000 by default) with 200 radius searches
  cycling, as ``python -m bench`` loads it; the PostGIS peer
  (bench/peer_app.py) on the same spaces; the bare-Flask floor
  (bench/floor_app.py), once with an empty answer and once answering the
  API's own recorded answers (what serving those bytes costs when making them
  costs nothing); all at the same gunicorn settings, in this run;
- the resident memory of a ``make run`` deployment (master plus workers,
  proportional set size) on the demo network and on N spaces, after its pages
  and searches were asked for.

``/?q=Lisbon`` geocodes on every request: it runs under a geocoding rate limit
that lets the bench through, with a lookup slot for each thread.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import sqlalchemy as sa

from bench import peer as peer_module
from bench.network import build_network
from bench.servers import ROOT, Server, print_rows
from geodata import GAZETTEER_DB

PG_ADMIN_URL = os.environ.get("VISA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PEER_GUNICORN = str(ROOT / "bench" / "peer_gunicorn.conf.py")
WORKERS, THREADS, CONNECTIONS = 2, 4, 16
#: A geocoding limit and lookup slots that let the bench's /?q=Lisbon through (production keeps its own).
BENCH_ENV = {"SECRET_KEY": "bench", "VISA_GEOCODE_LIMIT": "100000000 per minute",
             "VISA_GEOCODE_ADDRESS_LIMIT": "100000000 per minute", "VISA_GEOCODE_SLOTS": str(THREADS)}
TARGETS = {"/": (600, "≥ 600 req/s, p99 < 100 ms"), "space": (560, "≥ 560 req/s, p99 < 100 ms"),
           "/?q=Lisbon": (400, "≥ 400 req/s, p99 < 100 ms")}


def _flask(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "DATABASE_URL": url})


def _ours(url: str) -> Server:
    """The app as ``make run`` serves it: gunicorn.conf.py (preloaded, warmed up), 2 workers × 4 threads."""
    return Server("wsgi:app", {**BENCH_ENV, "DATABASE_URL": url}, WORKERS, THREADS, probe="/api/v1/openapi.json")


def _row(label: str, measured: peer_module.Load, target: str) -> tuple[str, str, str]:
    return (label, f"{measured.rate:,.0f} req/s, p50 {measured.p50_ms:.1f} ms, p99 {measured.p99_ms:.1f} ms", target)


#: Requests per page for the CPU figure: CPU time is what a shared machine's load changes least.
CPU_REQUESTS = 300


def cpu_per_request(url: str, paths: list[str]) -> dict[str, float]:
    """Each path's CPU time per request (ms), asked through Flask's test client in this process."""
    from visa.app import create_app
    from visa.startup import warm_up

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "VISA_GEOCODE_LIMIT": BENCH_ENV["VISA_GEOCODE_LIMIT"],
                      "VISA_GEOCODE_ADDRESS_LIMIT": BENCH_ENV["VISA_GEOCODE_ADDRESS_LIMIT"]})
    warm_up(app)
    client = app.test_client()
    found = {}
    for path in paths:
        for _ in range(20):
            client.get(path)
        started = time.process_time()
        for _ in range(CPU_REQUESTS):
            client.get(path)
        found[path] = (time.process_time() - started) / CPU_REQUESTS * 1000
    with app.app_context():
        from visa.extensions import db

        db.engine.dispose()
    return found


def page_rows(url: str, seconds: int) -> tuple[list[tuple[str, str, str]], float]:
    """Each page under load on *url*'s network, and the deployment's memory afterwards (MB)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        slug = conn.execute(sa.text("SELECT slug FROM space WHERE status = 'approved' ORDER BY id LIMIT 1")).scalar_one()
    engine.dispose()
    pages = {"/": "/", "space": f"/spaces/{slug}", "/?q=Lisbon": "/?q=Lisbon"}
    rows = [(f"Page {path}: CPU per request in one process (test client, {CPU_REQUESTS} requests)",
             f"{cpu_ms:.2f} ms", "-") for path, cpu_ms in cpu_per_request(url, list(pages.values())).items()]
    server = _ours(url)
    try:
        for path in pages.values():
            for _ in range(20):
                server.get(path)  # templates compiled, per-locale parts rendered, connections open
        for name, path in pages.items():
            print(f"==> {path}: wrk {CONNECTIONS} connections, {seconds} s", flush=True)
            measured = peer_module.load(server, [path], seconds, CONNECTIONS)
            rows.append(_row(f"Page {path}, {WORKERS} workers × {THREADS} threads, {CONNECTIONS} connections",
                             measured, TARGETS[name][1]))
        memory = server.pss_mb()
    finally:
        server.close()
    return rows, memory


def api_rows(url: str, paths: list[str], seconds: int) -> list[tuple[str, str, str]]:
    """The search API, the PostGIS peer and the Flask floor under the same load, one after the other."""
    print(f"==> Search API, peer and floor: wrk {CONNECTIONS} connections, {seconds} s each", flush=True)
    server = _ours(url)
    try:
        # Recorded first: the bench's own connection is kept alive only while it is used.
        answers = {p: server.get("/api/v1/spaces?" + p)[1].decode() for p in paths}
        ours = peer_module.load(server, ["/api/v1/spaces?" + p for p in paths], seconds, CONNECTIONS)
    finally:
        server.close()
    floor = _floor(paths, seconds)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as recorded:
        json.dump(answers, recorded)
        recorded.flush()
        same_bytes = _floor(paths, seconds, {"FLOOR_BODIES": recorded.name})
    mean_kb = sum(len(body) for body in answers.values()) / len(answers) / 1024
    rows = [_row("Search API, radius 25 km, 200 places cycling", ours, "≥ ×2 the peer"),
            _row("Flask floor (bench/floor_app.py: an empty FeatureCollection), same settings", floor, "reference"),
            _row(f"Flask floor answering the API's own answers (mean {mean_kb:.1f} KB), same settings", same_bytes,
                 "reference")]
    try:
        with peer_module.peer_database(PG_ADMIN_URL, url, f"visa_bench_peer_{os.getpid()}") as peer_url:
            peer_server = Server("bench.peer_app:app", {"PEER_DATABASE_URL": peer_url}, WORKERS, THREADS,
                                 probe="/spaces?near=0,0", config=PEER_GUNICORN)
            try:
                peer = peer_module.load(peer_server, ["/spaces?" + p for p in paths], seconds, CONNECTIONS)
            finally:
                peer_server.close()
    except peer_module.PeerUnavailable as err:
        rows.append(("PostGIS peer", f"not measured: {err}", "reference"))
        peer = None
    if peer is not None:
        rows.append(_row("PostGIS peer (bench/peer_app.py), same spaces and searches", peer, "reference"))
        rows.append(("Search API / peer", f"×{ours.rate / peer.rate:.2f}", "≥ ×2"))
    rows.append(("Search API / Flask floor", f"{ours.rate / floor.rate:.0%}", "-"))
    rows.append(("Search API / Flask floor answering its answers", f"{ours.rate / same_bytes.rate:.0%}", "-"))
    if peer is not None:
        rows.append(("Flask floor answering the API's answers / peer", f"×{same_bytes.rate / peer.rate:.2f}", "-"))
    return rows


def _floor(paths: list[str], seconds: int, env: dict[str, str] | None = None) -> peer_module.Load:
    """The bare-Flask floor (bench/floor_app.py) under the same load as the API."""
    server = Server("bench.floor_app:app", env or {}, WORKERS, THREADS, probe="/spaces", config=PEER_GUNICORN)
    try:
        return peer_module.load(server, ["/spaces?" + p for p in paths], seconds, CONNECTIONS)
    finally:
        server.close()


def measure(size: int, seconds: int) -> list[tuple[str, str, str]]:
    settings = f"{WORKERS} workers × {THREADS} threads"
    with tempfile.TemporaryDirectory(prefix="visa-bench-pages-") as tmp:
        demo = f"sqlite:///{tmp}/demo.sqlite"
        print(f"==> The demo network in {demo}", flush=True)
        _flask(demo, "db", "upgrade")
        _flask(demo, "visa", "seed-demo")
        rows, demo_memory = page_rows(demo, seconds)

        network = f"sqlite:///{tmp}/network.sqlite"
        print(f"==> A network of {size:,} spaces in {network}", flush=True)
        _flask(network, "db", "upgrade")
        engine = sa.create_engine(network)
        points = build_network(engine, str(GAZETTEER_DB), size, progress=lambda _line: None)
        engine.dispose()
        rng = random.Random(11)  # python -m bench's queries
        paths = [f"near={lat:.5f},{lon:.5f}&radius_km=25" for lat, lon in (rng.choice(points) for _ in range(200))]
        rows += api_rows(network, paths, seconds)

        print(f"==> Memory of a make run deployment on {size:,} spaces, after pages and searches", flush=True)
        server = _ours(network)
        try:
            for path in ["/", "/?q=Lisbon", "/spaces/bench-1"] + ["/api/v1/spaces?" + p for p in paths]:
                server.get(path)
            network_memory = server.pss_mb()
        finally:
            server.close()
    rows.append((f"Memory of a make run deployment ({settings}): master plus workers, proportional set size",
                 f"demo network {demo_memory:.0f} MB; {size:,} spaces {network_memory:.0f} MB", "-"))
    return rows


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="spaces in the API's network (100,000 by default)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time on each page and app")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = measure(args.size, args.seconds)
    print(f"\n(measured in {time.perf_counter() - started:.0f} s)")
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
