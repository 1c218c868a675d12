"""What a geocoder answers: a located place with its precision, or suggestions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Precision levels, from best to worst. "city" means the city centre.
PRECISIONS = ("exact", "street", "city", "region", "country")
#: Longer queries are refused before any work: no address is this long, and
#: each extra word costs lookups that a flood of nonsense should not buy.
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class GeocodeResult:
    lat: float
    lon: float
    precision: str
    label: str
    country: str
    source: str = "offline"
    timezone: str = ""
    #: Other strong candidates when the query was ambiguous ("Portland" alone):
    #: dicts with label, lat, lon, country and admin1 (the region's name), geonameid and admin1_code.
    alternatives: tuple[dict, ...] = ()
    #: The gazetteer's GeoNames id of a city (0: an area, a country or a remote provider's answer), and the
    #: GeoNames code of its first-level area: what names the place in the reader's language.
    geonameid: int = 0
    admin1_code: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PlaceNotFound(Exception):
    """No place matches the query; *suggestions* are labels the user may have meant."""

    query: str
    suggestions: list[str] = field(default_factory=list)
    #: The same suggestions as places: dicts with label, geonameid (0 for a country), country and admin1_code,
    #: so that pages name them in the reader's language.
    places: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return f"no place called {self.query!r}"


class QueryTooLong(PlaceNotFound):
    """The query is longer than :data:`MAX_QUERY_LENGTH`; refused before any lookup.

    A kind of PlaceNotFound, so every caller that handles a miss handles this
    too; those that can say more (the API: 400) catch it first.
    """

    def __init__(self, query: str) -> None:
        super().__init__(query[:MAX_QUERY_LENGTH] + "…", [])

    def __str__(self) -> str:
        return f"a place or address is at most {MAX_QUERY_LENGTH} characters"


class GeocoderBusy(Exception):
    """Every geocoding slot of this worker is taken: refused at once, so a flood of lookups holds at most
    ``VISA_GEOCODE_SLOTS`` of the worker's threads and the rest keep serving the map."""

    def __str__(self) -> str:
        return "too many place lookups at once; try again in a moment"


def check_length(query: str) -> None:
    """:raise QueryTooLong: when *query* is over :data:`MAX_QUERY_LENGTH` characters."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
