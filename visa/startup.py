"""Work done once when a server process starts, so that no request pays for it or can fail on it.

Gunicorn calls :func:`warm_up` in each worker before it accepts a connection
(``post_worker_init`` in ``gunicorn.conf.py``): the country outlines are loaded
(missing outlines stop the worker with the reason, instead of failing a request
later), the spatial index is built, and the asset files are hashed and compressed
(about 1.6 s: brotli at its best). Later index rebuilds happen only when the
registry version changes, i.e. after a write.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask

from visa.directory.locations import boundaries
from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.wire import files as wire_files


def warm_up(app: Flask, log: Callable[[str], None] | None = None) -> None:
    """Load the country outlines and build the spatial index of *app*'s database.

    :raise MissingGeodata: the outlines were never built.
    """
    say = log or app.logger.info
    with app.app_context():
        started = time.perf_counter()
        outlines = boundaries()
        say(f"country outlines loaded: {len(outlines.shapes)} countries in {_ms(started)} ms")
        started = time.perf_counter()
        try:
            index = get_index(db.session)
        except sa.exc.SQLAlchemyError as err:
            # A database not migrated yet: the first request after `flask db upgrade` builds it.
            say(f"spatial index not built at start-up ({type(err).__name__}): is the database migrated?")
        else:
            say(f"spatial index built: {len(index)} spaces in {_ms(started)} ms")
        finally:
            db.session.remove()
        started = time.perf_counter()
        say(f"asset files hashed and compressed: {wire_files.warm(app)} in {_ms(started)} ms")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
