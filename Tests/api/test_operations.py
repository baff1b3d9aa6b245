"""Operations endpoints, cross-cutting headers (API-Version, CORS, X-Request-ID), problem+json
on every error, and the OpenAPI document as served."""
import re

import pytest
import requests

from apisupport import API_VERSION, CODES, CONSULTATION, ROOT, assert_problem, valid_body, zw_path

C = f"/api/v1/raadplegingen/{CONSULTATION}"


def test_healthz_and_readyz(server):
    for path in ("/healthz", "/readyz"):
        r = server.request("GET", path)
        assert r.status_code == 200 and r.text.strip() == "ok"


def test_metrics_is_prometheus_text(server, griffie):
    server.request("PUT", zw_path(CODES[0]), griffie[CODES[0]], json=valid_body())
    r = server.request("GET", "/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = r.text
    sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
                        r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? -?[0-9.e+Inf-]+$')
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert sample.match(line), line
    assert re.search(r'zienswijzen_http_requests_total\{method="PUT",route="/api/v1/raadplegingen/\{id\}/zienswijzen/\{gemeente\}",status="201"\} 1', text)
    assert 'zienswijzen_http_request_duration_seconds_bucket{le="+Inf"}' in text
    assert re.search(r"^zienswijzen_open_connections \d+$", text, re.M)
    assert re.search(r'zienswijzen_gemeenten_by_status\{raadpleging="[^"]+",status="ingediend"\} 1', text)
    assert "# TYPE zienswijzen_http_request_duration_seconds histogram" in text


def every_api_request(coordinator, griffie):
    g = CODES[1]
    return [
        ("GET", "/api/v1/gemeenten", None, {}),
        ("GET", "/api/v1/raadplegingen", None, {}),
        ("GET", C, None, {}),
        ("GET", "/api/v1/raadplegingen/x", None, {}),
        ("PATCH", C, coordinator, {"json": {"rboVergadering": None}}),
        ("PATCH", C, None, {"json": {}}),
        ("PUT", zw_path(g), griffie[g], {"json": valid_body()}),
        ("PUT", zw_path(g), griffie[g], {"json": {"kleur": 1}}),
        ("GET", zw_path(g), griffie[g], {}),
        ("GET", zw_path(g, "/versies"), coordinator, {}),
        ("GET", zw_path(g, "/versies/1"), coordinator, {}),
        ("GET", zw_path(g, "/versies/9"), coordinator, {}),
        ("GET", zw_path(g, "/bijlagen/0"), coordinator, {}),
        ("POST", zw_path(g, "/bijlagen"), griffie[g], {"data": b"x", "headers": {"Content-Type": "text/plain"}}),
        ("GET", f"{C}/status", coordinator, {}),
        ("GET", f"{C}/zienswijzen", coordinator, {}),
        ("GET", f"{C}/zienswijzen?formaat=csv", coordinator, {}),
        ("GET", "/api/v1/audit", coordinator, {}),
        ("GET", "/api/v1/toegangscodes", coordinator, {}),
        ("DELETE", "/api/v1/toegangscodes/424242", coordinator, {}),
        ("DELETE", zw_path(g), griffie[g], {}),
        ("GET", "/api/v1/openapi.json", None, {}),
        ("GET", "/api/v1/bestaat-niet", None, {}),
        ("GET", "/api/v1/gemeenten/", None, {}),
        ("POST", "/api/v1/gemeenten", None, {"json": {}}),
    ]


def test_api_version_on_every_api_response_and_problem_json_on_every_error(server, coordinator, griffie):
    for method, path, code, kwargs in every_api_request(coordinator, griffie):
        r = server.request(method, path, code, **kwargs)
        assert r.headers.get("API-Version") == API_VERSION, (method, path, r.status_code)
        assert r.headers.get("X-Request-ID"), (method, path)
        if r.status_code >= 400:
            assert_problem(r, r.status_code)
            assert "SELECT" not in r.text and "Error(" not in r.text
        # CORS is for the OpenAPI document only (ADR API-51).
        if path == "/api/v1/openapi.json":
            assert r.headers["Access-Control-Allow-Origin"] == "*"
        else:
            assert "Access-Control-Allow-Origin" not in r.headers, path
    for path in ("/healthz", "/readyz", "/metrics"):
        assert "Access-Control-Allow-Origin" not in server.request("GET", path).headers


def test_405_names_the_allowed_methods(server):
    # DELETE, not POST: since issue 17 a coordinator adds a gemeente with POST /api/v1/gemeenten.
    r = server.request("DELETE", "/api/v1/gemeenten", json={})
    assert_problem(r, 405)
    assert "GET" in r.headers["Allow"]


def test_request_id_is_echoed(server):
    r = server.request("GET", "/api/v1/gemeenten", headers={"X-Request-ID": "griffie-test-42"})
    assert r.headers["X-Request-ID"] == "griffie-test-42"
    r = server.request("GET", "/api/v1/gemeenten", headers={"X-Request-ID": "bad id with spaces"})
    assert r.headers["X-Request-ID"] != "bad id with spaces" and r.headers["X-Request-ID"]


def test_openapi_document_is_served_valid_and_true_to_the_version(server):
    from openapi_spec_validator import validate

    r = server.request("GET", "/api/v1/openapi.json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.content == (ROOT / "Public" / "openapi.json").read_bytes()
    document = r.json()
    validate(document)
    assert document["info"]["version"] == r.headers["API-Version"] == API_VERSION
    assert document["info"]["contact"]
    # Every operation on a PUT/POST/DELETE of a zienswijze or bijlage takes Idempotency-Key (the
    # RSIV's answer under it, issue 15, is a whole-resource PUT that needs none).
    for path, item in document["paths"].items():
        for method in ("put", "post", "delete"):
            if method in item and "/zienswijzen/{gemeente}" in path and not path.endswith("/reactie"):
                refs = [p.get("$ref", "") for p in item[method].get("parameters", [])]
                assert "#/components/parameters/IdempotencyKey" in refs, (method, path)


def test_receipt_matches_the_documented_schema(server, griffie):
    """The JSON shapes the server answers validate against the document's schemas."""
    import jsonschema
    from openapi_schema_validator import OAS30Validator

    document = server.request("GET", "/api/v1/openapi.json").json()
    g = CODES[2]

    def check(instance, schema_name):
        schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
        OAS30Validator(schema, format_checker=jsonschema.FormatChecker()).validate(instance)

    receipt = server.request("PUT", zw_path(g), griffie[g], json=valid_body()).json()
    check(receipt, "Ontvangstbevestiging")
    check(server.request("GET", C).json(), "Raadpleging")
    for item in server.request("GET", "/api/v1/gemeenten").json():
        check(item, "Gemeente")
    bad = server.request("PUT", zw_path(g), griffie[g], json={"x": 1}).json()
    check(bad, "Probleem")


def test_the_leak_check_itself_finds_a_leak():
    """The check every module's server runs at teardown would notice a code in the log or a body."""
    from apisupport import Server

    probe = Server()
    probe.issued_codes = ["7K3M-QX9D-2HBT-WV4N-8RJE"]
    probe.log = ["ts=... msg=\"GET /x\" auth=7k3mqx9d2hbtwv4n8rje"]
    assert probe.leaked_codes() == ["log: 7K3M-QX9D-2HBT-WV4N-8RJE"]
    probe.log = []
    response = requests.Response()
    response._content = b'{"detail": "code 7K3M-QX9D-2HBT-WV4N-8RJE"}'
    probe.responses = [("GET", "/api/v1/audit", response)]
    assert probe.leaked_codes() == ["GET /api/v1/audit: 7K3M-QX9D-2HBT-WV4N-8RJE"]
    probe.tmp.cleanup()
