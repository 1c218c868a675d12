"""Registry services and the one way to write revisions, called with no request (as the CLI does)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import has_request_context

from visa.directory.models import STALE_AFTER, Space, SpaceStatus
from visa.directory.revisions import Revision, record_new_spaces, snapshot_of_values
from visa.directory.services import (
    EditConflict,
    changes_since,
    confirm_terms,
    find_duplicates,
    revert,
    set_status,
    update_space,
    update_terms,
)
from visa.extensions import db
from visa.timeutil import utcnow


@pytest.fixture
def space(app, make_space):
    assert not has_request_context()
    return make_space("Harbor Desk", terms={"free_days_per_visit": 3})


def _revisions(space_id: int) -> list[Revision]:
    return list(db.session.scalars(sa.select(Revision).where(Revision.space_id == space_id).order_by(Revision.id)))


def test_update_space_writes_a_revision_and_refuses_a_stale_version(space):
    version = space.lock_version
    update_space(space, {"phone": "+351 1"}, None, version, source="cli")
    db.session.commit()
    assert _revisions(space.id)[-1].changes == {"phone": ["", "+351 1"]}
    with pytest.raises(EditConflict) as conflict:
        update_space(space, {"phone": "+351 2"}, None, version)
    assert conflict.value.changes["phone"] == ["", "+351 1"]
    assert changes_since(space, version)["phone"] == ["", "+351 1"]


def test_update_terms_takes_plain_values_and_confirms(space):
    update_terms(space, {"free_days_per_visit": 5, "notes": "Ring twice"}, None, space.lock_version)
    db.session.commit()
    assert (space.terms.free_days_per_visit, space.terms.notes) == (5, "Ring twice")
    assert utcnow() - space.terms_confirmed_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)
    assert _revisions(space.id)[-1].changes["terms.free_days_per_visit"] == [3, 5]


def test_confirm_set_status_and_revert(space):
    confirm_terms(space, None, space.lock_version)
    hidden = set_status(space, SpaceStatus.SUSPENDED, None)
    db.session.commit()
    assert db.session.scalars(Space.visible().where(Space.id == space.id)).first() is None
    revert(hidden, None)
    db.session.commit()
    assert space.is_visible and [r.source for r in _revisions(space.id)][-3:] == ["confirm", "moderation", "revert"]


def test_named_queries_agree_in_python_and_sql(space, make_space):
    pending = make_space("Waiting Room", lat=38.7101, lon=-9.1367, status=SpaceStatus.PENDING)
    gone = make_space("Closed Loft", lat=38.7150, lon=-9.1400, status=SpaceStatus.REJECTED)
    for rule in ("is_visible", "is_listed_or_pending"):
        in_sql = set(db.session.scalars(sa.select(Space.id).where(getattr(Space, rule))))
        assert in_sql == {s.id for s in (space, pending, gone) if getattr(s, rule)}, rule
    assert {s.id for s in find_duplicates("Waiting Room", 38.7101, -9.1367)} == {pending.id}
    space.terms_confirmed_at = utcnow() - STALE_AFTER - timedelta(days=1)
    pending.terms_confirmed_at = utcnow()
    db.session.commit()
    stale = set(db.session.scalars(sa.select(Space.id).where(Space.unconfirmed_since(utcnow() - STALE_AFTER))))
    assert space.id in stale and pending.id not in stale


def test_bulk_revisions_have_the_shape_of_single_ones(space):
    single = _revisions(space.id)[0]
    values = {column: getattr(space, column) for column in ("name", "city", "country_code", "latitude",
                                                             "longitude", "status")}
    terms = {name: getattr(space.terms, name) for name in ("free_days_per_visit", "is_participating")}
    record_new_spaces([(space.id, values, terms)], None, "import", utcnow())
    db.session.commit()
    bulk = _revisions(space.id)[-1]
    assert bulk.snapshot == snapshot_of_values(values, terms)
    assert bulk.changes == {k: [None, v] for k, v in bulk.snapshot.items() if v is not None and k != "lock_version"}
    assert set(bulk.changes) <= set(single.changes) and bulk.source == "import"
