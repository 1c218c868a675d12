"""Distances on the sphere (fast pre-filters) and on the WGS84 ellipsoid (the decision), and directions."""

from __future__ import annotations

import math

import numpy as np
from geographiclib.geodesic import Geodesic
from pyproj import Geod

EARTH_RADIUS_KM = 6371.0088
_WGS84 = Geod(ellps="WGS84")
#: The sphere and the WGS84 ellipsoid differ by at most about 0.5 % in distance; a sphere
#: pre-filter widened by this fraction misses no point the ellipsoid would keep.
SPHERE_MARGIN = 0.006


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def geodesic_km_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Distances on the WGS84 ellipsoid (Karney's algorithm, through PROJ), as PostGIS geography measures them."""
    if len(lats) == 0:
        return np.zeros(0, dtype=np.float64)
    _az, _back, metres = _WGS84.inv(np.full(len(lons), lon), np.full(len(lats), lat), lons, lats)
    return np.asarray(metres, dtype=np.float64) / 1000.0


#: Widening of the box in degrees, so that points on the circle itself stay inside
#: despite rounding; the box is only a pre-filter, the exact distance decides.
_BOX_MARGIN_DEG = 1e-7


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) enclosing the circle on the sphere; west > east when it crosses 180°.

    The circle's northmost and southmost points are *lat* ± the angular radius d. Its
    widest longitude is where a meridian is tangent to it: Δlon = asin(sin d / cos lat),
    wider than d / cos lat (the flat approximation misses points at high latitudes).
    When a pole lies inside the circle, every longitude is reached.
    """
    d = radius_km / EARTH_RADIUS_KM  # angular radius in radians
    dlat = math.degrees(d) + _BOX_MARGIN_DEG
    south, north = lat - dlat, lat + dlat
    if south <= -90 or north >= 90 or d >= math.pi / 2:
        return max(-90.0, south), min(90.0, north), -180.0, 180.0
    ratio = math.sin(d) / math.cos(math.radians(lat))
    if ratio >= 1 - 1e-12:  # tangent at the pole; asin is ill-conditioned there
        return south, north, -180.0, 180.0
    dlon = math.degrees(math.asin(ratio)) + _BOX_MARGIN_DEG
    if dlon >= 180:
        return south, north, -180.0, 180.0
    west, east = lon - dlon, lon + dlon
    if west < -180:
        west += 360
    if east > 180:
        east -= 360
    return south, north, west, east


#: The eight compass points, clockwise from north; machine-readable words (pages translate them).
COMPASS_POINTS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from the first point to the second on the WGS84 ellipsoid, 0-360° clockwise from north."""
    bearing = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["azi1"] % 360.0
    return 0.0 if bearing >= 360.0 else bearing  # a tiny negative azimuth modulo 360 rounds to 360.0


def compass_point(bearing: float) -> str:
    """The nearest of the eight compass points: each covers 45°, centred on its direction."""
    return COMPASS_POINTS[int(((bearing % 360.0) + 22.5) // 45.0) % 8]


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """One distance on the WGS84 ellipsoid (geographiclib), the reference the vectorised path is tested against."""
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0
