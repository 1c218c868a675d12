"""Network figures computed once per rollup version, in each process, kept on the app.

The rollups are small next to the visits, but the network page and the open
export still walk every month and country pair; with a busy network that is
thousands of cells (a quarter to half a second). Each process keeps the last
result per key with the version it was computed at, and reads the version (one
row) on each request. In a busy network a check-in comes every few seconds, so
a result younger than ``VISA_IMPACT_MAX_AGE`` seconds (60 by default) is kept
even when the version moved on: monthly figures a minute late, rather than a
recomputation for nearly every reader. 0 recomputes on every change.

The results live on the app (``app.extensions``), not in the module: two apps
in one process (two sites, a test's apps, a transfer's target) each have their
own figures, and a new app starts with none.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Connection

from visa.extensions import db
from visa.impact.models import ImpactVersion

T = TypeVar("T")
EXTENSION = "visa.impact_figures"


@dataclass
class FigureCache:
    """One app's computed figures: key -> (version, computed at (monotonic), result)."""

    results: dict[tuple, tuple[int, float, object]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = FigureCache()


def bump(connection: Connection) -> None:
    """A new version: every process recomputes on its next request (also after Core bulk writes)."""
    version = secrets.randbits(62)
    updated = connection.execute(sa.update(ImpactVersion).where(ImpactVersion.id == 1).values(version=version))
    if updated.rowcount == 0:
        connection.execute(sa.insert(ImpactVersion).values(id=1, version=version))


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """*compute()*'s result for *key* at the current rollup version, computed here only when it changed."""
    # The version is read before the figures: they are then at least as new as the version they are kept under.
    version = db.session.scalar(sa.select(ImpactVersion.version).where(ImpactVersion.id == 1)) or 0
    store: FigureCache = current_app.extensions[EXTENSION]
    hit = store.results.get(key)
    now = time.monotonic()
    if hit is not None and (hit[0] == version or now - hit[1] < current_app.config["VISA_IMPACT_MAX_AGE"]):
        return hit[2]  # type: ignore[return-value]
    value = compute()
    with store.lock:
        store.results[key] = (version, now, value)
    return value
