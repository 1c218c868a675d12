"""First-level borders for the basemap: only the lines two areas share, arcs kept as quantized."""

from __future__ import annotations

import json

from geodata import ADMIN1_TOPOJSON
from geodata.admin1_build import borders_topology

# Two squares side by side, sharing arc 1 (the second writes it reversed, as ~1 = -2); arcs 0 and 2 are coast.
TWO_STATES = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [-10, 40]},
    "objects": {"subunits": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "AA", "properties": {"gu": "XXX"}, "arcs": [[0, 1]]},
        {"type": "Polygon", "id": "BB", "properties": {"gu": "XXX"}, "arcs": [[-2, 2]]},
    ]}},
    "arcs": [[[0, 0], [0, 2], [2, 0]], [[2, 2], [0, -2]], [[2, 0], [2, 0], [0, 2], [-2, 0]]],
}


def test_only_shared_borders_are_kept():
    borders = borders_topology(TWO_STATES)
    assert borders["arcs"] == [[[2, 2], [0, -2]]]
    assert borders["objects"]["borders"] == {"type": "MultiLineString", "arcs": [[0]]}
    assert borders["transform"] == TWO_STATES["transform"] and borders["countries"] == ["XXX"]


def test_the_built_file_has_states_and_provinces_and_stays_light(client):
    built = json.loads(ADMIN1_TOPOJSON.read_text())
    assert built["countries"] == ["AUS", "BRA", "CAN", "USA"]
    assert len(built["arcs"]) > 200 and ADMIN1_TOPOJSON.stat().st_size < 120_000
    with client.get("/geodata/admin1.topojson") as served:
        assert served.status_code == 200 and served.get_json()["objects"]["borders"]["type"] == "MultiLineString"
