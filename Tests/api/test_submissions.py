"""Submitting, reading, versioning and withdrawing a zienswijze; validation; idempotency."""
import re
from datetime import datetime

import pytest

from apisupport import (CONSULTATION, assert_problem, digest, invalid_names, minimal_pdf, valid_body, zw_path)

KENMERK = re.compile(r"^ZW-(\d{4})-(GM\d{4})-(\d{4,})$")
VERSION_KEYS = ["raadpleging", "gemeente", "versie", "kenmerk", "status", "ontvangenOp", "teLaat", "sha256",
                "standpunt", "datumRaadsbesluit", "indiener", "toelichting", "opmerkingen", "bijlagen"]


def check_receipt(r, gemeente, versie, status):
    assert r.status_code == status, r.text
    receipt = r.json()
    assert list(receipt) == ["kenmerk", "versie", "ontvangenOp", "teLaat", "deadlineBijOntvangst", "sha256", "zienswijze"]
    v = receipt["zienswijze"]
    assert list(v) == VERSION_KEYS
    m = KENMERK.match(receipt["kenmerk"])
    assert m, receipt["kenmerk"]
    assert m.group(1) == receipt["ontvangenOp"][:4] and m.group(2) == gemeente and int(m.group(3)) == versie
    assert receipt["kenmerk"] == f"ZW-{m.group(1)}-{gemeente}-{versie:04d}"
    assert receipt["versie"] == v["versie"] == versie
    assert receipt["kenmerk"] == v["kenmerk"] and receipt["ontvangenOp"] == v["ontvangenOp"]
    assert receipt["teLaat"] == v["teLaat"]
    assert receipt["sha256"] == v["sha256"] == digest(v)
    assert v["raadpleging"] == CONSULTATION and v["gemeente"] == gemeente
    assert datetime.fromisoformat(receipt["ontvangenOp"]).utcoffset() is not None
    assert r.headers["Location"] == zw_path(gemeente, f"/versies/{versie}")
    return receipt


def test_put_json_201_then_200_with_receipt_location_and_digest(server, griffie):
    code = griffie["GM0518"]
    first = check_receipt(server.request("PUT", zw_path("GM0518"), code, json=valid_body()), "GM0518", 1, 201)
    v = first["zienswijze"]
    assert v["status"] == "ingediend" and v["teLaat"] is False
    assert v["standpunt"] == "instemmend-met-opmerkingen" and v["datumRaadsbesluit"] == "2024-11-20"
    assert v["indiener"] == {"naam": "A. de Griffier", "email": "griffie@example.nl"}
    assert v["toelichting"] == valid_body()["toelichting"]
    assert v["opmerkingen"] == [{"thema": "cybercrime", "tekst": "Opmerking over dit thema."}]
    assert v["bijlagen"] == []

    second = check_receipt(server.request("PUT", zw_path("GM0518"), code,
                                          json=valid_body(standpunt="instemmend", opmerkingen=[])), "GM0518", 2, 200)
    # The Location and GET answer exactly the stored version of the receipt.
    got = server.request("GET", zw_path("GM0518", "/versies/2"), code)
    assert got.status_code == 200 and got.json() == second["zienswijze"]
    current = server.request("GET", zw_path("GM0518"), code)
    assert current.json() == second["zienswijze"] and digest(current.json()) == current.json()["sha256"]
    versions = server.request("GET", zw_path("GM0518", "/versies"), code).json()
    assert [x["versie"] for x in versions] == [1, 2]
    assert versions[0] == first["zienswijze"]


def test_put_urlencoded_form(server, griffie):
    form = {"standpunt": "niet-instemmend", "datumRaadsbesluit": "2024-10-01", "indiener.naam": "B. Griffier",
            "indiener.email": "b@example.nl", "toelichting": "regel 1\r\nregel 2",
            "opmerking.ondermijning": "Meer aandacht.", "opmerking.cybercrime": ""}
    receipt = check_receipt(server.request("PUT", zw_path("GM0503"), griffie["GM0503"], data=form), "GM0503", 1, 201)
    v = receipt["zienswijze"]
    assert v["standpunt"] == "niet-instemmend"
    assert v["indiener"] == {"naam": "B. Griffier", "email": "b@example.nl"}
    assert v["toelichting"] == "regel 1\nregel 2"
    assert v["opmerkingen"] == [{"thema": "ondermijning", "tekst": "Meer aandacht."}]
    r = server.request("PUT", zw_path("GM0503"), griffie["GM0503"], data={**form, "kleur": "rood"})
    assert "kleur" in invalid_names(r)


def test_put_multipart_with_and_without_file(server, griffie):
    code = griffie["GM1916"]
    fields = {"standpunt": "geen-zienswijze", "indiener.naam": "C. Griffier", "indiener.email": "c@example.nl"}
    pdf = minimal_pdf("multipart")
    r = server.request("PUT", zw_path("GM1916"), code, data=fields,
                       files={"bestand": ("besluit.pdf", pdf, "application/pdf")})
    receipt = check_receipt(r, "GM1916", 1, 201)
    v = receipt["zienswijze"]
    assert v["datumRaadsbesluit"] is None and v["standpunt"] == "geen-zienswijze"
    [bijlage] = v["bijlagen"]
    assert bijlage["bestandsnaam"] == "besluit.pdf" and bijlage["grootte"] == len(pdf)
    got = server.request("GET", zw_path("GM1916", f"/bijlagen/{bijlage['id']}"), code)
    assert got.content == pdf
    # Without a file (an empty file part, as a browser sends it): the attachment carries over.
    r = server.request("PUT", zw_path("GM1916"), code, data=fields, files={"bestand": ("", b"", "application/octet-stream")})
    assert check_receipt(r, "GM1916", 2, 200)["zienswijze"]["bijlagen"] == [bijlage]
    # A non-PDF file part is refused by its content.
    r = server.request("PUT", zw_path("GM1916"), code, data=fields, files={"bestand": ("x.pdf", b"MZ\x90\x00", "application/pdf")})
    assert invalid_names(r) == {"bestand"}


def test_every_validation_error_at_once(server, griffie):
    body = {
        "standpunt": "misschien",
        "datumRaadsbesluit": "2999-01-01",
        "indiener": {"naam": "", "email": "geen-adres", "telefoon": "070"},
        "toelichting": "x" * 20_001,
        "opmerkingen": [{"thema": "verkeer", "tekst": "a"}, {"thema": "cybercrime", "tekst": "b" * 10_001},
                        {"thema": "ondermijning", "tekst": "c"}, {"thema": "ondermijning", "tekst": "d"}],
        "kleur": "rood",
    }
    r = server.request("PUT", zw_path("GM1842"), griffie["GM1842"], json=body)
    assert invalid_names(r) == {
        "standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email", "indiener.telefoon", "toelichting",
        "opmerkingen[0].thema", "opmerkingen[1].tekst", "opmerkingen[3].thema", "kleur"}
    reasons = {p["name"]: p["reason"] for p in r.json()["invalidParams"]}
    assert "20000" in reasons["toelichting"] and "10000" in reasons["opmerkingen[1].tekst"]
    assert reasons["kleur"] == "onbekend veld"
    # Required fields, and a date that a standpunt other than geen-zienswijze needs.
    r = server.request("PUT", zw_path("GM1842"), griffie["GM1842"], json={"standpunt": "instemmend"})
    assert invalid_names(r) == {"datumRaadsbesluit", "indiener.naam", "indiener.email"}
    assert server.request("GET", zw_path("GM1842"), griffie["GM1842"]).status_code == 404


@pytest.mark.parametrize("field,limit", [("naam", 200), ("email", 254), ("toelichting", 20_000), ("tekst", 10_000)])
def test_text_limits_are_exact_and_count_code_points(server, griffie, field, limit):
    code = griffie["GM1926"]

    def body(n):
        if field == "naam":
            return valid_body(indiener={"naam": "é" * n, "email": "a@example.nl"})
        if field == "email":
            # Labels of at most 63 characters (the HTML standard's valid e-mail address).
            local, domain_length = "a" * 64, n - 64 - 1 - 3
            labels = [("b" * 63) for _ in range(domain_length // 64)]
            labels.append("b" * (domain_length - 64 * len(labels)))
            return valid_body(indiener={"naam": "A", "email": local + "@" + ".".join(labels) + ".nl"})
        if field == "toelichting":
            return valid_body(toelichting="😀" * n)
        return valid_body(opmerkingen=[{"thema": "cybercrime", "tekst": "😀" * n}])

    ok = server.request("PUT", zw_path("GM1926"), code, json=body(limit))
    assert ok.status_code in (200, 201), ok.text
    name = {"naam": "indiener.naam", "email": "indiener.email", "toelichting": "toelichting",
            "tekst": "opmerkingen[0].tekst"}[field]
    assert invalid_names(server.request("PUT", zw_path("GM1926"), code, json=body(limit + 1))) == {name}


def test_bad_json_wrong_media_type_and_too_large(server, griffie):
    code = griffie["GM0603"]
    assert_problem(server.request("PUT", zw_path("GM0603"), code, data=b'{"standpunt": ',
                                  headers={"Content-Type": "application/json"}), 400)
    assert_problem(server.request("PUT", zw_path("GM0603"), code, data=b"[1, 2]",
                                  headers={"Content-Type": "application/json"}), 400)
    assert_problem(server.request("PUT", zw_path("GM0603"), code, data=b"standpunt: instemmend",
                                  headers={"Content-Type": "text/plain"}), 415)
    assert_problem(server.request("PUT", zw_path("GM0603"), code, data=b"{}"), 415)  # no Content-Type at all
    big = b'{"toelichting":"' + b"a" * (27 * 1024 * 1024) + b'"}'
    assert_problem(server.request("PUT", zw_path("GM0603"), code, data=big,
                                  headers={"Content-Type": "application/json"}), 413)
    assert server.request("GET", zw_path("GM0603"), code).status_code == 404


def test_get_404s(server, griffie, coordinator):
    code = griffie["GM0629"]
    assert_problem(server.request("GET", zw_path("GM0629"), code), 404)  # never submitted
    assert server.request("GET", zw_path("GM0629", "/versies"), code).json() == []
    assert_problem(server.request("GET", zw_path("GM0629", "/versies/1"), code), 404)
    assert_problem(server.request("GET", zw_path("GM0629", "/versies/abc"), code), 404)
    assert_problem(server.request("GET", zw_path("GM0629", consultation="bestaat-niet"), code), 404)
    assert_problem(server.request("PUT", zw_path("GM0629", consultation="bestaat-niet"), code, json=valid_body()), 404)
    assert_problem(server.request("GET", zw_path("GM9999"), coordinator), 404)
    assert_problem(server.request("GET", zw_path("GM9999", "/versies"), coordinator), 404)


def test_delete_withdraws_and_keeps_history(server, griffie, coordinator):
    code = griffie["GM1783"]
    assert_problem(server.request("DELETE", zw_path("GM1783"), code), 404)  # nothing to withdraw
    server.request("PUT", zw_path("GM1783"), code, json=valid_body())
    r = server.request("DELETE", zw_path("GM1783"), code)
    assert r.status_code == 204 and r.content == b""
    current = server.request("GET", zw_path("GM1783"), code).json()
    assert current["status"] == "ingetrokken" and current["versie"] == 2
    assert current["sha256"] == digest(current)
    assert server.request("GET", zw_path("GM1783"), coordinator).json() == current
    assert [v["status"] for v in server.request("GET", zw_path("GM1783", "/versies"), code).json()] == \
        ["ingediend", "ingetrokken"]
    assert server.request("DELETE", zw_path("GM1783"), code).status_code == 204  # again: no change
    assert len(server.request("GET", zw_path("GM1783", "/versies"), code).json()) == 2
    again = server.request("PUT", zw_path("GM1783"), code, json=valid_body())
    assert again.status_code == 200 and again.json()["zienswijze"]["status"] == "ingediend"
    assert again.json()["versie"] == 3


def test_idempotency_key(server, griffie):
    code = griffie["GM0637"]
    headers = {"Idempotency-Key": "sleutel-1"}
    first = server.request("PUT", zw_path("GM0637"), code, json=valid_body(), headers=headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    replay = server.request("PUT", zw_path("GM0637"), code, json=valid_body(), headers=headers)
    assert replay.status_code == 201
    assert replay.content == first.content
    assert replay.headers["Location"] == first.headers["Location"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert len(server.request("GET", zw_path("GM0637", "/versies"), code).json()) == 1
    other = server.request("PUT", zw_path("GM0637"), code, json=valid_body(standpunt="instemmend"), headers=headers)
    assert "Idempotency-Key" in invalid_names(other)
    assert len(server.request("GET", zw_path("GM0637", "/versies"), code).json()) == 1
    # A new key is a new version; the same key on DELETE replays the 204.
    assert server.request("PUT", zw_path("GM0637"), code, json=valid_body(),
                          headers={"Idempotency-Key": "sleutel-2"}).status_code == 200
    d1 = server.request("DELETE", zw_path("GM0637"), code, headers={"Idempotency-Key": "intrekken"})
    d2 = server.request("DELETE", zw_path("GM0637"), code, headers={"Idempotency-Key": "intrekken"})
    assert d1.status_code == d2.status_code == 204 and d2.headers["Idempotent-Replayed"] == "true"
    assert len(server.request("GET", zw_path("GM0637", "/versies"), code).json()) == 3
    assert_problem(server.request("PUT", zw_path("GM0637"), code, json=valid_body(),
                                  headers={"Idempotency-Key": "k" * 256}), 422)


def test_idempotency_keys_belong_to_one_code(server, griffie):
    """Another gemeente's code reusing a key gets its own, independent result."""
    a = server.request("PUT", zw_path("GM0484"), griffie["GM0484"], json=valid_body(),
                       headers={"Idempotency-Key": "gedeeld"})
    b = server.request("PUT", zw_path("GM1901"), griffie["GM1901"], json=valid_body(),
                       headers={"Idempotency-Key": "gedeeld"})
    assert a.status_code == b.status_code == 201
    assert a.json()["zienswijze"]["gemeente"] == "GM0484" and b.json()["zienswijze"]["gemeente"] == "GM1901"
    assert "Idempotent-Replayed" not in b.headers


def test_attachment_version_receipts_in_put(server, griffie):
    """A PUT after an attachment keeps the attachment in the new version."""
    code = griffie["GM0513"]
    server.request("PUT", zw_path("GM0513"), code, json=valid_body())
    pdf = minimal_pdf()
    r = server.request("POST", zw_path("GM0513", "/bijlagen"), code, data=pdf,
                       headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201
    receipt = check_receipt(server.request("PUT", zw_path("GM0513"), code, json=valid_body()), "GM0513", 3, 200)
    assert [b["id"] for b in receipt["zienswijze"]["bijlagen"]] == [r.json()["id"]]
