"""The deployment files say what the app does: the cron jobs are commands the CLI has, run through deploy/visa-cli
with deploy/visa.env, and every setting of that file is one the app reads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
#: A cron.d line, commented out or not: five time fields, the user, then the command.
CRON_JOB = re.compile(r"^#?\s*([\d*/,-]+\s+){5}(?P<user>\w+)\s+(?P<command>.+)$")


def _cron_jobs() -> list[tuple[bool, list[str]]]:
    """(active, words after visa-cli) of each job in deploy/visa.cron; commented jobs are templates."""
    jobs = []
    for line in (DEPLOY / "visa.cron").read_text().splitlines():
        found = CRON_JOB.match(line)
        if found:
            command = found["command"].split()
            assert command[0] == "/usr/local/bin/visa-cli", line
            jobs.append((not line.startswith("#"), command[1:]))
    return jobs


def _visa_cli(*args: str) -> str:
    """deploy/visa-cli run as cron runs it: the settings of deploy/visa.env, the virtualenv's flask."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "VISA_ENV": str(DEPLOY / "visa.env"), "VISA_VENV": str(Path(sys.executable).parent.parent)}
    done = subprocess.run([str(DEPLOY / "visa-cli"), *args], env=env, capture_output=True, text=True, timeout=120,
                          cwd=ROOT.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _commands(help_text: str) -> set[str]:
    listing = help_text.split("Commands:", 1)[1]
    return {line.split()[0] for line in listing.splitlines() if line.strip()}


def test_every_cron_job_is_a_command_of_the_cli():
    jobs = _cron_jobs()
    active = {words[0] for is_active, words in jobs if is_active}
    assert {"remind-stale", "remind-hosts", "forget-expired", "backup"} <= active
    commands = _commands(_visa_cli("--help"))
    assert "build-geodata" in commands
    assert active <= commands
    # A campaign's reminders are a template line (one per campaign); once the CLI has campaigns, it names them right.
    templates = [words for is_active, words in jobs if not is_active]
    assert ["campaign", "remind"] in [words[:2] for words in templates]
    if "campaign" in commands:
        assert "remind" in _commands(_visa_cli("campaign", "--help"))


def test_every_setting_of_the_environment_file_is_read_by_the_app():
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", (DEPLOY / "visa.env").read_text(), flags=re.MULTILINE)
    source = "\n".join(path.read_text() for path in (ROOT / "visa").rglob("*.py"))
    unread = [name for name in names if name != "FLASK_APP" and f'"{name}"' not in source]
    assert names and not unread
