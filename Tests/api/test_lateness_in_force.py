"""Issue 14, item 5: lateness follows the deadline in force, and the deadline at receipt is kept.

A module of its own (its own server and database): it moves the deadline back and forth."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from apisupport import CODES, CONSULTATION, digest, parse_csv, valid_body, zw_path

CONSULTATION_PATH = f"/api/v1/raadplegingen/{CONSULTATION}"


def set_deadline(server, coordinator, when: datetime) -> str:
    r = server.request("PATCH", CONSULTATION_PATH, coordinator, json={"deadline": when.isoformat()})
    assert r.status_code == 200, r.text
    return r.json()["deadline"]


def status_line(server, coordinator, gemeente: str) -> dict:
    r = server.request("GET", f"{CONSULTATION_PATH}/status", coordinator)
    assert r.status_code == 200, r.text
    return next(g for g in r.json()["gemeenten"] if g["code"] == gemeente)


def csv_row(server, coordinator, gemeente: str, formaat: str = "csv") -> dict:
    r = server.request("GET", f"{CONSULTATION_PATH}/zienswijzen?formaat={formaat}", coordinator)
    assert r.status_code == 200, r.text
    rows = parse_csv(r.content)
    header = rows[0]
    key = header.index("gemeente" if formaat == "csv" else "CBS-code")
    return next(dict(zip(header, row)) for row in rows[1:] if row[key] == gemeente)


@pytest.fixture(scope="module")
def now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def test_moving_the_deadline_later_clears_te_laat(server, coordinator, griffie, now):
    gemeente = CODES[5]
    set_deadline(server, coordinator, now - timedelta(hours=1))
    receipt = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body())
    assert receipt.status_code == 201 and receipt.json()["teLaat"] is True
    assert status_line(server, coordinator, gemeente)["status"] == "te-laat"
    assert csv_row(server, coordinator, gemeente)["status"] == "te-laat"

    set_deadline(server, coordinator, now + timedelta(days=1))
    line = status_line(server, coordinator, gemeente)
    assert line["status"] == "ingediend" and line["opTijdOntvangenVersie"] is None
    row = csv_row(server, coordinator, gemeente)
    assert (row["status"], row["teLaat"]) == ("ingediend", "nee")
    assert csv_row(server, coordinator, gemeente, "excel")["Status"] == "Ingediend"
    # The stored version is the record of receipt: judged then, in its digest, never rewritten.
    stored = server.request("GET", zw_path(gemeente), coordinator).json()
    assert stored["teLaat"] is True and stored["sha256"] == digest(stored) == receipt.json()["sha256"]

    # Earlier again: late again, by the same comparison.
    set_deadline(server, coordinator, now - timedelta(hours=1))
    assert status_line(server, coordinator, gemeente)["status"] == "te-laat"


def test_on_time_then_changed_after_the_deadline(server, coordinator, griffie, now):
    gemeente = CODES[6]
    # A deadline a few seconds ahead: version 1 before it, version 2 (a typo fixed) after it.
    deadline = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=3)
    set_deadline(server, coordinator, deadline)
    first = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body())
    assert first.status_code == 201 and first.json()["teLaat"] is False
    time.sleep(max(0.0, (deadline - datetime.now(timezone.utc)).total_seconds()) + 1.2)
    fixed = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body(toelichting="Typfout hersteld."))
    assert fixed.status_code == 200 and fixed.json()["teLaat"] is True

    line = status_line(server, coordinator, gemeente)
    assert line["status"] == "te-laat" and line["versie"] == 2  # `status` keeps its meaning ...
    assert line["opTijdOntvangenVersie"] == 1                   # ... the new field tells the rest
    only_late = server.request("GET", f"{CONSULTATION_PATH}/status?status=te-laat", coordinator).json()
    assert gemeente in {g["code"] for g in only_late["gemeenten"]}
    excel = csv_row(server, coordinator, gemeente, "excel")
    assert excel["Status"] == "Op tijd ingediend, na de deadline gewijzigd"
    assert excel["Op tijd ontvangen versie"] == "1" and excel["Versie"] == "2"
    # The on-time version is still there, unchanged.
    v1 = server.request("GET", zw_path(gemeente, "/versies/1"), coordinator).json()
    assert v1["teLaat"] is False and v1["sha256"] == first.json()["sha256"] == digest(v1)

    # A withdrawal after the deadline: withdrawn, and no on-time version is claimed.
    assert server.request("DELETE", zw_path(gemeente), griffie[gemeente]).status_code == 204
    line = status_line(server, coordinator, gemeente)
    assert line["status"] == "ingetrokken" and line["opTijdOntvangenVersie"] is None


def test_the_receipt_carries_the_deadline_at_receipt(server, coordinator, griffie, now):
    gemeente = CODES[7]
    deadline = set_deadline(server, coordinator, now + timedelta(days=2))
    r = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body())
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["deadlineBijOntvangst"] == deadline
    version = receipt["zienswijze"]
    assert version["deadlineBijOntvangst"] == deadline
    assert list(version)[list(version).index("teLaat") + 1:][:2] == ["deadlineBijOntvangst", "sha256"]
    assert receipt["sha256"] == digest(version)
    # Moving the deadline afterwards does not change what the version says it was received under.
    set_deadline(server, coordinator, now + timedelta(days=5))
    stored = server.request("GET", zw_path(gemeente, "/versies/1"), griffie[gemeente]).json()
    assert stored == version


def test_the_audit_entry_carries_the_deadline_at_receipt(server, coordinator, griffie, now):
    gemeente = CODES[8]
    deadline = set_deadline(server, coordinator, now + timedelta(days=3))
    r = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body())
    assert r.status_code == 201
    entries = server.request("GET", "/api/v1/audit?limiet=20", coordinator).json()
    entry = next(e for e in entries if e["actie"] == "zienswijze-ingediend" and e["onderwerp"].endswith("/" + gemeente))
    assert r.json()["kenmerk"] in entry["details"]
    assert f"deadline bij ontvangst {deadline}" in entry["details"]


def test_without_a_deadline_the_receipt_says_null(tmp_path):
    """A fresh database has no deadline: the receipt says null, the version has no such member."""
    from apisupport import Server, Griffies
    server = Server().start()
    try:
        griffie = Griffies(server)
        gemeente = CODES[0]
        r = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body())
        assert r.status_code == 201, r.text
        assert r.json()["deadlineBijOntvangst"] is None
        assert "deadlineBijOntvangst" not in r.json()["zienswijze"]
        assert r.json()["sha256"] == digest(r.json()["zienswijze"])
    finally:
        assert server.stop() == 0
        server.cleanup()
