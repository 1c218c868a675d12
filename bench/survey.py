"""``python -m bench.survey [--answers N]``: the network's survey figures from N answers (100,000 by default).

Builds 2,000 listed spaces in a fresh SQLite database, gives each a wave that has ended, and spreads N made-up
answers (:mod:`visa.surveys.demo`) over them; then times closing the waves (each counts its answers once), the
network's tables (the waves' counts added up by year, country and question, and suppressed), the open JSON,
and /impact/survey.json and /impact end to end over HTTP against gunicorn (one worker) on 127.0.0.1.
:func:`main` prints a Markdown table and returns its rows (figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime

import sqlalchemy as sa

from bench.network import build_network
from bench.servers import ROOT, Server, percentile
from geodata import GAZETTEER_DB

SPACES = 2_000
REQUESTS = 50


def _migrate(url: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True)


def _load(engine: sa.Engine, answers: int) -> int:
    """A wave per space, ended yesterday but still open, and *answers* made-up answers spread over them; how many
    waves."""
    from visa.surveys.demo import made_up_answers
    from visa.surveys.questionnaire import VERSION

    with engine.begin() as conn:
        space_ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM space ORDER BY id"))]
        created = datetime(2026, 11, 1, tzinfo=UTC)
        conn.execute(sa.text(
            "INSERT INTO survey_wave (space_id, version, starts_on, ends_on, invited, is_published, created_at) "
            "VALUES (:space_id, :version, :starts_on, :ends_on, 0, 0, :created)"),
            [{"space_id": sid, "version": VERSION, "starts_on": date(2026, 11, 1), "ends_on": date(2026, 11, 29),
              "created": created} for sid in space_ids])
        waves = [row[0] for row in conn.execute(sa.text("SELECT id FROM survey_wave ORDER BY id"))]
        rows = [{"wave_id": waves[i % len(waves)], "answers": json.dumps(answer), "answered_on": date(2026, 11, 15)}
                for i, answer in enumerate(made_up_answers(answers))]
        conn.execute(sa.text("INSERT INTO survey_response (wave_id, channel, answers, comment, answered_on) "
                             "VALUES (:wave_id, 'invitation', :answers, '', :answered_on)"), rows)
    return len(waves)


def measure(answers: int) -> list[tuple[str, str, str]]:
    from visa.app import create_app
    from visa.extensions import db
    from visa.surveys.exports import network_json
    from visa.surveys.figures import compute_network_tables
    from visa.surveys.services import close_ended

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        _migrate(url)
        engine = sa.create_engine(url)
        build_network(engine, str(GAZETTEER_DB), SPACES, progress=lambda _line: None)
        started = time.perf_counter()
        waves = _load(engine, answers)
        load_s = time.perf_counter() - started
        engine.dispose()
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            # Closing counts each wave's answers once (what the network's figures then add up).
            started = time.perf_counter()
            closed = close_ended(date(2026, 12, 1))
            db.session.commit()
            close_s = time.perf_counter() - started
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                tables = compute_network_tables()
                runs.append(time.perf_counter() - started)
            started = time.perf_counter()
            body = json.dumps(network_json(tables, "bench"))
            json_s = time.perf_counter() - started
            countries = len({row.country for table in tables for row in table.countries})
            hidden = sum(row.is_suppressed for table in tables for row in table.countries)
            cells = sum(len(table.countries) for table in tables)
            db.session.remove()
            db.engine.dispose()
        server = Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench"}, probe="/api/v1/openapi.json")
        try:
            first = server.get("/impact/survey.json")[0] * 1000  # computes the tables once for this worker
            times = [server.get("/impact/survey.json")[0] * 1000 for _ in range(REQUESTS)]
            page = [server.get("/impact")[0] * 1000 for _ in range(REQUESTS)]
        finally:
            server.close()
    return [
        (f"Load {answers:,} made-up survey answers into {waves:,} ended waves (SQLite, one insert)",
         f"{load_s:.1f} s", "-"),
        (f"Close {closed:,} waves (`visa survey close-ended`): each counts its answers once, {answers:,} in all",
         f"{close_s:.1f} s ({answers / close_s:,.0f} answers/s)", "-"),
        (f"Network survey figures from those {answers:,} answers: add up the waves' counts by year, country and "
         "question, suppress", f"best {min(runs) * 1000:.0f} ms, worst {max(runs) * 1000:.0f} ms; {countries} "
         f"countries, {hidden} of {cells} country cells suppressed", "-"),
        ("Open survey JSON built from those figures", f"{json_s * 1000:.1f} ms, {len(body) / 1024:.0f} KB", "-"),
        ("/impact/survey.json end to end, first request of the worker (figures computed)", f"{first:.0f} ms", "-"),
        ("/impact/survey.json end to end, figures kept", f"p50 {percentile(times, 0.5):.1f} ms, "
         f"p95 {percentile(times, 0.95):.1f} ms", "p95 ≤ 200 ms"),
        ("/impact with the survey's section, end to end", f"p50 {percentile(page, 0.5):.1f} ms, "
         f"p95 {percentile(page, 0.95):.1f} ms", "p95 ≤ 200 ms"),
    ]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000, help="made-up survey answers")
    rows = measure(parser.parse_args(argv).answers)
    print("| Figure | Value | Target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


if __name__ == "__main__":
    main()
