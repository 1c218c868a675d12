"""``python -m bench.scale_probe URL``: what a server's start-up builds for the registry at URL, timed in a fresh process.

Prints one JSON line: spaces, seconds to build the spatial index, to precompute the
map clusters, to load reciprocity's rule columns and to encode the Features (at
start-up only up to ``visa.startup.FILL_AT_START_LIMIT`` spaces), and the
process's resident memory before and after (the app's base, and what the built
structures add).
"""

from __future__ import annotations

import json
import os
import sys
import time

import psutil


def main(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    from visa.app import create_app
    from visa.directory.clusters import cluster_grid
    from visa.directory.fragments import fill_all
    from visa.directory.search import CLUSTER_BELOW_ZOOM
    from visa.directory.spatial_index import get_index
    from visa.extensions import db
    from visa.reciprocity.rule_columns import rule_columns
    from visa.startup import FILL_AT_START_LIMIT

    app = create_app()
    process = psutil.Process()
    with app.test_request_context("/"):
        db.session.execute(db.select(1))  # connect and load the models before measuring the base
        base = process.memory_info().rss
        started = time.perf_counter()
        index = get_index(db.session)
        built = time.perf_counter()
        cluster_grid(index, CLUSTER_BELOW_ZOOM)
        clustered = time.perf_counter()
        rule_columns(index, db.session)
        ruled = time.perf_counter()
        after_index = process.memory_info().rss
        if len(index) <= FILL_AT_START_LIMIT:  # as the server's start-up does; above it, on first use
            fill_all(index, db.session)
        encoded = time.perf_counter()
    print(json.dumps({"spaces": len(index), "index_s": built - started, "clusters_s": clustered - built,
                      "rules_s": ruled - clustered, "features_s": encoded - ruled,
                      "features_at_start": len(index) <= FILL_AT_START_LIMIT, "base_mb": base / 2**20,
                      "index_mb": (after_index - base) / 2**20,
                      "features_mb": (process.memory_info().rss - after_index) / 2**20}))


if __name__ == "__main__":
    main(sys.argv[1])
