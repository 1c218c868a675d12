"""Fetch jsQR (a QR code decoder in plain JavaScript) from the npm registry for the door check page.

The door check reads a pass's QR code with the browser's BarcodeDetector where
there is one; elsewhere (Firefox, desktop Chromium on Linux) it decodes camera
frames with jsQR, which the app serves itself like Leaflet and topojson-client.
Built next to the other fetched artefacts; needs ``npm`` once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from geodata import BUILD_DIR

JSQR = "jsqr@1.4.0"
#: The decoder the app serves at /vendor/jsQR.js (Apache-2.0).
JSQR_JS = BUILD_DIR / "jsQR.js"


def build_jsqr(force: bool = False) -> None:
    if not force and JSQR_JS.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed once to fetch jsQR; install Node.js/npm")
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"geodata: fetching {JSQR} from the npm registry", flush=True)
        subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", tmp, JSQR], check=True)
        source = Path(tmp) / "node_modules" / "jsqr" / "dist" / "jsQR.js"
        part = JSQR_JS.with_suffix(".tmp")
        shutil.copyfile(source, part)
        part.replace(JSQR_JS)
    print(f"geodata: wrote {JSQR_JS.name}", flush=True)
