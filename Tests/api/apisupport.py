"""Helpers for the api suite: the server with its leak check, and the domain's test data.

The test modules import from here, not from `conftest`: when several suites run in one pytest
session, `conftest` names whichever suite's conftest was loaded last. Starting and stopping the
binary is `serverprocess.ServerProcess` (Tests/serverprocess.py); `Server` adds the record of
issued codes and received responses that the leak check at teardown reads.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import requests

from serverprocess import BINARY, CONSULTATION, ROOT, ServerProcess, last_line, wait_for  # noqa: F401 (re-exported)

THEMAS = [
    "maatschappelijk-ongenoegen", "cybercrime", "jeugd-en-veiligheid", "zorg-en-veiligheid",
    "ondermijning", "sterkteverdeling", "landelijke-veiligheidsagenda",
]
API_VERSION = "1.0.0"


def gemeenten_csv() -> list[dict]:
    """The 27 gemeenten of the police unit, as the shared seed data lists them."""
    candidates = [ROOT.parent.parent / "shared" / "data" / "gemeenten.csv",
                  Path("/work/shared/data/gemeenten.csv")]
    for path in candidates:
        if path.exists():
            with path.open(encoding="utf-8") as f:
                return list(csv.DictReader(f))
    raise FileNotFoundError("gemeenten.csv")


GEMEENTEN = gemeenten_csv()
CODES = [g["code"] for g in GEMEENTEN]


def digest(version: dict) -> str:
    """The documented recipe: drop the top-level sha256, JCS-canonicalize (for this object, sorted
    keys, no whitespace, UTF-8 as is), SHA-256, lowercase hex."""
    content = {k: v for k, v in version.items() if k != "sha256"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def valid_body(**overrides) -> dict:
    body = {
        "standpunt": "instemmend-met-opmerkingen",
        "datumRaadsbesluit": "2024-11-20",
        "indiener": {"naam": "A. de Griffier", "email": "griffie@example.nl"},
        "toelichting": "Vrije tekst van de raad.\n's-Gravenhage, € 5 \"citaat\"",
        "opmerkingen": [{"thema": "cybercrime", "tekst": "Opmerking over dit thema."}],
    }
    body.update(overrides)
    return body


def minimal_pdf(text: str = "raadsbesluit") -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n"
            + os.urandom(64).hex().encode() + b"\n%%EOF\n")


class Server(ServerProcess):
    """The server for the api suite: `ServerProcess` plus what the leak check needs, namely every
    code issued through it and every response its sessions received."""

    def __init__(self, database: Path | None = None, env: dict | None = None):
        super().__init__(database, extra_args=["--shutdown-grace", "10"], env=env, tmp_prefix="zienswijzen-api-")
        self.issued_codes: list[str] = []
        self.responses: list[tuple[str, str, requests.Response]] = []

    # -- HTTP ------------------------------------------------------------------------------------

    def session(self, code: str | None = None) -> requests.Session:
        """A session that sends `code` as bearer and records every response for the leak check."""
        s = requests.Session()
        if code:
            s.headers["Authorization"] = f"Bearer {code}"

        def record(response, *args, **kwargs):
            self.responses.append((response.request.method, response.request.path_url, response))
        s.hooks["response"].append(record)
        return s

    def request(self, method, path, code=None, **kwargs) -> requests.Response:
        with self.session(code) as s:
            return s.request(method, self.url(path), timeout=60, **kwargs)

    # -- CLI -------------------------------------------------------------------------------------

    def issue_griffie(self, gemeente: str, name: str | None = None) -> str:
        code = last_line(self.cli("token", "issue", "--gemeente", gemeente, "--name", name or f"Griffie {gemeente}"))
        self.issued_codes.append(code)
        return code

    def issue_coordinator(self, name="Coördinator test") -> str:
        code = last_line(self.cli("token", "issue", "--coordinator", "--name", name))
        self.issued_codes.append(code)
        return code

    # -- the leak check --------------------------------------------------------------------------

    def leaked_codes(self) -> list[str]:
        """Codes that occur in the log (the bootstrap code: more than the once it is shown), or in
        any response other than the one that issued them."""
        leaks = []
        log = self.log_text()
        codes = ([self.bootstrap_code] if self.bootstrap_code else []) + self.issued_codes
        for code in codes:
            forms = {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}
            if any(f in log for f in forms if f):
                if code != self.bootstrap_code or log.count(code) > 1:
                    leaks.append(f"log: {code}")
            for method, path, response in self.responses:
                if method == "POST" and path == "/api/v1/toegangscodes":
                    continue  # the one response that shows a newly issued code
                text = response.content.decode("utf-8", "replace") + repr(dict(response.headers))
                if any(f in text for f in forms):
                    leaks.append(f"{method} {path}: {code}")
        return leaks


class Griffies(dict):
    """Griffie codes by gemeente, issued on first use."""

    def __init__(self, server: Server):
        super().__init__()
        self.server = server

    def __missing__(self, gemeente):
        code = self.server.issue_griffie(gemeente)
        self[gemeente] = code
        return code


def zw_path(gemeente: str, suffix: str = "", consultation: str = CONSULTATION) -> str:
    return f"/api/v1/raadplegingen/{consultation}/zienswijzen/{gemeente}{suffix}"


def assert_problem(response: requests.Response, status: int) -> dict:
    """An RFC 9457 problem with this status, Dutch title, API-Version."""
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}"
    assert response.headers.get("Content-Type", "").startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:zienswijzen:probleem:")
    assert body["title"] and body["detail"]
    if response.request.path_url.startswith("/api/"):
        assert response.headers.get("API-Version") == API_VERSION
    return body


def invalid_names(response: requests.Response) -> set[str]:
    body = assert_problem(response, 422)
    assert body["invalidParams"], body
    for item in body["invalidParams"]:
        assert item["name"] and item["reason"]
    return {p["name"] for p in body["invalidParams"]}


def parse_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    text = content[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
