"""Country outlines and the spatial index are made at start-up or by the build step, never by a request."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from visa.directory.locations import MissingGeodata, check_location
from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.startup import warm_up

ROOT = Path(__file__).resolve().parents[1]


def test_missing_outlines_never_run_npm_from_the_app(app, tmp_path, monkeypatch):
    """A stand-in npm on PATH records any call: the write path must not build the outlines."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "npm-was-run"
    npm = bin_dir / "npm"
    npm.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    app.config["VISA_COUNTRIES_PATH"] = str(tmp_path / "countries-missing.geojson")
    with pytest.raises(MissingGeodata, match="make install"):
        check_location(38.72, -9.14, "PT")
    assert not marker.exists()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # and without npm: an exception, not an exit
    with pytest.raises(MissingGeodata):
        check_location(38.72, -9.14, "PT")


def test_warm_up_builds_the_index_that_requests_then_use(app, make_space):
    make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    said: list[str] = []
    warm_up(app, said.append)
    assert said[0].startswith("country outlines loaded: ") and said[1].startswith("spatial index built: 1 spaces")
    built = get_index(db.session)
    assert len(built) == 1 and get_index(db.session) is built
    # Every template compiled before a worker forks: none is compiled again by the pages it serves.
    assert said[-1].startswith("templates compiled: ")
    assert set(app.jinja_env.list_templates()) <= {name for _, name in app.jinja_env.cache}


def _gunicorn(database_url: str, tmp_path: Path, *options: str) -> tuple[subprocess.Popen, int, Path]:
    """gunicorn serving wsgi:app with one worker on a free port of 127.0.0.1: the process, the port, its log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test", "VISA_MAIL_DIR": str(tmp_path)}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", *options, "--error-logfile", str(log), "wsgi:app"], cwd=ROOT, env=env)
    return server, port, log


def test_gunicorn_worker_is_ready_before_its_first_request(database_url, make_space, tmp_path):
    make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    server, port, log = _gunicorn(database_url, tmp_path)
    try:
        deadline = time.monotonic() + 60
        # Twice: in the master before the fork (preload), then the worker's check before its first request.
        while (log.read_text() if log.exists() else "").count("spatial index built") < 2:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text() if log.exists() else ""
            time.sleep(0.1)
        text = log.read_text()
        assert "country outlines loaded" in text and "spatial index built: 1 spaces" in text
        # Built in the master before the fork, Features encoded there too, so the workers share them.
        assert text.index("spatial index built") < text.index("Booting worker") and "Features encoded: 1" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/spaces?near=38.72,-9.14") as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_gunicorn_workers_lookups_run_in_its_own_processes_and_end_with_it(database_url, tmp_path):
    """Each worker starts one lookup process per slot (visa.geocoding.processes); they stop when it stops."""
    import psutil

    server, port, log = _gunicorn(database_url, tmp_path, "--threads", "4")
    lookups: list = []
    try:
        deadline = time.monotonic() + 60
        while "place lookups at once" not in (log.read_text() if log.exists() else ""):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text() if log.exists() else ""
            time.sleep(0.1)
        assert "place lookups at once: 2 of 4 threads, each in a process of its own" in log.read_text()
        [worker] = psutil.Process(server.pid).children()
        lookups = [p for p in worker.children() if "spawn_main" in " ".join(p.cmdline())]
        assert len(lookups) == 2  # started with the worker, before its first lookup
        for query in ("Lisbon", "Porto"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/geocode?q={query}") as answer:
                assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    psutil.wait_procs(lookups, timeout=10)
    assert not any(p.is_running() for p in lookups)


def test_a_development_key_is_refused_beyond_loopback(database_url, tmp_path):
    """gunicorn stops before it listens on 0.0.0.0 with a development key (a strong key: the test below)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "VISA_MAIL_DIR": str(tmp_path)}
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"0.0.0.0:{port}", "--workers", "1",
               "wsgi:app"]
    refused = subprocess.run(command, cwd=ROOT, env={**env, "SECRET_KEY": "test"}, capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1
    assert "refusing to serve on 0.0.0.0" in refused.stderr and "development SECRET_KEY" in refused.stderr


def test_what_counts_as_loopback_and_as_a_development_key(app):
    from visa.config import is_development_key
    from visa.startup import UnsafeStart, is_loopback, refuse_unsafe_start

    assert [is_loopback(b) for b in ("127.0.0.1:8000", "[::1]:80", "localhost:5000", "unix:/run/visa.sock")] == \
        [True] * 4
    assert [is_loopback(b) for b in ("0.0.0.0:80", "[::]:80", "10.0.0.5:8000", "visa.example.org:80")] == [False] * 4
    assert is_development_key("test") and is_development_key("short-key") and is_development_key(None)
    assert not is_development_key("a-long-production-secret-key-0123456789")
    refuse_unsafe_start(app, ["127.0.0.1:8000"])  # a trial on this machine is fine
    with pytest.raises(UnsafeStart):
        refuse_unsafe_start(app, ["127.0.0.1:8000", "0.0.0.0:8000"])
    app.config["SECRET_KEY"] = "a-long-production-secret-key-0123456789"
    refuse_unsafe_start(app, ["0.0.0.0:8000"])
