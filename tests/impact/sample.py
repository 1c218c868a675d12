"""A year of visits among the demo network's spaces, for pages and screenshots (fixed seed: the same every run)."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.extensions import db
from visa.passes.models import Pass, PassStatus, RequestStatus, Visit, VisitRequest


def load_sample_visits(members: int = 150, seed: int = 3) -> None:
    """*members* members of a few busy home spaces, each with a request and a stay of 1 to 3 days."""
    rng = random.Random(seed)
    spaces = db.session.scalars(sa.select(Space).where(Space.status == SpaceStatus.APPROVED)
                                .order_by(Space.id)).unique().all()
    homes = rng.sample(spaces, 12)
    hosts = rng.sample(spaces, 25)
    now = datetime.now(UTC).replace(microsecond=0)
    for i in range(members):
        home = rng.choice(homes)
        visa_pass = Pass(id=f"sample{i:05d}", home_space_id=home.id, member_name=f"Sample Member {i}",
                         member_email=f"member{i}@example.org", valid_from=now.date() - timedelta(days=400),
                         valid_to=now.date() + timedelta(days=30), status=PassStatus.ACTIVE,
                         access_hash=hashlib.sha256(f"sample{i}".encode()).hexdigest())
        db.session.add(visa_pass)
        host = rng.choice(hosts[:8]) if rng.random() < 0.6 else rng.choice(hosts)
        asked = now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
        status = rng.choices([RequestStatus.CHECKED_IN, RequestStatus.DECLINED, RequestStatus.PENDING],
                             [8, 1, 1])[0]
        answered = asked + timedelta(hours=rng.randint(1, 72)) if status != RequestStatus.PENDING else None
        first = asked.date() + timedelta(days=rng.randint(3, 10))
        days = rng.randint(1, 3)
        db.session.add(VisitRequest(pass_id=visa_pass.id, host_space_id=host.id, home_space_id=home.id,
                                    member_country=home.country_code, first_day=first,
                                    last_day=first + timedelta(days=days - 1), status=status, created_at=asked,
                                    answered_at=answered))
        if status == RequestStatus.CHECKED_IN and first <= now.date():
            for d in range(days):
                if first + timedelta(days=d) <= now.date():
                    db.session.add(Visit(visit_date=first + timedelta(days=d), host_space_id=host.id,
                                         home_space_id=home.id, member_country=home.country_code,
                                         pass_id=visa_pass.id))
    db.session.commit()
