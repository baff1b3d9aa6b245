"""End-to-end API tests against the real `zienswijzen` binary over loopback.

Each test module gets its own server on a fresh temporary database (`server` fixture), so tests
that move the deadline, close the consultation or trip the login throttle cannot disturb others.
The server is started as `zienswijzen serve --port 0`; the port and the one-time bootstrap
coördinator code are read from its stderr, griffie codes are issued with the CLI
(`zienswijzen token issue`). At the end of the module the server gets SIGTERM and must exit 0,
and neither its log nor any response after issue may contain an access code.

Run from the repository root after `swift build`:  python3 -m pytest Tests/api
Set ZIENSWIJZEN_BIN to test another build (e.g. .build/release/zienswijzen).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("ZIENSWIJZEN_BIN", ROOT / ".build" / "debug" / "zienswijzen"))
CONSULTATION = "coalitie-voor-veiligheid-2023-2026"
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


def wait_for(condition, timeout=20.0, interval=0.02, what="condition"):
    """Polls `condition` until it returns something truthy, or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


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


class Server:
    """The real server binary as a child process, with its stderr captured line by line."""

    def __init__(self, database: Path | None = None, env: dict | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="zienswijzen-api-")
        self.database = Path(database) if database else Path(self.tmp.name) / "test.sqlite"
        self.env = {**os.environ, **(env or {})}
        self.log: list[str] = []
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.bootstrap_code: str | None = None
        self.issued_codes: list[str] = []
        self.responses: list[tuple[str, str, requests.Response]] = []
        self._log_lock = threading.Lock()

    # -- process ---------------------------------------------------------------------------------

    def start(self) -> "Server":
        assert BINARY.exists(), f"{BINARY} missing: run `swift build` first"
        self.port = None
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--port", "0", "--database", str(self.database),
             "--public", str(ROOT / "Public"), "--shutdown-grace", "10"],
            cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, bufsize=1)
        self._reader = threading.Thread(target=self._read_stderr, args=(self.process,), daemon=True)
        self._reader.start()
        wait_for(lambda: self.port or self.process.poll() is not None, what="the server's port line")
        assert self.port, "server exited before listening:\n" + "\n".join(self.log)
        return self

    def _read_stderr(self, process):
        expect_code = False
        for line in process.stderr:
            line = line.rstrip("\n")
            with self._log_lock:
                self.log.append(line)
            if "No coordinator code existed" in line:
                expect_code = True
            elif expect_code and line.strip() and line.startswith("    "):
                self.bootstrap_code = line.strip()
                self.issued_codes.append(self.bootstrap_code)
                expect_code = False
            m = re.search(r"\bport=(\d+)", line)
            if m and self.port is None:
                self.port = int(m.group(1))

    def stop(self, sig=signal.SIGTERM, timeout=30) -> int:
        """Sends `sig` and waits for the exit; returns the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def kill(self) -> int:
        return self.stop(signal.SIGKILL)

    def log_text(self) -> str:
        with self._log_lock:
            return "\n".join(self.log)

    # -- HTTP ------------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

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

    def cli(self, *args, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(BINARY), *args, "--database", str(self.database)], cwd=ROOT,
                                env=self.env, capture_output=True, text=True, timeout=60)
        if check:
            assert result.returncode == 0, f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result

    def issue_griffie(self, gemeente: str, name: str | None = None) -> str:
        out = self.cli("token", "issue", "--gemeente", gemeente, "--name", name or f"Griffie {gemeente}")
        code = out.stdout.strip().splitlines()[-1].strip()
        self.issued_codes.append(code)
        return code

    def issue_coordinator(self, name="Coördinator test") -> str:
        out = self.cli("token", "issue", "--coordinator", "--name", name)
        code = out.stdout.strip().splitlines()[-1].strip()
        self.issued_codes.append(code)
        return code

    # -- the leak check --------------------------------------------------------------------------

    def leaked_codes(self) -> list[str]:
        """Codes that occur in the log, or in any response other than the one that issued them."""
        leaks = []
        log = self.log_text()
        for code in self.issued_codes:
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


def start_checked_server():
    server = Server().start()
    yield server
    status = server.stop()
    leaks = server.leaked_codes()
    server.tmp.cleanup()
    assert status == 0, f"server exited {status} on SIGTERM"
    assert not leaks, f"access codes leaked: {leaks}"


@pytest.fixture(scope="module")
def server():
    yield from start_checked_server()


@pytest.fixture(scope="module")
def coordinator(server) -> str:
    assert server.bootstrap_code, "no bootstrap coördinator code on first start:\n" + server.log_text()
    return server.bootstrap_code


@pytest.fixture(scope="module")
def griffie(server) -> Griffies:
    return Griffies(server)


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
