"""Persistent cache of remote geocoder answers, shared by every process."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from visa.extensions import db
from visa.timeutil import utcnow


class GeocodeCacheEntry(db.Model):
    __tablename__ = "geocode_cache"

    provider: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    query_key: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    result: Mapped[dict | None] = mapped_column(sa.JSON)  # None: the provider knew no such place
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class DatabaseGeocodeCache:
    """The GeocodeCache protocol over the app database."""

    def get(self, provider: str, key: str) -> tuple[bool, dict | None]:
        entry = db.session.get(GeocodeCacheEntry, (provider, key[:500]))
        return (True, entry.result) if entry else (False, None)

    def put(self, provider: str, key: str, result: dict | None) -> None:
        # Its own transaction: the answer is worth keeping even if the request fails later.
        table = GeocodeCacheEntry.__table__
        try:
            with db.engine.begin() as conn:
                conn.execute(table.insert().values(provider=provider, query_key=key[:500], result=result,
                                                   created_at=utcnow()))
        except sa.exc.IntegrityError:
            pass  # another process cached the same answer first
