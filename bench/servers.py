"""Serve a WSGI app with gunicorn on a free port of 127.0.0.1 and time requests to it over HTTP."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    """The *q* quantile of *values* (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def print_rows(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A bench module's rows (figure, value, target) as the Markdown table it prints when run alone; returns them."""
    print("| Figure | Value | Target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn running *target* (``module:app``) with *env*, and one keep-alive connection to it."""

    def __init__(self, target: str, env: dict[str, str], workers: int = 1, threads: int = 1,
                 probe: str = "/", config: str | None = None, access_log: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = access_log
        # The access log, when asked for, says only which worker (process id) answered each request.
        logging = ["--access-logfile", str(access_log), "--access-logformat", "%(p)s"] if access_log else []
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(workers), "--threads", str(threads), *(["--config", config] if config else []), *logging, target],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300  # a million spaces are built before the first fork
        while True:
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.get(probe)
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError(f"gunicorn {target} did not start") from None
                time.sleep(0.2)
        self._wait_for_workers(workers, deadline)

    def _wait_for_workers(self, workers: int, deadline: float) -> None:
        """Until every worker listens: the probe's answer says only that one does.

        With reuse_port each worker opens its own listening socket once forked, and the
        kernel spreads new connections over the sockets that exist. A load test started
        before the last worker listens puts its keep-alive connections on the others for
        the whole round (seen here: half the throughput in 4 rounds of 8).
        """
        while time.monotonic() < deadline:
            children = psutil.Process(self.proc.pid).children()
            listening = [c for c in children
                         if any(conn.status == psutil.CONN_LISTEN and conn.laddr.port == self.port
                                for conn in c.net_connections("tcp"))]
            if len(listening) >= workers:
                return
            time.sleep(0.05)
        self.close()
        raise RuntimeError(f"gunicorn: fewer than {workers} workers listening")

    def get(self, path: str) -> tuple[float, bytes]:
        """Seconds from request to the last byte of the body, and the body; anything but 200 is an error."""
        started = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
        return elapsed, body

    def worker_rss_mb(self) -> float:
        children = psutil.Process(self.proc.pid).children()
        return max((c.memory_info().rss for c in children), default=0) / 2**20

    def worker_memory_mb(self) -> list[tuple[float, float]]:
        """Each worker's resident memory and the part of it that is its own (USS: not shared with the master)."""
        found = []
        for child in psutil.Process(self.proc.pid).children():
            info = child.memory_full_info()
            found.append((info.rss / 2**20, info.uss / 2**20))
        return found

    def pss_mb(self) -> float:
        """Proportional set size of the master plus its workers: each shared page counted once in all."""
        master = psutil.Process(self.proc.pid)
        return sum(p.memory_full_info().pss for p in (master, *master.children())) / 2**20

    def requests_per_worker(self) -> list[int]:
        """How many requests each worker answered, busiest first (needs *access_log*)."""
        if self.access_log is None or not self.access_log.exists():
            return []
        return sorted(Counter(self.access_log.read_text().split()).values(), reverse=True)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
