"""Is a row's point near the town it names? (pure: no Flask, no database)

A row's point is compared with *every* place of its city's name in its country,
and in its region when the row names one the gazetteer knows: "Duluth, United
States" at Duluth, Georgia is right even though the geocoder's first pick is
Duluth, Minnesota, while "Duluth, MN" at Duluth, Georgia is caught. Only when
none is near is the row flagged, naming the nearest namesake and the likely
mistake (a lost sign, swapped values) when undoing it lands on one.
"""

from __future__ import annotations

from typing import Protocol

from visa.geocoding.namesakes import Namesake, nearest
from visa.messages import N_, Distance, Message, Place, define

define({
    # Translators: %(distance)s is a distance with its unit (“40 km”);
    # %(place)s the town named in the file.
    "far_from_city": N_("coordinates are %(distance)s from %(place)s"),
    # Translators: %(place)s is a town with its region (“Portland, Maine”);
    # %(count)s how many places have that name; %(city)s the city named in the
    # file.
    "nearest_namesake": N_("%(place)s, the nearest of %(count)s places called “%(city)s” there"),
    # Translators: %(distance)s is a distance with its unit; %(place)s the
    # town named in the file; %(lat)s and %(lon)s the corrected coordinates;
    # %(fixed)s the town they point to.
    "far_swapped": N_("coordinates are %(distance)s from %(place)s; latitude and longitude look swapped: "
                      "%(lat)s, %(lon)s is in %(fixed)s"),
    # Translators: %(distance)s is a distance with its unit; %(place)s the
    # town named in the file; %(lat)s and %(lon)s the corrected coordinates;
    # %(fixed)s the town they point to.
    "far_lat_sign": N_("coordinates are %(distance)s from %(place)s; the latitude's sign looks lost: "
                       "%(lat)s, %(lon)s is in %(fixed)s"),
    # Translators: %(distance)s is a distance with its unit; %(place)s the
    # town named in the file; %(lat)s and %(lon)s the corrected coordinates;
    # %(fixed)s the town they point to.
    "far_lon_sign": N_("coordinates are %(distance)s from %(place)s; the longitude's sign looks lost: "
                       "%(lat)s, %(lon)s is in %(fixed)s"),
    # Translators: %(distance)s is a distance with its unit; %(place)s the
    # town named in the file; %(lat)s and %(lon)s the corrected coordinates;
    # %(fixed)s the town they point to.
    "far_both_signs": N_("coordinates are %(distance)s from %(place)s; both signs look lost: "
                         "%(lat)s, %(lon)s is in %(fixed)s"),
})


class Places(Protocol):
    def named(self, name: str, country: str, region: str = "") -> list[Namesake]: ...


class Located(Protocol):
    """A geocoder answer (visa.geocoding.results.GeocodeResult)."""

    lat: float
    lon: float
    label: str
    country: str


def distance_flag(lat: float, lon: float, city: str, region: str, country: str, places: Places | None,
                  geocoded: Located | None, limit_km: float) -> Message | None:
    """None when the point is within *limit_km* of a place called *city*; else why it is flagged.

    *geocoded* (the geocoder's answer for the row's city, region and country) is
    the yardstick only when the gazetteer has no place of that name there: a
    county or a second-line city that the geocoder understood.
    """
    candidates = places.named(city, country, region) if places is not None and city else []
    if not candidates and geocoded is not None and geocoded.country == country:
        candidates = [Namesake(city, geocoded.lat, geocoded.lon, country, "", geocoded.label)]
    found = nearest(lat, lon, candidates)
    if found is None or found[1] <= limit_km:
        return None
    place, km = found
    where: object = _place(place)
    if len(candidates) > 1:
        where = Message("nearest_namesake", place=where, count=len(candidates), city=city)
    for fixed, mistake in (((lon, lat), "far_swapped"), ((-lat, lon), "far_lat_sign"), ((lat, -lon), "far_lon_sign"),
                           ((-lat, -lon), "far_both_signs")):
        hit = nearest(*fixed, candidates)
        if hit is not None and hit[1] <= limit_km:
            return Message(mistake, distance=Distance(km), place=where, lat=fixed[0], lon=fixed[1],
                           fixed=_place(hit[0]))
    return Message("far_from_city", distance=Distance(km), place=where)


def _place(namesake: Namesake) -> Place:
    return Place(namesake.label, namesake.name, namesake.region, namesake.country)
