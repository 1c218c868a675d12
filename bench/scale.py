"""The bench's scale rows: start-up builds, radius search and world view at several network sizes.

``make bench`` shows 10,000 spaces and a million beside the main size (100,000
by default, ``make bench BENCH_ARGS="--size N"`` for another). Each size gets its own network, a fresh process for the
start-up figures (bench/scale_probe.py) and a gunicorn worker for the HTTP ones.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import sqlalchemy as sa

from bench.network import build_network
from bench.servers import ROOT, Server, percentile
from geodata import GAZETTEER_DB

#: The sizes shown beside the main one: every run shows 10,000, the main size (100,000) and a million.
EXTRA_SIZES = (10_000, 1_000_000)


def network(url: str, size: int, migrate: Callable[[str], None]) -> list[tuple[float, float]]:
    migrate(url)
    engine = sa.create_engine(url)
    try:
        return build_network(engine, str(GAZETTEER_DB), size, progress=lambda _m: None)
    finally:
        engine.dispose()


def size_rows(url: str, size: int, points: list[tuple[float, float]], serve: Callable[[str], Server],
              queries: int = 200) -> list[tuple[str, str, str]]:
    print(f"==> Scale: {size:,} spaces, start-up in a fresh process, then radius and world view over HTTP", flush=True)
    probe = subprocess.run([sys.executable, "-m", "bench.scale_probe", url], cwd=ROOT, capture_output=True, text=True,
                           check=True)
    built = json.loads(probe.stdout.strip().splitlines()[-1])
    rng = random.Random(size)
    started = time.perf_counter()
    server = serve(url)
    ready_s = time.perf_counter() - started
    try:
        sample = [rng.choice(points) for _ in range(queries)]
        for lat, lon in sample[:20]:
            server.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")
        radius = [server.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")[0] * 1000 for lat, lon in sample]
        world = [server.get("/api/v1/spaces?bbox=-180,-85,180,85&zoom=2") for _ in range(30)]
        rss = server.worker_rss_mb()
    finally:
        server.close()
    world_ms = [w[0] * 1000 for w in world]
    label = f"{size:,} spaces"
    return [
        (f"{label}: start-up (fresh process): spatial index build; clusters for every zoom; rule columns; Features",
         f"index {built['index_s']:.2f} s, clusters {built['clusters_s'] * 1000:.0f} ms, rule columns "
         f"{built['rules_s']:.2f} s (together +{built['index_mb']:.0f} MB); Features "
         + (f"{built['features_s']:.2f} s (+{built['features_mb']:.0f} MB)" if built["features_at_start"]
            else "encoded on first use") + f"; gunicorn ready in {ready_s:.1f} s",
         "index ≤ 3 s at 1,000,000"),
        (f"{label}: radius search 25 km, API end to end, 1 worker × 1 thread",
         f"p50 {statistics.median(radius):.1f} ms, p95 {percentile(radius, 0.95):.1f} ms ({len(radius)} queries)",
         "p95 ≤ 10 ms at 1,000,000"),
        (f"{label}: world view, zoom 2",
         f"p50 {statistics.median(world_ms):.1f} ms, p95 {percentile(world_ms, 0.95):.1f} ms, "
         f"{len(world[0][1]) / 1024:.1f} KB", "≤ 60 ms, ≤ 150 KB"),
        (f"{label}: worker resident memory (app base {built['base_mb']:.0f} MB)", f"{rss:.0f} MB",
         "≤ base + 100 MB"),
    ]
