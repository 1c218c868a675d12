"""Gunicorn settings read from the project folder (``make run``, ``make bench``, any ``gunicorn wsgi:app`` here).

The request line may be up to 8190 bytes (gunicorn's maximum; its default is
4094), well above the app's own limit on query strings
(``visa.request_checks.MAX_QUERY_BYTES``, 4096 bytes): every over-long query is
refused by the app, with JSON under /api, not by gunicorn's HTML error page.
"""

limit_request_line = 8190


def post_worker_init(worker) -> None:
    """Country outlines and spatial index are ready before the worker takes its first request."""
    from visa.startup import warm_up

    warm_up(worker.wsgi, worker.log.info)
