"""Issue 13: what the lean request path must still guarantee. The access log is batched but
complete (also at a graceful shutdown), request ids are unique without a lock, metrics count
exactly under concurrency, read-mostly answers come from memory with strong ETags and are never
stale after a write (this process's or another's), and cached static files follow the disk."""
import http.client
import json
import os
import re
import shutil
import threading

import pytest

from serverprocess import CONSULTATION, ROOT, ServerProcess, cli, issue_code


def connection(server):
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)


def fetch(conn, path, headers=None, method="GET", body=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


@pytest.fixture
def json_server(tmp_path):
    s = ServerProcess(tmp_path / "lean.sqlite", extra_args=["--log-format", "json"]).start()
    yield s
    s.kill()


def test_every_request_is_logged_once_even_at_a_graceful_shutdown(json_server):
    conn = connection(json_server)
    ids = [f"lean-{i:04d}" for i in range(600)]
    for request_id in ids:
        status, headers, _ = fetch(conn, "/healthz", {"X-Request-ID": request_id})
        assert status == 200 and headers["x-request-id"] == request_id
    conn.close()
    # SIGTERM at once: lines still waiting in the writer's buffer must reach stderr before exit.
    assert json_server.terminate() == 0
    lines = [json.loads(l) for l in json_server.log_text().splitlines() if l.startswith("{")]
    logged = [l["request_id"] for l in lines if l.get("msg") == "request" and l.get("request_id", "").startswith("lean-")]
    assert sorted(logged) == ids
    one = next(l for l in lines if l.get("request_id") == "lean-0000")
    assert one["level"] == "info" and one["method"] == "GET" and one["path"] == "/healthz" and one["status"] == "200"
    assert int(one["bytes"]) > 0 and re.fullmatch(r"\d+\.\d{1,2}", one["duration_ms"]) and one["client"] == "127.0.0.1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", one["ts"])


def test_access_log_escapes_hostile_targets_in_logfmt(tmp_path):
    s = ServerProcess(tmp_path / "logfmt.sqlite").start()
    try:
        conn = connection(s)
        fetch(conn, '/nope"x=1%0Alevel=error?q=geheim', {"X-Request-ID": "esc-1"})
        assert s.wait_for_log(r"request_id=esc-1")
        line = next(l for l in s.log_text().splitlines() if "request_id=esc-1" in l)
        assert line.startswith("ts=") and " msg=request " in line
        # The quote is escaped inside one quoted value; the query (it may hold secrets) is not logged.
        assert 'path="/nope\\\\\\"x=1%0Alevel=error"' in line and "geheim" not in line
    finally:
        s.kill()


def test_generated_request_ids_are_unique_hex(json_server):
    seen = set()
    lock = threading.Lock()

    def worker():
        conn = connection(json_server)
        for _ in range(400):
            _, headers, _ = fetch(conn, "/healthz")
            with lock:
                seen.add(headers["x-request-id"])
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 1600
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in seen)


def test_metrics_count_exactly_under_concurrency(json_server):
    def worker():
        conn = connection(json_server)
        for _ in range(250):
            fetch(conn, "/api/v1/gemeenten")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, _, body = fetch(connection(json_server), "/metrics")
    assert 'zienswijzen_http_requests_total{method="GET",route="/api/v1/gemeenten",status="200"} 1000\n' in body.decode()


def test_catalog_answers_carry_strong_etags_and_304(json_server):
    conn = connection(json_server)
    for path in ["/api/v1/gemeenten", "/api/v1/raadplegingen", f"/api/v1/raadplegingen/{CONSULTATION}", "/api/v1/openapi.json"]:
        status, headers, body = fetch(conn, path)
        etag = headers["etag"]
        assert status == 200 and re.fullmatch(r'"[0-9a-f]{32}"', etag), path
        json.loads(body)
        for condition in [etag, "W/" + etag, f'"other", {etag}', "*"]:
            status, headers304, body304 = fetch(conn, path, {"If-None-Match": condition})
            if path.endswith(CONSULTATION) and status == 200:
                continue  # `resterendeSeconden` moved on between the two requests: a new ETag, rightly
            assert status == 304 and body304 == b"" and headers304["etag"] == etag, (path, condition)
        status, _, body = fetch(conn, path, {"If-None-Match": '"something-else"'})
        assert status == 200 and body


def test_a_write_in_this_process_is_seen_by_the_next_read(json_server):
    coordinator = {"Authorization": "Bearer " + json_server.bootstrap_code, "Content-Type": "application/json"}
    conn = connection(json_server)
    _, before, body = fetch(conn, "/api/v1/raadplegingen")
    assert json.loads(body)[0]["status"] == "open"
    status, _, _ = fetch(conn, f"/api/v1/raadplegingen/{CONSULTATION}", coordinator, "PATCH", json.dumps({"status": "gesloten"}))
    assert status == 200
    status, after, body = fetch(conn, "/api/v1/raadplegingen", {"If-None-Match": before["etag"]})
    assert status == 200 and after["etag"] != before["etag"] and json.loads(body)[0]["status"] == "gesloten"


def test_a_write_by_another_process_is_seen_by_the_next_read(json_server):
    conn = connection(json_server)
    _, before, _ = fetch(conn, "/api/v1/raadplegingen")
    for moment, shown in [("2031-03-01T12:00:00Z", "2031-03-01T13:00:00+01:00"),
                          ("2031-07-01T12:00:00Z", "2031-07-01T14:00:00+02:00")]:
        cli("deadline", "set", "--consultation", CONSULTATION, "--at", moment, database=json_server.database)
        status, after, body = fetch(conn, "/api/v1/raadplegingen", {"If-None-Match": before["etag"]})
        assert status == 200 and json.loads(body)[0]["deadline"] == shown
        before = after
    issue_code(json_server.database, "GM0518")  # an unrelated write: the catalogue is rebuilt, its bytes the same
    status, headers, _ = fetch(conn, "/api/v1/raadplegingen", {"If-None-Match": before["etag"]})
    assert status == 304 and headers["etag"] == before["etag"]


def test_cached_static_files_follow_the_disk(tmp_path):
    public = tmp_path / "Public"
    shutil.copytree(ROOT / "Public", public)
    asset = public / "assets" / "lean-test.css"
    asset.write_text("body { color: red; }\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the root\n")
    s = ServerProcess(tmp_path / "static.sqlite", public=public).start()
    try:
        conn = connection(s)
        status, first, body = fetch(conn, "/assets/lean-test.css")
        assert status == 200 and body == b"body { color: red; }\n" and first["content-type"].startswith("text/css")
        assert fetch(conn, "/assets/lean-test.css", {"If-None-Match": first["etag"]})[0] == 304
        # Edited in place (same inode, new size and time): the new bytes and a new ETag at once.
        asset.write_text("body { color: green; background: white; }\n")
        status, second, body = fetch(conn, "/assets/lean-test.css", {"If-None-Match": first["etag"]})
        assert status == 200 and body == b"body { color: green; background: white; }\n" and second["etag"] != first["etag"]
        # Replaced by a symlink that leaves the root: containment is checked again, 404.
        asset.unlink()
        os.symlink(secret, asset)
        status, _, body = fetch(conn, "/assets/lean-test.css")
        assert status == 404 and b"outside the root" not in body
        # Deleted: 404.
        asset.unlink()
        assert fetch(conn, "/assets/lean-test.css")[0] == 404
        asset.write_text("back\n")
        assert fetch(conn, "/assets/lean-test.css")[2] == b"back\n"
    finally:
        s.kill()
