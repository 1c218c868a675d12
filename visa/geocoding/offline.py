"""The offline gazetteer as a geopy geocoder, so providers can be swapped by configuration."""

from __future__ import annotations

from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from visa.geocoding.gazetteer import Gazetteer
from visa.geocoding.resolve import resolve
from visa.geocoding.results import PlaceNotFound


class OfflineGeocoder(Geocoder):
    """geopy ``Geocoder`` backed by the local GeoNames index; never touches the network.

    ``raw`` carries ``precision``, ``country`` and ``timezone`` besides the label.
    ``suggestions_for(query)`` returns what the user may have meant when
    ``geocode`` finds nothing.
    """

    def __init__(self, path: Path | str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gazetteer = Gazetteer(path)

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None, **_: object):
        try:
            result = resolve(query, self.gazetteer)
        except PlaceNotFound:
            return None
        location = Location(result.label, (result.lat, result.lon), result.as_dict())
        return location if exactly_one else [location]

    def suggestions_for(self, query: str) -> list[str]:
        return self.not_found(query).suggestions

    def not_found(self, query: str) -> PlaceNotFound:
        """What a miss of *query* says: its suggestions, as labels and as places."""
        try:
            resolve(query, self.gazetteer)
        except PlaceNotFound as missing:
            return missing
        return PlaceNotFound(query.strip())
