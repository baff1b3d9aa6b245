"""401 for missing, unknown and revoked codes; 429 for further failures after repeated ones, never for a valid code.

This module has its own server (every module does), so the failures it piles up from 127.0.0.1
cannot throttle other tests. The throttle test runs last in the module on purpose.
"""
import re

from apisupport import CODES, CONSULTATION, assert_problem, valid_body, wait_for, zw_path

PROTECTED = zw_path(CODES[0])


def check_401(r):
    body = assert_problem(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["type"] == "urn:zienswijzen:probleem:niet-geauthenticeerd"


def test_missing_code_is_401_with_www_authenticate(server):
    for method, path in [("GET", PROTECTED), ("PUT", PROTECTED), ("DELETE", PROTECTED),
                         ("GET", f"/api/v1/raadplegingen/{CONSULTATION}/status"), ("GET", "/api/v1/audit")]:
        check_401(server.request(method, path, json=valid_body() if method == "PUT" else None))


def test_unknown_and_malformed_codes_are_401(server):
    check_401(server.request("GET", PROTECTED, "AAAA-BBBB-CCCC-DDDD-EEEE"))
    check_401(server.request("GET", PROTECTED, headers={"Authorization": "Basic Z3JpZmZpZTp4"}))
    check_401(server.request("GET", PROTECTED, "niet-eens-een-code"))


def test_codes_are_typed_forgivingly(server, griffie):
    code = griffie[CODES[0]]
    for variant in (code, code.lower(), code.replace("-", ""), code.replace("-", " ")):
        assert server.request("GET", zw_path(CODES[0], "/versies"), variant).status_code == 200, variant


def test_revoked_codes_are_401(server, coordinator):
    gemeente = CODES[5]
    code = server.issue_griffie(gemeente, "Om in te trekken")
    assert server.request("PUT", zw_path(gemeente), code, json=valid_body()).status_code == 201
    listing = server.cli("token", "list").stdout.splitlines()
    row = next(line for line in listing if "Om in te trekken" in line)
    server.cli("token", "revoke", row.split("\t")[0])
    check_401(server.request("GET", zw_path(gemeente), code))
    check_401(server.request("PUT", zw_path(gemeente), code, json=valid_body()))
    # Revoked through the API: also 401, and the audit log records the failures without the code.
    r = server.request("POST", "/api/v1/toegangscodes", coordinator,
                       json={"rol": "coordinator", "naam": "Tijdelijk"})
    other = r.json()["code"]
    server.issued_codes.append(other)
    assert server.request("GET", "/api/v1/audit", other).status_code == 200
    assert server.request("DELETE", f"/api/v1/toegangscodes/{r.json()['id']}", coordinator).status_code == 204
    check_401(server.request("GET", "/api/v1/audit", other))
    audit = server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json()
    failures = [e for e in audit if e["actie"] == "authenticatie-mislukt"]
    # Audited in aggregate: one row per address per minute, with the count (issue 10).
    assert sum(failure_count(e) for e in failures) >= 5 and all(e["adres"] == "127.0.0.1" for e in failures)
    assert other not in str(audit) and code not in str(audit)


def test_repeated_failures_get_429_but_valid_codes_are_served(server, coordinator):
    """Runs last. Mistakes are throttled, never the right code (issue 10)."""
    def hammer():
        r = server.request("GET", PROTECTED, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        return [r] if r.status_code == 429 else None  # a list: a 4xx Response itself is falsy
    [r] = wait_for(hammer, timeout=30, interval=0, what="429 after repeated failures")
    assert_problem(r, 429)
    assert int(r.headers["Retry-After"]) > 0
    # A valid code from the same address is served while the window lasts...
    assert server.request("GET", "/api/v1/audit", coordinator).status_code == 200
    # ...and so are anonymous resources.
    assert server.request("GET", "/api/v1/gemeenten").status_code == 200
    metrics = server.request("GET", "/metrics").text
    line = next(l for l in metrics.splitlines() if l.startswith("zienswijzen_authentication_failures_total"))
    assert int(line.split()[-1]) >= 10
    # Many failures, few rows: one per address per minute.
    audit = server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json()
    failures = [e for e in audit if e["actie"] == "authenticatie-mislukt"]
    assert sum(failure_count(e) for e in failures) >= 11
    assert len(failures) <= 3


def failure_count(entry):
    """How many failures an aggregated audit row stands for ("12 mislukte pogingen ...")."""
    match = re.match(r"(\d+) mislukte pogingen", entry["details"])
    return int(match.group(1)) if match else 1
