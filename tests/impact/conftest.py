"""Fixtures that put passes, requests and visits on record, with the dates each test needs."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest

from visa.extensions import db

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


@pytest.fixture
def make_pass(app):
    from visa.passes.models import Pass, PassStatus

    def _make(home, email: str = "ana@example.org", name: str = "Ana Member") -> Pass:
        visa_pass = Pass(id=secrets.token_hex(8), home_space_id=home.id, member_name=name, member_email=email,
                         valid_from=TODAY - timedelta(days=400), valid_to=TODAY + timedelta(days=30),
                         status=PassStatus.ACTIVE, issued_at=NOW, token="header.payload.signature",
                         access_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(), message=f"Hello, I am {name}")
        db.session.add(visa_pass)
        db.session.commit()
        return visa_pass

    return _make


@pytest.fixture
def add_visit(app):
    from visa.passes.models import Visit

    def _add(visa_pass, host, day: date) -> Visit:
        home = visa_pass.home_space
        visit = Visit(visit_date=day, host_space_id=host.id, home_space_id=home.id, member_country=home.country_code,
                      pass_id=visa_pass.id)
        db.session.add(visit)
        db.session.commit()
        return visit

    return _add


@pytest.fixture
def add_request(app):
    from visa.passes.models import RequestStatus, VisitRequest

    def _add(visa_pass, host, created_at: datetime, answered_after: timedelta | None = None,
             status: RequestStatus = RequestStatus.PENDING, message: str = "May I come?") -> VisitRequest:
        home = visa_pass.home_space
        request = VisitRequest(pass_id=visa_pass.id, host_space_id=host.id, home_space_id=home.id,
                               member_country=home.country_code, first_day=created_at.date() + timedelta(days=10),
                               last_day=created_at.date() + timedelta(days=11), message=message, status=status,
                               created_at=created_at,
                               answered_at=created_at + answered_after if answered_after is not None else None)
        db.session.add(request)
        db.session.commit()
        return request

    return _add


@pytest.fixture
def network(make_space):
    """Three real cities' spaces: Lisbon and Porto (PT), Berlin (DE)."""
    lisbon = make_space("Lisbon Hub")
    porto = make_space("Porto Loft", lat=41.1579, lon=-8.6291, city="Porto")
    berlin = make_space("Berlin Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    return lisbon, porto, berlin
