"""Hostile load against the real binary (issue 10): refusals before the body, bounded bodies,
streamed uploads and downloads, fair shares per address, strict framing.

Raw sockets where the test must control exactly what is sent and when (a client still sending
while it is refused, a second source address on loopback such as 127.0.0.2).
"""
from __future__ import annotations

import hashlib
import json
import socket
import time

import pytest

from apisupport import Server, assert_problem, minimal_pdf, valid_body, wait_for, zw_path

GEMEENTE = "GM1783"  # Westland


@pytest.fixture(scope="module")
def code(server):
    return server.issue_griffie(GEMEENTE)


def connect(server, source="127.0.0.1", timeout=10):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout, source_address=(source, 0))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_response(s, limit=1 << 20):
    """Status, headers (lowercased names) and body of one response, by Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < min(length, limit):
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def test_an_unknown_callers_upload_is_refused_at_once_without_its_body(server):
    """A 25 MB upload with a wrong code gets its 401 within 100 ms of the head, while the client
    is still sending; the server does not take in the body."""
    s = connect(server)
    path = zw_path(GEMEENTE, "/bijlagen")
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ\r\n"
              f"Content-Type: application/pdf\r\nContent-Length: 25000000\r\n\r\n".encode())
    sent_head = time.monotonic()
    s.sendall(b"%PDF-" + b"x" * 65536)  # the client keeps sending
    status, headers, body = read_response(s)
    elapsed = time.monotonic() - sent_head
    assert status == 401 and headers["connection"] == "close"
    assert json.loads(body)["type"] == "urn:zienswijzen:probleem:niet-geauthenticeerd"
    assert elapsed < 0.1, f"refused after {elapsed * 1000:.0f} ms"
    s.close()


def test_100_continue_only_for_an_accepted_request(server, code):
    path = zw_path(GEMEENTE)
    body = json.dumps(valid_body()).encode()
    for authorization, expected in (("Bearer ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", 401), (f"Bearer {code}", 100)):
        s = connect(server)
        s.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {authorization}\r\nExpect: 100-continue\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        first = s.recv(27)  # exactly "HTTP/1.1 100 Continue\r\n\r\n" when accepted
        assert first.startswith(f"HTTP/1.1 {expected} ".encode()), first[:60]
        if expected == 100:
            assert first == b"HTTP/1.1 100 Continue\r\n\r\n"
            s.sendall(body)
            status, _, receipt = read_response(s)
            assert status in (200, 201), receipt[:200]
        s.close()


def test_json_bodies_over_1_mib_are_413_before_they_are_read(server, code):
    s = connect(server)
    s.sendall(f"PUT {zw_path(GEMEENTE)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\n"
              f"Content-Type: application/json\r\nContent-Length: {(1 << 20) + 1}\r\n\r\n".encode())
    status, _, body = read_response(s)
    assert status == 413 and json.loads(body)["type"] == "urn:zienswijzen:probleem:te-groot"
    s.close()


def test_invalid_params_are_capped_at_100(server, code):
    bad = [{"thema": f"onbekend-{n}", "tekst": "x"} for n in range(5000)]
    r = server.request("PUT", zw_path(GEMEENTE), code, json=valid_body(opmerkingen=bad))
    problem = assert_problem(r, 422)
    assert len(problem["invalidParams"]) == 100
    assert "4900 meer" in problem["detail"]
    assert len(r.content) < 50_000


def test_a_24_mib_upload_is_streamed_and_reads_back_identically(server, code):
    """A large PDF in a multipart PUT: stored while it arrives, downloaded in pieces, identical;
    the server's memory grows far less than the file."""
    pdf = b"%PDF-1.7\n" + hashlib.sha256(b"seed").digest() * ((24 << 20) // 32)
    before = rss_kib(server.process.pid)
    files = {"bestand": ("groot besluit.pdf", pdf, "application/pdf")}
    data = {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in valid_body().items() if k != "opmerkingen"}
    data["indiener.naam"] = "A. de Griffier"
    data["indiener.email"] = "griffie@westland.example"
    del data["indiener"]
    r = server.request("PUT", zw_path(GEMEENTE), code, data=data, files=files)
    assert r.status_code in (200, 201), r.text[:300]
    bijlage = r.json()["zienswijze"]["bijlagen"][-1]
    assert bijlage["grootte"] == len(pdf) and bijlage["sha256"] == hashlib.sha256(pdf).hexdigest()
    download = server.request("GET", zw_path(GEMEENTE, f"/bijlagen/{bijlage['id']}"), code)
    assert download.status_code == 200 and download.content == pdf
    assert download.headers["Content-Length"] == str(len(pdf))
    grown = rss_kib(server.process.pid) - before
    assert grown < 20 * 1024, f"RSS grew by {grown} KiB for a {len(pdf) >> 20} MiB upload and download"


def test_one_address_cannot_take_every_connection(tmp_path):
    """127.0.0.2 fills its share with connections that never finish their head; it is refused
    more, while 127.0.0.3 is served."""
    server = Server(database=tmp_path / "share.sqlite")
    server.args += ["--max-connections-per-address", "20"]
    server.start()
    try:
        held = []
        for _ in range(20):
            s = connect(server, source="127.0.0.2")
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            held.append(s)
        refused = None

        def extra():
            nonlocal refused
            s = connect(server, source="127.0.0.2")
            status, _, _ = read_response(s)
            s.close()
            refused = status
            return status == 503
        wait_for(extra, timeout=10, what="the 21st connection of 127.0.0.2 refused")
        assert refused == 503
        other = connect(server, source="127.0.0.3")
        other.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, body = read_response(other)
        assert status == 200 and body == b"ok"
        for s in held:
            s.close()
    finally:
        assert server.terminate() == 0
        server.cleanup()


def test_a_bare_lf_in_the_head_is_400(server):
    s = connect(server)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nDummy: x\nContent-Length: 23\r\n\r\n")
    status, headers, body = read_response(s)
    assert status == 400 and headers["connection"] == "close"
    assert json.loads(body)["status"] == 400
    s.close()


def test_forbidden_trailer_fields_are_dropped_and_the_request_served(server, code):
    body = json.dumps(valid_body()).encode()
    s = connect(server)
    s.sendall(f"PUT {zw_path(GEMEENTE)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\n"
              f"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
              + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\nContent-Type: text/plain\r\nVary: *\r\n\r\n")
    status, _, receipt = read_response(s)
    assert status in (200, 201), receipt[:200]
    s.close()


def test_failures_from_many_addresses_are_audited_one_row_each(tmp_path):
    server = Server(database=tmp_path / "flood.sqlite")
    server.start()
    try:
        addresses = [f"127.0.1.{n}" for n in range(1, 21)]
        for address in addresses:
            for _ in range(5):
                s = connect(server, source=address)
                s.sendall(f"GET {zw_path(GEMEENTE)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer WRONG\r\n\r\n".encode())
                assert read_response(s)[0] in (401, 429)
                s.close()
        audit = server.request("GET", "/api/v1/audit?limiet=1000", server.bootstrap_code).json()
        failures = [e for e in audit if e["actie"] == "authenticatie-mislukt"]
        assert sorted(e["adres"] for e in failures) == sorted(addresses)
        assert all(e["details"].startswith("5 mislukte pogingen") for e in failures)
    finally:
        assert server.terminate() == 0
        server.cleanup()


def test_a_body_slower_than_the_minimum_rate_is_cut_with_408(server, code):
    """After the 5 s grace a body must arrive at 240 B/s or more (like Kestrel's
    MinRequestBodyDataRate); one byte a second is answered 408 and the connection closed."""
    s = connect(server, timeout=20)
    s.sendall(f"PUT {zw_path(GEMEENTE)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\n"
              f"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n".encode())
    started = time.monotonic()
    s.setblocking(False)
    answer = b""
    while time.monotonic() - started < 15 and b"\r\n\r\n" not in answer:
        try:
            s.send(b" ")
        except OSError:
            pass
        try:
            answer += s.recv(4096)
        except BlockingIOError:
            pass
        time.sleep(1)  # the trickle itself: one byte a second is what this test sends
    elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:80]
    assert 5 <= elapsed < 9, elapsed
    s.close()
