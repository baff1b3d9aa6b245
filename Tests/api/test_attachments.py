"""PDF attachments: multipart and raw bodies, judged by content, 25 MiB, bytes back identical."""
import hashlib
import os

from apisupport import CONSULTATION, assert_problem, digest, invalid_names, minimal_pdf, parse_csv, valid_body, zw_path

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


# MARK: issue 14, item 3: a new version may leave out an earlier attachment

def attach(server, code, gemeente, name, consultation=CONSULTATION):
    r = server.request("POST", zw_path(gemeente, "/bijlagen", consultation), code, data=minimal_pdf(name),
                       headers={"Content-Type": "application/pdf",
                                "Content-Disposition": f'attachment; filename="{name}.pdf"'})
    assert r.status_code == 201, r.text
    return r.json()


def ids(version):
    return [b["id"] for b in version["bijlagen"]]


def test_a_new_version_can_leave_out_an_earlier_attachment(server, griffie, coordinator):
    code = submitted(server, griffie, "GM0484")
    concept = attach(server, code, "GM0484", "concept")
    besluit = attach(server, code, "GM0484", "raadsbesluit")
    assert ids(besluit["ontvangstbevestiging"]["zienswijze"]) == [concept["id"], besluit["id"]]

    r = server.request("PUT", zw_path("GM0484"), code, json=valid_body(bijlagen=[besluit["id"]]))
    assert r.status_code == 200, r.text
    receipt = r.json()
    assert receipt["sha256"] == digest(receipt["zienswijze"])
    new = receipt["zienswijze"]["versie"]
    assert ids(receipt["zienswijze"]) == [besluit["id"]]

    # History is not rewritten: the version before still has both, and the draft stays readable there.
    versions = server.request("GET", zw_path("GM0484", "/versies"), coordinator).json()
    assert [ids(v) for v in versions] == [[], [concept["id"]], [concept["id"], besluit["id"]], [besluit["id"]]]
    assert all(v["sha256"] == digest(v) for v in versions)
    assert server.request("GET", zw_path("GM0484", f"/versies/{new - 1}"), code).json() == versions[-2]
    assert server.request("GET", zw_path("GM0484", f"/bijlagen/{concept['id']}"), coordinator).status_code == 200

    # The export shows the current version with exactly its own attachments.
    exported = server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen", coordinator).json()
    assert [ids(v) for v in exported if v["gemeente"] == "GM0484"] == [[besluit["id"]]]
    rows = parse_csv(server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen?formaat=csv",
                                    coordinator).content)
    row = dict(zip(rows[0], next(line for line in rows[1:] if line[0] == "GM0484")))
    assert row["bijlagen"] == "raadsbesluit.pdf" and row["versie"] == str(new)

    # A multipart form: an empty `bijlagen` says "the list is given", so none is carried; the new file is.
    form = {"standpunt": "geen-zienswijze", "indiener.naam": "Griffie", "indiener.email": "griffie@example.nl",
            "bijlagen": ""}
    r = server.request("PUT", zw_path("GM0484"), code, data=form,
                       files={"bestand": ("definitief.pdf", minimal_pdf("definitief"), "application/pdf")})
    assert r.status_code == 200, r.text
    assert [b["bestandsnaam"] for b in r.json()["zienswijze"]["bijlagen"]] == ["definitief.pdf"]


def test_without_bijlagen_every_attachment_goes_along_as_before(server, griffie):
    code = submitted(server, griffie, "GM0513")
    a = attach(server, code, "GM0513", "een")
    b = attach(server, code, "GM0513", "twee")
    both = [a["id"], b["id"]]
    assert ids(server.request("PUT", zw_path("GM0513"), code, json=valid_body()).json()["zienswijze"]) == both
    assert ids(server.request("PUT", zw_path("GM0513"), code, json=valid_body(bijlagen=None)).json()["zienswijze"]) == both
    form = {"standpunt": "geen-zienswijze", "indiener.naam": "Griffie", "indiener.email": "griffie@example.nl"}
    assert ids(server.request("PUT", zw_path("GM0513"), code, data=form).json()["zienswijze"]) == both
    # Urlencoded, naming one: that one; the order stays the old one.
    r = server.request("PUT", zw_path("GM0513"), code, data=list(form.items()) + [("bijlagen", b["id"]), ("bijlagen", a["id"])])
    assert ids(r.json()["zienswijze"]) == both
    r = server.request("PUT", zw_path("GM0513"), code, data=list(form.items()) + [("bijlagen", b["id"])])
    assert ids(r.json()["zienswijze"]) == [b["id"]]
    assert server.request("DELETE", zw_path("GM0513"), code).status_code == 204
    assert ids(server.request("GET", zw_path("GM0513"), code).json()) == [b["id"]]  # a withdrawal repeats the version


def test_unknown_or_repeated_attachment_ids_are_refused(server, griffie):
    code = submitted(server, griffie, "GM0534")
    own = attach(server, code, "GM0534", "eigen")
    other = attach(server, submitted(server, griffie, "GM0553"), "GM0553", "van-een-ander")
    before = len(server.request("GET", zw_path("GM0534", "/versies"), code).json())

    cases = [
        (["0" * 32], {"bijlagen[0]"}),
        ([own["id"], other["id"]], {"bijlagen[1]"}),       # another gemeente's attachment
        ([own["id"], own["id"]], {"bijlagen[1]"}),
        ("niet-een-lijst", {"bijlagen"}),
        ([own["id"], 7], {"bijlagen[1]"}),
    ]
    for bijlagen, names in cases:
        r = server.request("PUT", zw_path("GM0534"), code, json=valid_body(bijlagen=bijlagen))
        assert invalid_names(r) == names, (bijlagen, r.text)
    r = server.request("PUT", zw_path("GM0534"), code,
                       data={"standpunt": "geen-zienswijze", "indiener.naam": "G", "indiener.email": "g@example.nl",
                             "bijlagen": other["id"]})
    assert invalid_names(r) == {"bijlagen[0]"}
    assert len(server.request("GET", zw_path("GM0534", "/versies"), code).json()) == before  # nothing stored


def test_a_required_decision_left_out_counts_as_missing(server, griffie, coordinator):
    c = "besluit-verplicht"
    r = server.request("POST", "/api/v1/raadplegingen", coordinator, json={
        "id": c, "titel": "Met verplicht raadsbesluit", "raadsbesluitVerplicht": True,
        "themas": [{"code": "cybercrime", "titel": "Cybercrime", "samenvatting": ""}], "uitgenodigdeGemeenten": ["GM0546"]})
    assert r.status_code == 201 and r.json()["raadsbesluitVerplicht"] is True, r.text
    assert server.request("PATCH", f"/api/v1/raadplegingen/{c}", coordinator, json={"status": "open"}).status_code == 200
    code = griffie["GM0546"]
    path = zw_path("GM0546", consultation=c)

    problem = assert_problem(server.request("PUT", path, code, json=valid_body()), 422)
    assert [p["name"] for p in problem["invalidParams"]] == ["bestand"]
    geen = valid_body(standpunt="geen-zienswijze", datumRaadsbesluit=None, opmerkingen=[])
    assert server.request("PUT", path, code, json=geen).status_code == 201
    besluit = attach(server, code, "GM0546", "raadsbesluit", consultation=c)
    assert ids(server.request("PUT", path, code, json=valid_body()).json()["zienswijze"]) == [besluit["id"]]

    # Leaving out the only attachment: as missing as never sending one.
    problem = assert_problem(server.request("PUT", path, code, json=valid_body(bijlagen=[])), 422)
    assert [p["name"] for p in problem["invalidParams"]] == ["bestand"]
    assert "weggelaten" in problem["invalidParams"][0]["reason"]
    form = {"standpunt": "instemmend", "datumRaadsbesluit": "2024-11-20", "indiener.naam": "G",
            "indiener.email": "g@example.nl", "bijlagen": ""}
    assert invalid_names(server.request("PUT", path, code, data=form)) == {"bestand"}
    # Except for "geen zienswijze"; and a new file instead of the old one is fine.
    assert ids(server.request("PUT", path, code, json=dict(geen, bijlagen=[])).json()["zienswijze"]) == []
    r = server.request("PUT", path, code, data=form, files={"bestand": ("nieuw.pdf", minimal_pdf("nieuw"), "application/pdf")})
    assert r.status_code == 200 and [b["bestandsnaam"] for b in r.json()["zienswijze"]["bijlagen"]] == ["nieuw.pdf"]
