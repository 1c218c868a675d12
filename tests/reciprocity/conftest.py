"""Fixtures of the traveller's pages: a small network of spaces and a client whose home space is set."""

from __future__ import annotations

import pytest


@pytest.fixture
def network(make_space):
    return {
        "home": make_space("Home Desk", lat=52.52, lon=13.405, country="DE", city="Berlin"),
        "open": make_space("Open House", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48}),
        "picky": make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000}),
        "porto": make_space("Ribeira Hub", lat=41.1496, lon=-8.6110, city="Porto", terms={"weekdays": 127}),
    }


@pytest.fixture
def at_home(client, network, csrf_token):
    r = client.post("/home", data={"home": "home-desk-berlin", "csrf_token": csrf_token(), "next": "/?q=Lisbon"})
    assert r.status_code == 302 and r.headers["Location"] == "/?q=Lisbon"
    return network
