"""Where rate-limit counters live, what happens when they cannot be reached, and whose address they count.

Counters must be shared by every worker, or each of N workers allows the
configured number (login would allow 10 a minute per worker). So when
``RATELIMIT_STORAGE_URI`` is not set, the Redis at ``VISA_REDIS_URL`` is used
if it answers within a short timeout; otherwise the counters stay in each
process and the log says so.

A Redis that stops answering later (or a configured one that never did) costs
the shared counting, never a request: Flask-Limiter's in-memory fallback
(``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``, on in ``visa.config.DEFAULTS``)
counts in the process until the storage answers again, and
:class:`OncePerMinute` keeps its warning to one line a minute however often
the storage comes and goes.

Behind a reverse proxy every request comes from the proxy's address, so every
client would share one bucket: ``VISA_PROXY_COUNT`` (the number of proxies in
front of the app) makes Werkzeug's ProxyFix take the client's address, scheme
and host from the ``X-Forwarded-*`` headers those proxies set, and from no one
else (a client cannot choose its address by sending the header itself).
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

#: Seconds to wait for Redis at start-up before falling back to per-process counters.
REDIS_CONNECT_TIMEOUT = 0.3
#: Seconds a rate-limit check waits for a connected Redis: a stalled one costs a request this much, then the
#: process counts alone. Short, because every rate-limited request pays it while Redis hangs.
REDIS_COMMAND_TIMEOUT = 1.0
#: At most one "storage unreachable" line in this many seconds.
FALLBACK_LOG_INTERVAL = 60.0


def redis_answers(url: str, timeout: float = REDIS_CONNECT_TIMEOUT) -> bool:
    """Does a Redis server answer PING at *url* (redis://, rediss://, or the limits library's redis+unix://)?"""
    if url.startswith("redis+unix://"):
        url = url.removeprefix("redis+")  # redis-py's name for a socket
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError:  # not a redis:// URL
        return False
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def choose_storage(app: Flask) -> None:
    """Set ``RATELIMIT_STORAGE_URI``, unless configured: Redis when it answers, else memory (with a warning)."""
    if app.config.get("RATELIMIT_STORAGE_URI"):
        return
    url = app.config["VISA_REDIS_URL"]
    if redis_answers(url):
        app.config["RATELIMIT_STORAGE_URI"] = url
        _short_timeouts(app)
        app.logger.info("Rate limits are counted in Redis at %s (shared by all workers).", url)
        return
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    app.logger.warning("No Redis answers at %s and RATELIMIT_STORAGE_URI is not set: rate limits are counted "
                       "per process, so each worker allows the full limit.", url)


def _short_timeouts(app: Flask) -> None:
    """A Redis that does not answer fails fast (the fallback takes over), instead of after the OS's timeout."""
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                                                             "socket_timeout": REDIS_COMMAND_TIMEOUT})


class OncePerMinute(logging.Filter):
    """Lets Flask-Limiter's "storage unreachable" warning through at most once per interval (per process).

    The library warns each time it switches to its fallback; a Redis that flaps would write a line per flap.
    """

    MARK = "storage unreachable"

    def __init__(self, interval: float = FALLBACK_LOG_INTERVAL) -> None:
        super().__init__()
        self.interval = interval
        self._last = -float("inf")
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.MARK not in record.getMessage():
            return True
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.interval:
                return False
            self._last = now
        record.msg, record.args = ("Rate-limit storage unreachable: counting per process (each worker allows the "
                                   "full limit) until it answers again.", ())
        return True


def degrade_quietly(limiter_logger: logging.Logger) -> None:
    """Throttle the fallback warning of Flask-Limiter's logger (once per process, however many apps)."""
    if not any(isinstance(f, OncePerMinute) for f in limiter_logger.filters):
        limiter_logger.addFilter(OncePerMinute())


def trust_proxies(app: Flask) -> None:
    """Take the client's address from the X-Forwarded-* headers of ``VISA_PROXY_COUNT`` proxies."""
    count = app.config.get("VISA_PROXY_COUNT") or 0
    if count > 0:
        # Not X-Forwarded-Prefix: the proxies in deploy/ do not set it, so a client could, and the URL root it
        # names keys what the app keeps per root (the Features' links, the header's fragments). An app served
        # under a path gets it from the server (gunicorn's SCRIPT_NAME).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
