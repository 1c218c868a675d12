"""Gunicorn settings read from the project folder (``make run``, ``make bench``, any ``gunicorn wsgi:app`` here).

The request line may be up to 8190 bytes (gunicorn's maximum; its default is
4094), well above the app's own limit on query strings
(``visa.request_checks.MAX_QUERY_BYTES``, 4096 bytes): every over-long query is
refused by the app, with JSON under /api, not by gunicorn's HTML error page.

Workers share what the master built: the app is loaded before forking
(``preload_app``), the master builds the spatial index and its pre-encoded
Features, then freezes them out of the garbage collector (``gc.freeze()``), so
the workers' pages stay shared copy-on-write and no full collection walks them.
``reuse_port`` sets ``SO_REUSEPORT`` on the listening socket. Measured on this
2-core machine (2026-11-24, 2 workers × 4 threads, wrk with 8 keep-alive
connections, gunicorn's access log counting each worker's answers): with it,
every round split the requests about 50/50 between the workers; without it,
one worker took every connection in 4 rounds of 4 and the throughput halved.
Each worker opens its own listening socket once forked, so a load test must
start after the last worker listens (the bench waits for it). ``make bench``
prints the split of each round.

Workers and threads: the search is CPU work under the GIL (numpy, then joining
bytes), and a request waits on the database only for the registry version and,
with filters, a small query. So one worker per core, and a few threads per worker
to cover those waits: on 2 cores ``--workers 2 --threads 4`` (what ``make bench``
measures against the peer; its workers × threads row, from 1×1 to 3×4, is what
this rests on). On 8 cores ``--workers 8 --threads 4`` follows the same rule; it
could not be measured here, on a 2-core machine. The master builds everything
once, so each extra worker adds only the pages it writes to (the bench prints a
worker's own memory, USS, beside its resident size).
"""

import contextlib
import ctypes
import gc

limit_request_line = 8190
preload_app = True
reuse_port = True


def on_starting(server) -> None:
    """Before listening: no development secret key on an address reachable from other machines."""
    from visa.startup import refuse_unsafe_start

    refuse_unsafe_start(server.app.wsgi(), server.cfg.bind)


def when_ready(server) -> None:
    """In the master, before the first fork: warm up once, drop connections, freeze what was built."""
    from visa.startup import warm_up

    warm_up(server.app.wsgi(), server.log.info, before_fork=True)
    gc.collect()
    gc.freeze()  # objects alive now are never scanned again: the index, the Features, the modules
    _return_free_heap()


def _return_free_heap() -> None:
    """Give back to the system the heap that building freed (rows read, transient tuples), so the
    workers do not each inherit it: glibc keeps freed memory in the process unless asked."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl, macOS): nothing to ask
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def post_worker_init(worker) -> None:
    """Country outlines and spatial index are ready before the worker takes its first request, and its
    place lookups run in at most half its threads (visa.geocoding.service.geocode), their gazetteer work
    in as many processes of the worker's own (visa.geocoding.processes).

    After a preload this only checks the registry version (a write since the fork rebuilds).
    """
    import os

    from visa.geocoding.service import fit_slots_to_threads, start_lookup_processes
    from visa.startup import warm_up

    slots = fit_slots_to_threads(worker.wsgi, worker.cfg.threads, os.environ.get("VISA_GEOCODE_SLOTS"))
    start_lookup_processes(worker.wsgi)
    worker.log.info(f"place lookups at once: {slots} of {worker.cfg.threads} threads, each in a process of its own")
    warm_up(worker.wsgi, worker.log.info)
