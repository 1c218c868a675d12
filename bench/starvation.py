"""``python -m bench.starvation``: fair shares of the servers under load, over HTTP against gunicorn on 127.0.0.1.

1. The map API under a geocoding flood. 64 connections send place lookups of random text, each lookup from a
   client address of its own behind the proxy (``X-Forwarded-For``, ``VISA_PROXY_COUNT=1``), so no per-client
   rate limit slows them. Meanwhile one client times radius searches of the map API. gunicorn runs 2 workers ×
   4 threads, as ``make run`` does. Measured twice: with the per-worker cap on lookups at once
   (``VISA_GEOCODE_SLOTS``, half a worker's threads by default: visa.geocoding.service) and with the cap lifted
   (every thread may geocode, each lookup in a lookup process of its own: visa.geocoding.processes).
2. A host's save during a 10,000-row import, on PostgreSQL (where a row lock can make one writer wait for
   another; SQLite has one writer at a time). A signed-in host saves the terms form over HTTP again and again
   while ``visa import`` runs in its own process; the import writes the registry version only at its end.
   Needs a PostgreSQL server: VISA_BENCH_PG names a database to connect to for CREATE DATABASE (a database
   ``visa_bench_starvation`` is made and dropped).

:func:`main` prints a Markdown table and returns its rows (figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import requests
import sqlalchemy as sa

from bench.import_probe import write_csv
from bench.network import build_network
from bench.peer import PeerUnavailable, fresh_database
from bench.servers import ROOT, Server, percentile, print_rows
from geodata import GAZETTEER_DB

PG_ADMIN_URL = os.environ.get("VISA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DATABASE = "visa_bench_starvation"
FLOOD_CONNECTIONS = 64
FLOOD_SECONDS = 15.0
QUERY_CHARACTERS = 200  # random text near the longest query taken (300 characters are refused unread)
MAP_SPACES = 5000
IMPORT_ROWS = 10_000
PASSWORD = "correct horse battery"


def _migrate(url: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True)


def _ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms"


# -- 1. The map API under a geocoding flood ---------------------------------------------------------------------


def _flood(port: int, seed: int, stop: threading.Event, answers: Counter, lock: threading.Lock) -> None:
    """One connection's lookups of random text, each from a new client address, until *stop*."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    letters = string.ascii_lowercase + "      "
    while not stop.is_set():
        query = "".join(rng.choice(letters) for _ in range(QUERY_CHARACTERS))
        # A header value only: the address a proxy would report (RFC 2544's benchmark range); no traffic goes there.
        client = f"198.18.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        try:
            conn.request("GET", f"/api/v1/geocode?q={quote(query)}", headers={"X-Forwarded-For": client})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        with lock:
            answers[status] += 1
    conn.close()


def map_under_flood(url: str, points: list[tuple[float, float]], slots: str | None) -> dict:
    """Radius searches before and during the flood; the flood's answers by status."""
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "VISA_PROXY_COUNT": "1", "RATELIMIT_STORAGE_URI": "memory://"}
    if slots:
        env["VISA_GEOCODE_SLOTS"] = slots
    rng = random.Random(3)
    paths = [f"/api/v1/spaces?near={lat:.5f},{lon:.5f}&radius_km=25" for lat, lon in rng.choices(points, k=400)]
    server = Server("wsgi:app", env, workers=2, threads=4, probe="/api/v1/openapi.json")
    try:
        for path in paths[:20]:
            server.get(path)
        quiet = [server.get(path)[0] for path in paths[:200]]
        stop, lock, answers = threading.Event(), threading.Lock(), Counter()
        flooders = [threading.Thread(target=_flood, args=(server.port, i, stop, answers, lock), daemon=True)
                    for i in range(FLOOD_CONNECTIONS)]
        for t in flooders:
            t.start()
        time.sleep(1.0)  # every connection is sending
        loaded: list[float] = []
        deadline = time.monotonic() + FLOOD_SECONDS
        while time.monotonic() < deadline:
            loaded.append(server.get(paths[len(loaded) % len(paths)])[0])
        stop.set()
        for t in flooders:
            t.join(90)
    finally:
        server.close()
    return {"quiet": quiet, "loaded": loaded, "answers": answers}


def flood_rows() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory(prefix="visa-starvation-") as tmp:
        url = f"sqlite:///{tmp}/map.sqlite"
        _migrate(url)
        engine = sa.create_engine(url)
        points = build_network(engine, str(GAZETTEER_DB), MAP_SPACES, progress=lambda _line: None)
        engine.dispose()
        print("==> Map API under a geocoding flood, lookups capped (default: 2 of 4 threads a worker)", flush=True)
        capped = map_under_flood(url, points, None)
        print("==> The same flood with the cap lifted (VISA_GEOCODE_SLOTS=4: every thread may geocode)", flush=True)
        uncapped = map_under_flood(url, points, "4")

    def answered(found: Counter) -> str:
        total = sum(found.values())
        parts = ", ".join(f"{n:,} × {code or 'no answer'}" for code, n in sorted(found.items()))
        return f"{total:,} lookups in {FLOOD_SECONDS:.0f} s: {parts}"

    where = f"{MAP_SPACES:,} spaces, SQLite, gunicorn 2 workers × 4 threads"
    return [
        (f"Map API radius search (25 km), no flood ({where})", _ms(capped["quiet"]), "-"),
        (f"Map API radius search during a geocoding flood ({FLOOD_CONNECTIONS} connections of random text, a new "
         "client address per lookup), lookups capped at 2 of a worker's 4 threads",
         f"{_ms(capped['loaded'])} ({len(capped['loaded'])} searches)", "p95 < 50 ms (before: 1,224 ms)"),
        ("… the flood's lookups, capped", answered(capped["answers"]), "the rest refused at once (503)"),
        ("Map API radius search during the same flood, cap lifted (every thread may geocode)",
         f"{_ms(uncapped['loaded'])} ({len(uncapped['loaded'])} searches; no flood: {_ms(uncapped['quiet'])})",
         "reference"),
        ("… the flood's lookups, cap lifted", answered(uncapped["answers"]), "reference"),
    ]


# -- 2. A host's save during a 10,000-row import ----------------------------------------------------------------


def _host_and_space(url: str) -> str:
    """A confirmed host (host@bench.example) of one listed space; the space's slug."""
    from visa.accounts.models import SpaceHost
    from visa.accounts.services import create_user
    from visa.app import create_app
    from visa.directory.models import RequestMethod, SpaceStatus
    from visa.directory.services import create_space
    from visa.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        user = create_user("host@bench.example", PASSWORD, is_confirmed=True)
        space = create_space({"name": "Bench Desk", "latitude": 38.7223, "longitude": -9.1393, "country_code": "PT",
                              "city": "Lisbon", "status": SpaceStatus.APPROVED},
                             {"request_method": RequestMethod.EMAIL, "is_participating": True,
                              "free_days_per_visit": 3, "weekdays": 31})
        db.session.add(SpaceHost(space_id=space.id, user_id=user.id, is_confirmed=True))
        db.session.commit()
        slug = space.slug
        db.session.remove()
        db.engine.dispose()
    return slug


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _save(browser: requests.Session, form_url: str, days: int) -> float:
    """Load the terms form, then save it; seconds the save took (the POST to its answer)."""
    html = browser.get(form_url, timeout=120).text
    version = re.search(r'name="lock_version" value="(\d*)"', html).group(1)
    data = {"csrf_token": _csrf(html), "lock_version": version, "is_participating": "yes",
            "free_days_per_visit": "3", "free_days_per_month": str(days), "request_method": "email",
            "weekdays": ["mon", "tue", "wed"]}
    started = time.perf_counter()
    answer = browser.post(form_url, data=data, allow_redirects=False, timeout=120)
    elapsed = time.perf_counter() - started
    if answer.status_code != 302:
        errors = re.findall(r'role="alert"[^>]*>(.{3,300}?)</', answer.text, re.S) or [answer.text[:300]]
        raise RuntimeError(f"the save was answered {answer.status_code}: {errors}")
    return elapsed


def _saves_during_import(url: str) -> tuple[list[float], list[float], float, str]:
    """Save times with no import, save times while the import runs, the import's seconds and its summary line."""
    _migrate(url)
    slug = _host_and_space(url)
    with tempfile.TemporaryDirectory(prefix="visa-starvation-") as tmp:
        sheet = Path(tmp) / "legacy.csv"
        write_csv(sheet, IMPORT_ROWS)
        server = Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI":
                                     "memory://"}, workers=2, threads=4, probe="/api/v1/openapi.json")
        try:
            browser = requests.Session()
            login = browser.post(f"{server.base}/login", allow_redirects=False, timeout=60, data={
                "email": "host@bench.example", "password": PASSWORD,
                "csrf_token": _csrf(browser.get(f"{server.base}/login", timeout=60).text)})
            if login.status_code != 302:
                raise RuntimeError(f"sign-in answered {login.status_code}")
            form_url = f"{server.base}/spaces/{slug}/terms"
            quiet = [_save(browser, form_url, 3 + i % 5) for i in range(20)]
            print(f"==> A host saves the terms form again and again while visa import reads {IMPORT_ROWS:,} rows",
                  flush=True)
            output = Path(tmp) / "import.txt"  # a file, not a pipe: a long report would fill a pipe and stall it
            with output.open("w") as out:
                started = time.perf_counter()
                importer = subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "wsgi", "visa", "import", str(sheet)], cwd=ROOT,
                    env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}, stdout=out,
                    stderr=subprocess.STDOUT)
                during: list[float] = []
                while importer.poll() is None:
                    during.append(_save(browser, form_url, 3 + len(during) % 5))
                import_s = time.perf_counter() - started
            report = output.read_text().strip().splitlines()
            summary = next((line for line in report if " rows: " in line), report[-1] if report else "?")
            browser.close()
        finally:
            server.close()
    return quiet, during, import_s, summary


def save_during_import() -> list[tuple[str, str, str]]:
    try:
        with fresh_database(PG_ADMIN_URL, DATABASE) as database:
            saves = _saves_during_import(database.render_as_string(hide_password=False))
    except PeerUnavailable as err:
        return [("A host's save during a 10,000-row import", f"not measured: {err}", "each < 1 s")]
    quiet, during, import_s, summary = saves
    return [
        ("A host's save of the terms form (HTTP POST to its answer), PostgreSQL, gunicorn 2 workers × 4 threads, "
         "no import running", _ms(quiet), "-"),
        (f"The same save while `visa import` reads {IMPORT_ROWS:,} legacy rows (a third geocoded offline)",
         f"{_ms(during)}, longest {max(during) * 1000:.0f} ms, mean {statistics.mean(during) * 1000:.1f} ms "
         f"({len(during)} saves during the {import_s:.1f} s import)", "each < 1 s (before: 11.8 s)"),
        ("… the import's report", summary, "-"),
    ]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    rows = flood_rows() + save_during_import()
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
