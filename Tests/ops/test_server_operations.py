"""Operations: configuration, logs, request ids, proxies, metrics, backup and restore, shutdown."""
import json
import re
import sqlite3
import subprocess
import urllib.request

import pytest

from serverprocess import BINARY, CONSULTATION, ServerProcess, cli, issue_code


def get(url, headers=None, method="GET", data=None):
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.fixture
def server(tmp_path):
    s = ServerProcess(tmp_path / "ops.sqlite", extra_args=["--log-format", "json"]).start()
    yield s
    s.kill()


def test_bad_options_exit_2_with_one_line_per_problem(tmp_path):
    r = subprocess.run([str(BINARY), "serve", "--port", "99999", "--log-format", "xml", "--public", str(tmp_path / "nope")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert any("--port 99999" in l for l in lines)
    assert any("--log-format" in l for l in lines)
    assert any("--public" in l for l in lines)
    r = subprocess.run([str(BINARY), "serve", "--no-such-flag"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "no-such-flag" in r.stderr.splitlines()[0]


def test_every_option_has_an_environment_variable(tmp_path):
    env = {"ZIENSWIJZEN_PORT": "70000", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([str(BINARY), "serve"], capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 2 and "70000" in r.stderr
    db = tmp_path / "env.sqlite"
    r = subprocess.run([str(BINARY), "migrate"], capture_output=True, text=True, timeout=30,
                       env={"ZIENSWIJZEN_DATABASE": str(db), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0 and db.exists()
    help_text = subprocess.run([str(BINARY), "serve", "--help"], capture_output=True, text=True, timeout=30).stdout
    for option in ["host", "port", "database", "public", "trust-proxy", "secure-cookies", "log-format", "log-level",
                   "shutdown-grace", "max-connections"]:
        assert f"--{option}" in help_text
        assert "ZIENSWIJZEN_" + option.upper().replace("-", "_") in help_text.replace("\n", " ").replace("  ", " ") \
            or "ZIENSWIJZEN_" in help_text


def test_json_logs_request_ids_and_no_codes(server):
    griffie = issue_code(server.database, "GM0518")
    status, headers, _ = get(server.base + "/api/v1/gemeenten", {"X-Request-ID": "trace-abc-123"})
    assert status == 200 and headers["X-Request-ID"] == "trace-abc-123"
    status, headers, _ = get(server.base + "/api/v1/gemeenten")
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    get(server.base + f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/GM0518", {"Authorization": "Bearer " + griffie})
    get(server.base + "/api/v1/gemeenten?x=%0d%0aevil", {"X-Request-ID": "bad\x7fid"})
    assert server.wait_for_log(r"trace-abc-123")
    for line in server.stderr_text().splitlines():
        if line.startswith("{"):
            json.loads(line)  # every structured line is one JSON object
    assert griffie not in server.stderr_text()
    assert server.bootstrap_code not in server.stderr_text().split("Log in with it")[1]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(tmp_path):
    for trusted, expected in [(True, "203.0.113.9"), (False, "127.0.0.1")]:
        db = tmp_path / f"proxy-{trusted}.sqlite"
        args = ["--trust-proxy", "127.0.0.1"] if trusted else []
        s = ServerProcess(db, extra_args=args).start()
        try:
            get(s.base + "/api/v1/raadplegingen/" + CONSULTATION + "/status",
                {"Authorization": "Bearer WRONG-CODE", "X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
        finally:
            s.terminate()
        # Written at shutdown at the latest (failures are audited in aggregate).
        rows = sqlite3.connect(db).execute("SELECT adres FROM audit WHERE actie = 'authenticatie-mislukt'").fetchall()
        assert rows == [(expected,)]


def test_forwarded_for_must_be_an_ip_address(tmp_path):
    """From a trusted proxy, an X-Forwarded-For entry that is no IP address voids the header (the
    peer stands as the client, logged once); a valid one is stored in canonical form."""
    db = tmp_path / "proxy-text.sqlite"
    s = ServerProcess(db, extra_args=["--trust-proxy", "127.0.0.1"]).start()
    try:
        for forwarded in ["203.0.113.9, <script>alert(1)</script>", "unknown", "2001:DB8:0:0::0001"]:
            get(s.base + "/api/v1/raadplegingen/" + CONSULTATION + "/status",
                {"Authorization": "Bearer WRONG-CODE", "X-Forwarded-For": forwarded})
        assert s.wait_for_log("not an IP address")
    finally:
        s.terminate()
    assert s.log_text().count("not an IP address") == 1
    rows = sqlite3.connect(db).execute("SELECT adres, details FROM audit WHERE actie = 'authenticatie-mislukt'").fetchall()
    # One row per address per minute (issue 10): the peer twice, the canonical IPv6 address once.
    assert sorted(rows) == [("127.0.0.1", "2 mislukte pogingen in een minuut; de eerste: onbekende of ingetrokken toegangscode"),
                            ("2001:db8::1", "onbekende of ingetrokken toegangscode")]


def test_metrics_in_prometheus_format(server):
    coordinator = server.bootstrap_code
    cli("deadline", "set", "--at", "2030-01-01T12:00:00+01:00", database=server.database)
    get(server.base + f"/api/v1/raadplegingen/{CONSULTATION}/status", {"Authorization": "Bearer " + coordinator})
    get(server.base + "/nope")
    status, headers, body = get(server.base + "/metrics")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert 'zienswijzen_http_requests_total{method="GET",route="/api/v1/raadplegingen/{id}/status",status="200"} 1' in text
    assert "zienswijzen_http_request_duration_seconds_bucket{le=\"+Inf\"}" in text
    assert re.search(r"^zienswijzen_open_connections [1-9]\d*$", text, re.M)
    assert f'zienswijzen_gemeenten_by_status{{raadpleging="{CONSULTATION}",status="ontbreekt"}} 27' in text
    assert re.search(rf'^zienswijzen_deadline_seconds{{raadpleging="{CONSULTATION}"}} \d+$', text, re.M)


def test_healthcheck_subcommand(server):
    r = subprocess.run([str(BINARY), "healthcheck", "--port", str(server.port)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout.strip() == "ok"
    server.terminate()
    r = subprocess.run([str(BINARY), "healthcheck", "--port", str(server.port)], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0


def test_online_backup_restores_and_serves(tmp_path):
    db = tmp_path / "live.sqlite"
    s = ServerProcess(db).start()
    griffie = issue_code(db, "GM0518")
    body = json.dumps({"standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "g@example.nl"}}).encode()
    status, _, receipt = get(s.base + f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/GM0518",
                             {"Authorization": "Bearer " + griffie, "Content-Type": "application/json"}, "PUT", body)
    assert status == 201
    backup = tmp_path / "backup.sqlite"
    r = cli("backup", "--to", str(backup), database=db)  # while the server runs
    assert "integrity_check ok" in r.stdout
    assert s.terminate() == 0
    # Restore: the backup file becomes the database of a new server.
    restored = ServerProcess(backup).start()
    try:
        status, _, current = get(restored.base + f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/GM0518",
                                 {"Authorization": "Bearer " + griffie})
        assert status == 200
        assert json.loads(current)["sha256"] == json.loads(receipt)["sha256"]
    finally:
        restored.terminate()


def test_backup_refuses_an_existing_target(tmp_path):
    db = tmp_path / "x.sqlite"
    cli("migrate", database=db)
    (tmp_path / "exists.sqlite").write_bytes(b"")
    r = cli("backup", "--to", str(tmp_path / "exists.sqlite"), database=db, check=False)
    assert r.returncode == 2 and "exists" in r.stderr.splitlines()[0]


def test_sigterm_drains_and_exits_zero(server):
    assert get(server.base + "/healthz")[0] == 200
    assert server.terminate() == 0
    assert "stopped" in server.stderr_text()


def test_cookies_are_secure_when_a_trusted_proxy_says_https(tmp_path):
    def login_cookie(server, headers):
        _, response_headers, _ = get(server.base + "/inloggen", headers)
        return response_headers["Set-Cookie"]

    trusting = ServerProcess(tmp_path / "trusting.sqlite", extra_args=["--trust-proxy", "127.0.0.1"]).start()
    plain = ServerProcess(tmp_path / "plain.sqlite").start()
    try:
        assert "; Secure" in login_cookie(trusting, {"X-Forwarded-Proto": "https"})
        assert "Secure" not in login_cookie(trusting, {})
        assert "Secure" not in login_cookie(plain, {"X-Forwarded-Proto": "https"})  # not from a trusted proxy
    finally:
        trusting.terminate()
        plain.terminate()
