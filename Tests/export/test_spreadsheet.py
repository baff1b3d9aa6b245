"""The CSV export read back by a real spreadsheet program: LibreOffice Calc (Debian's
libreoffice-calc-nogui), headless, with the settings a Dutch user has (separator `;`, UTF-8).
Calc re-saves what it read as plain comma-separated UTF-8, which Python's csv module parses."""
import csv
import json
import shutil
import subprocess
import urllib.request

import pytest

from serverprocess import CONSULTATION, ServerProcess, issue_code

SOFFICE = shutil.which("soffice")
TRICKY = "Regel 1; met puntkomma\nRegel 2 met \"aanhalingstekens\", 's-Gravenhage, één 🚓"
# Issue 11: characters that merge with `;` or `"` into one grapheme must not hide them.
MERGED = "Zie besluit\u0600;=HYPERLINK(A1)\u0600;+1+1"
QUOTE_MARK = "\"\u0301 citaat \u0301\""
FORMULA_AFTER_MARK = "\u0301=1+1"


def call(server, method, path, code, body=None):
    req = urllib.request.Request(server.base + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + code, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_reads_the_export_cell_for_cell(tmp_path):
    server = ServerProcess(tmp_path / "export.sqlite").start()
    try:
        submissions = {
            "GM0518": {"standpunt": "instemmend-met-opmerkingen", "datumRaadsbesluit": "2026-11-20",
                       "indiener": {"naam": "A. de Griffier", "email": "griffie@example.nl"}, "toelichting": TRICKY,
                       "opmerkingen": [{"thema": "cybercrime", "tekst": "=HYPERLINK(\"http://x\")"},
                                       {"thema": "ondermijning", "tekst": "-5"},
                                       {"thema": "jeugd-en-veiligheid", "tekst": MERGED},
                                       {"thema": "zorg-en-veiligheid", "tekst": QUOTE_MARK},
                                       {"thema": "sterkteverdeling", "tekst": FORMULA_AFTER_MARK}]},
            "GM0503": {"standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie Delft", "email": "g@delft.example"}},
        }
        for gemeente, body in submissions.items():
            status, _ = call(server, "PUT", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/{gemeente}",
                             issue_code(server.database, gemeente), json.dumps(body).encode())
            assert status == 201
        status, exported = call(server, "GET", f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen?formaat=csv",
                                server.bootstrap_code)
        assert status == 200 and exported.startswith(b"\xef\xbb\xbf")
    finally:
        server.terminate()

    source = tmp_path / "zienswijzen.csv"
    source.write_bytes(exported)
    # 59 = ';' separator, 34 = '"' text delimiter, 76 = UTF-8, 1 = first line.
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--infilter=CSV:59,34,76,1", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "out" / "zienswijzen.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))

    header, body = rows[0], rows[1:]
    assert header[0] == "gemeente"  # the byte-order mark is not part of the first cell
    assert len(body) == 27 and len({r[0] for r in body}) == 27
    assert sum(1 for h in header if h.startswith("opmerking ")) == 7
    assert all(len(r) == len(header) for r in rows)
    cell = {r[0]: dict(zip(header, r)) for r in body}
    assert cell["GM0518"]["toelichting"] == TRICKY
    assert cell["GM0518"]["naam"] == "Den Haag"
    assert cell["GM0518"]["opmerking cybercrime"] == "'=HYPERLINK(\"http://x\")"  # shown as text, never run
    assert cell["GM0518"]["opmerking ondermijning"] == "'-5"
    assert cell["GM0518"]["opmerking jeugd-en-veiligheid"] == MERGED  # one cell, starting with text
    assert cell["GM0518"]["opmerking zorg-en-veiligheid"] == QUOTE_MARK
    assert cell["GM0518"]["opmerking sterkteverdeling"] == "'" + FORMULA_AFTER_MARK
    assert cell["GM0503"]["standpunt"] == "geen-zienswijze"
    assert cell["GM0626"]["status"] == "ontbreekt"
