"""Fetch Natural Earth country outlines from the npm registry and convert them.

world-atlas ships Natural Earth admin-0 countries as TopoJSON; topojson-client's
``topo2geo`` turns them into GeoJSON that shapely reads. Both come from the npm
registry by package name, so the build needs ``npm`` but no other host.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from geodata import BASEMAP_TOPOJSON, BUILD_DIR, COUNTRIES_GEOJSON, TOPOJSON_CLIENT_JS

WORLD_ATLAS = "world-atlas@2.0.2"
TOPOJSON_CLIENT = "topojson-client@3.1.0"


def build_countries(force: bool = False) -> None:
    """Write the country GeoJSON, the basemap TopoJSON and its decoder into BUILD_DIR."""
    wanted = (COUNTRIES_GEOJSON, BASEMAP_TOPOJSON, TOPOJSON_CLIENT_JS)
    if not force and all(p.exists() for p in wanted):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed once to fetch world-atlas (Natural Earth); install Node.js/npm")
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"geodata: fetching {WORLD_ATLAS} and {TOPOJSON_CLIENT} from the npm registry", flush=True)
        subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", tmp, WORLD_ATLAS, TOPOJSON_CLIENT],
            check=True,
        )
        modules = Path(tmp) / "node_modules"
        topology = modules / "world-atlas" / "countries-50m.json"
        tmp_out = COUNTRIES_GEOJSON.with_suffix(".tmp")
        with topology.open("rb") as source, tmp_out.open("wb") as sink:
            subprocess.run([str(modules / ".bin" / "topo2geo"), "countries=-"], stdin=source, stdout=sink, check=True)
        tmp_out.replace(COUNTRIES_GEOJSON)
        shutil.copyfile(modules / "world-atlas" / "countries-110m.json", BASEMAP_TOPOJSON)
        shutil.copyfile(modules / "topojson-client" / "dist" / "topojson-client.min.js", TOPOJSON_CLIENT_JS)
    print(f"geodata: wrote {COUNTRIES_GEOJSON.name}, {BASEMAP_TOPOJSON.name}", flush=True)
