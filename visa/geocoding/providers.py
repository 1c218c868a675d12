"""Geocoding by configuration: the offline gazetteer, a geopy provider, or a chain.

``VISA_GEOCODER`` names providers in the order they are asked, for example
``offline`` (the default), ``nominatim`` or ``nominatim,offline`` (the offline
gazetteer backs up the remote one). Options for each remote provider come from
``VISA_GEOCODER_OPTIONS`` (JSON keyed by provider name: ``{"nominatim":
{"domain": "...", "user_agent": "..."}}``). Remote calls go through geopy's
RateLimiter and a persistent cache, so no address is sent twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location

from visa.geocoding.normalize import name_key
from visa.geocoding.offline import OfflineGeocoder
from visa.geocoding.results import GeocodeResult, PlaceNotFound, check_length


class GeocodeCache(Protocol):
    def get(self, provider: str, key: str) -> tuple[bool, dict | None]: ...

    def put(self, provider: str, key: str, result: dict | None) -> None: ...


def _nominatim_precision(raw: dict) -> str:
    rank = int(raw.get("place_rank") or 0)
    if rank >= 28:
        return "exact"
    if rank >= 26:
        return "street"
    if rank >= 13:
        return "city"
    return "region" if rank >= 5 else "country"


_PHOTON_PRECISION = {"house": "exact", "street": "street", "city": "city", "district": "city",
                     "locality": "city", "county": "region", "state": "region", "country": "country"}


def _photon_precision(raw: dict) -> str:
    return _PHOTON_PRECISION.get((raw.get("properties") or {}).get("type", ""), "city")


def _country_of(raw: dict) -> str:
    address = raw.get("address") or raw.get("properties") or {}
    return str(address.get("country_code") or address.get("countrycode") or "").upper()


#: How to read precision from each provider's raw answer. Providers not listed
#: are taken as city precision: claiming less than we know is the safe error.
PRECISION_READERS: dict[str, Callable[[dict], str]] = {
    "nominatim": _nominatim_precision,
    "photon": _photon_precision,
}
#: Extra arguments that make a provider return what we read above.
QUERY_OPTIONS: dict[str, dict] = {"nominatim": {"addressdetails": True}}


@dataclass
class RemoteProvider:
    name: str
    options: dict = field(default_factory=dict)
    min_delay_seconds: float = 1.0

    def __post_init__(self) -> None:
        geocoder_class = get_geocoder_for_service(self.name)
        self.geocoder = geocoder_class(**self.options)
        self._geocode = RateLimiter(self.geocoder.geocode, min_delay_seconds=self.min_delay_seconds,
                                    max_retries=1, swallow_exceptions=False)

    def lookup(self, query: str) -> GeocodeResult | None:
        location: Location | None = self._geocode(query, exactly_one=True, **QUERY_OPTIONS.get(self.name, {}))
        if location is None:
            return None
        raw = location.raw or {}
        precision = PRECISION_READERS.get(self.name, lambda _raw: "city")(raw)
        return GeocodeResult(location.latitude, location.longitude, precision, location.address,
                             _country_of(raw), self.name)


class GeocodingService:
    """Ask each provider in turn; remember every remote answer (and non-answer)."""

    def __init__(self, offline: OfflineGeocoder, remotes: list[RemoteProvider], order: list[str],
                 cache: GeocodeCache | None = None) -> None:
        self.offline = offline
        self.remotes = {r.name: r for r in remotes}
        self.order = order
        self.cache = cache

    def geocode(self, query: str) -> GeocodeResult:
        """:raise QueryTooLong: over 200 characters, before any provider is asked.
        :raise PlaceNotFound: with suggestions from the gazetteer.
        """
        check_length(query)
        if not query or not query.strip():
            raise PlaceNotFound("")
        missed: PlaceNotFound | None = None
        for name in self.order:
            if name == "offline":
                try:
                    return self.offline.resolve(query)
                except PlaceNotFound as missing:
                    missed = missing  # its suggestions are the answer if no provider after it knows the place
                    continue
            result = self._remote(name, query)
            if result is not None:
                return result
        # One offline lookup per query: a miss costs the most (every misspelling search), and used to be paid twice.
        raise missed if missed is not None else self.offline.not_found(query)

    def _remote(self, name: str, query: str) -> GeocodeResult | None:
        key = name_key(query)
        if self.cache is not None:
            found, cached = self.cache.get(name, key)
            if found:
                return GeocodeResult(**cached) if cached else None
        result = self.remotes[name].lookup(query)
        if self.cache is not None:
            self.cache.put(name, key, result.as_dict() if result else None)
        return result


def parse_order(spec: str) -> list[str]:
    order = [s.strip().lower() for s in spec.split(",") if s.strip()]
    return order or ["offline"]


def build_service(spec: str, options: dict, gazetteer_path, cache: GeocodeCache | None = None,
                  min_delay_seconds: float = 1.0) -> GeocodingService:
    """Build the chain named by *spec* (see module docstring)."""
    order = parse_order(spec)
    remotes = [RemoteProvider(name, options.get(name, {}), min_delay_seconds) for name in order if name != "offline"]
    return GeocodingService(OfflineGeocoder(gazetteer_path), remotes, order, cache)


__all__ = ["GeocodingService", "PlaceNotFound", "RemoteProvider", "build_service"]
