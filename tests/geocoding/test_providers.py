"""geopy providers against a real HTTP server on 127.0.0.1 that answers like Nominatim."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from geodata import GAZETTEER_DB
from visa.geocoding.providers import build_service
from visa.geocoding.results import PlaceNotFound

DATA = Path(__file__).resolve().parent.parent / "data" / "nominatim"


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim: a JSON list, empty when the place is unknown."""

    answers = {"rua augusta 12, 1100-053 lisboa, portugal": DATA / "rua-augusta.json"}
    requests: list[dict] = []

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).requests.append({"path": url.path, **query})
        source = self.answers.get(query.get("q", "").lower())
        body = source.read_bytes() if source else b"[]"
        self.send_response(200 if url.path == "/search" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim():
    FakeNominatim.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class MemoryCache:
    def __init__(self):
        self.entries = {}

    def get(self, provider, key):
        return (True, self.entries[(provider, key)]) if (provider, key) in self.entries else (False, None)

    def put(self, provider, key, result):
        self.entries[(provider, key)] = result


def _service(domain: str, spec: str = "nominatim,offline", cache=None):
    options = {"nominatim": {"domain": domain, "scheme": "http", "user_agent": "visa-directory-tests"}}
    return build_service(spec, options, GAZETTEER_DB, cache, min_delay_seconds=0)


def test_nominatim_answer_is_read_with_precision_and_country(nominatim):
    result = _service(nominatim).geocode("Rua Augusta 12, 1100-053 Lisboa, Portugal")
    assert (result.lat, result.lon) == (38.7101, -9.1367)
    assert result.precision == "exact"
    assert result.country == "PT"
    assert result.source == "nominatim"
    sent = FakeNominatim.requests[0]
    assert sent["path"] == "/search" and sent["format"] == "json" and sent["addressdetails"] == "1"


def test_offline_backs_up_when_nominatim_knows_nothing(nominatim):
    result = _service(nominatim).geocode("Porto, Portugal")
    assert result.source == "offline" and result.label.startswith("Porto")
    assert len(FakeNominatim.requests) == 1


def test_cache_means_no_address_is_sent_twice(nominatim):
    cache = MemoryCache()
    service = _service(nominatim, cache=cache)
    first = service.geocode("Rua Augusta 12, 1100-053 Lisboa, Portugal")
    second = service.geocode("rua augusta 12,  1100-053 LISBOA, Portugal")
    service.geocode("Porto, Portugal")
    service.geocode("Porto, Portugal")
    assert first == second
    assert len(FakeNominatim.requests) == 2  # one per distinct address, misses included


def test_not_found_anywhere_raises_with_suggestions(nominatim):
    with pytest.raises(PlaceNotFound) as missing:
        _service(nominatim).geocode("Lisbonnnnx")
    assert missing.value.suggestions


def test_database_cache_persists_across_services(app, nominatim):
    from visa.geocoding.models import DatabaseGeocodeCache

    _service(nominatim, cache=DatabaseGeocodeCache()).geocode("Rua Augusta 12, 1100-053 Lisboa, Portugal")
    again = _service(nominatim, cache=DatabaseGeocodeCache()).geocode("Rua Augusta 12, 1100-053 Lisboa, Portugal")
    assert again.precision == "exact"
    assert len(FakeNominatim.requests) == 1


def test_offline_only_is_the_default_and_never_calls_out():
    service = build_service("offline", {}, GAZETTEER_DB)
    assert service.order == ["offline"] and not service.remotes
    assert service.geocode("Köln").country == "DE"
