"""What a geocoder answers: a located place with its precision, or suggestions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Precision levels, from best to worst. "city" means the city centre.
PRECISIONS = ("exact", "street", "city", "region", "country")


@dataclass(frozen=True)
class GeocodeResult:
    lat: float
    lon: float
    precision: str
    label: str
    country: str
    source: str = "offline"
    timezone: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PlaceNotFound(Exception):
    """No place matches the query; *suggestions* are labels the user may have meant."""

    query: str
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"no place called {self.query!r}"
