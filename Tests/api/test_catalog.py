"""Gemeenten, raadplegingen, and the coördinator's PATCH of a consultation."""
import re
from datetime import datetime, timedelta, timezone

from apisupport import API_VERSION, CONSULTATION, GEMEENTEN, THEMAS, assert_problem, invalid_names

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_gemeenten_are_the_27_of_the_seed(server):
    r = server.request("GET", "/api/v1/gemeenten")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["API-Version"] == API_VERSION
    body = r.json()
    assert len(body) == 27
    assert {(g["code"], g["naam"], g["regio"]) for g in body} == \
        {(g["code"], g["naam"], g["regio"]) for g in GEMEENTEN}
    assert all(set(g) == {"code", "naam", "regio"} for g in body)


def test_raadplegingen_list(server):
    r = server.request("GET", "/api/v1/raadplegingen")
    assert r.status_code == 200
    [c] = r.json()
    assert c["id"] == CONSULTATION
    assert c["titel"] == "Coalitie voor veiligheid 2023-2026"
    assert c["status"] in ("open", "gesloten")
    assert set(c) == {"id", "titel", "deadline", "status"}


def test_one_raadpleging_has_seven_themes_and_remaining_seconds(server, coordinator):
    deadline = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    r = server.request("PATCH", f"/api/v1/raadplegingen/{CONSULTATION}", coordinator,
                       json={"deadline": deadline.isoformat(), "rboVergadering": "2026-12-10"})
    assert r.status_code == 200, r.text
    r = server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}")
    assert r.status_code == 200
    c = r.json()
    assert [t["code"] for t in c["themas"]] == THEMAS
    assert all(t["titel"] for t in c["themas"])
    assert c["rboVergadering"] == "2026-12-10"
    assert RFC3339.match(c["deadline"]), c["deadline"]
    assert datetime.fromisoformat(c["deadline"]) == deadline
    # Shown in Europe/Amsterdam: +01:00 in winter, +02:00 in summer.
    assert c["deadline"][-6:] in ("+01:00", "+02:00")
    assert 3 * 86400 - 120 < c["resterendeSeconden"] <= 3 * 86400


def test_unknown_raadpleging_is_404(server):
    assert_problem(server.request("GET", "/api/v1/raadplegingen/bestaat-niet"), 404)


def test_patch_is_for_coordinators_only(server, griffie):
    path = f"/api/v1/raadplegingen/{CONSULTATION}"
    r = server.request("PATCH", path, json={"status": "gesloten"})
    assert_problem(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(server.request("PATCH", path, griffie["GM0518"], json={"status": "gesloten"}), 403)
    assert server.request("GET", path).json()["status"] == "open"


def test_patch_is_audited(server, coordinator):
    r = server.request("PATCH", f"/api/v1/raadplegingen/{CONSULTATION}", coordinator,
                       json={"rboVergadering": "2026-12-11"})
    assert r.status_code == 200
    assert r.json()["rboVergadering"] == "2026-12-11"
    audit = server.request("GET", "/api/v1/audit?limiet=20", coordinator).json()
    entry = next(e for e in audit if e["actie"] == "raadpleging-gewijzigd" and "2026-12-11" in e["details"])
    assert entry["onderwerp"] == CONSULTATION
    assert entry["adres"] == "127.0.0.1"
    assert RFC3339.match(entry["op"])
    cli = server.cli("audit")
    assert "raadpleging-gewijzigd" in cli.stdout


def test_patch_reports_every_bad_field(server, coordinator):
    r = server.request("PATCH", f"/api/v1/raadplegingen/{CONSULTATION}", coordinator,
                       json={"deadline": "morgen", "rboVergadering": "10-12-2026", "status": "half", "kleur": "rood"})
    assert invalid_names(r) == {"deadline", "rboVergadering", "status", "kleur"}
    assert_problem(server.request("PATCH", f"/api/v1/raadplegingen/{CONSULTATION}", coordinator, json={}), 422)


def test_patch_bad_json_media_type_size_and_unknown_id(server, coordinator):
    path = f"/api/v1/raadplegingen/{CONSULTATION}"
    assert_problem(server.request("PATCH", path, coordinator, data=b"{",
                                  headers={"Content-Type": "application/json"}), 400)
    assert_problem(server.request("PATCH", path, coordinator, data=b"status=open",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    big = b'{"status":"open","x":"' + b"a" * (70 * 1024) + b'"}'
    assert_problem(server.request("PATCH", path, coordinator, data=big,
                                  headers={"Content-Type": "application/json"}), 413)
    assert_problem(server.request("PATCH", "/api/v1/raadplegingen/bestaat-niet", coordinator,
                                  json={"status": "open"}), 404)
