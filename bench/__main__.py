"""``python -m bench [--size N]``: build N spaces (100,000 by default), measure the API and the geocoder, compare with PostGIS.

Figures are printed as a Markdown table; nothing is asserted. The API is
measured end to end over HTTP against gunicorn (one worker) on 127.0.0.1.
The scale rows (bench/scale.py) add 10,000 and 1,000,000 spaces beside N, so one
run prints every size the targets name.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import badge as badge_bench
from bench import campaigns as campaigns_bench
from bench import impact as impact_bench
from bench import pages as pages_bench
from bench import passes as passes_bench
from bench import peer as peer_module
from bench import photos as photos_bench
from bench import scale, slow_network, wire
from bench import starvation as starvation_bench
from bench import survey as survey_bench
from bench.network import build_network
from bench.servers import ROOT, Server, percentile
from geodata import GAZETTEER_DB

RESULTS = ROOT / "bench" / "results"
PEER_GUNICORN = ROOT / "bench" / "peer_gunicorn.conf.py"
PG_ADMIN_URL = os.environ.get("VISA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def ours(url: str, workers: int = 1, threads: int = 1, access_log: Path | None = None) -> Server:
    return Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench"}, workers, threads,
                  probe="/api/v1/openapi.json", access_log=access_log)


def peer_server(url: str, workers: int = 1, threads: int = 1, access_log: Path | None = None) -> Server:
    # The server settings of gunicorn.conf.py (reuse_port balances connections across workers), not
    # its start-up hooks, which warm up our app.
    return Server("bench.peer_app:app", {"PEER_DATABASE_URL": url}, workers, threads, probe="/spaces?near=0,0",
                  config=str(PEER_GUNICORN), access_log=access_log)


def compare_with_peer(url: str, peer_url: str, queries: list[tuple[float, float]], rows: list) -> None:
    """Interleaved radius searches at 1 worker × 1 thread, then throughput at 2 workers × 4 threads."""
    print(f"==> {len(queries)} radius searches (25 km), ours and the PostGIS peer interleaved, 1 worker × 1 thread",
          flush=True)
    api, peer = ours(url), peer_server(peer_url)
    try:
        for lat, lon in queries[:20]:
            api.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")
            peer.get(f"/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")
        result = peer_module.interleaved(api, peer, queries, 25)
        peer_rss = peer.worker_rss_mb()
    finally:
        api.close()
        peer.close()
    o50, o95, o99 = peer_module.percentiles_ms(result["ours"])
    p50, p95, p99 = peer_module.percentiles_ms(result["peer"])
    rows.append(("Radius search 25 km, ours, API end to end (HTTP), interleaved with the peer",
                 f"p50 {o50:.1f} ms, p95 {o95:.1f} ms, p99 {o99:.1f} ms", "p50, p95 ≤ peer's"))
    rows.append(("Radius search 25 km, peer (Flask + psycopg + PostGIS ST_DWithin, GiST on geography)",
                 f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms", "reference"))
    rows.append(("Ratio ours / peer, radius search", f"p50 ×{o50 / p50:.2f}, p95 ×{o95 / p95:.2f}, p99 ×{o99 / p99:.2f}",
                 "≤ ×1 (goal ×0.5)"))
    rows.append(("Identical result sets, ours and the peer", f"{result['same']} of {result['queries']} queries",
                 "all"))
    rows.append(("Peer worker resident memory", f"{peer_rss:.0f} MB", "-"))

    print("==> Throughput, 2 workers × 4 threads each, wrk 2 threads × 8 connections, 10 s per round", flush=True)
    paths = [f"near={lat:.5f},{lon:.5f}&radius_km=25" for lat, lon in queries[:200]]
    rates: dict[str, list[float]] = {"ours": [], "peer": []}
    shares: dict[str, list[str]] = {"ours": [], "peer": []}
    memory: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(2):
            for who in ("ours", "peer"):
                log = Path(tmp) / f"{who}-{round_}.log"
                server = ours(url, 2, 4, log) if who == "ours" else peer_server(peer_url, 2, 4, log)
                try:
                    prefix = "/api/v1/spaces?" if who == "ours" else "/spaces?"
                    rates[who].append(peer_module.throughput(server, [prefix + p for p in paths]))
                    if who == "ours":
                        memory.extend(server.worker_memory_mb())
                finally:
                    server.close()
                counts = server.requests_per_worker()
                shares[who].append("/".join(f"{100 * n / sum(counts):.0f}" for n in counts) if counts else "?")
    ours_rate, peer_rate = statistics.mean(rates["ours"]), statistics.mean(rates["peer"])
    rows.append(("Throughput, radius search, 2 workers × 4 threads",
                 f"ours {ours_rate:.0f} req/s, peer {peer_rate:.0f} req/s, ratio ×{ours_rate / peer_rate:.2f} "
                 f"(mean of 2 rounds: ours {', '.join(f'{r:.0f}' for r in rates['ours'])}; "
                 f"peer {', '.join(f'{r:.0f}' for r in rates['peer'])})", "≥ ×1 (goal ×2)"))
    rows.append(("Requests answered by each of the 2 workers, % per round (balance)",
                 f"ours {', '.join(shares['ours'])}; peer {', '.join(shares['peer'])}", "50/50"))
    rows.append(("Our workers' memory after a throughput round: resident; own (USS, not shared with the master)",
                 ", ".join(f"{rss:.0f} MB; {uss:.0f} MB" for rss, uss in memory), "-"))
    rows.append(worker_sweep(url, ["/api/v1/spaces?" + p for p in paths]))


#: Workers × threads tried on this machine, for the settings gunicorn.conf.py recommends.
SWEEP = ((1, 1), (1, 4), (2, 1), (2, 4), (2, 8), (3, 4))


def worker_sweep(url: str, paths: list[str]) -> tuple[str, str, str]:
    """Our throughput at several workers × threads (one 5 s round each): what the recommendation rests on."""
    print(f"==> Throughput by workers × threads: {', '.join(f'{w}×{t}' for w, t in SWEEP)}, 5 s each", flush=True)
    found = []
    for workers, threads in SWEEP:
        server = ours(url, workers, threads)
        try:
            found.append(f"{workers}×{threads} {peer_module.throughput(server, paths, seconds=5):.0f}")
        finally:
            server.close()
    return (f"Throughput by workers × threads, ours, {os.cpu_count()} cores, req/s", ", ".join(found),
            "the settings in gunicorn.conf.py")


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


def print_table(title: str, rows: list[tuple[str, str, str]], kept_name: str) -> None:
    """Print the Markdown table and keep the bench's own output in bench/results/KEPT_NAME."""
    table = [title, "", "| Measure | Result | Target |", "|---|---|---|"]
    table += [f"| {measure} | {result} | {target} |" for measure, result, target in rows]
    print()
    print("\n".join(table))
    # Kept, so that figures quoted in the README and in notes can be checked against the bench's own words.
    RESULTS.mkdir(exist_ok=True)
    kept = RESULTS / kept_name
    kept.write_text("\n".join(table) + "\n")
    print(f"\n(kept in {kept.relative_to(ROOT)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", "--spaces", dest="spaces", type=int, default=100_000,
                        help="spaces in the main network, the one compared with the peer (100,000 by default)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--visits", type=int, default=1_000_000, help="visits on record for the impact rows")
    parser.add_argument("--geocoder-only", action="store_true", help="only the offline geocoder's rows")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.geocoder_only:
        print_table(f"Bench {datetime.date.today().isoformat()} · {machine}, offline geocoder", geocoder_rows(),
                    f"{datetime.date.today().isoformat()}-geocoder.md")
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
        api = ours(url)
        try:
            t0 = time.perf_counter()
            api.get("/api/v1/spaces?near=38.72,-9.14&radius_km=25")
            first_request = time.perf_counter() - t0
            for lat, lon in queries[:20]:
                api.get(f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25")

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
            for label, view in (("world, zoom 2", "bbox=-180,-85,180,85&zoom=2"),
                                ("city (Lisbon), zoom 12", "bbox=-9.30,38.60,-9.00,38.85&zoom=12")):
                answers = [api.get(f"/geodata/labels?{view}") for _ in range(50)]
                label_ms = [a[0] * 1000 for a in answers]
                rows.append((f"Basemap place names, {label}",
                             f"p50 {statistics.median(label_ms):.1f} ms, p95 {percentile(label_ms, 0.95):.1f} ms, "
                             f"{len(answers[0][1]) / 1024:.1f} KB, {len(json.loads(answers[0][1])['labels'])} names",
                             "a few KB"))
            rows.append(("First request of a worker (index and Features built before the fork)",
                         f"{first_request * 1000:.0f} ms", "-"))
            rows.append(("API worker resident memory after the runs", f"{api.worker_rss_mb():.0f} MB", "-"))
            rows.extend(wire.wire_rows("127.0.0.1", api.port))
        finally:
            api.close()

        print("==> The peer: the plain Flask + psycopg + PostGIS app on the same spaces", flush=True)
        try:
            with peer_module.peer_database(PG_ADMIN_URL, url) as peer_url:
                compare_with_peer(url, peer_url, queries, rows)
        except peer_module.PeerUnavailable as err:
            rows.append(("Peer (plain PostGIS app)", f"not measured: {err}", "-"))

        for size in (s for s in scale.EXTRA_SIZES if s != args.spaces):
            extra_url = f"sqlite:///{tmp}/scale-{size}.sqlite"
            rows.extend(scale.size_rows(extra_url, size, scale.network(extra_url, size, migrate), ours))
        rows.extend(scale.size_rows(url, args.spaces, points, ours))

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

        print("==> Import of a clean list of 20,000 real GeoNames towns plus 400 spoiled rows (fresh process)",
              flush=True)
        probe = subprocess.run([sys.executable, "-m", "bench.clean_list", "20000", "400"], cwd=ROOT,
                               capture_output=True, text=True, check=True)
        fair = json.loads(probe.stdout.strip().splitlines()[-1])
        rows.append(("Import of 20,000 clean GeoNames towns (population ≥ 15,000) + 400 spoiled rows",
                     f"{fair['created']} created, {fair['flagged']} flagged, {fair['rejected']} rejected, "
                     f"{fair['duplicates']} skipped as duplicates, {fair['possible_duplicates']} possible duplicates "
                     f"kept; clean rows flagged {fair['clean_flagged']}, rejected {fair['clean_rejected']}, skipped "
                     f"{fair['clean_skipped']}; spoiled rows caught {fair['spoiled_caught']}/{fair['spoiled_rows']}",
                     "clean flagged ≤ 0.1%, none rejected or skipped; every spoiled row caught"))

        print("==> Visa passes: signatures checked per second", flush=True)
        rows.extend(passes_bench.main())
        print(f"==> Impact data with {args.visits:,} visits on record", flush=True)
        rows.extend(impact_bench.main(["--visits", str(args.visits)]))
        print("==> Outreach: a campaign of 10,000 listings queued and rendered, the answer page's latency", flush=True)
        rows.extend(campaigns_bench.main(["--spaces", "10000"]))
        print("==> The badge: drawn per request from the listing, each shape's latency", flush=True)
        rows.extend(badge_bench.main())
        print("==> Fair shares: the map API under a geocoding flood; a host's save during a 10,000-row import",
              flush=True)
        rows.extend(starvation_bench.main([]))
        print("==> Photos: one 12-megapixel upload processed", flush=True)
        rows.extend(photos_bench.main([]))
        print("==> Members' survey: the network's figures from 100,000 answers", flush=True)
        rows.extend(survey_bench.main(["--answers", "100000"]))
        print("==> A search on a slow network: Chromium throttled through CDP (400 kbps, 400 ms), the demo network",
              flush=True)
        rows.extend(slow_network.main([]))
        print("==> Pages and the search API under load, beside the peer and the Flask floor; memory", flush=True)
        rows.extend(pages_bench.main(["--size", str(args.spaces)]))

    print_table(f"Bench {datetime.date.today().isoformat()} · {machine}, {args.spaces:,} spaces, SQLite", rows,
                f"{datetime.date.today().isoformat()}-{args.spaces}.md")


if __name__ == "__main__":
    main()
