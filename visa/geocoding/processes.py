"""Offline place lookups in processes of their own, so their CPU is not taken from the worker's other threads.

A lookup of text the gazetteer does not know is tens of milliseconds of Python (the misspelling searches),
and it holds the GIL while it runs. Run in a gunicorn worker's threads, two such lookups starve the worker's
other threads of the GIL however few slots they are allowed (``VISA_GEOCODE_SLOTS``). Run here, a lookup is
scheduled by the operating system beside the worker, and the worker's thread that asked for it waits without
the GIL.

Each gunicorn worker starts as many processes as it has slots (gunicorn.conf.py, ``post_worker_init``), so the
per-worker cap stays what it was. They run at a lower priority (:data:`NICENESS`), so a flood of lookups cannot
take the cores the worker's requests need either. They are started afresh (``spawn``): a fork of a worker with
threads running could inherit a lock some thread held, and an open SQLite connection. Each opens the gazetteer
read-only and imports nothing of Flask. Tests, the CLI and ``flask run`` start none: their lookups run in the
calling thread.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from visa.geocoding.gazetteer import Gazetteer
from visa.geocoding.resolve import resolve
from visa.geocoding.results import GeocodeResult, PlaceNotFound

#: How much lower the lookup processes' priority is than the worker's (``nice``): when the cores are busy, the
#: worker's requests go first and the lookups take what is left; on idle cores it changes nothing. Measured
#: under the flood on this 2-core machine (load average about 10, 3 runs each, 10 s): the map's p95 70, 54 and
#: 52 ms at 10, against 170, 86 and 87 ms at the worker's own priority.
NICENESS = 10
#: The gazetteer of this lookup process (set by :func:`_open`; None in the worker itself).
_gazetteer: Gazetteer | None = None


def _open(path: str) -> None:
    global _gazetteer
    os.nice(NICENESS)
    _gazetteer = Gazetteer(path)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(parent_sentinel: int) -> None:
    """End this process when its worker ends, however it ends: a worker killed outright (out of memory,
    gunicorn's timeout) never shuts its pool down, and its processes would wait on their queue for good."""
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(0)


def _resolve_here(query: str) -> tuple[int, GeocodeResult | None, dict]:
    """In a lookup process: (its process id, the result or None, and the miss's fields).

    A miss is returned rather than raised: PlaceNotFound does not survive pickling (a dataclass exception
    is rebuilt from its args, and it has none).
    """
    try:
        return os.getpid(), resolve(query, _gazetteer), {}
    except PlaceNotFound as missing:
        return os.getpid(), None, {f.name: getattr(missing, f.name) for f in dataclasses.fields(missing)}


def _started(_: int) -> int:
    return os.getpid()


class LookupProcesses:
    """*count* processes that resolve queries against the gazetteer at *path*, one query each at a time."""

    def __init__(self, path: str, count: int) -> None:
        self.path, self.count = str(path), count
        self._restarting = threading.Lock()
        self._pool = self._start()
        #: The process ids that have answered: the lookups ran there, not in the caller.
        self.answered_by: set[int] = set()

    def _start(self) -> ProcessPoolExecutor:
        """The pool, its processes started now rather than at the first lookups: a spawned process imports
        and opens the gazetteer for about a second of CPU, which the worker's first searches (and its other
        requests meanwhile) would otherwise wait for. As many tasks at once as processes: the pool starts one
        process for each task it cannot give to an idle one."""
        pool = ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_open, initargs=(self.path,))
        list(pool.map(_started, range(self.count)))
        return pool

    def resolve(self, query: str) -> GeocodeResult:
        """As :func:`visa.geocoding.resolve.resolve`, in one of the processes; the caller waits without the GIL.

        :raise PlaceNotFound: with suggestions.
        """
        pool = self._pool
        try:
            pid, result, missed = pool.submit(_resolve_here, query).result()
        except BrokenProcessPool:  # a process was killed (out of memory, by hand): start them again, ask once more
            with self._restarting:  # every waiting thread sees the break; one pool replaces it
                if self._pool is pool:
                    self._pool = self._start()
            pid, result, missed = self._pool.submit(_resolve_here, query).result()
        self.answered_by.add(pid)
        if result is None:
            raise PlaceNotFound(**missed)
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
