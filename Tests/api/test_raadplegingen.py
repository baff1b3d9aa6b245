"""Consultations that coordinators manage (issue 17), over the REST API of the real binary: a second
consultation end to end, the rules on editing an opened one, document downloads and their
publication, and a change of the register."""
import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from apisupport import CONSULTATION, assert_problem, invalid_names, parse_csv, valid_body, zw_path

NEW = "coalitie-voor-veiligheid-2027-2030"
THEMAS = [
    {"code": "cybercrime", "titel": "Cybercrime", "samenvatting": "Weerbaar online."},
    {"code": "mensenhandel", "titel": "Mensenhandel", "samenvatting": "Uit de landelijke veiligheidsagenda."},
]


def path(consultation, suffix=""):
    return f"/api/v1/raadplegingen/{consultation}{suffix}"


def pdf(size, seed=1):
    """`size` bytes that start like a PDF and do not repeat (so a piece mix-up would show)."""
    out = bytearray(b"%PDF-1.7\n")
    block = seed.to_bytes(4, "big")
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def create(server, coordinator, consultation, **fields):
    body = {"id": consultation, "titel": fields.pop("titel", f"Raadpleging {consultation}"), **fields}
    r = server.request("POST", "/api/v1/raadplegingen", coordinator, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def patch(server, coordinator, consultation, **fields):
    return server.request("PATCH", path(consultation), coordinator, json=fields)


def upload(server, code, consultation, data, **fields):
    files = {"bestand": ("stuk.pdf", data, "application/pdf")}
    return server.request("POST", path(consultation, "/documenten"), code, files=files, data=fields)


def test_a_second_consultation_end_to_end(server, coordinator, griffie):
    created = create(server, coordinator, NEW, titel="Coalitie voor veiligheid 2027-2030", omschrijving="Het volgende plan.",
                     themas=THEMAS, uitgenodigdeGemeenten=["GM0518", "GM0503"])
    assert created["status"] == "concept" and created["themas"] == THEMAS
    assert created["uitgenodigdeGemeenten"] == ["GM0503", "GM0518"] and created["documenten"] == []
    assert created["omschrijving"] == "Het volgende plan." and created["raadsbesluitVerplicht"] is False

    # A concept is invisible to griffies and the public.
    assert [c["id"] for c in server.request("GET", "/api/v1/raadplegingen").json()] == [CONSULTATION]
    assert {c["id"] for c in server.request("GET", "/api/v1/raadplegingen", coordinator).json()} == {CONSULTATION, NEW}
    assert_problem(server.request("GET", path(NEW)), 404)
    assert_problem(server.request("GET", path(NEW), griffie["GM0518"]), 404)
    assert_problem(server.request("PUT", zw_path("GM0518", consultation=NEW), griffie["GM0518"], json=valid_body()), 404)

    # Its documents, as a form and as a raw PDF.
    plan, letter = pdf(700_000), pdf(5_000, seed=2)
    r = upload(server, coordinator, NEW, plan, soort="ontwerpbeleidsplan", titel="Ontwerpbeleidsplan 2027-2030")
    assert r.status_code == 201, r.text
    r = server.request("POST", path(NEW, "/documenten?soort=aanbiedingsbrief&titel=Aanbiedingsbrief"), coordinator, data=letter,
                       headers={"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="brief.pdf"'})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == path(NEW, f"/documenten/{r.json()['id']}")

    # Opened: the invited griffies submit, with this consultation's own themes.
    deadline = (datetime.now(timezone.utc) + timedelta(days=10)).replace(microsecond=0)
    r = patch(server, coordinator, NEW, status="open", deadline=deadline.isoformat())
    assert r.status_code == 200 and r.json()["status"] == "open", r.text
    body = valid_body(opmerkingen=[{"thema": "mensenhandel", "tekst": "Meer aandacht."}])
    r = server.request("PUT", zw_path("GM0518", consultation=NEW), griffie["GM0518"], json=body)
    assert r.status_code == 201, r.text
    assert r.json()["zienswijze"]["raadpleging"] == NEW
    seeded_theme = valid_body(opmerkingen=[{"thema": "sterkteverdeling", "tekst": "Een thema van het vorige plan."}])
    assert invalid_names(server.request("PUT", zw_path("GM0503", consultation=NEW), griffie["GM0503"], json=seeded_theme)) \
        == {"opmerkingen[0].thema"}

    # The griffie sees the documents, and downloads the plan as it was uploaded.
    documenten = server.request("GET", path(NEW, "/documenten"), griffie["GM0518"]).json()
    assert [d["soort"] for d in documenten] == ["ontwerpbeleidsplan", "aanbiedingsbrief"]
    assert server.request("GET", documenten[0]["href"], griffie["GM0518"]).content == plan

    # Griffies of gemeenten that are not invited get 403, to write and to read.
    for method, kwargs in (("PUT", {"json": valid_body()}), ("GET", {}), ("DELETE", {})):
        assert_problem(server.request(method, zw_path("GM0546", consultation=NEW), griffie["GM0546"], **kwargs), 403)
    assert_problem(server.request("GET", zw_path("GM0546", "/versies", consultation=NEW), griffie["GM0546"]), 403)

    # The seeded consultation goes on as before, for every gemeente.
    assert server.request("PUT", zw_path("GM0546"), griffie["GM0546"], json=valid_body()).status_code == 201

    # Closed: no more versions.
    assert patch(server, coordinator, NEW, status="gesloten").json()["status"] == "gesloten"
    assert_problem(server.request("PUT", zw_path("GM0503", consultation=NEW), griffie["GM0503"], json=valid_body()), 409)

    # The export holds the invited gemeenten and only this consultation's zienswijzen.
    rows = parse_csv(server.request("GET", path(NEW, "/zienswijzen?formaat=csv"), coordinator).content)
    header, lines = rows[0], rows[1:]
    assert sorted(line[0] for line in lines) == ["GM0503", "GM0518"]
    assert "opmerking mensenhandel" in header and "opmerking sterkteverdeling" not in header
    by_code = {line[0]: dict(zip(header, line)) for line in lines}
    assert by_code["GM0518"]["status"] == "ingediend" and by_code["GM0518"]["opmerking mensenhandel"] == "Meer aandacht."
    assert by_code["GM0503"]["status"] == "ontbreekt"
    versions = server.request("GET", path(NEW, "/zienswijzen"), coordinator).json()
    assert [(v["raadpleging"], v["gemeente"]) for v in versions] == [(NEW, "GM0518")]
    seeded = server.request("GET", path(CONSULTATION, "/zienswijzen"), coordinator).json()
    assert seeded and all(v["raadpleging"] == CONSULTATION for v in seeded)
    status = server.request("GET", path(NEW, "/status"), coordinator).json()
    assert status["totaal"] == 2 and status["ingediend"] == 1 and status["ontbrekend"] == 1


def test_rules_on_editing_an_opened_consultation(server, coordinator, griffie):
    c = "regels-na-openen"
    a, b = THEMAS
    extra = {"code": "ondermijning", "titel": "Ondermijning", "samenvatting": ""}
    create(server, coordinator, c, themas=[a, b], uitgenodigdeGemeenten=["GM0518", "GM0503"])
    assert patch(server, coordinator, c, status="open").status_code == 200
    body = valid_body(opmerkingen=[{"thema": "cybercrime", "tekst": "Opmerking."}])
    assert server.request("PUT", zw_path("GM0518", consultation=c), griffie["GM0518"], json=body).status_code == 201

    # Adding, retitling and reordering themes: fine.
    r = patch(server, coordinator, c, themas=[b, dict(a, titel="Cybercrime (herzien)"), extra])
    assert r.status_code == 200 and [t["code"] for t in r.json()["themas"]] == ["mensenhandel", "cybercrime", "ondermijning"]
    # Removing the theme that has a remark: a clear problem, and nothing changed.
    r = patch(server, coordinator, c, themas=[b, extra])
    problem = assert_problem(r, 409)
    assert "Cybercrime (herzien)" in problem["detail"] and "opmerkingen" in problem["detail"]
    assert len(server.request("GET", path(c)).json()["themas"]) == 3
    # Removing one without remarks: fine.
    assert [t["code"] for t in patch(server, coordinator, c, themas=[a, extra]).json()["themas"]] == ["cybercrime", "ondermijning"]

    # Invitations only grow; the decision requirement is fixed.
    assert "Delft" in assert_problem(patch(server, coordinator, c, uitgenodigdeGemeenten=["GM0518"]), 409)["detail"]
    r = patch(server, coordinator, c, uitgenodigdeGemeenten=["GM0518", "GM0503", "GM0546"])
    assert r.status_code == 200 and r.json()["uitgenodigdeGemeenten"] == ["GM0503", "GM0518", "GM0546"]
    assert_problem(patch(server, coordinator, c, raadsbesluitVerplicht=True), 409)
    assert patch(server, coordinator, c, titel="Regels na openen", omschrijving="Nu met uitleg.").status_code == 200

    # Status: no way back to concept; closed before archived; archived is read-only.
    assert_problem(patch(server, coordinator, c, status="concept"), 409)
    assert_problem(patch(server, coordinator, c, status="gearchiveerd"), 409)
    assert patch(server, coordinator, c, status="gesloten").status_code == 200
    assert patch(server, coordinator, c, status="gearchiveerd").json()["status"] == "gearchiveerd"
    assert_problem(patch(server, coordinator, c, titel="Toch anders"), 409)
    assert patch(server, coordinator, c, status="gesloten", titel="Toch anders").json()["titel"] == "Toch anders"

    # Shapes and who may.
    assert invalid_names(patch(server, coordinator, c, themas=[{"code": "Fout!", "titel": ""}], kleur="rood")) \
        == {"themas[0].code", "themas[0].titel", "kleur"}
    assert_problem(patch(server, griffie["GM0518"], c, titel="Van een griffie"), 403)
    assert_problem(server.request("POST", "/api/v1/raadplegingen", coordinator, json={"id": c, "titel": "Dubbel"}), 409)
    assert invalid_names(server.request("POST", "/api/v1/raadplegingen", coordinator, json={"id": "A B", "titel": ""})) \
        == {"id", "titel"}
    assert_problem(server.request("POST", "/api/v1/raadplegingen", griffie["GM0518"], json={"id": "mag-niet", "titel": "X"}), 403)
    assert_problem(server.request("POST", "/api/v1/raadplegingen", json={"id": "mag-niet", "titel": "X"}), 401)

    audit = [e for e in server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json() if e["onderwerp"] == c]
    assert {"raadpleging-aangemaakt", "raadpleging-gewijzigd", "themas-gewijzigd", "uitnodigingen-gewijzigd"} \
        <= {e["actie"] for e in audit}
    assert any(e["actie"] == "themas-gewijzigd" and "+ondermijning" in e["details"] for e in audit)

    # A copy starts the next round from its themes and settings.
    r = server.request("POST", path(c, "/kopie"), coordinator, json={"id": "regels-kopie", "titel": "De volgende ronde"})
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["status"] == "concept" and [t["code"] for t in copy["themas"]] == ["cybercrime", "ondermijning"]
    assert copy["uitgenodigdeGemeenten"] == ["GM0503", "GM0518", "GM0546"] and copy["deadline"] is None
    assert copy["omschrijving"] == "Nu met uitleg."


def test_document_downloads_before_and_after_publication(server, coordinator, griffie):
    c = "documenten-test"
    create(server, coordinator, c, uitgenodigdeGemeenten=["GM0518"])
    data = pdf(3 * 256 * 1024 + 123, seed=3)  # four pieces in the store
    r = upload(server, coordinator, c, data, soort="addendum", titel="Addendum: de landelijke doelen")
    assert r.status_code == 201, r.text
    document = r.json()
    assert document["openbaar"] is False and document["grootte"] == len(data)
    assert document["sha256"] == hashlib.sha256(data).hexdigest() and document["bestandsnaam"] == "stuk.pdf"
    href = document["href"]

    # While a concept: nobody but coordinators.
    assert_problem(server.request("GET", href, griffie["GM0546"]), 404)
    assert_problem(server.request("GET", path(c, "/documenten")), 404)
    assert server.request("GET", href, coordinator).content == data

    assert patch(server, coordinator, c, status="open").status_code == 200
    # Every griffie (invited or not) downloads it, streamed, byte for byte, as a download.
    for code in (griffie["GM0518"], griffie["GM0546"]):
        r = server.request("GET", href, code)
        assert r.status_code == 200 and r.content == data
        assert r.headers["Content-Type"] == "application/pdf"
        assert r.headers["Content-Length"] == str(len(data))
        assert r.headers["Content-Disposition"].startswith('attachment; filename="stuk.pdf"')
        assert r.headers["ETag"] == f'"{document["sha256"]}"'
        assert r.headers["Cache-Control"].startswith("private")
    # Without a code: not yet.
    assert_problem(server.request("GET", href), 404)
    assert server.request("GET", path(c, "/documenten")).json() == []
    assert server.request("GET", path(c)).json()["documenten"] == []

    # Published: anyone; unpublished again: not.
    r = server.request("PATCH", href, coordinator, json={"openbaar": True})
    assert r.status_code == 200 and r.json()["openbaar"] is True
    r = server.request("GET", href)
    assert r.status_code == 200 and r.content == data and r.headers["Cache-Control"].startswith("public")
    assert [d["id"] for d in server.request("GET", path(c)).json()["documenten"]] == [document["id"]]
    assert server.request("PATCH", href, coordinator, json={"openbaar": False}).status_code == 200
    assert_problem(server.request("GET", href), 404)

    # Refusals: not a PDF, a bad kind, a griffie uploading (refused on the head), removing after opening.
    assert invalid_names(upload(server, coordinator, c, b"GIF89a not a pdf")) == {"bestand"}
    assert invalid_names(upload(server, coordinator, c, pdf(100), soort="roman")) == {"soort"}
    assert_problem(upload(server, griffie["GM0518"], c, pdf(100)), 403)
    assert_problem(server.request("DELETE", href, coordinator), 409)
    assert_problem(server.request("PATCH", href, griffie["GM0518"], json={"openbaar": True}), 403)
    assert_problem(server.request("GET", path(c, "/documenten/" + "0" * 32), coordinator), 404)
    assert invalid_names(server.request("PATCH", href, coordinator, json={"openbaar": "ja"})) == {"openbaar"}

    # In a concept a mistaken upload can be removed.
    create(server, coordinator, "documenten-concept")
    wrong = upload(server, coordinator, "documenten-concept", pdf(1000)).json()
    assert server.request("DELETE", wrong["href"], coordinator).status_code == 204
    assert_problem(server.request("GET", wrong["href"], coordinator), 404)
    actions = {e["actie"] for e in server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json()}
    assert {"document-toegevoegd", "document-gewijzigd", "document-verwijderd"} <= actions


def test_the_register_changes_without_losing_history(server, coordinator, griffie):
    # A new gemeente.
    r = server.request("POST", "/api/v1/gemeenten", coordinator, json={"code": "GM1966", "naam": "Nieuwe Gemeente",
                                                                      "regio": "Hollands Midden"})
    assert r.status_code == 201 and r.headers["Location"] == "/api/v1/gemeenten/GM1966", r.text
    assert server.request("GET", "/api/v1/gemeenten/GM1966").json() == {"code": "GM1966", "naam": "Nieuwe Gemeente",
                                                                       "regio": "Hollands Midden"}
    assert len(server.request("GET", "/api/v1/gemeenten").json()) == 28
    assert_problem(server.request("POST", "/api/v1/gemeenten", coordinator, json={"code": "GM1966", "naam": "X",
                                                                                  "regio": "Haaglanden"}), 409)
    assert invalid_names(server.request("POST", "/api/v1/gemeenten", coordinator, json={"code": "1966", "naam": "Delft",
                                                                                        "regio": "Utrecht"})) \
        == {"code", "naam", "regio"}
    assert_problem(server.request("POST", "/api/v1/gemeenten", griffie["GM0518"], json={}), 403)

    # The seeded consultation was set up long before (as in life); Hillegom submits to it.
    with sqlite3.connect(server.database, timeout=30) as db:
        db.execute("UPDATE raadplegingen SET aangemaakt_op = ? WHERE id = ?",
                   (int(datetime(2023, 6, 1, tzinfo=timezone.utc).timestamp() * 1000), CONSULTATION))
    assert server.request("PUT", zw_path("GM0534"), griffie["GM0534"], json=valid_body()).status_code in (200, 201)

    # Hillegom merges into Lisse from today.
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    r = server.request("PATCH", "/api/v1/gemeenten/GM0534", coordinator, json={"samengevoegdIn": "GM0553", "samengevoegdOp": today})
    assert r.status_code == 200, r.text
    assert r.json() == {"code": "GM0534", "naam": "Hillegom", "regio": "Hollands Midden", "samengevoegdIn": "GM0553",
                        "samengevoegdOp": today}
    listed = {g["code"]: g for g in server.request("GET", "/api/v1/gemeenten").json()}
    assert listed["GM0534"]["samengevoegdIn"] == "GM0553" and set(listed["GM0518"]) == {"code", "naam", "regio"}
    assert invalid_names(server.request("PATCH", "/api/v1/gemeenten/GM1525", coordinator,
                                        json={"samengevoegdIn": "GM0534", "samengevoegdOp": today})) == {"samengevoegdIn"}
    assert_problem(server.request("PATCH", "/api/v1/gemeenten/GM9999", coordinator,
                                  json={"samengevoegdIn": "GM0553", "samengevoegdOp": today}), 404)

    # History: the running consultation keeps Hillegom, its version and its griffie.
    status = server.request("GET", path(CONSULTATION, "/status"), coordinator).json()
    assert status["totaal"] == 27 and any(g["code"] == "GM0534" and g["versie"] for g in status["gemeenten"])
    assert server.request("PUT", zw_path("GM0534"), griffie["GM0534"], json=valid_body()).status_code == 200
    # A consultation created from today does not invite Hillegom, nor can it; the new gemeente is in.
    fresh = create(server, coordinator, "na-de-fusie")
    assert "GM0534" not in fresh["uitgenodigdeGemeenten"] and "GM1966" in fresh["uitgenodigdeGemeenten"]
    assert len(fresh["uitgenodigdeGemeenten"]) == 27
    names = invalid_names(patch(server, coordinator, "na-de-fusie", uitgenodigdeGemeenten=fresh["uitgenodigdeGemeenten"] + ["GM0534"]))
    assert names == {"uitgenodigdeGemeenten[27]"}
    assert patch(server, coordinator, "na-de-fusie", status="open").status_code == 200
    assert_problem(server.request("PUT", zw_path("GM0534", consultation="na-de-fusie"), griffie["GM0534"], json=valid_body()), 403)
    no_themes = valid_body(opmerkingen=[])  # this consultation has no themes yet
    assert server.request("PUT", zw_path("GM1966", consultation="na-de-fusie"), griffie["GM1966"], json=no_themes).status_code == 201
    # A copy of the old consultation invites the gemeente Hillegom merged into, not Hillegom.
    copy = server.request("POST", path(CONSULTATION, "/kopie"), coordinator, json={"id": "kopie-na-fusie", "titel": "Kopie"}).json()
    assert "GM0534" not in copy["uitgenodigdeGemeenten"] and "GM0553" in copy["uitgenodigdeGemeenten"]

    # A mistake can be undone; all of it is audited.
    r = server.request("PATCH", "/api/v1/gemeenten/GM0534", coordinator, json={"samengevoegdIn": None})
    assert r.status_code == 200 and set(r.json()) == {"code", "naam", "regio"}
    actions = [e["actie"] for e in server.request("GET", "/api/v1/audit?limiet=1000", coordinator).json()]
    assert "gemeente-toegevoegd" in actions and actions.count("gemeente-samengevoegd") == 2
