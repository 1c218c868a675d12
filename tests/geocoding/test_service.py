"""The app's geocoder with no request: `visa geocode` and the importer call it this way."""

from __future__ import annotations

import pytest
from flask import has_request_context

from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode, geocoder


def test_geocode_outside_a_request(app):
    assert not has_request_context()
    place = geocode("Porto, Portugal")
    assert place.country == "PT" and 41.0 < place.lat < 41.3
    assert geocoder() is geocoder()  # one per process
    with pytest.raises(PlaceNotFound):
        geocode("Qzxqzxvbnm")
