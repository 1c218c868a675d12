"""Run in a fresh process: import a 10,000-row legacy CSV with offline geocoding; print JSON figures."""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.network import city_pool
from geodata import GAZETTEER_DB


def write_csv(path: Path, rows: int, seed: int = 5) -> None:
    """Legacy-style rows: free column names, yes/no as y/Yes/blank, prices, a third without coordinates."""
    rng = random.Random(seed)
    pool = [c for c in city_pool(str(GAZETTEER_DB), min_population=50_000)]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Space", "City", "Country", "Lat", "Lng", "Web site", "Coworking Visa?", "Days", "Day pass"])
        for i in range(rows):
            city, lat, lon, country, _ = rng.choice(pool)
            with_point = rng.random() > 0.33
            writer.writerow([
                f"Imported Space {i}", city, country,
                f"{lat + rng.uniform(-0.01, 0.01):.5f}" if with_point else "",
                f"{lon + rng.uniform(-0.01, 0.01):.5f}" if with_point else "",
                f"space{i}.example", rng.choice(["y", "Y", "Yes", "", "n"]), rng.choice(["", "3", "2", "5"]),
                rng.choice(["", "$25", "25 euro", "R$ 10/h", "£15"]),
            ])


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(prefix="visa-import-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/import.sqlite"
        os.environ.setdefault("SECRET_KEY", "bench")
        source = Path(tmp) / "legacy.csv"
        write_csv(source, rows)
        from flask_migrate import upgrade

        from visa.app import create_app
        from visa.extensions import db
        from visa.moderation.importer import import_file

        app = create_app()
        with app.app_context():
            upgrade()
            from visa.directory.locations import boundaries
            from visa.geocoding.service import geocode

            geocode("Lisbon")  # load the geocoder and the outlines before the clock starts
            boundaries()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            with source.open("rb") as stream:
                report = import_file(stream, source.name)
            db.session.commit()
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(json.dumps({"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed,
                              "created": report.created, "rejected": len(report.rejected),
                              "duplicates": len(report.duplicates), "flagged": len(report.flagged),
                              "possible_duplicates": len(report.possible_duplicates),
                              "peak_rss_mb": peak / 1024, "rss_growth_mb": (peak - before) / 1024}))


if __name__ == "__main__":
    main()
