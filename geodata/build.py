"""``python -m geodata.build [--into DIR]``: build every geographic artefact the app needs.

The app's own ``flask visa build-geodata`` calls :func:`build_all` with the
folder the app reads (``VISA_GEODATA_DIR``, see :mod:`visa.config`); this
module's default is :data:`geodata.BUILD_DIR`, the checkout's ``geodata/build``.
"""

from __future__ import annotations

import argparse

from geodata import BUILD_DIR, GeodataPaths
from geodata.admin1_build import build_admin1
from geodata.countries_build import build_countries
from geodata.gazetteer_build import build_gazetteer
from geodata.jsqr_build import build_jsqr
from geodata.labels_build import build_labels
from geodata.names_build import build_place_names


def build_all(paths: GeodataPaths, force: bool = False) -> None:
    """Build what is missing or out of date in *paths*' folder (everything with *force*)."""
    build_countries(paths, force=force)
    build_admin1(paths, force=force)
    build_gazetteer(paths.gazetteer, force=force)
    build_labels(paths, force=force)  # reads the gazetteer
    build_place_names(paths, force=force)  # reads the gazetteer
    build_jsqr(paths, force=force)  # the door check's QR decoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the artefacts are current")
    parser.add_argument("--into", default=str(BUILD_DIR), help=f"the folder to build into (default {BUILD_DIR})")
    args = parser.parse_args()
    build_all(GeodataPaths.at(args.into), force=args.force)


if __name__ == "__main__":
    main()
