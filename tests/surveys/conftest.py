"""A space with its confirmed host, for the survey's tests."""

from __future__ import annotations

import pytest

from visa.accounts.models import Role, SpaceHost
from visa.extensions import db


@pytest.fixture
def surveyed(make_space, make_user):
    space = make_space("Hub of Evora", country="PT")
    host = make_user("host@example.org")
    make_user("admin@example.org", role=Role.ADMIN)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space
