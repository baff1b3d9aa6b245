"""Answers to the zienswijzen and the reactienota (issue 15), over the REST API of the real binary:
drafts only coordinators see, the rules on a reaction, freezing by vaststellen and thawing by
heropenen, an answer to an older version, who may read and write what, the ODT download read
back by LibreOffice (headless) and by the odfdo library, and the same nota as a printable page."""
import io
import shutil
import subprocess
import zipfile

import pytest

from apisupport import CONSULTATION, assert_problem, invalid_names, valid_body, zw_path

ODT = "application/vnd.oasis.opendocument.text"
SOFFICE = shutil.which("soffice")
# Awkward text: a prepended concatenation mark before markup, a decomposed é (e + U+0301), an
# XML-special mix, a line break, an emoji; and characters XML 1.0 forbids, which must be dropped.
AWKWARD = "\u0600<b>x</b> Cafe\u0301 & 's-Gravenhage \"citaat\"\nRegel 2 🚓"
FORBIDDEN = "a\ufffeb\uffffc"


def reactie_path(gemeente):
    return zw_path(gemeente, "/reactie")


def nota_path(suffix=""):
    return f"/api/v1/raadplegingen/{CONSULTATION}/reactienota{suffix}"


def submit(server, griffie, gemeente, **overrides):
    r = server.request("PUT", zw_path(gemeente), griffie[gemeente], json=valid_body(**overrides))
    assert r.status_code in (200, 201), r.text
    return r.json()


def answer(server, code, gemeente, opmerkingen, algemeen="Dank voor uw zienswijze."):
    return server.request("PUT", reactie_path(gemeente), code, json={"algemeen": algemeen, "opmerkingen": opmerkingen})


@pytest.fixture(scope="module")
def submitted(server, griffie):
    """Den Haag remarks on two themes, Delft on one; Leiden submits and withdraws."""
    submit(server, griffie, "GM0518", opmerkingen=[{"thema": "cybercrime", "tekst": "Meer aandacht voor cybercrime."},
                                                   {"thema": "ondermijning", "tekst": AWKWARD}])
    submit(server, griffie, "GM0503", standpunt="niet-instemmend",
           opmerkingen=[{"thema": "cybercrime", "tekst": "Delft wil een eigen paragraaf."}])
    submit(server, griffie, "GM0546")
    assert server.request("DELETE", zw_path("GM0546"), griffie["GM0546"]).status_code == 204
    return True


def test_drafts_are_seen_only_by_coordinators(server, coordinator, griffie, submitted):
    assert_problem(server.request("GET", reactie_path("GM0518"), coordinator), 404)  # nothing written yet
    r = answer(server, coordinator, "GM0518", [{"thema": "cybercrime", "tekst": "Wij nemen dit over.", "verwerking": "overgenomen"}])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["gemeente"] == "GM0518" and body["beantwoordtVersie"] == 1 == body["huidigeVersie"]
    assert body["verouderd"] is False and body["reactienota"] == "concept"
    assert body["opmerkingen"] == [{"thema": "cybercrime", "tekst": "Wij nemen dit over.", "verwerking": "overgenomen"}]
    assert server.request("GET", reactie_path("GM0518"), coordinator).json() == body

    # The draft is invisible to the gemeente's own griffie, forbidden to another, 401 without a code.
    assert_problem(server.request("GET", reactie_path("GM0518"), griffie["GM0518"]), 404)
    assert_problem(server.request("GET", reactie_path("GM0518"), griffie["GM0503"]), 403)
    assert_problem(server.request("GET", reactie_path("GM0518")), 401)
    assert_problem(server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/reacties", griffie["GM0518"]), 403)
    assert_problem(server.request("GET", nota_path(), griffie["GM0518"]), 403)
    assert_problem(server.request("GET", nota_path("?formaat=odt"), griffie["GM0518"]), 403)
    # Griffies never write.
    own = answer(server, griffie["GM0518"], "GM0518", [])
    assert_problem(own, 403)
    assert_problem(server.request("PUT", nota_path(), griffie["GM0518"], json={"status": "vastgesteld", "rboDatum": "2027-01-20"}), 403)
    assert_problem(answer(server, None, "GM0518", []), 401)

    audit = server.request("GET", "/api/v1/audit?limiet=5", coordinator).json()
    assert any(e["actie"] == "reactie-gewijzigd" and e["onderwerp"] == f"{CONSULTATION}/GM0518" for e in audit)


def test_the_rules_on_a_reaction(server, coordinator, submitted):
    names = invalid_names(answer(server, coordinator, "GM0518", [
        {"thema": "jeugd-en-veiligheid", "tekst": "Geen opmerking hierover.", "verwerking": "overgenomen"},
        {"thema": "cybercrime", "tekst": "", "verwerking": "misschien"},
        {"thema": "cybercrime", "tekst": "Twee keer.", "verwerking": "overgenomen", "extra": 1},
    ], algemeen="ok\u0000"))
    assert {"opmerkingen[1].verwerking", "opmerkingen[2].extra", "algemeen"} <= names
    names = invalid_names(answer(server, coordinator, "GM0518", [
        {"thema": "jeugd-en-veiligheid", "tekst": "Geen opmerking hierover.", "verwerking": "overgenomen"},
        {"thema": "cybercrime", "tekst": "Een.", "verwerking": "overgenomen"},
        {"thema": "cybercrime", "tekst": "Twee keer.", "verwerking": "overgenomen"},
    ]))
    assert names == {"opmerkingen[0].thema", "opmerkingen[2].thema"}
    assert invalid_names(server.request("PUT", reactie_path("GM0518"), coordinator, json={"opmerkingen": "geen lijst"})) == {"opmerkingen"}
    assert_problem(server.request("PUT", reactie_path("GM0518"), coordinator, data="niet json",
                                  headers={"Content-Type": "application/json"}), 400)
    assert_problem(server.request("PUT", reactie_path("GM0518"), coordinator, data="x", headers={"Content-Type": "text/plain"}), 415)
    # No zienswijze, a withdrawn one, unknown gemeente or consultation.
    assert_problem(answer(server, coordinator, "GM0484", []), 409)
    assert_problem(answer(server, coordinator, "GM0546", []), 409)
    assert_problem(answer(server, coordinator, "GM9999", []), 404)
    assert_problem(server.request("PUT", "/api/v1/raadplegingen/bestaat-niet/zienswijzen/GM0518/reactie", coordinator,
                                  json={"algemeen": ""}), 404)


FULL = [{"thema": "cybercrime", "tekst": "Wij nemen dit over.", "verwerking": "overgenomen"},
        {"thema": "ondermijning", "tekst": "Reactie: " + AWKWARD + FORBIDDEN, "verwerking": "gedeeltelijk-overgenomen"}]
DELFT = [{"thema": "cybercrime", "tekst": "Dat doen we niet.", "verwerking": "niet-overgenomen"}]


@pytest.fixture
def vastgesteld(server, coordinator, submitted):
    """The nota vastgesteld with both answers (as the test before the ODT's leaves it; when run alone, made so)."""
    if server.request("GET", nota_path(), coordinator).json()["status"] == "concept":
        assert answer(server, coordinator, "GM0518", FULL, algemeen="Algemeen voor Den Haag: Cafe\u0301").status_code == 200
        assert answer(server, coordinator, "GM0503", DELFT, algemeen="").status_code == 200
        assert server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}).status_code == 200


def test_vaststellen_freezes_and_heropenen_thaws(server, coordinator, griffie, submitted):
    full = FULL
    assert answer(server, coordinator, "GM0518", full, algemeen="Algemeen voor Den Haag: Cafe\u0301").status_code == 200
    progress = server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/reacties", coordinator).json()
    assert progress["uitgenodigd"] == 27 and progress["metZienswijze"] == 2, progress
    assert (progress["beantwoord"], progress["verouderd"], progress["open"]) == (1, 0, 1)
    assert {g["code"]: g["stand"] for g in progress["gemeenten"]} == {"GM0518": "beantwoord", "GM0503": "open"}

    # Delft is not answered yet: 409 naming it.
    refused = assert_problem(server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}), 409)
    assert "Delft" in refused["detail"]
    assert answer(server, coordinator, "GM0503", DELFT, algemeen="").status_code == 200
    assert invalid_names(server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld"})) == {"rboDatum"}
    assert invalid_names(server.request("PUT", nota_path(), coordinator, json={"status": "klaar", "rboDatum": "x"})) == {"status", "rboDatum"}
    assert invalid_names(server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "1999-01-01"})) == {"rboDatum"}
    assert_problem(server.request("PUT", nota_path(), coordinator, json={"status": "concept"}), 409)  # not vastgesteld

    r = server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "vastgesteld" and r.json()["rboDatum"] == "2027-01-20" and r.json()["vastgesteldOp"]
    assert server.request("GET", nota_path(), coordinator).json() == r.json()
    assert_problem(server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}), 409)

    # Frozen: every change is 409.
    assert_problem(answer(server, coordinator, "GM0518", full), 409)
    # The griffie reads its own answer now; another gemeente's still 403.
    own = server.request("GET", reactie_path("GM0518"), griffie["GM0518"])
    assert own.status_code == 200, own.text
    assert own.json()["opmerkingen"] == full and own.json()["reactienota"] == "vastgesteld"
    assert_problem(server.request("GET", reactie_path("GM0518"), griffie["GM0503"]), 403)
    assert server.request("GET", reactie_path("GM0503"), griffie["GM0503"]).json()["opmerkingen"][0]["verwerking"] == "niet-overgenomen"

    # Reopened: drafts again, the griffie sees nothing, and changes are allowed.
    reopened = server.request("PUT", nota_path(), coordinator, json={"status": "concept"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "concept" and reopened.json()["rboDatum"] is None
    assert_problem(server.request("GET", reactie_path("GM0518"), griffie["GM0518"]), 404)
    assert answer(server, coordinator, "GM0518", full, algemeen="Algemeen voor Den Haag: Cafe\u0301").status_code == 200
    actions = [e["actie"] for e in server.request("GET", "/api/v1/audit?limiet=20", coordinator).json()]
    assert actions[:3] == ["reactie-gewijzigd", "reactienota-heropend", "reactienota-vastgesteld"]
    assert server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}).status_code == 200


def test_the_odt_holds_every_remark_and_reaction(server, coordinator, vastgesteld, tmp_path):
    r = server.request("GET", nota_path(), coordinator, headers={"Accept": ODT})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == ODT
    assert r.headers["Content-Disposition"].startswith("attachment;") and f"reactienota-{CONSULTATION}.odt" in r.headers["Content-Disposition"]
    same = server.request("GET", nota_path("?formaat=odt"), coordinator)
    assert same.status_code == 200 and same.headers["Content-Type"] == ODT
    assert_problem(server.request("GET", nota_path("?formaat=pdf"), coordinator), 422)

    # The container: `mimetype` first and stored, then the manifest, content and styles.
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        infos = z.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == ODT.encode()
        assert {"META-INF/manifest.xml", "content.xml", "styles.xml"} <= set(z.namelist())
        content = z.read("content.xml").decode("utf-8")
    assert "\u0001" not in content and "\ufffe" not in content and "<b>" not in content
    assert "&lt;b&gt;x&lt;/b&gt;" in content

    path = tmp_path / "reactienota.odt"
    path.write_bytes(r.content)
    expected = ["Meer aandacht voor cybercrime.", "Delft wil een eigen paragraaf.", "Wij nemen dit over.", "Dat doen we niet.",
                "Algemeen voor Den Haag: Cafe\u0301", "Overgenomen", "Gedeeltelijk overgenomen", "Niet overgenomen",
                "\u0600<b>x</b> Cafe\u0301 & 's-Gravenhage \"citaat\"", "Regel 2 🚓", "Reactie: \u0600<b>x</b>", "abc",
                "Den Haag", "Delft", "Niet instemmend", "2027-01-20"]

    from odfdo import Document
    text = Document(str(path)).get_formatted_text()
    for piece in expected:
        assert piece in text, f"odfdo: {piece!r} not in the document"
    assert "Leiden" not in text, "a withdrawn zienswijze is not in the nota"

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "txt:Text (encoded):UTF8",
                    "--outdir", str(tmp_path / "out"), str(path)], check=True, capture_output=True, timeout=180)
    converted = (tmp_path / "out" / "reactienota.txt").read_text(encoding="utf-8-sig")
    for piece in expected:
        assert piece in converted, f"LibreOffice: {piece!r} not in the document"


def test_the_reactienota_as_a_printable_page(server, coordinator, griffie, vastgesteld):
    for r in (server.request("GET", nota_path("?formaat=html"), coordinator),
              server.request("GET", nota_path(), coordinator, headers={"Accept": "text/html"})):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("text/html") and r.headers["Cache-Control"] == "private, no-store"
        page = r.text
        for piece in ("Meer aandacht voor cybercrime.", "Delft wil een eigen paragraaf.", "Wij nemen dit over.", "Dat doen we niet.",
                      "Verwerking:</strong> Overgenomen", "Verwerking:</strong> Niet overgenomen", "Vastgesteld door het RBO op 20 januari 2027",
                      "&lt;b&gt;x&lt;/b&gt;"):
            assert piece in page, piece
        assert "<b>x</b>" not in page and "Leiden" not in page
    # A client that takes JSON as well gets JSON; a griffie gets nothing.
    both = server.request("GET", nota_path(), coordinator, headers={"Accept": "application/json, text/html"})
    assert both.headers["Content-Type"].startswith("application/json") and both.json()["status"] == "vastgesteld"
    assert_problem(server.request("GET", nota_path("?formaat=html"), griffie["GM0518"]), 403)


def test_an_answer_to_an_older_version(server, coordinator, griffie, submitted):
    # The nota is vastgesteld (previous test); reopen, then Delft submits a newer version.
    if server.request("GET", nota_path(), coordinator).json()["status"] == "vastgesteld":
        assert server.request("PUT", nota_path(), coordinator, json={"status": "concept"}).status_code == 200
    newer = submit(server, griffie, "GM0503", opmerkingen=[{"thema": "cybercrime", "tekst": "Tweede versie van Delft."}])
    assert newer["versie"] == 2
    seen = server.request("GET", reactie_path("GM0503"), coordinator).json()
    assert seen["beantwoordtVersie"] == 1 and seen["huidigeVersie"] == 2 and seen["verouderd"] is True
    progress = server.request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/reacties", coordinator).json()
    assert {g["code"]: g["stand"] for g in progress["gemeenten"]}["GM0503"] == "verouderd" and progress["verouderd"] == 1
    assert_problem(server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}), 409)
    # Answering again answers version 2.
    again = answer(server, coordinator, "GM0503", [{"thema": "cybercrime", "tekst": "Nu op versie 2.", "verwerking": "ter-kennisname"}])
    assert again.json()["beantwoordtVersie"] == 2 and again.json()["verouderd"] is False


def test_publication_is_an_explicit_snapshot_of_what_is_public(server, coordinator, griffie, submitted):
    path = f"/api/v1/raadplegingen/{CONSULTATION}/publicatie"
    if server.request("GET", nota_path(), coordinator).json()["status"] == "vastgesteld":
        assert server.request("PUT", nota_path(), coordinator, json={"status": "concept"}).status_code == 200
    assert_problem(server.request("GET", path), 404)
    assert_problem(server.request("PUT", path, coordinator), 409)  # not vastgesteld
    assert answer(server, coordinator, "GM0518", FULL).status_code == 200
    assert answer(server, coordinator, "GM0503", DELFT).status_code == 200
    assert server.request("PUT", nota_path(), coordinator, json={"status": "vastgesteld", "rboDatum": "2027-01-20"}).status_code == 200
    assert_problem(server.request("PUT", path, griffie["GM0518"]), 403)
    assert_problem(server.request("PUT", path), 401)

    published = server.request("PUT", path, coordinator)
    assert published.status_code == 200, published.text
    public = server.request("GET", path)
    assert public.status_code == 200 and public.json() == published.json()
    body = public.json()
    assert body["rboDatum"] == "2027-01-20" and [g["code"] for g in body["gemeenten"]] == ["GM0503", "GM0518"]
    den_haag = body["gemeenten"][1]
    assert den_haag["standpunt"] == "instemmend-met-opmerkingen"
    assert {o["thema"]: o["reactie"] for o in den_haag["opmerkingen"]}["cybercrime"] == "Wij nemen dit over."
    # Never the indiener, a kenmerk, a code or audit data.
    for secret in ("griffie@example.nl", "A. de Griffier", "ZW-", "indiener", "coordinator:", coordinator):
        assert secret not in public.text, secret
    page = server.request("GET", f"/raadplegingen/{CONSULTATION}/publicatie")
    assert page.status_code == 200 and "Wij nemen dit over." in page.text and "griffie@example.nl" not in page.text
    actions = [e["actie"] for e in server.request("GET", "/api/v1/audit?limiet=5", coordinator).json()]
    assert actions[0] == "publicatie-gepubliceerd"

    assert server.request("DELETE", path, coordinator).status_code == 204
    assert_problem(server.request("GET", path), 404)
    assert server.request("GET", f"/raadplegingen/{CONSULTATION}/publicatie").status_code == 404
    assert_problem(server.request("DELETE", path, coordinator), 404)
    assert [e["actie"] for e in server.request("GET", "/api/v1/audit?limiet=1", coordinator).json()] == ["publicatie-ingetrokken"]
