"""Pre-encoded Features equal the slow path (presenters.feature) in two locales, and follow every write."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import orjson
import pytest
from flask_babel import force_locale

from visa.directory import services
from visa.directory.fragments import fragments
from visa.directory.models import RequestMethod, Space, SpaceStatus
from visa.directory.presenters import feature
from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.timeutil import utcnow


@pytest.fixture
def sample(make_space):
    """Spaces whose Features differ in every part a fragment holds: words, staleness, URL, terms not stated."""
    spaces = [
        make_space("Lisbon Loft"),
        make_space("Porto Hub", lat=41.1496, lon=-8.6109, city="Porto",
                   terms={"request_method": RequestMethod.PHONE, "advance_notice_hours": 0, "free_days_per_visit": 1}),
        make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin",
                   terms={"is_participating": False}),
        make_space("Café Ñandú", lat=40.4168, lon=-3.7038, country="ES", city="Madrid",
                   terms={"free_days_per_visit": None, "advance_notice_hours": 96}, is_demo=True),
    ]
    stale = make_space("Old Mill", lat=53.3498, lon=-6.2603, country="IE", city="Dublin")
    stale.terms_confirmed_at = utcnow() - timedelta(days=400)
    never = make_space("Never Confirmed", lat=48.8566, lon=2.3522, country="FR", city="Paris")
    never.terms_confirmed_at = None
    db.session.commit()
    return [*spaces, stale, never]


def _encoded(space: Space, distance: float | None = None) -> dict:
    index = get_index(db.session)
    rows = index.rows_of(np.array([space.id]))
    distances = None if distance is None else np.array([distance])
    [body] = fragments(index).features(db.session, rows, distances)
    return orjson.loads(body)


@pytest.mark.parametrize("locale", ["en", "de"])
def test_fragments_equal_the_slow_path(app, sample, locale):
    with app.test_request_context("/api/v1/spaces"), force_locale(locale):
        for space in sample:
            db.session.refresh(space)
            assert _encoded(space) == feature(space)
            assert _encoded(space, 12.3456) == feature(space, 12.3456)


def test_one_copy_of_the_features_serves_every_locale(app, sample):
    """The stored bytes hold no words: a second language adds its words, not a second copy of every Feature."""
    index = get_index(db.session)
    with app.test_request_context("/api/v1/spaces"):
        with force_locale("en"):
            english_heads, english_words = fragments(index).heads(), fragments(index).words()
            english = [_encoded(space) for space in sample]
        with force_locale("de"):
            german_heads, german_words = fragments(index).heads(), fragments(index).words()
            german = [_encoded(space) for space in sample]
    assert english_heads is german_heads and english_words is not german_words
    assert all(b"Germany" not in head and b"Deutschland" not in head for head in english_heads.head if head)
    assert english[2]["properties"]["country_name"] == "Germany"
    assert german[2]["properties"]["country_name"] == "Deutschland"
    assert english[0]["properties"]["headline"] != german[0]["properties"]["headline"]


def test_every_write_changes_the_fragment(app, sample):
    space = sample[0]
    writes = [
        lambda: services.update_space(space, {"name": "Lisbon Loft Two"}, None, space.lock_version),
        lambda: services.update_space(space, {"latitude": 38.71, "longitude": -9.14}, None, space.lock_version),
        lambda: services.update_terms(space, {"free_days_per_visit": 5}, None, space.lock_version),
        lambda: services.update_terms(space, {"free_days_per_month": 7}, None, space.lock_version),
        lambda: services.update_terms(space, {"request_method": RequestMethod.FORM}, None, space.lock_version),
    ]
    with app.test_request_context("/api/v1/spaces"):
        before = _encoded(space)
        for write in writes:
            write()
            db.session.commit()
            after = _encoded(space)
            assert after != before and after == feature(space)
            before = after
        # Growing stale needs no write: the flag is decided when the Features are joined.
        fresh = _encoded(space)
        index = get_index(db.session)
        rows = index.rows_of(np.array([space.id]))
        [later] = fragments(index).features(db.session, rows, now=utcnow() + timedelta(days=400))
        assert not fresh["properties"]["terms_stale"] and orjson.loads(later)["properties"]["terms_stale"]
        services.set_status(space, SpaceStatus.PENDING, None)
        db.session.commit()
        assert get_index(db.session).rows_of(np.array([space.id])).tolist() == [-1]  # unlisted: no fragment
