"""GET /api/v1/geocode and the OpenAPI document."""

from __future__ import annotations


def test_geocode_answers_the_fixed_shape(client):
    body = client.get("/api/v1/geocode?q=Rua Augusta 12, 1100-053 Lisboa, Portugal").get_json()
    assert set(body) == {"lat", "lon", "precision", "label", "country", "alternatives"}
    assert body["country"] == "PT" and body["precision"] == "city" and body["label"] == "Lisbon, Portugal"
    assert body["alternatives"] == []


def test_ambiguous_place_lists_the_alternatives(client):
    body = client.get("/api/v1/geocode?q=Portland").get_json()
    assert body["label"] == "Portland, Oregon, United States"
    maine = [a for a in body["alternatives"] if a["admin1"] == "Maine"]
    assert maine and maine[0]["country"] == "US" and maine[0]["label"] == "Portland, Maine, United States"
    assert set(maine[0]) == {"label", "lat", "lon", "country", "admin1"} and maine[0]["lon"] > -71


def test_query_over_200_characters_is_400(client):
    r = client.get("/api/v1/geocode?q=" + "Lisbon " * 30)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["field"] == "q" and "200" in error["message"]


def test_unknown_place_is_404_with_suggestions(client):
    r = client.get("/api/v1/geocode?q=Lisbonnnnx")
    assert r.status_code == 404
    error = r.get_json()["error"]
    assert error["code"] == "place_not_found" and error["field"] == "q"
    assert "Lisbonnnnx" in error["message"] and error["suggestions"]


def test_missing_query_is_400(client):
    r = client.get("/api/v1/geocode")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "q"


def test_openapi_lists_every_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routes = {str(rule).replace("<slug>", "{slug}") for rule in app.url_map.iter_rules()
              if str(rule).startswith("/api/v1")}
    assert routes == documented
