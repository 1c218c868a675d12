"""Fixtures of the volunteers' tests: approved volunteers, validators if asked."""

from __future__ import annotations

import pytest

from visa.accounts.models import Role
from visa.extensions import db


@pytest.fixture
def volunteer(make_user):
    """An approved volunteer (a validator with ``validator=True``), committed."""
    from visa.volunteers.services import approve_volunteer, set_validator

    def _make(email: str, validator: bool = False):
        user = make_user(email, role=Role.VOLUNTEER)
        approve_volunteer(user.id)
        if validator:
            set_validator(user.id, True)
        db.session.commit()
        return user

    return _make
