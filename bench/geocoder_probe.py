"""Run in a fresh process: offline geocoder cold start, resident memory, lookup times,
the cost of nonsense, and accuracy on the real-address corpus next to the naive baseline.

Prints one JSON line. Imports only the geocoder, as a worker's first lookup would
(the corpus scoring comes last, so it does not warm anything measured before it).
"""

from __future__ import annotations

import contextlib
import json
import random
import statistics
import string
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
    rss = rss_mb()
    print(json.dumps({"cold_start_s": cold, "rss_mb": rss, "lookups": len(timings),
                      "p50_ms": statistics.median(timings) * 1000,
                      "p95_ms": timings[int(len(timings) * 0.95)] * 1000,
                      "nonsense_cpu_ms": nonsense_cpu_ms(geocoder), **corpus_accuracy(geocoder.gazetteer)}))


def nonsense_cpu_ms(geocoder) -> dict[str, float]:
    """CPU per query of random letters, spaces and commas: 200 characters (the most read) and 300 (refused)."""
    from visa.geocoding.resolve import resolve
    from visa.geocoding.results import PlaceNotFound

    rng = random.Random(7)
    cpu = {}
    for length in (200, 300):
        queries = ["".join(rng.choice(string.ascii_lowercase + "   ,") for _ in range(length)) for _ in range(20)]
        started = time.process_time()
        for query in queries:
            with contextlib.suppress(PlaceNotFound):  # QueryTooLong is one
                resolve(query, geocoder.gazetteer)
        cpu[str(length)] = (time.process_time() - started) / len(queries) * 1000
    return cpu


def corpus_accuracy(gazetteer) -> dict:
    from bench.geocoder_accuracy import geocoder_locator, load_corpus, naive_locator, score

    rows = load_corpus()
    holdout = [row for row in rows if row.set == "holdout"]
    return {"corpus": score(rows, geocoder_locator(gazetteer)).as_dict(),
            "naive": score(rows, naive_locator(gazetteer)).as_dict(),
            "holdout": score(holdout, geocoder_locator(gazetteer)).as_dict()}


if __name__ == "__main__":
    main()
