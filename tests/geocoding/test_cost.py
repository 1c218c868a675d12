"""Cost bounds (issue 7): long queries are refused before any work, misspelling searches are capped."""

from __future__ import annotations

import contextlib
import random
import string

import pytest

from geodata import GAZETTEER_DB
from visa.geocoding.gazetteer import MAX_FUZZY_KEY_LENGTH, Gazetteer
from visa.geocoding.providers import build_service
from visa.geocoding.resolve import MAX_FUZZY_SEARCHES, resolve
from visa.geocoding.results import MAX_QUERY_LENGTH, PlaceNotFound, QueryTooLong


class CountingGazetteer(Gazetteer):
    """The real index, counting the lookups a query makes."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.lookups = self.similar_searches = 0

    def places(self, *args, **kwargs):
        self.lookups += 1
        return super().places(*args, **kwargs)

    def similar_keys(self, *args, **kwargs):
        self.similar_searches += 1
        return super().similar_keys(*args, **kwargs)


@pytest.fixture
def counting() -> CountingGazetteer:
    return CountingGazetteer(GAZETTEER_DB)


def nonsense(length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_lowercase + "   ,") for _ in range(length))


def test_a_query_over_200_characters_is_refused_before_any_lookup(counting):
    with pytest.raises(QueryTooLong) as refused:
        resolve("Lisbon, " * 30, counting)
    assert counting.lookups == counting.similar_searches == 0
    assert str(refused.value) == f"a place or address is at most {MAX_QUERY_LENGTH} characters"
    assert isinstance(refused.value, PlaceNotFound)  # every caller that handles a miss handles this


def test_a_query_of_200_characters_is_still_read(gazetteer):
    query = "Rua Augusta 12, 1100-053 Lisboa, Portugal".rjust(MAX_QUERY_LENGTH)
    assert resolve(query, gazetteer).label == "Lisbon, Portugal"


@pytest.mark.parametrize("seed", range(5))
def test_nonsense_buys_a_bounded_number_of_misspelling_searches(counting, seed):
    query = nonsense(MAX_QUERY_LENGTH, seed)
    with contextlib.suppress(PlaceNotFound):  # some nonsense is a few edits from some village: fine
        resolve(query, counting)
    assert len(query.replace(",", " ").split()) > 2 * MAX_FUZZY_SEARCHES  # far more words than searches
    assert counting.similar_searches <= MAX_FUZZY_SEARCHES + 2  # two more for the suggestions


def test_a_long_word_is_never_compared_letter_by_letter(gazetteer):
    assert gazetteer.similar_keys("x" * MAX_FUZZY_KEY_LENGTH) == []


def test_the_service_refuses_before_asking_any_provider():
    service = build_service("offline", {}, GAZETTEER_DB)
    with pytest.raises(QueryTooLong):
        service.geocode("x" * (MAX_QUERY_LENGTH + 1))
