"""Stored text stays text (issue 11): random strings built from the awkward classes go in through
the API and come out through every page that shows them (the printable reactienota too) and
through the CSV export.

Every page is parsed with html5lib, a conforming HTML5 parser (the WHATWG algorithm, as browsers
parse). For each page the shape of the DOM (tag names and attribute names, in document order) must
equal the shape of the same page with plain placeholder text, so no element or attribute was added;
and the text nodes and attribute values that show a stored text must equal it exactly (after the
newline normalization every HTML parser does: CR LF and CR become LF). The CSV export is read back
with Python's csv module: every row has the header's width and every cell equals the input (with
the formula guard where the cell looks like a formula).
"""
from __future__ import annotations

import re
import unicodedata
import urllib.parse

import html5lib
import pytest
import requests
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from apisupport import CONSULTATION, assert_problem, minimal_pdf, parse_csv, valid_body, zw_path

GEMEENTE = "GM0546"  # Leiden

# The awkward classes: markup, marks that merge with a neighbour into one grapheme, prepended
# concatenation marks, emoji ZWJ sequences, bidi controls, control characters (NUL excluded).
MARKUP = ["<", ">", "&", "\"", "'", "=", "/", "<script>alert(1)</script>", "<meta http-equiv=refresh content=0;url=//evil.example/>",
          "\" autofocus onfocus=alert(1) x=\"", "&amp;", "&lt;", "<!--", "]]>", "<textarea>", "</textarea>", ";", "+1+1", "=HYPERLINK(A1)"]
COMBINING = ["\u0301", "\u0308", "\u20dd", "\u0336", "\u0489"]
PREPENDED = ["\u0600", "\u0601", "\u0605", "\u08e2", "\u110bd"]
EMOJI = ["\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F3F3\ufe0f\u200d\U0001F308", "\U0001F693"]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c"]
CONTROLS = ["\t", "\n", "\r\n", "\r"]
PLAIN = ["a", "Zie besluit", "'s-Gravenhage", "één", " "]


def pieces(*classes):
    return st.lists(st.sampled_from([p for c in classes for p in c]), min_size=1, max_size=12).map("".join)


# A remark or toelichting may hold every class; a one-line name no control or format character
# (those are refused with 422, tested below); a file name anything (the server sanitizes it).
MULTILINE = pieces(MARKUP, COMBINING, PREPENDED, EMOJI, BIDI, CONTROLS, PLAIN).filter(lambda s: s.strip())
ONE_LINE = pieces(MARKUP, COMBINING, EMOJI, PLAIN).map(str.strip).filter(bool)
FILENAME = pieces(MARKUP, COMBINING, PREPENDED, EMOJI, BIDI, PLAIN)

ISSUE_EXAMPLES = ["\u0600<meta http-equiv=refresh content=0;url=//evil.example/ \u0600>",
                  "Zie besluit\u0600;=HYPERLINK(A1)\u0600;+1+1"]
ISSUE_NAME = "x\"\u0301 autofocus onfocus=alert(1) x=\"\u0301"


def html_text(value: str) -> str:
    """What an HTML parser hands back for text we wrote: newlines normalized."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def parse(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def shape(element) -> list[tuple[str, tuple[str, ...]]]:
    """Tag and attribute names in document order. Attachments pile up across versions (each
    example adds one), so of a list of attachments only the last item counts."""
    out = []

    def walk(e):
        if not isinstance(e.tag, str):
            return
        out.append((e.tag, tuple(sorted(e.attrib))))
        children = list(e)
        if e.tag == "ul" and "plain-list" in e.get("class", ""):
            children = children[-1:]
        for child in children:
            walk(child)
    walk(element)
    return out


def by_id(tree, element_id):
    found = [e for e in tree.iter() if e.get("id") == element_id]
    assert len(found) == 1, f"#{element_id}: {len(found)} elements"
    return found[0]


def text_of(element) -> str:
    """All text inside an element, as a parser gives it (the DOM's textContent)."""
    return "".join(element.itertext())


def looks_like_formula(value: str) -> bool:
    """The export's rule, written again from its documentation (CSVExport.field)."""
    if value[:1] in ("\t", "\r", "\n"):
        return True
    for ch in value:
        if unicodedata.category(ch) in ("Mn", "Me", "Mc", "Cf", "Zs") or ch.isspace():
            continue
        return ch in "=+-@\uff1d\uff0b\uff0d\uff20"
    return False


class Web:
    """A browser-like client: logs in through the form and keeps the session cookie."""

    def __init__(self, server, code):
        self.server = server
        self.http = requests.Session()
        page = self.http.get(server.url("/inloggen"), timeout=30)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
        response = self.http.post(server.url("/inloggen"), data={"csrf": token, "code": code},
                                  allow_redirects=False, timeout=30)
        assert response.status_code == 303, response.text[:300]

    def get(self, path):
        response = self.http.get(self.server.url(path), timeout=30)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        return response.text

    def csrf(self, path):
        return re.search(r'name="csrf" value="([0-9a-f]+)"', self.get(path)).group(1)


@pytest.fixture(scope="module")
def world(server, coordinator, griffie):
    code = griffie[GEMEENTE]
    coordinator_web, griffie_web = Web(server, coordinator), Web(server, code)
    world = {"server": server, "coordinator": coordinator, "griffie": code,
             "coordinator_web": coordinator_web, "griffie_web": griffie_web}
    world["baseline"] = render(world, "Placeholder naam", "Placeholder tekst", "Placeholder opmerking", "placeholder.pdf")
    return world


def submit(world, naam, toelichting, opmerking, filename):
    """One version with these texts and one attachment; returns the attachment's stored name."""
    server = world["server"]
    body = valid_body(indiener={"naam": naam, "email": "griffie@leiden.example"}, toelichting=toelichting,
                      opmerkingen=[{"thema": "cybercrime", "tekst": opmerking}])
    response = server.request("PUT", zw_path(GEMEENTE), world["griffie"], json=body)
    assert response.status_code in (200, 201), response.text[:500]
    encoded = urllib.parse.quote(filename, safe="")
    response = server.request("POST", zw_path(GEMEENTE, "/bijlagen"), world["griffie"], data=minimal_pdf(),
                              headers={"Content-Type": "application/pdf",
                                       "Content-Disposition": f"attachment; filename*=UTF-8''{encoded}"})
    assert response.status_code == 201, response.text[:500]
    return response.json()["bestandsnaam"]


def render(world, naam, toelichting, opmerking, filename):
    """Submits and fetches every page that shows these texts; returns their parsed parts."""
    stored_name = submit(world, naam, toelichting, opmerking, filename)
    gemeente_page = parse(world["coordinator_web"].get(f"/coordinator/gemeenten/{GEMEENTE}"))
    newest = next(e for e in gemeente_page.iter() if e.tag == "section" and "version" in e.get("class", ""))
    form = parse(world["griffie_web"].get("/zienswijze"))
    current = world["server"].request("GET", zw_path(GEMEENTE), world["griffie"]).json()["versie"]
    receipt = parse(world["griffie_web"].get(f"/zienswijze/ontvangstbevestiging/{current}"))
    nota = parse(world["coordinator_web"].get(f"/coordinator/raadplegingen/{CONSULTATION}/reactienota/afdrukken"))
    return {"stored_name": stored_name, "newest": newest, "form": form, "receipt": receipt,
            "main": [e for e in receipt.iter() if e.tag == "main"][0],
            "nota": next(e for e in nota.iter() if e.tag == "article" and "nota" in e.get("class", ""))}


def check_version_details(section, naam, toelichting, opmerking, stored_name):
    """The shared version-details partial: indiener, toelichting, remark and attachment texts."""
    dds = {text_of(dt).strip(): dd for dt, dd in zip(section.iter("dt"), section.iter("dd"))}
    indiener = dds["Indiener"]
    assert indiener.text == html_text(naam)
    mail = indiener.find("a")
    assert mail.get("href") == "mailto:griffie@leiden.example" and mail.text == "griffie@leiden.example"
    assert text_of(dds["Toelichting"].find("span")) == html_text(toelichting)
    remarks = [dd for dd in section.iter("dd") if "multiline" in dd.get("class", "")]
    assert [text_of(dd) for dd in remarks] == [html_text(opmerking)]
    links = [a for a in section.iter("a") if a.get("download") is not None]
    assert links and links[-1].text == stored_name


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@given(naam=ONE_LINE, toelichting=MULTILINE, opmerking=MULTILINE, filename=FILENAME)
@example(naam=ISSUE_NAME, toelichting=ISSUE_EXAMPLES[0], opmerking=ISSUE_EXAMPLES[1], filename="\u202egpj.exe\"<b>")
def test_pages_show_stored_text_as_text(world, naam, toelichting, opmerking, filename):
    got = render(world, naam, toelichting, opmerking, filename)
    base = world["baseline"]

    # The coordinator's gemeente page: the newest version's section.
    assert shape(got["newest"]) == shape(base["newest"])
    check_version_details(got["newest"], naam, toelichting, opmerking, got["stored_name"])

    # The griffie's form, prefilled from the current version: attribute values and textareas.
    assert shape(got["form"]) == shape(base["form"])
    assert by_id(got["form"], "indiener-naam").get("value") == html_text(naam)
    assert text_of(by_id(got["form"], "toelichting")) == html_text(toelichting)
    assert text_of(by_id(got["form"], "opmerking-cybercrime")) == html_text(opmerking)

    # The receipt.
    assert shape(got["main"]) == shape(base["main"])
    check_version_details(got["main"], naam, toelichting, opmerking, got["stored_name"])
    # The printable reactienota (issue 15): Leiden's remark and toelichting, as typed; never the indiener.
    assert shape(got["nota"]) == shape(base["nota"])
    remarks = [e for e in got["nota"].iter("div") if "nota-remark" in e.get("class", "") and text_of(e.find("h4")) == "Leiden"]
    assert [text_of(e.find("blockquote")) for e in remarks] == [html_text(opmerking)]
    leiden = next(e for e in got["nota"].iter("section") if e.get("aria-label") == "Leiden")
    assert text_of([dd for dd in leiden.iter("dd")][1]) == html_text(toelichting)
    assert "griffie@leiden.example" not in text_of(got["nota"])

    # Nothing anywhere turned into markup of its own.
    for tree in (got["form"], got["receipt"]):
        assert not [m for m in tree.iter("meta") if m.get("http-equiv")]
        assert len(list(tree.iter("script"))) == len(list(base["receipt"].iter("script")))

    # The CSV export: the row keeps the header's width and every cell is the text.
    export = world["server"].request("GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen?formaat=csv",
                                     world["coordinator"])
    rows = parse_csv(export.content)
    header = rows[0]
    assert all(len(row) == len(header) for row in rows)
    row = dict(zip(header, next(r for r in rows if r[0] == GEMEENTE)))
    for column, value in (("toelichting", toelichting), ("opmerking cybercrime", opmerking), ("indienerNaam", naam)):
        assert row[column] == ("'" + value if looks_like_formula(value) else value), column


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@given(naam=ONE_LINE)
@example(naam=ISSUE_NAME)
def test_code_names_are_text_in_the_codes_pages(world, naam):
    server, web = world["server"], world["coordinator_web"]
    # Through the web form: the page that shows the new code and the message to send.
    token = web.csrf("/coordinator/toegangscodes")
    response = web.http.post(server.url("/coordinator/toegangscodes"),
                             data={"csrf": token, "rol": "coordinator", "naam": naam}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    issued = parse(response.text)
    main = next(e for e in issued.iter() if e.tag == "main")
    assert text_of(main).count(html_text(f"Voor {naam}, coördinator.")) == 1
    assert f"Beste {html_text(naam)}," in text_of(by_id(issued, "bericht"))
    # The list: the last row is this code, its name a text node of its own.
    listing = parse(web.get("/coordinator/toegangscodes"))
    rows = [tr for tr in listing.iter("tr") if tr.find("td") is not None]
    assert any(naam.strip() == (cell.text or "").strip() for cell in rows[-1].iter("td")), [text_of(c) for c in rows[-1]]
    assert shape(rows[-1]) == shape(rows[-2])


@pytest.mark.parametrize("naam", ["Anna \u202ereiffirG", "\u0600Anna", "An\u00adna", "A\u2066B"])
def test_names_with_hidden_format_characters_are_refused(world, naam):
    server = world["server"]
    body = valid_body(indiener={"naam": naam, "email": "griffie@leiden.example"})
    problem = assert_problem(server.request("PUT", zw_path(GEMEENTE), world["griffie"], json=body), 422)
    assert [p["name"] for p in problem["invalidParams"]] == ["indiener.naam"]
    assert "opmaaktekens" in problem["invalidParams"][0]["reason"]
    problem = assert_problem(server.request("POST", "/api/v1/toegangscodes", world["coordinator"],
                                            json={"rol": "coordinator", "naam": naam}), 422)
    assert [p["name"] for p in problem["invalidParams"]] == ["naam"]


def test_mailto_links_cannot_carry_parameters(world):
    server = world["server"]
    address = "griffie?cc=boss%40evil.example&body=x@leiden.example"
    body = valid_body(indiener={"naam": "A", "email": address})
    response = server.request("PUT", zw_path(GEMEENTE), world["griffie"], json=body)
    assert response.status_code in (200, 201), response.text
    page = parse(world["coordinator_web"].get(f"/coordinator/gemeenten/{GEMEENTE}"))
    href = next(a.get("href") for a in page.iter("a") if (a.get("href") or "").startswith("mailto:"))
    assert "?" not in href and "&" not in href and "=" not in href
    assert urllib.parse.unquote(href) == "mailto:" + address


def test_non_ascii_addresses_are_refused(world):
    body = valid_body(indiener={"naam": "A", "email": "jöran@bücher.example"})
    problem = assert_problem(world["server"].request("PUT", zw_path(GEMEENTE), world["griffie"], json=body), 422)
    assert [p["name"] for p in problem["invalidParams"]] == ["indiener.email"]
