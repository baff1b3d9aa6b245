"""The authorization matrix: a griffie code reaches only its own gemeente; a coördinator reads
everything and writes nothing of a gemeente; coordinator resources refuse griffie codes."""
import itertools

import pytest

from apisupport import CODES, CONSULTATION, assert_problem, minimal_pdf, valid_body, zw_path


@pytest.fixture(scope="module")
def world(server, griffie):
    """Every gemeente has a zienswijze with one attachment."""
    state = {}
    for gemeente in CODES:
        code = griffie[gemeente]
        assert server.request("PUT", zw_path(gemeente), code, json=valid_body()).status_code == 201
        r = server.request("POST", zw_path(gemeente, "/bijlagen"), code, data=minimal_pdf(gemeente),
                           headers={"Content-Type": "application/pdf"})
        assert r.status_code == 201
        state[gemeente] = r.json()["id"]
    return state


def cross_requests(target, bijlage_id):
    """Every operation on another gemeente's resources: (method, path, kwargs)."""
    return [
        ("GET", zw_path(target), {}),
        ("PUT", zw_path(target), {"json": valid_body()}),
        ("DELETE", zw_path(target), {}),
        ("GET", zw_path(target, "/versies"), {}),
        ("GET", zw_path(target, "/versies/1"), {}),
        ("GET", zw_path(target, "/versies/2"), {}),
        ("POST", zw_path(target, "/bijlagen"), {"data": minimal_pdf(), "headers": {"Content-Type": "application/pdf"}}),
        ("GET", zw_path(target, f"/bijlagen/{bijlage_id}"), {}),
    ]


def test_griffie_of_a_cannot_touch_b_full_matrix(server, griffie, world, coordinator):
    before = {g: server.request("GET", zw_path(g, "/versies"), coordinator).json() for g in CODES}
    checked = 0
    sessions = {g: server.session(griffie[g]) for g in CODES}
    for a, b in itertools.permutations(CODES, 2):
        for method, path, kwargs in cross_requests(b, world[b]):
            r = sessions[a].request(method, server.url(path), timeout=30, **kwargs)
            body = assert_problem(r, 403)
            assert body["type"] == "urn:zienswijzen:probleem:geen-toegang"
            # Nothing of b's zienswijze or attachment in the refusal.
            assert "A. de Griffier" not in r.text and "%PDF" not in r.text
            checked += 1
    assert checked == 27 * 26 * 8
    after = {g: server.request("GET", zw_path(g, "/versies"), coordinator).json() for g in CODES}
    assert after == before, "a refused request changed something"
    # The attachment of b is not reachable under a's own path either.
    a, b = CODES[0], CODES[1]
    assert_problem(server.request("GET", zw_path(a, f"/bijlagen/{world[b]}"), griffie[a]), 404)


def test_griffie_cannot_reach_an_unknown_gemeente_or_see_existence(server, griffie):
    # 403 before 404: a griffie code learns nothing about other paths.
    assert_problem(server.request("GET", zw_path("GM9999"), griffie[CODES[0]]), 403)
    assert_problem(server.request("PUT", zw_path("GM9999"), griffie[CODES[0]], json=valid_body()), 403)


def test_coordinator_reads_everything_but_cannot_write(server, coordinator, world):
    g = CODES[2]
    assert server.request("GET", zw_path(g), coordinator).status_code == 200
    assert server.request("GET", zw_path(g, "/versies"), coordinator).status_code == 200
    assert server.request("GET", zw_path(g, "/versies/1"), coordinator).status_code == 200
    r = server.request("GET", zw_path(g, f"/bijlagen/{world[g]}"), coordinator)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    versions = len(server.request("GET", zw_path(g, "/versies"), coordinator).json())
    assert_problem(server.request("PUT", zw_path(g), coordinator, json=valid_body()), 403)
    assert_problem(server.request("DELETE", zw_path(g), coordinator), 403)
    assert_problem(server.request("POST", zw_path(g, "/bijlagen"), coordinator, data=minimal_pdf(),
                                  headers={"Content-Type": "application/pdf"}), 403)
    assert len(server.request("GET", zw_path(g, "/versies"), coordinator).json()) == versions


@pytest.mark.parametrize("method,path,kwargs", [
    ("GET", f"/api/v1/raadplegingen/{CONSULTATION}/status", {}),
    ("GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen", {}),
    ("GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen?formaat=csv", {}),
    ("PATCH", f"/api/v1/raadplegingen/{CONSULTATION}", {"json": {"status": "gesloten"}}),
    ("GET", "/api/v1/audit", {}),
    ("GET", "/api/v1/toegangscodes", {}),
    ("POST", "/api/v1/toegangscodes", {"json": {"rol": "coordinator", "naam": "Ik"}}),
    ("DELETE", "/api/v1/toegangscodes/1", {}),
])
def test_coordinator_resources_refuse_griffie_codes(server, griffie, method, path, kwargs):
    assert_problem(server.request(method, path, griffie[CODES[0]], **kwargs), 403)


def test_access_codes_through_the_api(server, coordinator):
    r = server.request("POST", "/api/v1/toegangscodes", coordinator,
                       json={"rol": "griffie", "gemeente": "GM0546", "naam": "Griffie Leiden"})
    assert r.status_code == 201, r.text
    assert r.headers["Cache-Control"] == "no-store"
    issued = r.json()
    code = issued["code"]
    server.issued_codes.append(code)
    assert issued["rol"] == "griffie" and issued["gemeente"] == "GM0546" and issued["ingetrokkenOp"] is None
    assert len(code.replace("-", "")) == 20
    # The code works for its gemeente only.
    assert server.request("PUT", zw_path("GM0546"), code, json=valid_body()).status_code == 200
    assert_problem(server.request("GET", zw_path("GM0547"), code), 403)
    listing = server.request("GET", "/api/v1/toegangscodes", coordinator)
    entry = next(c for c in listing.json() if c["id"] == issued["id"])
    assert "code" not in entry and entry["laatstGebruiktOp"] is not None
    cli = server.cli("token", "list")
    assert code not in cli.stdout and code.replace("-", "") not in cli.stdout
    # Audit names the code's id, never the code.
    audit = server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json()
    assert any(e["actie"] == "toegangscode-uitgegeven" and e["onderwerp"] == f"toegangscode:{issued['id']}" for e in audit)
    assert any(e["actie"] == "zienswijze-ingediend" and e["onderwerp"].endswith("/GM0546") for e in audit)
    # Bad requests.
    for body, names in [({"rol": "griffie"}, {"gemeente"}), ({"rol": "baas"}, {"rol"}),
                        ({"rol": "griffie", "gemeente": "GM9999"}, {"gemeente"}),
                        ({"rol": "coordinator", "gemeente": "GM0518", "naam": "C"}, {"gemeente"}), ({"x": 1}, {"x", "rol"}),
                        ({"rol": "coordinator", "naam": 5}, {"naam"}),
                        # Issue 12: the API now refuses what the web form and the CLI refused already.
                        ({"rol": "coordinator"}, {"naam"}), ({"rol": "coordinator", "naam": "A\u0007B"}, {"naam"}),
                        ({"rol": "coordinator", "naam": "A\u202eB"}, {"naam"})]:
        bad = server.request("POST", "/api/v1/toegangscodes", coordinator, json=body)
        assert {p["name"] for p in assert_problem(bad, 422)["invalidParams"]} == names, body
    assert_problem(server.request("POST", "/api/v1/toegangscodes", coordinator, data=b"rol=griffie",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_problem(server.request("POST", "/api/v1/toegangscodes", coordinator, data=b"{",
                                  headers={"Content-Type": "application/json"}), 400)
    # Revoking: 204, then 404 (and the code itself is tested for 401 in test_authentication).
    assert server.request("DELETE", f"/api/v1/toegangscodes/{issued['id']}", coordinator).status_code == 204
    assert_problem(server.request("DELETE", f"/api/v1/toegangscodes/{issued['id']}", coordinator), 404)
    assert_problem(server.request("DELETE", "/api/v1/toegangscodes/999999", coordinator), 404)
    assert_problem(server.request("DELETE", "/api/v1/toegangscodes/abc", coordinator), 404)


def test_audit_paging(server, coordinator, world):
    page = server.request("GET", "/api/v1/audit?limiet=5", coordinator).json()
    assert len(page) == 5
    ids = [e["id"] for e in page]
    assert ids == sorted(ids, reverse=True)
    older = server.request("GET", f"/api/v1/audit?limiet=5&voor={ids[-1]}", coordinator).json()
    assert older and all(e["id"] < ids[-1] for e in older)
    assert len(server.request("GET", "/api/v1/audit?limiet=5000", coordinator).json()) <= 1000
    r = server.request("GET", "/api/v1/audit?limiet=veel&voor=gisteren", coordinator)
    assert {p["name"] for p in assert_problem(r, 422)["invalidParams"]} == {"limiet", "voor"}
