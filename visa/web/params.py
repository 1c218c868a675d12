"""Validate query parameters for the API and the pages; every error names its parameter.

Pure functions over a mapping of strings, so the rules are tested without HTTP.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date as date_type

import pycountry
from flask_babel import gettext as _

from visa.geocoding.results import MAX_QUERY_LENGTH

MAX_RADIUS_KM = 500.0
DEFAULT_RADIUS_KM = 25.0
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_ZOOM = 22
MAX_MIN_DAYS = 366
MAX_TEXT_LENGTH = 200
#: The geocoder refuses longer queries before any work (visa.geocoding.results).
MAX_GEOCODE_LENGTH = MAX_QUERY_LENGTH
MAX_SLUG_LENGTH = 120


@dataclass
class ParamError(ValueError):
    field: str
    message: str
    code: str = "invalid_parameter"

    def __str__(self) -> str:
        return self.message


# Numbers as JSON writes them. Python's float() and int() also read "1_000", " 5 ",
# "inf" and full-width digits, which no client means and the OpenAPI document refuses.
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")


def _float(args: Mapping[str, str], name: str, text: str | None = None) -> float:
    raw = args.get(name) if text is None else text
    if raw is None or not _NUMBER.fullmatch(raw):
        # Translators: %(name)s is the name of the API parameter (not translated);
        # %(value)s the value received, in quotes.
        raise ParamError(name, _("%(name)s must be a number, not %(value)s.", name=name, value=repr(raw)))
    value = float(raw)
    if not math.isfinite(value):
        # Translators: %(name)s is the name of the API parameter (not translated).
        raise ParamError(name, _("%(name)s must be a finite number.", name=name))
    return value


def _int(args: Mapping[str, str], name: str, default: int | None, low: int, high: int) -> int | None:
    raw = args.get(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw) or len(raw) > 20:
        # Translators: %(name)s is the name of the API parameter (not translated);
        # %(value)s the value received, in quotes.
        raise ParamError(name, _("%(name)s must be a whole number, not %(value)s.", name=name, value=repr(raw)))
    value = int(raw)
    if not low <= value <= high:
        # Translators: %(name)s is the name of the API parameter (not translated);
        # %(low)s and %(high)s the smallest and largest values allowed.
        raise ParamError(name, _("%(name)s must be between %(low)s and %(high)s.", name=name, low=low, high=high), "out_of_range")
    return value


def whole_number(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within *low*..*high*, *default* when absent."""
    return _int(args, name, default, low, high)


def choice(args: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of *choices*, *default* when absent."""
    raw = args.get(name)
    if raw is None:
        return default
    if raw not in choices:
        # Translators: %(name)s is the API parameter's name (not translated), %(choices)s the values it
        # takes, comma separated, %(value)s the value given, in quotes.
        raise ParamError(name, _("%(name)s must be one of %(choices)s, not %(value)s.", name=name,
                                 choices=", ".join(choices), value=repr(raw)))
    return raw


def refuse_unknown(args: Mapping[str, str], known: set[str]) -> None:
    """A parameter this route does not read is an error, so that a misspelt one is never silently ignored."""
    unknown = sorted(set(args) - known)
    if unknown:
        # Translators: %(name)s is the name of the query parameter, in quotes as
        # the API received it. An API error message.
        raise ParamError(unknown[0], _("Unknown parameter %(name)s.", name=repr(unknown[0])), "unknown_parameter")


def refuse_empty(args: Mapping[str, str], allowed: set[str]) -> None:
    """An API parameter given with no value is an error, except those in *allowed* (blank text means none)."""
    for name, value in args.items():
        if value == "" and name not in allowed:
            # Translators: %(name)s is the name of the API parameter (not translated).
            raise ParamError(name, _("%(name)s is empty: give a value or leave the parameter out.", name=name))


def check_lat_lon(lat: float, lon: float, field: str) -> None:
    if not -90 <= lat <= 90:
        # Translators: %(lat)s is the latitude received; %(field)s the name of the
        # API parameter (not translated).
        raise ParamError(field, _("Latitude %(lat)s in %(field)s is outside -90..90.", lat=f"{lat:g}", field=field),
                         "out_of_range")
    if not -180 <= lon <= 180:
        # Translators: %(lon)s is the longitude received; %(field)s the name of
        # the API parameter (not translated).
        raise ParamError(field, _("Longitude %(lon)s in %(field)s is outside -180..180.", lon=f"{lon:g}", field=field),
                         "out_of_range")


def near(args: Mapping[str, str]) -> tuple[float, float, float] | None:
    """(lat, lon, radius_km) from ``near=LAT,LON`` and ``radius_km``, or None."""
    raw = args.get("near")
    if raw in (None, ""):
        if args.get("radius_km"):
            raise ParamError("radius_km", _("radius_km needs near=LAT,LON."))
        return None
    pieces = raw.split(",")
    if len(pieces) != 2:
        raise ParamError("near", _("near must be LAT,LON, for example near=38.72,-9.14."))
    lat, lon = (_float(args, "near", p) for p in pieces)
    check_lat_lon(lat, lon, "near")
    radius = DEFAULT_RADIUS_KM if args.get("radius_km") in (None, "") else _float(args, "radius_km")
    if not 0 < radius <= MAX_RADIUS_KM:
        # Translators: %(max)s is the largest radius allowed, in kilometres. Keep
        # radius_km: it is the parameter's name.
        raise ParamError("radius_km", _("radius_km must be more than 0 and at most %(max)s.", max=f"{MAX_RADIUS_KM:g}"),
                         "out_of_range")
    return lat, lon, radius


def bbox(args: Mapping[str, str]) -> tuple[float, float, float, float, int] | None:
    """(west, south, east, north, zoom) from ``bbox`` and ``zoom``, or None."""
    zoom = _int(args, "zoom", None, 0, MAX_ZOOM)  # checked even without bbox: a bad value is never ignored
    found = box(args)
    if found is None:
        return None
    if zoom is None:
        raise ParamError("zoom", _("zoom is required with bbox (0 to 22)."))
    return (*found, zoom)


def box(args: Mapping[str, str]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) from ``bbox``, or None; west > east crosses the 180° meridian."""
    raw = args.get("bbox")
    if raw in (None, ""):
        return None
    pieces = raw.split(",")
    if len(pieces) != 4:
        raise ParamError("bbox", _("bbox must be WEST,SOUTH,EAST,NORTH in degrees."))
    west, south, east, north = (_float(args, "bbox", p) for p in pieces)
    check_lat_lon(south, west, "bbox")
    check_lat_lon(north, east, "bbox")
    if south > north:
        raise ParamError("bbox", _("bbox SOUTH must not be greater than NORTH."))
    return west, south, east, north


def country(args: Mapping[str, str]) -> str | None:
    raw = (args.get("country") or "").strip()
    if not raw:
        return None
    if len(raw) != 2 or pycountry.countries.get(alpha_2=raw.upper()) is None:
        # Translators: %(value)s is the value received, in quotes. Keep PT and
        # “country”: they are what the API reads.
        raise ParamError("country", _("country must be an ISO 3166-1 alpha-2 code such as PT, not %(value)s.", value=repr(raw)))
    return raw.upper()


def min_days(args: Mapping[str, str]) -> int | None:
    return _int(args, "min_days", None, 0, MAX_MIN_DAYS)


def participating(args: Mapping[str, str]) -> bool:
    """``participating=1``: only the spaces that take part in the visa."""
    return flag(args, "participating")


def flag(args: Mapping[str, str], name: str) -> bool:
    """A switch given as 1 (on) or 0 (off, as when absent)."""
    return choice(args, name, "0", ("0", "1")) == "1"


def limit(args: Mapping[str, str]) -> int:
    return _int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)


def text(args: Mapping[str, str], name: str = "q", max_length: int = MAX_TEXT_LENGTH) -> str | None:
    raw = (args.get(name) or "").strip()
    if len(raw) > max_length:
        # Translators: %(name)s is the name of the API parameter (not translated);
        # %(max)s the largest number of characters allowed.
        raise ParamError(name, _("%(name)s must be at most %(max)s characters.", name=name, max=max_length))
    return raw or None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


#: Highest offset a cursor may carry; far beyond any network, small enough for every database.
MAX_OFFSET = 10_000_000
#: Longest cursor accepted: this API's cursors are about 20 characters.
MAX_CURSOR_LENGTH = 64


def _refuse_constant(name: str):
    raise ValueError(name)  # Infinity, -Infinity and NaN are not JSON, though Python's parser reads them


def cursor(args: Mapping[str, str]) -> int:
    """The offset carried by an opaque ``cursor`` from a previous page: ``{"o": 0..MAX_OFFSET}``."""
    raw = args.get("cursor")
    if not raw:
        return 0
    invalid = ParamError("cursor", _("cursor is not one this API returned."))
    # The length bound comes first, so no deeply nested JSON ever reaches the parser.
    if len(raw) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)), parse_constant=_refuse_constant)
    except (binascii.Error, ValueError, RecursionError):
        raise invalid from None
    offset = data.get("o") if isinstance(data, dict) and data.keys() == {"o"} else None
    # bool is a subclass of int in Python; true is not an offset.
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise invalid
    return offset


def day(args: Mapping[str, str], name: str = "date") -> date_type | None:
    """A calendar day as YYYY-MM-DD."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date_type.fromisoformat(raw)
    except ValueError:
        # Translators: %(name)s is the name of the API parameter (not translated);
        # %(value)s the value received, in quotes. Keep YYYY-MM-DD.
        raise ParamError(name, _("%(name)s must be a date as YYYY-MM-DD, not %(value)s.", name=name, value=repr(raw))) from None


def slug(args: Mapping[str, str], name: str, required: bool = False) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        if required:
            # Translators: %(name)s is the name of the API parameter (not translated).
            raise ParamError(name, _("%(name)s is required: the slug of a listed space.", name=name), "missing_parameter")
        return None
    if len(raw) > MAX_SLUG_LENGTH:
        raise ParamError(name, _("%(name)s must be at most %(max)s characters.", name=name, max=MAX_SLUG_LENGTH))
    return raw
