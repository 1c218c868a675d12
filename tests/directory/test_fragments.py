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


def test_each_locale_has_its_own_table(app, sample):
    index = get_index(db.session)
    with app.test_request_context("/api/v1/spaces"):
        with force_locale("en"):
            english = fragments(index).table()
        with force_locale("de"):
            german = fragments(index).table()
    assert english is not german


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
