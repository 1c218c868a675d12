"""Geocoding: place a typed text (offline gazetteer or a geopy provider), with a cache in the database."""
