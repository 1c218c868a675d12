"""`make test`: both databases run whatever happened before, and the last lines say how each went."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "make_suite" / "sample_suite.py"
PG_URL = os.environ.get("VISA_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _make_test(tmp_path: Path, pg_url: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("CI", "VISA_TEST_DATABASE_URL", "MAKEFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "--no-print-directory", "test", f"PYTEST_ARGS={SAMPLE}", f"RESULTS={tmp_path}",
         f"PG_TEST_URL={pg_url}"],
        cwd=ROOT, env={**environment, **env}, capture_output=True, text=True, timeout=300)


def _reachable(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def test_postgresql_runs_after_a_sqlite_failure_and_both_are_summarised(tmp_path):
    if not _reachable(PG_URL):
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}")
    result = _make_test(tmp_path, PG_URL)
    assert result.returncode != 0
    last = result.stdout.strip().splitlines()[-3:]
    assert last[0] == "ruff: passed"
    assert last[1].startswith("SQLite: FAILED (1 failed, 1 passed")
    assert last[2].startswith("PostgreSQL: passed (2 passed")


def test_unreachable_postgresql_is_skipped_aloud_but_fails_under_ci(tmp_path):
    nowhere = "postgresql://postgres@127.0.0.1:1/nowhere"
    local = _make_test(tmp_path / "local", nowhere)
    assert local.stdout.strip().splitlines()[-1] == f"PostgreSQL: SKIPPED (not reachable at {nowhere})"
    assert local.returncode != 0  # the SQLite run of the sample fails
    ci = _make_test(tmp_path / "ci", nowhere, CI="true")
    assert ci.returncode != 0
    assert ci.stdout.strip().splitlines()[-1] == (
        f"PostgreSQL: FAILED (not reachable at {nowhere}, and CI requires it)")
