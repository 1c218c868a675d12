"""Fetch jsQR (a QR code decoder in plain JavaScript) from the npm registry for the door check page.

The door check reads a pass's QR code with the browser's BarcodeDetector where
there is one; elsewhere (Firefox, desktop Chromium on Linux) it decodes camera
frames with jsQR, which the app serves itself like Leaflet and topojson-client.
Built next to the other fetched artefacts; needs ``npm`` once.
"""

from __future__ import annotations

import shutil

from geodata import GeodataPaths
from geodata.npm import npm_packages

#: The decoder the app serves at /vendor/jsQR.js (Apache-2.0).
JSQR = "jsqr@1.4.0"


def build_jsqr(paths: GeodataPaths, force: bool = False) -> None:
    if not force and paths.jsqr.exists():
        return
    paths.root.mkdir(parents=True, exist_ok=True)
    with npm_packages(JSQR, needed_for="jsQR") as modules:
        source = modules / "jsqr" / "dist" / "jsQR.js"
        part = paths.jsqr.with_suffix(".tmp")
        shutil.copyfile(source, part)
        part.replace(paths.jsqr)
    print(f"geodata: wrote {paths.jsqr.name}", flush=True)
