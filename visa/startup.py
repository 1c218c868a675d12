"""Work done once when a server process starts, so that no request pays for it or can fail on it.

Gunicorn calls :func:`warm_up` in the master before it forks the workers
(``when_ready`` with ``preload_app`` in ``gunicorn.conf.py``), and again in each
worker before it accepts a connection (``post_worker_init``): the country
outlines are loaded (missing outlines stop the worker with the reason, instead
of failing a request later), the spatial index is built and its public Features
are encoded in the default locale. Built in the master, all of it is shared by
the workers. Later rebuilds happen only when the registry version changes, i.e.
after a write. The asset files are hashed and compressed there too (about
1.6 s: brotli at its best).

Before any of that, :func:`refuse_unsafe_start` (gunicorn's ``on_starting``)
stops a server that would listen beyond loopback with a development secret
key: anyone who knows the key (it is in the tests, the bench, the examples)
could sign a session cookie as any admin.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import Flask

from visa.config import is_development_key
from visa.directory import registry_version
from visa.directory.clusters import cluster_grid
from visa.directory.fragments import fill_all
from visa.directory.locations import boundaries
from visa.directory.search import CLUSTER_BELOW_ZOOM
from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.reciprocity.rule_columns import rule_columns
from visa.wire import files as wire_files

#: Above this many spaces the Features are encoded on first use instead (memory over start-up time).
FILL_AT_START_LIMIT = 250_000


def warm_up(app: Flask, log: Callable[[str], None] | None = None, before_fork: bool = False) -> None:
    """Load the country outlines, build the spatial index of *app*'s database and encode its Features.

    *before_fork*: in a master about to fork; its database connections are closed afterwards
    so that no worker inherits (and shares) one.

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
            started = time.perf_counter()
            cluster_grid(index, CLUSTER_BELOW_ZOOM)
            say(f"map clusters precomputed for zooms 0-{CLUSTER_BELOW_ZOOM - 1} in {_ms(started)} ms")
            started = time.perf_counter()
            rule_columns(index, db.session)
            say(f"reciprocity rule columns loaded in {_ms(started)} ms")
            if len(index) <= FILL_AT_START_LIMIT:
                started = time.perf_counter()
                with app.test_request_context("/"):  # the default locale and the app's URL root
                    fill_all(index, db.session)
                say(f"Features encoded: {len(index)} in {_ms(started)} ms")
        finally:
            db.session.remove()
            if before_fork:
                for engine in db.engines.values():
                    engine.dispose()
                registry_version.dispose_all()
        started = time.perf_counter()
        say(f"asset files hashed and compressed: {wire_files.warm(app)} in {_ms(started)} ms")
        started = time.perf_counter()
        say(f"templates compiled: {compile_templates(app)} in {_ms(started)} ms")


def compile_templates(app: Flask) -> int:
    """Compile every template now: before the fork, the workers share the result instead of each paying for it
    (about 100 ms of CPU for a page's templates) in the first requests it serves under load."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


class UnsafeStart(RuntimeError):
    """The server would serve the world with a development secret key (gunicorn prints this and exits 1)."""


def is_loopback(bind: str) -> bool:
    """Does gunicorn's *bind* (``HOST:PORT``, ``[::1]:PORT``, ``unix:PATH``, ``fd://N``) listen on this machine only?"""
    if bind.startswith(("unix:", "fd://")):
        return True  # a socket file or an inherited descriptor: whoever sits in front decides (nginx, systemd)
    host = bind.rsplit(":", 1)[0] if bind.count(":") == 1 or bind.startswith("[") else bind
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # "", "0.0.0.0"-like names, a host name: reachable from elsewhere


def refuse_unsafe_start(app: Flask, binds: Iterable[str]) -> None:
    """:raise UnsafeStart: *app* has a development secret key and one of *binds* is reachable from elsewhere."""
    if not is_development_key(app.config.get("SECRET_KEY")):
        return
    public = [bind for bind in binds if not is_loopback(bind)]
    if public:
        raise UnsafeStart(f"refusing to serve on {', '.join(public)} with a development SECRET_KEY: anyone could sign "
                          "a session as any user. Set SECRET_KEY to a long random value (the same on every app "
                          "server; python -c 'import secrets; print(secrets.token_urlsafe(48))'), or bind to "
                          "127.0.0.1 for a local trial.")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
