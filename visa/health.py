"""``/healthz``: may a load balancer send this app server requests?

200 when the database answers, its schema is at the migrations' head and the
rate-limit Redis (when the counters are configured to live there) answers;
otherwise 503 with the checks that failed named in ``down``. The body is JSON for
machines and operators, in English like the logs.

A load balancer asks every few seconds from one address, so the route is never
rate-limited, never redirected to HTTPS (the balancer may probe over plain HTTP
on the private network) and never cached. Details of a failure (host names,
driver messages) go to the log, not into the public answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, jsonify

from visa.extensions import db, limiter, talisman
from visa.rate_limit_setup import redis_answers

bp = Blueprint("health", __name__)

#: Seconds a probe waits for Redis; a balancer's own timeout is typically 2-5 s.
REDIS_TIMEOUT = 1.0
_HEADS_KEY = "visa.health.migration_heads"


@dataclass(frozen=True)
class Check:
    """One line of the answer: its name, whether it passed, and what an operator reads."""

    name: str
    ok: bool
    detail: str
    #: What the driver said, for an operator at the console (`visa doctor` prints it); never in the public answer.
    cause: str = ""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def migration_heads(app: Flask) -> frozenset[str]:
    """The head revisions of the app's migration scripts, read once per app (the scripts do not change under it)."""
    heads = app.extensions.get(_HEADS_KEY)
    if heads is None:
        from alembic.script import ScriptDirectory

        heads = frozenset(ScriptDirectory(app.extensions["migrate"].directory).get_heads())
        app.extensions[_HEADS_KEY] = heads
    return heads


def check_database(app: Flask) -> list[Check]:
    """The database answers, and its schema revision is the migrations' head (both checks on one connection)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except Exception as err:  # any driver error means the same to a balancer: this server cannot serve
        app.logger.warning("healthz: the database does not answer", exc_info=True)
        return [Check("database", False, "unreachable", cause=first_line(err)),
                Check("migrations", False, "unknown: no database")]
    wanted = migration_heads(app)
    if current == wanted:
        migrations = Check("migrations", True, f"at {', '.join(sorted(wanted))}")
    else:
        have = ", ".join(sorted(current)) or "none"
        migrations = Check("migrations", False, f"database at {have}, code at {', '.join(sorted(wanted))}: "
                                                "run `flask db upgrade`")
    return [Check("database", True, "reachable"), migrations]


def first_line(err: BaseException) -> str:
    """The first line of what a driver said (SQLAlchemy's wrapper left out), or the error's type."""
    text = str(getattr(err, "orig", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def redis_storage(app: Flask) -> str:
    """RATELIMIT_STORAGE_URI when the rate-limit counters live in Redis, else ""."""
    url = app.config.get("RATELIMIT_STORAGE_URI") or ""
    return url if url.startswith(("redis://", "rediss://", "redis+unix://")) else ""  # the limits library's schemes


def check_redis(app: Flask, timeout: float = REDIS_TIMEOUT) -> list[Check]:
    """Redis answers, when the rate-limit counters are configured to live there (nothing to check otherwise)."""
    url = redis_storage(app)
    if not url:
        return []
    if redis_answers(url, timeout=timeout):
        return [Check("redis", True, "reachable")]
    app.logger.warning("healthz: no Redis answers at the configured RATELIMIT_STORAGE_URI")
    return [Check("redis", False, "unreachable")]


#: Every check /healthz runs, in the order of the answer.
CHECKS: tuple[Callable[[Flask], list[Check]], ...] = (check_database, check_redis)


@bp.get("/healthz")
@limiter.exempt
@talisman(force_https=False)
def healthz():
    app = current_app._get_current_object()
    checks = [check for run in CHECKS for check in run(app)]
    down = [check.name for check in checks if not check.ok]
    response = jsonify(status="down" if down else "ok", down=down,
                       checks={check.name: {"ok": check.ok, "detail": check.detail} for check in checks})
    response.status_code = 503 if down else 200
    response.cache_control.no_store = True
    return response
