"""Fetch jsQR (a QR code decoder in plain JavaScript) from the npm registry for the door check page.

The door check reads a pass's QR code with the browser's BarcodeDetector where
there is one; elsewhere (Firefox, desktop Chromium on Linux) it decodes camera
frames with jsQR, which the app serves itself like Leaflet and topojson-client.
Built next to the other fetched artefacts; needs ``npm`` once.
"""

from __future__ import annotations

import shutil

from geodata import BUILD_DIR
from geodata.npm import npm_packages

JSQR = "jsqr@1.4.0"
#: The decoder the app serves at /vendor/jsQR.js (Apache-2.0).
JSQR_JS = BUILD_DIR / "jsQR.js"


def build_jsqr(force: bool = False) -> None:
    if not force and JSQR_JS.exists():
        return
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with npm_packages(JSQR, needed_for="jsQR") as modules:
        source = modules / "jsqr" / "dist" / "jsQR.js"
        part = JSQR_JS.with_suffix(".tmp")
        shutil.copyfile(source, part)
        part.replace(JSQR_JS)
    print(f"geodata: wrote {JSQR_JS.name}", flush=True)
