"""Check stored points against their stated country (Natural Earth 1:50m outlines).

Every coordinate that enters the registry passes :meth:`CountryBoundaries.check`.
When a point is not in its country, the check says what most likely went wrong
(latitude and longitude swapped, a sign lost, microdegrees, a pasted value,
the sea) so a host or an import report can fix it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pycountry
import shapely
from geopy.distance import geodesic
from shapely.geometry import shape
from shapely.ops import nearest_points

#: How far outside the generalised 1:50m outline a point may lie and still count
#: as inside: coastlines at that scale are off by a few km, harbours more.
TOLERANCE_KM = 15.0
#: Territories that Natural Earth draws as part of another country.
TERRITORY_PARENTS = {
    "RE": "FR", "GP": "FR", "MQ": "FR", "GF": "FR", "YT": "FR", "BQ": "NL", "SJ": "NO",
    "TK": "NZ", "CC": "AU", "CX": "AU", "GI": "GB", "XK": "XK",
}
#: Features of world-atlas without an ISO numeric id.
UNNUMBERED = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY", "Indian Ocean Ter.": "AU", "Siachen Glacier": "IN"}


@dataclass
class CoordinateError(ValueError):
    """A point that cannot be stored; *code* is stable, *message* is for people."""

    code: str
    message: str
    suggestion: tuple[float, float] | None = None

    def __str__(self) -> str:
        return self.message


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


class CountryBoundaries:
    def __init__(self, geojson_path: Path | str) -> None:
        with open(geojson_path, encoding="utf-8") as f:
            collection = json.load(f)
        parts: dict[str, list] = {}
        for feature in collection["features"]:
            code = self._code_of(feature)
            if code:
                parts.setdefault(code, []).append(shapely.make_valid(shape(feature["geometry"])))
        self.shapes = {code: shapely.union_all(geoms) for code, geoms in parts.items()}
        for geom in self.shapes.values():
            shapely.prepare(geom)
        self._codes = list(self.shapes)
        self._tree = shapely.STRtree([self.shapes[c] for c in self._codes])

    @staticmethod
    def _code_of(feature: dict) -> str | None:
        numeric = feature.get("id")
        if numeric:
            country = pycountry.countries.get(numeric=str(numeric).zfill(3))
            if country:
                return country.alpha_2
        return UNNUMBERED.get(feature.get("properties", {}).get("name", ""))

    def knows(self, country: str) -> bool:
        return TERRITORY_PARENTS.get(country, country) in self.shapes

    def country_at(self, lat: float, lon: float) -> str | None:
        point = shapely.Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self._codes[int(index)]
        return None

    def distance_km(self, lat: float, lon: float, country: str) -> float:
        """Geodesic distance from the point to the country's outline (0 inside)."""
        geom = self.shapes[TERRITORY_PARENTS.get(country, country)]
        point = shapely.Point(lon, lat)
        if geom.contains(point):
            return 0.0
        nearest = nearest_points(geom, point)[0]
        return geodesic((lat, lon), (nearest.y, nearest.x)).km

    def _inside(self, lat: float, lon: float, country: str) -> bool:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return False
        return self.distance_km(lat, lon, country) <= TOLERANCE_KM

    def check(self, lat: float, lon: float, country: str) -> None:
        """Return if (lat, lon) lies in *country* (ISO alpha-2).

        :raise CoordinateError: saying what is wrong and, when it can tell, the likely fix.
        """
        if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or not (
            math.isfinite(lat) and math.isfinite(lon)
        ):
            raise CoordinateError("not_a_number", "Latitude and longitude must be numbers.")
        country = (country or "").upper()
        if pycountry.countries.get(alpha_2=country) is None and country != "XK":
            raise CoordinateError("unknown_country", f"{country or 'An empty code'} is not an ISO 3166-1 country code.")
        if not self.knows(country):
            # Microstates absent at 1:50m (Tuvalu, ...) can only be range-checked.
            self._check_range(lat, lon, country)
            return
        name = _country_name(country)
        if self._inside(lat, lon, country):
            return
        if abs(lat) > 90 or abs(lon) > 180:
            if self._inside(lat / 1e6, lon / 1e6, country):
                raise CoordinateError(
                    "scaled", f"The coordinates look multiplied by 10^6 (microdegrees); {lat / 1e6:.6f}, "
                    f"{lon / 1e6:.6f} would be in {name}.", (lat / 1e6, lon / 1e6))
            if self._inside(lon, lat, country):
                raise CoordinateError(
                    "swapped", f"Latitude and longitude look swapped: {lon}, {lat} would be in {name}.", (lon, lat))
            self._check_range(lat, lon, country)
        if lat == lon:
            raise CoordinateError(
                "lat_equals_lon", f"Latitude equals longitude ({lat}), which usually means one value was pasted "
                f"twice; the point is not in {name}.")
        if self._inside(lon, lat, country):
            raise CoordinateError(
                "swapped", f"Latitude and longitude look swapped: {lon}, {lat} would be in {name}.", (lon, lat))
        for flipped in ((-lat, lon), (lat, -lon), (-lat, -lon)):
            if self._inside(*flipped, country):
                raise CoordinateError(
                    "sign_flipped", f"A sign looks lost: {flipped[0]}, {flipped[1]} would be in {name}.", flipped)
        actual = self.country_at(lat, lon)
        if actual:
            raise CoordinateError("wrong_country", f"The point {lat}, {lon} is in {_country_name(actual)}, not in {name}.")
        far = self.distance_km(lat, lon, country)
        raise CoordinateError("in_sea", f"The point {lat}, {lon} is in the sea, {far:.0f} km from {name}.")

    @staticmethod
    def _check_range(lat: float, lon: float, country: str) -> None:
        if not -90 <= lat <= 90:
            raise CoordinateError("out_of_range", f"Latitude {lat} is outside -90..90.")
        if not -180 <= lon <= 180:
            raise CoordinateError("out_of_range", f"Longitude {lon} is outside -180..180.")
