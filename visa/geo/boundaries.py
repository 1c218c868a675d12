"""Check stored points against their stated country (Natural Earth 1:50m outlines).

Every coordinate that enters the registry passes :meth:`CountryBoundaries.check`.
When a point is not in its country, the check says what most likely went wrong
(latitude and longitude swapped, a sign lost, ×10^5 or ×10^6, a pasted value,
the sea, another country) and the fix, so a host or an import report can act.

Disputed areas (the policy, also in geodata/SOURCES.md): a point is accepted
under every country that claims it. The outlines come in more than one drawing
(Natural Earth as held on the ground, and as the UN draws it); a point inside
a country in any drawing is inside it. :data:`CLAIMS` adds the whole
territories that another country claims (Kosovo by Serbia, Taiwan by China...).
Where a check still disagrees with GeoNames, the caller's *vouch* (a GeoNames
place of the stated country near the point) wins: see :meth:`CountryBoundaries.check`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import shapely
import shapely.affinity
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
#: Whole territories claimed by another country than the one drawn: {territory: claimants}.
#: From Natural Earth's breakaway and disputed areas; partial claims (Crimea) come from the drawings.
CLAIMS = {"XK": ("RS",), "TW": ("CN",), "EH": ("MA",), "FK": ("AR",), "GI": ("ES",)}
#: Place-vouching callback: is there a GeoNames place of *country* near (lat, lon)?
Vouch = Callable[[float, float, str], bool]


@dataclass
class CoordinateError(ValueError):
    """A point that cannot be stored; *code* is stable, *message* is for people."""

    code: str
    message: str
    suggestion: tuple[float, float] | None = None
    #: The values the message names, so that pages can say it in the reader's language (visa/l10n.py).
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


#: Names for codes that pycountry does not carry (user-assigned codes).
_EXTRA_NAMES = {"XK": "Kosovo"}


def _country_name(code: str) -> str:
    if code in _EXTRA_NAMES:
        return _EXTRA_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


_EAST_OF_180 = shapely.box(180, -90, 540, 90)
_WORLD = shapely.box(-180, -90, 180, 90)


def _valid(geom):
    """The geometry, repaired; a part cut at 180° (Chukotka, Fiji) is joined first.

    TopoJSON draws such a part as one ring that jumps from 180 to -180. Repaired
    as it is, that ring turns inside out: the Kola peninsula fell outside Russia
    while the Greenland Sea fell inside. Moving its western longitudes east by
    360° makes the ring whole; the repaired part is then cut back at 180°.
    """
    parts = list(getattr(geom, "geoms", [geom]))
    fixed = []
    for part in parts:
        minx, _, maxx, _ = part.bounds
        if maxx - minx <= 180:
            fixed.append(shapely.make_valid(part))
            continue
        whole = shapely.make_valid(shapely.transform(part, lambda xy: xy + [[360, 0]] * (xy[:, :1] < 0)))
        fixed.append(shapely.intersection(whole, _WORLD))
        fixed.append(shapely.affinity.translate(shapely.intersection(whole, _EAST_OF_180), xoff=-360))
    return shapely.union_all(fixed)


class CountryBoundaries:
    """Country outlines in one or more drawings; a point in a country in any drawing is in it."""

    def __init__(self, geojson_path: Path | str, *other_drawings: Path | str) -> None:
        self.drawings = [self._read(path) for path in (geojson_path, *other_drawings)]
        #: The first drawing names the country a point is in, for messages.
        self.shapes = self.drawings[0]
        self._codes = list(self.shapes)
        self._tree = shapely.STRtree([self.shapes[c] for c in self._codes])

    @classmethod
    def _read(cls, path: Path | str) -> dict[str, object]:
        with open(path, encoding="utf-8") as f:
            collection = json.load(f)
        parts: dict[str, list] = {}
        for feature in collection["features"]:
            code = cls._code_of(feature)
            if code:
                parts.setdefault(code, []).append(_valid(shape(feature["geometry"])))
        shapes = {code: shapely.union_all(geoms) for code, geoms in parts.items()}
        for geom in shapes.values():
            shapely.prepare(geom)
        return shapes

    @staticmethod
    def _code_of(feature: dict) -> str | None:
        numeric = feature.get("id")
        if numeric and str(numeric).lstrip("-").isdigit() and int(numeric) > 0:
            country = pycountry.countries.get(numeric=str(numeric).zfill(3))
            if country:
                return country.alpha_2
        return UNNUMBERED.get(feature.get("properties", {}).get("name", ""))

    def knows(self, country: str) -> bool:
        return any(TERRITORY_PARENTS.get(country, country) in shapes for shapes in self.drawings)

    def main_bounds(self, country: str) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of the country's largest outline (France without its overseas regions),
        None for a country the outlines do not draw."""
        geom = self.shapes.get(TERRITORY_PARENTS.get(country, country))
        if geom is None:
            return None
        largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
        return tuple(float(v) for v in largest.bounds)

    def country_at(self, lat: float, lon: float) -> str | None:
        point = shapely.Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self._codes[int(index)]
        return None

    def _claimed_shapes(self, country: str) -> Iterable:
        """Every outline *country* holds or claims, in every drawing."""
        codes = [TERRITORY_PARENTS.get(country, country)]
        codes += [territory for territory, claimants in CLAIMS.items() if country in claimants]
        for shapes in self.drawings:
            for code in codes:
                if code in shapes:
                    yield shapes[code]

    def distance_km(self, lat: float, lon: float, country: str) -> float:
        """Geodesic distance from the point to the nearest outline the country holds or claims (0 inside)."""
        point = shapely.Point(lon, lat)
        best = math.inf
        for geom in self._claimed_shapes(country):
            if geom.contains(point):
                return 0.0
            nearest = nearest_points(geom, point)[0]
            best = min(best, geodesic((lat, lon), (nearest.y, nearest.x)).km)
        return best

    def _inside(self, lat: float, lon: float, country: str) -> bool:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return False
        return self.distance_km(lat, lon, country) <= TOLERANCE_KM

    def check(self, lat: float, lon: float, country: str, vouch: Vouch | None = None) -> None:
        """Return if (lat, lon) lies in *country* (ISO alpha-2), or in an area it claims.

        *vouch(lat, lon, country)*, when given, is asked before a point in range
        is refused: GeoNames placing a town of *country* right there wins over the
        outlines (a small island the 1:50m drawing leaves out, a disputed town).

        :raise CoordinateError: saying what is wrong and, when it can tell, the likely fix.
        """
        if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or not (
            math.isfinite(lat) and math.isfinite(lon)
        ):
            raise CoordinateError("not_a_number", "Latitude and longitude must be numbers.")
        country = (country or "").upper()
        if pycountry.countries.get(alpha_2=country) is None and country != "XK":
            raise CoordinateError("unknown_country", f"{country or 'An empty code'} is not an ISO 3166-1 country code.",
                                  params={"code": country})
        if not self.knows(country):
            # Microstates absent at 1:50m (Tuvalu, ...) can only be range-checked.
            self._check_range(lat, lon, country)
            return
        if self._inside(lat, lon, country):
            return
        in_range = -90 <= lat <= 90 and -180 <= lon <= 180
        if in_range and vouch is not None and vouch(lat, lon, country):
            return
        raise self.diagnose(lat, lon, country)

    def diagnose(self, lat: float, lon: float, country: str) -> CoordinateError:
        """The likely mistake behind a point that is not in *country*, with the fix."""
        name = _country_name(country)
        if abs(lat) > 90 or abs(lon) > 180:
            for power in (5, 6, 7):
                scaled = (lat / 10 ** power, lon / 10 ** power)
                if self._inside(*scaled, country):
                    return CoordinateError(
                        "scaled", f"The coordinates look multiplied by 10^{power}; divide them: {scaled[0]:.6f}, "
                        f"{scaled[1]:.6f} would be in {name}.", scaled,
                        {"power": power, "lat": f"{scaled[0]:.6f}", "lon": f"{scaled[1]:.6f}", "country": country})
            if self._inside(lon, lat, country):
                return CoordinateError(
                    "swapped", f"Latitude and longitude look swapped; exchange them: {lon}, {lat} would be in {name}.",
                    (lon, lat), {"lat": lon, "lon": lat, "country": country})
            try:
                self._check_range(lat, lon, country)
            except CoordinateError as err:
                return err
        if lat == lon:
            return CoordinateError(
                "lat_equals_lon", f"Latitude equals longitude ({lat}), which usually means one value was pasted "
                f"twice; the point is not in {name}. Enter the longitude again.", None, {"value": lat, "country": country})
        if self._inside(lon, lat, country):
            return CoordinateError(
                "swapped", f"Latitude and longitude look swapped; exchange them: {lon}, {lat} would be in {name}.",
                (lon, lat), {"lat": lon, "lon": lat, "country": country})
        for flipped, which in (((-lat, lon), "the latitude"), ((lat, -lon), "the longitude"),
                               ((-lat, -lon), "both values")):
            if self._inside(*flipped, country):
                return CoordinateError(
                    "sign_flipped", f"A sign looks lost; change the sign of {which}: {flipped[0]}, {flipped[1]} "
                    f"would be in {name}.", flipped,
                    {"which": which, "lat": flipped[0], "lon": flipped[1], "country": country})
        actual = self.country_at(lat, lon)
        if actual:
            return CoordinateError("wrong_country", f"The point {lat}, {lon} is in {_country_name(actual)}, not in "
                                   f"{name}: correct the country or the point.", None,
                                   {"lat": lat, "lon": lon, "actual": actual, "country": country})
        far = self.distance_km(lat, lon, country)
        return CoordinateError("in_sea", f"The point {lat}, {lon} is in the sea, {far:.0f} km from {name}: "
                               "correct the point.", None, {"lat": lat, "lon": lon, "km": far, "country": country})

    @staticmethod
    def _check_range(lat: float, lon: float, country: str) -> None:
        if not -90 <= lat <= 90:
            raise CoordinateError("out_of_range", f"Latitude {lat} is outside -90..90.", None, {"lat": lat})
        if not -180 <= lon <= 180:
            raise CoordinateError("out_of_range", f"Longitude {lon} is outside -180..180.", None, {"lon": lon})
