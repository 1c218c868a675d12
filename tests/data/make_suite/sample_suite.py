"""A two-test suite that fails on SQLite only, for tests/test_makefile.py (not collected by the main run)."""

import os


def test_needs_postgresql():
    assert os.environ.get("VISA_TEST_DATABASE_URL")


def test_passes_everywhere():
    pass
