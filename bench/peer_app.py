"""The plain app a network would write instead of ours: Flask, psycopg and PostGIS, nothing else.

``GET /spaces?near=LAT,LON&radius_km=R`` answers the nearest 50 spaces within
R km (``ST_DWithin`` on geography, GiST index) as a GeoJSON FeatureCollection.
The bench serves it with the same gunicorn settings as ours and interleaves
the same queries, so the ratio it prints compares like with like. It is kept
deliberately naive: this is the baseline, not a second product.
"""

from __future__ import annotations

import os
import threading

import psycopg
from flask import Flask, jsonify, request

SQL = """
SELECT slug, name, city, country_code, lat, lon, ST_Distance(geog, q) AS metres
FROM peer_space, (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS q) AS query
WHERE ST_DWithin(geog, q, %(metres)s)
ORDER BY metres
LIMIT 50
"""

app = Flask(__name__)
_local = threading.local()


def _connection() -> psycopg.Connection:
    # One connection per thread, opened on first use, as a simple app would.
    if getattr(_local, "conn", None) is None:
        _local.conn = psycopg.connect(os.environ["PEER_DATABASE_URL"], autocommit=True)
    return _local.conn


@app.get("/spaces")
def spaces():
    try:
        lat, lon = (float(part) for part in request.args["near"].split(","))
        radius_km = float(request.args.get("radius_km", 25))
    except (KeyError, ValueError):
        return jsonify(error="near=LAT,LON is required"), 400
    rows = _connection().execute(SQL, {"lat": lat, "lon": lon, "metres": radius_km * 1000}).fetchall()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [row[5], row[4]]},
                 "properties": {"slug": row[0], "name": row[1], "city": row[2], "country": row[3],
                                "distance_km": round(row[6] / 1000, 2)}} for row in rows]
    return jsonify(type="FeatureCollection", features=features)
