"""The offline gazetteer as a geopy geocoder, so providers can be swapped by configuration."""

from __future__ import annotations

from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from visa.geocoding.gazetteer import Gazetteer
from visa.geocoding.processes import LookupProcesses
from visa.geocoding.resolve import resolve
from visa.geocoding.results import GeocodeResult, PlaceNotFound


class OfflineGeocoder(Geocoder):
    """geopy ``Geocoder`` backed by the local GeoNames index; never touches the network.

    ``raw`` carries ``precision``, ``country`` and ``timezone`` besides the label.
    :meth:`not_found` says what the user may have meant when ``geocode`` finds nothing; :meth:`resolve` gives
    the one or the other from one lookup.
    """

    def __init__(self, path: Path | str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gazetteer = Gazetteer(path)
        #: Where lookups run when set (a gunicorn worker's: visa.geocoding.processes); else in the caller's thread.
        self.processes: LookupProcesses | None = None

    def resolve(self, query: str) -> GeocodeResult:
        """:raise PlaceNotFound: with suggestions."""
        if self.processes is not None:
            return self.processes.resolve(query)
        return resolve(query, self.gazetteer)

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None, **_: object):
        try:
            result = self.resolve(query)
        except PlaceNotFound:
            return None
        location = Location(result.label, (result.lat, result.lon), result.as_dict())
        return location if exactly_one else [location]

    def not_found(self, query: str) -> PlaceNotFound:
        """What a miss of *query* says: its suggestions, as labels and as places."""
        try:
            self.resolve(query)
        except PlaceNotFound as missing:
            return missing
        return PlaceNotFound(query.strip())
