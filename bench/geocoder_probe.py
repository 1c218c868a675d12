"""Run in a fresh process: offline geocoder cold start, resident memory and lookup times.

Prints one JSON line. Imports only the geocoder, as a worker's first lookup would.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

QUERIES = ["Lisbon", "Rua Augusta 12, 1100-053 Lisboa, Portugal", "München", "Köln", "São Paulo, Brasil",
           "Portland, Oregon", "Portland, Maine", "Edinburgh, Scotland", "Toronto, ON", "Nairobi", "Kyoto, Japan",
           "Berlin, Deutschland", "Paris, Frankreich", "Sydney, NSW", "Mexico City", "Buenos Aires, Argentina",
           "Cape Town", "Bengaluru", "Zürich", "Wien"]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    path = sys.argv[1]
    started = time.perf_counter()
    from visa.geocoding.offline import OfflineGeocoder

    geocoder = OfflineGeocoder(path)
    first = geocoder.geocode("Lisbon")
    cold = time.perf_counter() - started
    assert first is not None
    timings = []
    for _ in range(100):
        for query in QUERIES:
            t = time.perf_counter()
            geocoder.geocode(query)
            timings.append(time.perf_counter() - t)
    timings.sort()
    print(json.dumps({"cold_start_s": cold, "rss_mb": rss_mb(), "lookups": len(timings),
                      "p50_ms": statistics.median(timings) * 1000,
                      "p95_ms": timings[int(len(timings) * 0.95)] * 1000}))


if __name__ == "__main__":
    main()
