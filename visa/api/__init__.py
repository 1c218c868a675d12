"""The JSON API under /api/v1 (GeoJSON per RFC 7946)."""
