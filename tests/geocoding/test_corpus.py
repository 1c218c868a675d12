"""The offline geocoder on 630 real addresses (tests/data/geocoder-corpus.csv).

The corpus was written the way people write addresses, with the truth taken
from GeoNames by id; the "holdout" rows were written after the fixes and were
not used to make them. See bench/geocoder_accuracy.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.geocoder_accuracy import geocoder_locator, load_corpus, naive_locator, score


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_large_varied_and_true_to_geonames(corpus, gazetteer):
    assert len(corpus) >= 300
    assert len({row.country for row in corpus}) >= 50
    kinds = Counter(row.kind for row in corpus)
    for kind in ("street", "postcode_after_state", "postcode_before", "native", "misspelt", "misspelt_street",
                 "county", "town_province", "second_line", "region_namesake"):
        assert kinds[kind] >= 4, kind
    for row in corpus:
        place = gazetteer.place(row.geonameid)
        assert place is not None, row
        assert (place.name, place.country, place.lat, place.lon) == (row.name, row.country, row.lat, row.lon), row


def test_at_least_97_percent_within_25_km(corpus, gazetteer):
    ours = score(corpus, geocoder_locator(gazetteer))
    failures = "\n".join(f"{row.address!r} -> {km} km" for row, km in ours.failures)
    assert ours.within_25km >= 0.97, failures
    assert ours.median_km < 1


def test_held_out_addresses_are_placed_as_well(corpus, gazetteer):
    holdout = [row for row in corpus if row.set == "holdout"]
    assert len(holdout) >= 100
    assert score(holdout, geocoder_locator(gazetteer)).within_25km >= 0.95


def test_reading_the_whole_address_beats_the_city_name_alone(corpus, gazetteer):
    ours = score(corpus, geocoder_locator(gazetteer))
    naive = score(corpus, naive_locator(gazetteer))
    assert ours.within_25km > naive.within_25km
