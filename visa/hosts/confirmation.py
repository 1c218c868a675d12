""""These terms are still accurate": a confirmation event, not an edit.

It renews the last-confirmed date and is kept as a revision of kind "confirm" with no field changes (the
feed and the timeline show it as an event); its snapshot still records the new ``lock_version``, so an
edit conflict can say what changed since (visa.directory.services.changes_since).
"""

from __future__ import annotations

from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.directory.services import EditConflict, changes_since, snapshot
from visa.extensions import db
from visa.timeutil import utcnow


def confirm_still_accurate(space: Space, user_id: int | None, expected_version: int) -> Revision:
    """:raise EditConflict: when the listing changed since *expected_version* (its host must look again)."""
    if expected_version != space.lock_version:
        raise EditConflict(changes_since(space, expected_version))
    space.terms_confirmed_at = utcnow()
    db.session.flush()
    revision = Revision(space_id=space.id, user_id=user_id, source="confirm", changes={}, snapshot=snapshot(space))
    db.session.add(revision)
    return revision
