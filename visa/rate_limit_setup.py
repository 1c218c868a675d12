"""Where rate-limit counters live, and whose address they count.

Counters must be shared by every worker, or each of N workers allows the
configured number (login would allow 10 a minute per worker). So when
``RATELIMIT_STORAGE_URI`` is not set, the Redis at ``VISA_REDIS_URL`` is used
if it answers within a short timeout; otherwise the counters stay in each
process and the log says so.

Behind a reverse proxy every request comes from the proxy's address, so every
client would share one bucket: ``VISA_PROXY_COUNT`` (the number of proxies in
front of the app) makes Werkzeug's ProxyFix take the client's address, scheme
and host from the ``X-Forwarded-*`` headers those proxies set, and from no one
else (a client cannot choose its address by sending the header itself).
"""

from __future__ import annotations

import redis
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

#: Seconds to wait for Redis at start-up before falling back to per-process counters.
REDIS_CONNECT_TIMEOUT = 0.3


def redis_answers(url: str, timeout: float = REDIS_CONNECT_TIMEOUT) -> bool:
    """Does a Redis server answer PING at *url*?"""
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
        app.logger.info("Rate limits are counted in Redis at %s (shared by all workers).", url)
        return
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    app.logger.warning("No Redis answers at %s and RATELIMIT_STORAGE_URI is not set: rate limits are counted "
                       "per process, so each worker allows the full limit.", url)


def trust_proxies(app: Flask) -> None:
    """Take the client's address from the X-Forwarded-* headers of ``VISA_PROXY_COUNT`` proxies."""
    count = app.config.get("VISA_PROXY_COUNT") or 0
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count,
                                x_prefix=count)
