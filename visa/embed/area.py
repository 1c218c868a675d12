"""The part of the world an embedded map shows, from its query: a country, a place with a radius, or a box."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from visa.web import params
from visa.web.params import ParamError

#: The embed's own parameters (``lang`` is read by the language negotiation).
KNOWN_PARAMS = {"country", "near", "radius_km", "bbox", "participating", "lang"}


@dataclass(frozen=True)
class Area:
    country: str | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, radius_km
    box: tuple[float, float, float, float] | None = None  # west, south, east, north
    participating: bool = False


def parse_area(args: Mapping[str, str]) -> Area:
    """:raise ParamError: naming the parameter that is wrong, unknown, or given with one it excludes."""
    params.refuse_unknown(args, KNOWN_PARAMS)
    params.refuse_empty(args, allowed=set())
    near = params.near(args)
    box = params.box(args)
    if near and box:
        raise ParamError("bbox", _("Use either near or bbox, not both."))
    return Area(params.country(args), near, box, params.participating(args))


def query(area: Area, lang: str | None = None) -> dict[str, str]:
    """The area as the embed's query parameters: what the Embed page writes into the <iframe> address."""
    args: dict[str, str] = {}
    if area.country:
        args["country"] = area.country
    if area.near:
        lat, lon, radius = area.near
        args |= {"near": f"{lat:.5f},{lon:.5f}", "radius_km": f"{radius:g}"}
    if area.box:
        args["bbox"] = ",".join(f"{v:.5f}" for v in area.box)
    if area.participating:
        args["participating"] = "1"
    if lang:
        args["lang"] = lang
    return args
