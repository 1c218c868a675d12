"""Fetching packages from the npm registry at build time, by name and version, into a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def npm_packages(*specs: str, needed_for: str) -> Iterator[Path]:
    """Install *specs* (``name@version``) into a temporary prefix; yields its ``node_modules``.

    Exits with a message naming *needed_for* when npm is missing.
    """
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(f"npm is needed once to fetch {needed_for}; install Node.js/npm")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"geodata: fetching {', '.join(specs)} from the npm registry", flush=True)
        # Exact versions: a tarball already in npm's cache is the one asked for (npm checks its integrity),
        # so --prefer-offline only saves the registry round trips of a rebuild.
        subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefer-offline", "--prefix", tmp, *specs],
                       check=True)
        yield Path(tmp) / "node_modules"
