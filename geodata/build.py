"""``python -m geodata.build``: build every geographic artefact the app needs."""

from __future__ import annotations

import argparse

from geodata.countries_build import build_countries
from geodata.gazetteer_build import build_gazetteer
from geodata.jsqr_build import build_jsqr
from geodata.labels_build import build_labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="rebuild even if the artefacts are current")
    args = parser.parse_args()
    build_countries(force=args.force)
    build_gazetteer(force=args.force)
    build_labels(force=args.force)  # reads the gazetteer
    build_jsqr(force=args.force)  # the door check's QR decoder


if __name__ == "__main__":
    main()
