"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

import pycountry

from visa import request_checks
from visa.geo.distance import COMPASS_POINTS
from visa.web import params

#: No control characters (Unicode category Cc): the app refuses them in every parameter with a 400.
_NO_CONTROL = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
#: The same, with at least one character that is not a space (blank means "not given").
_SOME_TEXT = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
_LAT = r"-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)"
_LON = r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)"
_SLUG = {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": params.MAX_SLUG_LENGTH}
_COUNTRIES = sorted(c.alpha_2 for c in pycountry.countries)


def _param(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_ERROR = _error("Invalid parameter: error.field names it (a control character in any parameter included)")
_NOT_FOUND = _error("No such space (error.field names the parameter), or no such resource")
_TOO_LONG = _error(f"The query string is longer than {request_checks.MAX_QUERY_BYTES} bytes")
_TOO_MANY = _error("Too many geocoding requests from this client (shared with the search page and trip planner)")
# Every path is read-only: another method gets a 405 with Allow: GET, HEAD, OPTIONS.
_NOT_ALLOWED = {**_error("Any method but GET, HEAD or OPTIONS on this path"),
                "headers": {"Allow": {"description": "GET, HEAD, OPTIONS", "schema": {"type": "string"}}}}
_ERRORS = {"400": _ERROR, "404": _NOT_FOUND, "405": _NOT_ALLOWED, "414": _TOO_LONG}

SPEC: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Coworking Visa Directory API",
        "version": "1.0.0",
        "description": "Participating coworking spaces and their visa terms. Geometry is GeoJSON (RFC 7946): "
                       "coordinates are [longitude, latitude].",
        "license": {"name": "Data: GeoNames CC BY 4.0 (places), Natural Earth (public domain)"},
    },
    "paths": {
        "/api/v1/spaces": {
            "get": {
                "summary": "Search approved spaces",
                "description": "With near: spaces within radius_km, nearest first; when none is, nearest lists "
                               "the nearest beyond it. With bbox and zoom: what a map "
                               "shows, clustered at low zoom (a cluster is a Feature with cluster: true and count). "
                               "Otherwise: a list by name. Rules between parameters (a 400 naming the parameter "
                               "otherwise): near and bbox exclude each other (field bbox); radius_km needs near; "
                               "bbox needs zoom and SOUTH <= NORTH (WEST > EAST crosses the antimeridian); cursor "
                               "must be a next_cursor this API returned; parameters not listed here are refused.",
                "parameters": [
                    _param("near", "LAT,LON; not with bbox",
                           {"type": "string", "pattern": f"^{_LAT},{_LON}$", "example": "38.72,-9.14"}),
                    _param("radius_km", "Radius around near (needs near)",
                           {"type": "number", "exclusiveMinimum": 0, "maximum": params.MAX_RADIUS_KM,
                            "default": params.DEFAULT_RADIUS_KM}),
                    _param("bbox", "WEST,SOUTH,EAST,NORTH with SOUTH <= NORTH; needs zoom; not with near",
                           {"type": "string", "pattern": f"^{_LON},{_LAT},{_LON},{_LAT}$",
                            "example": "-10,36,-6,42"}),
                    _param("zoom", "Map zoom for bbox (required with bbox)",
                           {"type": "integer", "minimum": 0, "maximum": params.MAX_ZOOM}),
                    _param("q", "Text in the name or city (% and _ are plain characters)",
                           {"type": "string", "maxLength": params.MAX_TEXT_LENGTH, "pattern": _NO_CONTROL}),
                    _param("country", "ISO 3166-1 alpha-2 (either case)",
                           {"type": "string", "enum": _COUNTRIES + [c.lower() for c in _COUNTRIES]}),
                    _param("min_days", "At least this many free days per visit",
                           {"type": "integer", "minimum": 0, "maximum": params.MAX_MIN_DAYS}),
                    _param("participating", "1: only the spaces that take part in the visa",
                           {"type": "string", "enum": ["0", "1"], "default": "0"}),
                    _param("honors", "Only hosts that honor members of this home space (slug)", _SLUG),
                    _param("hide_declined", "1: leave out the spaces that said they do not take part (those that have "
                                            "not said stay); the search page's default",
                           {"type": "string", "enum": ["0", "1"], "default": "0"}),
                    _param("home", "Add to each space its verdict for a member of this home space (slug): "
                                   "properties.verdict = {honored, summary}", _SLUG),
                    _param("date_from", "First day of a planned visit (with date_to and home): each verdict adds "
                                        "possible_days (ISO dates) and days_text", {"type": "string", "format": "date"}),
                    _param("date_to", "Last day of a planned visit (with date_from), at most a year after it",
                           {"type": "string", "format": "date"}),
                    _param("lang", "Language of the words (headlines, verdicts, country names, error messages), "
                                   "a tag such as pt-BR; a language the site does not ship is ignored. "
                                   "Otherwise Accept-Language decides (the API reads no cookie).",
                           {"type": "string", "pattern": _SOME_TEXT}),
                    _param("limit", "Features per page", {"type": "integer", "minimum": 1,
                                                          "maximum": params.MAX_LIMIT, "default": params.DEFAULT_LIMIT}),
                    _param("cursor", "next_cursor of the previous page, unchanged",
                           {"type": "string", "maxLength": params.MAX_CURSOR_LENGTH}),
                ],
                "responses": {
                    "200": {"description": "A FeatureCollection",
                            "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}},
                    **_ERRORS,
                },
            }
        },
        "/api/v1/spaces/{slug}": {
            "get": {
                "summary": "One approved space with its full visa terms",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _SLUG}],
                "responses": {"200": {"description": "A Feature",
                                      "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/Feature"}}}},
                              **_ERRORS},
            }
        },
        "/api/v1/reciprocity": {
            "get": {
                "summary": "Will host honor a member of home (on date)? With reasons and conditions",
                "parameters": [
                    _param("home", "Slug of the traveller's home space", _SLUG, required=True),
                    _param("host", "Slug of the space to visit", _SLUG, required=True),
                    _param("date", "Day of the visit", {"type": "string", "format": "date"}),
                ],
                "responses": {
                    "200": {"description": "The verdict",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}}},
                    **_ERRORS,
                },
            }
        },
        "/api/v1/geocode": {
            "get": {
                "summary": "Geocode a place or address (offline gazetteer by default)",
                "description": "Rate-limited per client (429), in one bucket with the search page and the trip "
                               "planner.",
                "parameters": [_param("q", "Place or address", {"type": "string", "pattern": _SOME_TEXT,
                                                                "maxLength": params.MAX_GEOCODE_LENGTH},
                                      required=True)],
                "responses": {
                    "200": {"description": "The place",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GeocodeResult"}}}},
                    "400": _ERROR,
                    "404": _error("No such place; error.suggestions lists what was maybe meant"),
                    "405": _NOT_ALLOWED,
                    "414": _TOO_LONG,
                    "429": _TOO_MANY,
                },
            }
        },
        "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
            "405": _NOT_ALLOWED, "414": _TOO_LONG}}},
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "suggestions": {"type": "array", "items": {"type": "string"}}}}},
            },
            "Point": {"type": "object", "required": ["type", "coordinates"], "properties": {
                "type": {"const": "Point"},
                "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                                "description": "[longitude, latitude]"}}},
            "Feature": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
                "type": {"const": "Feature"}, "id": {"type": "string"},
                "geometry": {"$ref": "#/components/schemas/Point"},
                "bbox": {"type": "array", "items": {"type": "number"}},
                "properties": {"type": "object", "properties": {
                    "facts_source": {"$ref": "#/components/schemas/FactsSource"},
                    "provenance": {"allOf": [{"$ref": "#/components/schemas/FactsSource"}, {
                        "type": "object", "required": ["text"], "properties": {"text": {"type": "string"}},
                        "description": "Only on one space (GET /api/v1/spaces/SLUG): facts_source in words"}]},
                    "photo": {"oneOf": [{"$ref": "#/components/schemas/Thumbnail"}, {"type": "null"}],
                              "description": "In searches (GET /api/v1/spaces): the listing's first approved photo "
                                             "as a thumbnail, null when it has none"},
                    "photos": {"type": "array", "maxItems": 8, "items": {"$ref": "#/components/schemas/Photo"},
                               "description": "Only on one space (GET /api/v1/spaces/SLUG): every approved photo "
                                              "in the gallery's order, with absolute URLs; empty when none"}}}}},
            "Thumbnail": {"type": "object", "required": ["url", "alt", "lang", "width", "height"], "properties": {
                "url": {"type": "string", "description": "A WebP file on this site (a path, as properties.url)"},
                "alt": {"type": "string", "description": "What the photo shows, written by the listing's host"},
                "lang": {"type": "string", "description": "The language of alt (a tag such as pt-BR)"},
                "width": {"type": "integer"}, "height": {"type": "integer"}}},
            "Photo": {"type": "object", "required": ["url", "alt", "caption", "lang", "width", "height", "files"],
                      "description": "An approved photo; its files never change (their names are a SHA-256), "
                                     "and carry no metadata (no EXIF, no GPS position)", "properties": {
                "url": {"type": "string", "format": "uri", "description": "The largest JPEG file"},
                "alt": {"type": "string", "description": "Alternative text: what the photo shows"},
                "caption": {"type": "string", "description": "Empty when the host gave none"},
                "lang": {"type": "string", "description": "The language of alt and caption"},
                "width": {"type": "integer"}, "height": {"type": "integer"},
                "files": {"type": "array", "description": "Every published file: up to three widths, WebP and JPEG",
                          "items": {"type": "object", "required": ["url", "width", "height", "type"], "properties": {
                              "url": {"type": "string", "format": "uri"}, "width": {"type": "integer"},
                              "height": {"type": "integer"}, "type": {"enum": ["image/webp", "image/jpeg"]}}}}}},
            "FactsSource": {"type": "object", "required": ["kind", "date", "source"], "description": (
                "Where a listing's facts come from: confirmed by its host, by its listed contact answering a "
                "campaign's mail (source: the campaign), verified by a volunteer (source: a URL or a phone call), "
                "or imported (source: the file) and never confirmed"), "properties": {
                "kind": {"enum": ["host", "contact", "volunteer", "import", "unknown"]},
                "date": {"type": ["string", "null"], "format": "date"},
                "source": {"type": "string"}}},
            "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
                "total": {"type": "integer"},
                "next_cursor": {"type": ["string", "null"]},
                "nearest": {"type": "array", "maxItems": 5, "description": (
                    "Only in a near search that found nothing: the participating spaces nearest to the point "
                    "beyond radius_km (same filters), nearest first, at most 5; each adds to its properties "
                    "distance_km, bearing_deg (initial bearing from the point, clockwise from north) and "
                    "direction (north, north-east, ..., north-west)"),
                    "items": {"$ref": "#/components/schemas/NearbyFeature"}}}},
            "NearbyFeature": {"allOf": [{"$ref": "#/components/schemas/Feature"}, {"properties": {
                "properties": {"type": "object", "required": ["distance_km", "bearing_deg", "direction"],
                               "properties": {"distance_km": {"type": "number", "minimum": 0},
                                              "bearing_deg": {"type": "number", "minimum": 0, "maximum": 360},
                                              "direction": {"enum": list(COMPASS_POINTS)}}}}}]},
            "Finding": {"type": "object", "required": ["code", "text"],
                        "properties": {"code": {"type": "string"}, "text": {"type": "string"}},
                        "additionalProperties": True},
            "Verdict": {"type": "object", "required": ["honored", "allowance", "reasons", "conditions"], "properties": {
                "home": {"type": "string"}, "host": {"type": "string"}, "date": {"type": ["string", "null"]},
                "honored": {"type": ["boolean", "null"],
                            "description": "true: honored; false: refused; null: unknown (a participation not stated), "
                                           "never to be shown as a refusal"},
                "summary": {"type": "string"},
                "allowance": {"type": "object", "properties": {
                    "free_days_per_visit": {"type": ["integer", "null"]},
                    "free_days_per_month": {"type": ["integer", "null"]},
                    "free_days_per_year": {"type": ["integer", "null"]}}},
                "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                "conditions": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
            "GeocodeResult": {"type": "object", "required": ["lat", "lon", "precision", "label", "country"],
                              "properties": {"lat": {"type": "number"}, "lon": {"type": "number"},
                                             "precision": {"enum": ["exact", "street", "city", "region", "country"]},
                                             "label": {"type": "string"}, "country": {"type": "string"},
                                             "alternatives": {"type": "array", "description": (
                                                 "Other strong candidates when the query is ambiguous"),
                                                 "items": {"$ref": "#/components/schemas/GeocodeAlternative"}}}},
            "GeocodeAlternative": {"type": "object", "required": ["label", "lat", "lon", "country", "admin1"],
                                   "properties": {"label": {"type": "string"}, "lat": {"type": "number"},
                                                  "lon": {"type": "number"}, "country": {"type": "string"},
                                                  "admin1": {"type": "string"}}},
        }
    },
}
