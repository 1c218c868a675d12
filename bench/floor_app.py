"""The floor of any Flask answer here: a view that returns an empty FeatureCollection, nothing else.

The bench serves it with the same gunicorn settings as the app and the peer, so
a throughput can be read as a share of what Flask and gunicorn alone allow on
this machine.

With ``FLOOR_BODIES`` naming a JSON file of query string -> answer (the search
API's own answers to the bench's searches, recorded by the bench), the view
answers each search with those bytes instead: what serving the API's answers
costs when making them costs nothing.
"""

from __future__ import annotations

import json
import os

from flask import Flask, Response, request

app = Flask(__name__)

EMPTY = b'{"type":"FeatureCollection","features":[]}'
_BODIES: dict[bytes, bytes] = {}
if os.environ.get("FLOOR_BODIES"):
    with open(os.environ["FLOOR_BODIES"], encoding="utf-8") as recorded:
        _BODIES = {query.encode(): body.encode() for query, body in json.load(recorded).items()}


@app.get("/spaces")
def spaces() -> Response:
    return Response(_BODIES.get(request.query_string, EMPTY), mimetype="application/geo+json")
