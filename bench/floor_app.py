"""The floor of any Flask answer here: a view that returns an empty FeatureCollection, nothing else.

The bench serves it with the same gunicorn settings as the app and the peer, so
a throughput can be read as a share of what Flask and gunicorn alone allow on
this machine.
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)

EMPTY = b'{"type":"FeatureCollection","features":[]}'


@app.get("/spaces")
def spaces() -> Response:
    return Response(EMPTY, mimetype="application/geo+json")
