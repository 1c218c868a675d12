"""``python -m bench.badge``: the badge's latency, drawn per request, end to end over HTTP.

Builds a network of spaces in a temporary SQLite file, starts gunicorn (one worker,
one thread) on 127.0.0.1 and asks for the badges of spaces chosen at random, in each shape, as a browser
showing a host's site would: then the same badges with the ETag they were sent with (the 304 a cache
revalidating after five minutes gets). :func:`main` prints a Markdown table and returns its rows
(figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time

import sqlalchemy as sa

from bench.network import fresh_network
from bench.servers import Server, percentile

SHAPES = ("wide", "square", "card")


def _ms(timings: list[float]) -> str:
    return f"p50 {statistics.median(timings) * 1000:.1f} ms, p95 {percentile(timings, 0.95) * 1000:.1f} ms"


def _revalidated(server: Server, path: str, etag: str) -> float:
    """Seconds for a conditional request that the badge answers 304 Not Modified."""
    started = time.perf_counter()
    server.conn.request("GET", path, headers={"If-None-Match": etag})
    response = server.conn.getresponse()
    response.read()
    if response.status != 304:
        raise RuntimeError(f"{path}: {response.status} instead of 304")
    return time.perf_counter() - started


def time_badges(url: str, slugs: list[str], rounds: int, seed: int = 7) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    server = Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench"}, probe="/we-are-coworking.svg")
    rows = []
    try:
        everything: list[float] = []
        for shape in SHAPES:
            for slug in slugs[:10]:  # warm-up: templates compiled, the first rows read
                server.get(f"/spaces/{slug}/badge.svg?shape={shape}")
            paths = [f"/spaces/{rng.choice(slugs)}/badge.svg?shape={shape}&lang={lang}"
                     for lang in rng.choices(("en", "de", "pt-BR"), k=rounds)]
            timings = [server.get(path)[0] for path in paths]
            everything += timings
            rows.append((f"Badge, {shape}, drawn from the listing per request, a new listing each time, end to end "
                         "(HTTP)", _ms(timings), "-"))
            if shape == "card":  # the same badges again: each listing's QR code is kept by the process
                again = [server.get(path)[0] for path in paths]
                rows.append(("Badge, card, the same listings again (QR codes kept), end to end (HTTP)", _ms(again),
                             "-"))
        rows.append(("Badge, all shapes together, end to end (HTTP)", _ms(everything), "-"))
        path = f"/spaces/{slugs[0]}/badge.svg?shape=card"
        server.conn.request("GET", path)
        response = server.conn.getresponse()
        response.read()
        etag = response.getheader("ETag")
        timings = [_revalidated(server, path, etag) for _ in range(rounds)]
        rows.append(("Badge revalidated with its ETag (304 Not Modified), end to end (HTTP)", _ms(timings), "-"))
    finally:
        server.close()
    return rows


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=300, help="badges asked for in each shape")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="visa-bench-badge-") as tmp:
        url = f"sqlite:///{tmp}/badge.sqlite"
        print(f"==> Badges: {args.spaces:,} spaces in {url}", flush=True)
        engine = fresh_network(url, args.spaces)
        with engine.connect() as conn:
            slugs = list(conn.scalars(sa.text("SELECT slug FROM space")))
        engine.dispose()
        rows = time_badges(url, slugs, args.rounds)
    print("\n| Figure | Result | Target |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    return rows


if __name__ == "__main__":
    main()
