"""Schemathesis against the OpenAPI document of the test app: no 5xx, no answer the document does not declare.

In-process (WSGI), a bounded number of examples per operation and mode,
derandomized (the suite's hypothesis profile): the same requests on every run.
Schemathesis' pytest plugin is not used (its lazy fixture loader does not run
under pytest 9); each operation's strategy is driven by hypothesis directly.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode

from visa.reciprocity.forms import MAX_SPAN

EXAMPLES_PER_OPERATION = 50


def _follows_documented_rules(case) -> bool:
    """The rules between parameters that the document states in words (JSON Schema cannot say them)."""
    query = case.query or {}
    if "near" in query and "bbox" in query:
        return False
    if "radius_km" in query and "near" not in query:
        return False
    if "bbox" in query:
        south, north = (float(v) for v in str(query["bbox"]).split(",")[1::2])
        if "zoom" not in query or south > north:
            return False
    if ("date_from" in query) != ("date_to" in query):
        return False
    if "date_from" in query:
        start, end = (date.fromisoformat(str(query[k])) for k in ("date_from", "date_to"))
        if not start <= end <= start + MAX_SPAN:
            return False
    return "cursor" not in query  # only a next_cursor the API returned is valid


def test_api_answers_as_documented(app, make_space):
    make_space("Baixa Desk", lat=38.7101, lon=-9.1367)
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    app.config["VISA_GEOCODE_LIMIT"] = "100000 per minute"  # the limit itself is tested elsewhere
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # Invalid data may also be refused as too long a request line (414, documented on every operation):
    # a string over maxLength, percent-encoded, can pass the 4 KB query limit before its own check.
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "414"]
    examples: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]

    def fuzz(operation, mode: GenerationMode) -> None:
        label = f"{operation.label} {mode.value}"

        @settings(max_examples=EXAMPLES_PER_OPERATION, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            if mode is GenerationMode.POSITIVE:
                assume(_follows_documented_rules(case))
            examples[label] += 1
            # Schemathesis's WSGI transport asks for gzip but does not decode it; compression is tested in tests/wire.
            response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
            statuses[response.status_code] += 1

        run()

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode)
    print(f"schemathesis: {len(operations)} operations, {sum(examples.values())} examples, statuses {dict(statuses)}")
    # Schemathesis leaves out the operation serving the document itself.
    assert sorted(op.label for op in operations) == [
        "GET /api/v1/geocode", "GET /api/v1/reciprocity", "GET /api/v1/spaces", "GET /api/v1/spaces/{slug}"]
    assert all(examples[f"{op.label} {mode.value}"] > 0 for op in operations for mode in GenerationMode)
    assert statuses[200] > 0 and statuses[400] > 0


def test_other_methods_get_405_with_allow_on_every_documented_path(client):
    """Declared once in the document (a note, not per operation): every path is read-only."""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "near and bbox exclude each other" in spec["paths"]["/api/v1/spaces"]["get"]["description"]
    assert "429" in spec["paths"]["/api/v1/geocode"]["get"]["responses"]
    for path in spec["paths"]:
        assert {"405", "414"} <= set(spec["paths"][path]["get"]["responses"])
        url = path.replace("{slug}", "baixa-desk-lisbon")
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = client.open(url, method=method)
            assert r.status_code == 405 and r.is_json, (method, url)
            assert set(r.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
            assert set(r.get_json()["error"]) >= {"code", "message", "field"}
