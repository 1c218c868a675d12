"""Reciprocity services with no request: the same answers a command or a script would get."""

from __future__ import annotations

from datetime import date

from flask import has_request_context

from visa.directory import search
from visa.reciprocity.service import find_home, home_candidates, network_reach, search_filter, verdict


def test_reciprocity_outside_a_request(app, network):
    assert not has_request_context()
    home = find_home("home-desk-berlin")
    assert home is network["home"] and find_home("Home Desk") is home
    assert [c.slug for c in home_candidates("home desk")] == ["home-desk-berlin"]
    assert verdict(home, network["open"], date(2026, 12, 1)).honored
    assert not verdict(home, network["picky"]).honored  # Berlin is closer than its 5000 km minimum
    reach = network_reach(home)
    assert {s.id for s in reach.hosts_honoring} == {network["open"].id, network["porto"].id}


def test_search_filter_keeps_the_hosts_that_honor_the_home(app, network):
    assert search_filter(None) is None
    everyone = search.listing_rows(search.Filters(), limit=10)
    honoring = search.listing_rows(search.Filters(honors=search_filter(network["home"])), limit=10)
    assert set(honoring.index.ids[honoring.rows].tolist()) == {network["open"].id, network["porto"].id}
    assert honoring.total < everyone.total
