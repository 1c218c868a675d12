"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from visa.api import params


def _param(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_ERROR = {"description": "Invalid parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

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
                "description": "With near: spaces within radius_km, nearest first. With bbox and zoom: what a map "
                               "shows, clustered at low zoom (a cluster is a Feature with cluster: true and count). "
                               "Otherwise: a list by name.",
                "parameters": [
                    _param("near", "LAT,LON", {"type": "string", "example": "38.72,-9.14"}),
                    _param("radius_km", "Radius around near", {"type": "number", "exclusiveMinimum": 0,
                                                                "maximum": params.MAX_RADIUS_KM,
                                                                "default": params.DEFAULT_RADIUS_KM}),
                    _param("bbox", "WEST,SOUTH,EAST,NORTH", {"type": "string", "example": "-10,36,-6,42"}),
                    _param("zoom", "Map zoom for bbox", {"type": "integer", "minimum": 0, "maximum": params.MAX_ZOOM}),
                    _param("q", "Text in the name or city", {"type": "string", "maxLength": 200}),
                    _param("country", "ISO 3166-1 alpha-2", {"type": "string", "pattern": "^[A-Za-z]{2}$"}),
                    _param("min_days", "At least this many free days per visit", {"type": "integer", "minimum": 0}),
                    _param("honors", "Only hosts that honor members of this home space (slug)", {"type": "string"}),
                    _param("home", "Add to each space its verdict for a member of this home space (slug): "
                                   "properties.verdict = {honored, summary}", {"type": "string"}),
                    _param("limit", "Features per page", {"type": "integer", "minimum": 1,
                                                          "maximum": params.MAX_LIMIT, "default": params.DEFAULT_LIMIT}),
                    _param("cursor", "From next_cursor of the previous page", {"type": "string"}),
                ],
                "responses": {
                    "200": {"description": "A FeatureCollection",
                            "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}},
                    "400": _ERROR,
                },
            }
        },
        "/api/v1/spaces/{slug}": {
            "get": {
                "summary": "One approved space with its full visa terms",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "A Feature",
                                      "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/Feature"}}}},
                              "404": _ERROR},
            }
        },
        "/api/v1/reciprocity": {
            "get": {
                "summary": "Will host honor a member of home (on date)? With reasons and conditions",
                "parameters": [
                    _param("home", "Slug of the traveller's home space", {"type": "string"}, required=True),
                    _param("host", "Slug of the space to visit", {"type": "string"}, required=True),
                    _param("date", "Day of the visit", {"type": "string", "format": "date"}),
                ],
                "responses": {
                    "200": {"description": "The verdict",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}}},
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/v1/geocode": {
            "get": {
                "summary": "Geocode a place or address (offline gazetteer by default)",
                "parameters": [_param("q", "Place or address", {"type": "string"}, required=True)],
                "responses": {
                    "200": {"description": "The place",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GeocodeResult"}}}},
                    "400": _ERROR,
                    "404": {"description": "No such place; error.suggestions lists what was maybe meant",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                },
            }
        },
        "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI"}}}},
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
                "properties": {"type": "object"}}},
            "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
                "total": {"type": "integer"},
                "next_cursor": {"type": ["string", "null"]}}},
            "Finding": {"type": "object", "required": ["code", "text"],
                        "properties": {"code": {"type": "string"}, "text": {"type": "string"}},
                        "additionalProperties": True},
            "Verdict": {"type": "object", "required": ["honored", "allowance", "reasons", "conditions"], "properties": {
                "home": {"type": "string"}, "host": {"type": "string"}, "date": {"type": ["string", "null"]},
                "honored": {"type": "boolean"}, "summary": {"type": "string"},
                "allowance": {"type": "object", "properties": {
                    "free_days_per_visit": {"type": ["integer", "null"]},
                    "free_days_per_month": {"type": ["integer", "null"]},
                    "free_days_per_year": {"type": ["integer", "null"]}}},
                "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                "conditions": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
            "GeocodeResult": {"type": "object", "required": ["lat", "lon", "precision", "label", "country"],
                              "properties": {"lat": {"type": "number"}, "lon": {"type": "number"},
                                             "precision": {"enum": ["exact", "street", "city", "region", "country"]},
                                             "label": {"type": "string"}, "country": {"type": "string"}}},
        }
    },
}
