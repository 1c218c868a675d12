"""Every gazetteer place of a name in a country and region; places near a point (visa.geocoding.namesakes)."""

from __future__ import annotations

import pytest

from geodata import GAZETTEER_DB
from visa.geocoding.namesakes import Namesakes, nearest


@pytest.fixture(scope="module")
def namesakes() -> Namesakes:
    return Namesakes(GAZETTEER_DB)


def test_every_namesake_in_the_country(namesakes):
    labels = {p.label for p in namesakes.named("Duluth", "US")}
    assert {"Duluth, Minnesota, United States", "Duluth, Georgia, United States"} <= labels


@pytest.mark.parametrize("region", ["GA", "Georgia"])
def test_a_known_region_narrows(namesakes, region):
    assert [p.label for p in namesakes.named("Duluth", "US", region)] == ["Duluth, Georgia, United States"]


def test_an_unknown_region_narrows_nothing(namesakes):
    assert len(namesakes.named("Duluth", "US", "Gwinnett County")) == len(namesakes.named("Duluth", "US"))


def test_nearest_namesake(namesakes):
    place, km = nearest(39.78, -89.65, namesakes.named("Springfield", "US"))
    assert place.label == "Springfield, Illinois, United States" and km < 5


def test_places_near_a_point(namesakes):
    near = namesakes.near(23.566, 119.58, "TW", 10)
    assert near and near[0].name == "Magong"
    assert namesakes.near(23.566, 119.58, "CN", 10) == []
    assert namesakes.near(0.0, -30.0, "BR", 10) == []
