"""PDF attachments: multipart and raw bodies, judged by content, 25 MiB, bytes back identical."""
import hashlib
import os

from apisupport import assert_problem, digest, invalid_names, minimal_pdf, valid_body, zw_path

MiB = 1024 * 1024


def submitted(server, griffie, gemeente):
    code = griffie[gemeente]
    r = server.request("PUT", zw_path(gemeente), code, json=valid_body())
    assert r.status_code in (200, 201), r.text
    return code


def check_attachment_response(r, gemeente, pdf, filename):
    assert r.status_code == 201, r.text
    body = r.json()
    assert list(body) == ["id", "bestandsnaam", "mediatype", "grootte", "sha256", "ontvangstbevestiging"]
    assert body["bestandsnaam"] == filename and body["mediatype"] == "application/pdf"
    assert body["grootte"] == len(pdf) and body["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert r.headers["Location"] == zw_path(gemeente, f"/bijlagen/{body['id']}")
    receipt = body["ontvangstbevestiging"]
    assert receipt["sha256"] == digest(receipt["zienswijze"])
    assert receipt["zienswijze"]["bijlagen"][-1] == {k: body[k] for k in ("id", "bestandsnaam", "mediatype", "grootte", "sha256")}
    return body


def test_multipart_and_raw_pdf_come_back_identical(server, griffie, coordinator):
    code = submitted(server, griffie, "GM0518")
    pdf = minimal_pdf("multipart")
    r = server.request("POST", zw_path("GM0518", "/bijlagen"), code,
                       files={"bestand": ("Raadsbesluit 12 nov.pdf", pdf, "application/pdf")})
    one = check_attachment_response(r, "GM0518", pdf, "Raadsbesluit 12 nov.pdf")

    raw = minimal_pdf("raw") + os.urandom(300_000)
    r = server.request("POST", zw_path("GM0518", "/bijlagen"), code, data=raw,
                       headers={"Content-Type": "application/pdf",
                                "Content-Disposition": 'attachment; filename="brief.pdf"'})
    two = check_attachment_response(r, "GM0518", raw, "brief.pdf")
    assert two["ontvangstbevestiging"]["versie"] == one["ontvangstbevestiging"]["versie"] + 1

    for who in (code, coordinator):
        got = server.request("GET", zw_path("GM0518", f"/bijlagen/{two['id']}"), who)
        assert got.status_code == 200
        assert got.content == raw
        assert got.headers["Content-Type"] == "application/pdf"
        assert got.headers["Content-Disposition"].startswith('attachment; filename="brief.pdf"')
    got = server.request("GET", zw_path("GM0518", f"/bijlagen/{one['id']}"), code)
    assert got.content == pdf
    assert "filename*=UTF-8''Raadsbesluit%2012%20nov.pdf" in got.headers["Content-Disposition"]
    current = server.request("GET", zw_path("GM0518"), code).json()
    assert [b["id"] for b in current["bijlagen"]] == [one["id"], two["id"]]


def test_file_name_is_sanitized(server, griffie):
    code = submitted(server, griffie, "GM0503")
    pdf = minimal_pdf()
    r = server.request("POST", zw_path("GM0503", "/bijlagen"), code, data=pdf,
                       headers={"Content-Type": "application/pdf",
                                "Content-Disposition": 'attachment; filename="../../etc/pa:ss<wd>"'})
    assert r.status_code == 201
    assert r.json()["bestandsnaam"] == "passwd.pdf"
    r = server.request("POST", zw_path("GM0503", "/bijlagen"), code, data=pdf,
                       headers={"Content-Type": "application/pdf"})
    assert r.json()["bestandsnaam"] == "bijlage.pdf"


def test_non_pdf_is_refused_by_content_even_when_named_pdf(server, griffie):
    code = submitted(server, griffie, "GM1916")
    exe = b"MZ\x90\x00" + os.urandom(1000)
    r = server.request("POST", zw_path("GM1916", "/bijlagen"), code,
                       files={"bestand": ("besluit.pdf", exe, "application/pdf")})
    assert invalid_names(r) == {"bestand"}
    r = server.request("POST", zw_path("GM1916", "/bijlagen"), code, data=b"<html>%PDF-1.4",
                       headers={"Content-Type": "application/pdf",
                                "Content-Disposition": 'attachment; filename="besluit.pdf"'})
    assert invalid_names(r) == {"bestand"}
    r = server.request("POST", zw_path("GM1916", "/bijlagen"), code, data=b"",
                       headers={"Content-Type": "application/pdf"})
    assert invalid_names(r) == {"bestand"}
    r = server.request("POST", zw_path("GM1916", "/bijlagen"), code, files={"ander": ("a.pdf", minimal_pdf())})
    assert invalid_names(r) == {"bestand"}
    assert server.request("GET", zw_path("GM1916"), code).json()["bijlagen"] == []


def test_wrong_media_type_and_bad_multipart(server, griffie):
    code = submitted(server, griffie, "GM1842")
    assert_problem(server.request("POST", zw_path("GM1842", "/bijlagen"), code, data=minimal_pdf(),
                                  headers={"Content-Type": "image/png"}), 415)
    assert_problem(server.request("POST", zw_path("GM1842", "/bijlagen"), code, data=b"garbage",
                                  headers={"Content-Type": "multipart/form-data; boundary=xyz"}), 400)


def test_25_mib_limit(server, griffie):
    code = submitted(server, griffie, "GM1926")
    exact = b"%PDF-1.7\n" + b"0" * (25 * MiB - 9)
    assert len(exact) == 25 * MiB
    r = server.request("POST", zw_path("GM1926", "/bijlagen"), code, data=exact,
                       headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text[:300]
    got = server.request("GET", zw_path("GM1926", f"/bijlagen/{r.json()['id']}"), code)
    assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(exact).hexdigest()
    over = exact + b"0"
    r = server.request("POST", zw_path("GM1926", "/bijlagen"), code, data=over,
                       headers={"Content-Type": "application/pdf"})
    assert r.status_code in (413, 422)
    assert_problem(r, r.status_code)
    way_over = exact + b"0" * (2 * MiB)
    assert_problem(server.request("POST", zw_path("GM1926", "/bijlagen"), code, data=way_over,
                                  headers={"Content-Type": "application/pdf"}), 413)
    r = server.request("POST", zw_path("GM1926", "/bijlagen"), code, files={"bestand": ("groot.pdf", over)})
    assert r.status_code in (413, 422)
    assert_problem(r, r.status_code)


def test_attachment_needs_a_zienswijze_and_unknown_ids_are_404(server, griffie):
    code = griffie["GM0603"]
    assert_problem(server.request("POST", zw_path("GM0603", "/bijlagen"), code, data=minimal_pdf(),
                                  headers={"Content-Type": "application/pdf"}), 409)
    submitted(server, griffie, "GM0603")
    assert_problem(server.request("GET", zw_path("GM0603", "/bijlagen/" + "0" * 32), code), 404)
    assert server.request("DELETE", zw_path("GM0603"), code).status_code == 204
    assert_problem(server.request("POST", zw_path("GM0603", "/bijlagen"), code, data=minimal_pdf(),
                                  headers={"Content-Type": "application/pdf"}), 409)


def test_idempotent_attachment_upload(server, griffie):
    code = submitted(server, griffie, "GM0629")
    pdf = minimal_pdf()
    headers = {"Content-Type": "application/pdf", "Idempotency-Key": "bijlage-1"}
    a = server.request("POST", zw_path("GM0629", "/bijlagen"), code, data=pdf, headers=headers)
    b = server.request("POST", zw_path("GM0629", "/bijlagen"), code, data=pdf, headers=headers)
    assert a.status_code == b.status_code == 201 and a.content == b.content
    assert b.headers["Idempotent-Replayed"] == "true"
    assert len(server.request("GET", zw_path("GM0629"), code).json()["bijlagen"]) == 1
    c = server.request("POST", zw_path("GM0629", "/bijlagen"), code, data=minimal_pdf("anders"), headers=headers)
    assert "Idempotency-Key" in invalid_names(c)
