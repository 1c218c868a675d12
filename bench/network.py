"""Build a synthetic network of N spaces in real gazetteer cities, fast (bulk inserts)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable

import sqlalchemy as sa

from visa.directory.models import RegistryVersion, RequestMethod, Space, SpaceStatus, VisaTerms, terms_excluded_spaces
from visa.timeutil import utcnow


def fresh_network(url: str, count: int) -> sa.Engine:
    """The empty database at *url* migrated (as ``flask db upgrade`` does it) and filled with *count* spaces;
    its engine."""
    from bench.servers import ROOT

    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True)
    from geodata import GAZETTEER_DB

    engine = sa.create_engine(url)
    build_network(engine, str(GAZETTEER_DB), count, progress=lambda _m: None)
    return engine


def city_pool(gazetteer_path: str, min_population: int = 1000) -> list[tuple[str, float, float, str, int]]:
    con = sqlite3.connect(f"file:{gazetteer_path}?mode=ro", uri=True)
    rows = con.execute("SELECT name, lat, lon, country, population FROM place WHERE population >= ?",
                       (min_population,)).fetchall()
    con.close()
    return rows


def build_network(engine: sa.Engine, gazetteer_path: str, count: int, seed: int = 7,
                  progress: Callable[[str], None] = print) -> list[tuple[float, float]]:
    """Insert *count* approved spaces, weighted towards big cities as real networks are."""
    rng = random.Random(seed)
    pool = city_pool(gazetteer_path)
    weights = [max(p[4], 1) ** 0.5 for p in pool]
    picks = rng.choices(pool, weights=weights, k=count)
    now = utcnow()
    points = []
    chunk = 5000
    with engine.begin() as conn:
        for start in range(0, count, chunk):
            spaces, terms = [], []
            for i, (city, lat, lon, country, _pop) in enumerate(picks[start:start + chunk], start=start + 1):
                plat = max(-89.9, min(89.9, lat + rng.uniform(-0.03, 0.03)))
                plon = max(-179.9, min(179.9, lon + rng.uniform(-0.03, 0.03)))
                points.append((plat, plon))
                spaces.append({
                    "id": i, "slug": f"bench-{i}", "name": f"Bench Space {i}", "description": "", "address_line1": "",
                    "address_line2": "", "city": city, "region": "", "postcode": "", "country_code": country,
                    "latitude": plat, "longitude": plon, "geocode_precision": "city", "geocode_source": "bench",
                    "timezone": "", "website": "", "email": "", "phone": "", "status": SpaceStatus.APPROVED.value,
                    "is_demo": True, "created_at": now, "updated_at": now, "terms_confirmed_at": now, "lock_version": 1,
                })
                terms.append({
                    "space_id": i, "is_participating": rng.random() > 0.07,
                    "free_days_per_visit": rng.choice([1, 2, 3, 3, 3, 5]), "free_days_per_month": None,
                    "free_days_per_year": None, "advance_notice_hours": rng.choice([0, 24, 48]),
                    "request_method": RequestMethod.EMAIL.value, "request_contact": "",
                    "requires_membership_proof": True, "weekdays": 31, "season_start": None, "season_end": None,
                    "blackout_dates": [], "capacity_per_day": None, "min_distance_km": rng.choice([None, 25, 50]),
                    "excludes_same_city": rng.random() < 0.3, "is_reciprocal_only": rng.random() < 0.15, "notes": "",
                })
            conn.execute(sa.insert(Space.__table__), spaces)
            conn.execute(sa.insert(VisaTerms.__table__), terms)
            progress(f"  inserted {start + len(spaces):,}/{count:,} spaces")
        # Some hosts exclude a few listed spaces, as real hosts exclude neighbours.
        exclusions = {(host, rng.randint(1, count)) for host in rng.sample(range(1, count + 1), count // 100)}
        conn.execute(sa.insert(terms_excluded_spaces), [{"space_id": h, "excluded_space_id": e}
                                                        for h, e in exclusions if h != e])
        conn.execute(sa.insert(RegistryVersion.__table__).values(id=1, version=rng.getrandbits(62)))
    return points
