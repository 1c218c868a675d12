"""Reciprocity's rule columns beside the index, and its mask cache shared by threads."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.reciprocity import rule_columns as rc
from visa.reciprocity.service import honor_mask


def test_honor_mask_cache_is_safe_across_threads(monkeypatch):
    """Eight threads filling and evicting the cache at once: no error, the bound holds, every answer is right."""
    monkeypatch.setattr(rc, "MASK_CACHE_SIZE", 4)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke interleavings
    cache = rc.MaskCache()
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for i in range(3000):
                home = (seed * 7 + i) % 13
                mask = cache.get(home, lambda home=home: np.array([home % 2 == 0, home % 3 == 0, True]))
                assert mask.tolist() == [home % 2 == 0, home % 3 == 0, True]
        except BaseException as err:  # reported by the main thread
            errors.append(err)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []
    assert len(cache) <= 4
    with pytest.raises(ValueError):
        cache.get(0, lambda: np.zeros(3, dtype=bool))[0] = True  # shared masks are read-only


def test_columns_follow_the_index_rows_and_the_registry_version(app, make_space):
    """Rule columns are laid out in the index's row order, and a write gives a new index with new columns."""
    far = make_space("Porto Hub", lat=41.1496, lon=-8.6109, city="Porto")
    near = make_space("Lisbon Hub")
    index = get_index(db.session)
    columns = rc.rule_columns(index, db.session)
    assert columns is rc.rule_columns(index, db.session)  # once per version
    assert columns.hosts.ids.tolist() == index.ids.tolist() == [near.id, far.id]
    assert honor_mask(index, far).tolist() == [True, False]
    make_space("Another")
    rebuilt = get_index(db.session)
    assert rebuilt is not index and len(rc.rule_columns(rebuilt, db.session).hosts.ids) == 3


def test_city_codes_follow_the_city_key_in_every_load(app, make_space):
    """Two spellings of one city share a code, another city has another, and no code is the unknown row's."""
    lisbon = make_space("Lisbon Hub", city="Lisboa")
    accented = make_space("Lisbon Loft", city="LISBOA ")
    porto = make_space("Porto Hub", lat=41.1496, lon=-8.6109, city="Porto")
    index = get_index(db.session)
    cities = rc.rule_columns(index, db.session).hosts.city_keys
    code = dict(zip(index.ids.tolist(), cities.tolist(), strict=True))
    assert code[lisbon.id] == code[accented.id] == rc.city_code(rc.city_key("PT", "Lisboa"))
    assert code[porto.id] != code[lisbon.id]
    assert 0 not in code.values()  # 0 marks a row written after the index was built: no home matches it
