"""Webhooks: CloudEvents verified by a receiver with the Standard Webhooks library and parsed with
the CloudEvents SDK; personal data only where allowed; a failing endpoint is switched off; retries
over the API; an endpoint that hangs never slows a submission."""
import statistics
import time

import pytest

from notifysupport import NotifyServer, WebhookReceiver, submission, wait_for, zw

TYPE = "nl.rsiv-haaglanden.zienswijzen."


@pytest.fixture
def server(tmp_path):
    srv = NotifyServer(workdir=tmp_path, extra=["--webhook-disable-after", "3", "--retry-attempts", "10"]).start()
    yield srv
    assert srv.terminate() == 0
    srv.cleanup()


def test_events_are_signed_cloudevents_in_order_without_personal_data(server, receiver):
    coordinator = server.bootstrap_code
    hook = server.register_webhook(coordinator, receiver.url, omschrijving="DMS van de RSIV")
    assert hook["geheim"].startswith("whsec_") and hook["gebeurtenissen"] == [] and hook["persoonsgegevens"] is False
    receiver.secret = hook["geheim"]
    # The secret is shown once: not in the list or the endpoint's own resource.
    assert "geheim" not in server.request("GET", f"/api/v1/webhooks/{hook['id']}", coordinator).json()
    assert all("geheim" not in w for w in server.request("GET", "/api/v1/webhooks", coordinator).json())

    griffie = server.issue_griffie("GM0546")
    first = server.request("PUT", zw("GM0546"), griffie, json=submission()).json()
    second = server.request("PUT", zw("GM0546"), griffie, json=submission(toelichting="Herzien.")).json()
    assert server.request("DELETE", zw("GM0546"), griffie).status_code == 204
    response = server.request("PATCH", "/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026", coordinator,
                              json={"deadline": "2026-12-15T17:00:00+01:00"})
    assert response.status_code == 200

    wait_for(lambda: len(receiver.received()) >= 4, what="four events")
    assert receiver.rejected == []
    events = [event for _, event, _ in receiver.received()]
    assert [e.get_type() for e in events] == [TYPE + "zienswijze-ingediend", TYPE + "zienswijze-gewijzigd",
                                              TYPE + "zienswijze-ingetrokken", TYPE + "deadline-gewijzigd"]
    assert [e.get_subject() for e in events[:3]] == [first["kenmerk"], second["kenmerk"], events[2].get_data()["kenmerk"]]
    assert events[3].get_subject() == "coalitie-voor-veiligheid-2023-2026"
    assert events[3].get_data()["deadline"] == "2026-12-15T17:00:00+01:00"
    for (headers, event, _) in receiver.received():
        assert event.get_specversion() == "1.0"
        assert event.get_source().startswith("urn:")
        assert event.get_datacontenttype() == "application/json"
        assert event.get_time() is not None
        assert headers["webhook-id"] == event.get_id()
        assert headers["content-type"].startswith("application/cloudevents+json")
    data = events[0].get_data()
    assert data["sha256"] == first["sha256"] and data["versie"] == 1 and data["gemeente"] == "GM0546"
    assert "indiener" not in data and "griffie@example.nl" not in str(events)
    wait_for(lambda: len(server.deliveries(coordinator, status="verzonden")) == 4, what="four deliveries recorded as sent")


def test_personal_data_only_for_an_endpoint_allowed_it_and_only_the_types_it_wants(server):
    coordinator = server.bootstrap_code
    everything, late_only = WebhookReceiver(), WebhookReceiver()
    try:
        a = server.register_webhook(coordinator, everything.url, persoonsgegevens=True)
        b = server.register_webhook(coordinator, late_only.url, gebeurtenissen=["zienswijze-te-laat"])
        everything.secret, late_only.secret = a["geheim"], b["geheim"]
        griffie = server.issue_griffie("GM0553")
        server.request("PUT", zw("GM0553"), griffie, json=submission(naam="B. Griffier", mail="b@lisse.example.nl"))
        server.cli("deadline", "set", "--at", "2026-01-01T12:00:00+01:00")
        late = server.request("PUT", zw("GM0553"), griffie, json=submission()).json()
        assert late["teLaat"] is True
        wait_for(lambda: len(everything.received()) >= 3 and len(late_only.received()) >= 1, what="the events")
        assert everything.received()[0][1].get_data()["indiener"] == {"naam": "B. Griffier", "email": "b@lisse.example.nl"}
        assert [e.get_type() for _, e, _ in late_only.received()] == [TYPE + "zienswijze-te-laat"]
        assert "indiener" not in late_only.received()[0][1].get_data()
        # One event, one id, at both endpoints.
        assert late_only.received()[0][1].get_id() == everything.received()[2][1].get_id()
    finally:
        everything.close()
        late_only.close()


def test_a_failing_endpoint_is_switched_off_and_a_retry_delivers_after_it_is_back(server, receiver):
    coordinator = server.bootstrap_code
    hook = server.register_webhook(coordinator, receiver.url)
    receiver.secret = hook["geheim"]
    receiver.mode = "fail"
    griffie = server.issue_griffie("GM0579")
    server.request("PUT", zw("GM0579"), griffie, json=submission())
    # Three failed attempts in a row (1 s, then 2 s apart) switch the endpoint off.
    wait_for(lambda: not server.request("GET", f"/api/v1/webhooks/{hook['id']}", coordinator).json()["actief"],
             timeout=30, what="the endpoint switched off")
    webhook = server.request("GET", f"/api/v1/webhooks/{hook['id']}", coordinator).json()
    assert webhook["mislukkingen"] == 3 and webhook["uitgeschakeldOp"]
    failed = server.deliveries(coordinator, status="mislukt")
    assert len(failed) == 1 and failed[0]["laatsteFout"] == "eindpunt uitgeschakeld na 3 mislukte pogingen"
    audit = server.request("GET", "/api/v1/audit", coordinator).json()
    assert any(e["actie"] == "webhook-uitgeschakeld" and e["actor"] == "systeem" for e in audit)
    # A switched-off endpoint gets no new events and its deliveries cannot be retried yet.
    server.request("PUT", zw("GM0579"), griffie, json=submission(toelichting="Tweede versie."))
    retry = server.request("POST", f"/api/v1/bezorgingen/{failed[0]['id']}/opnieuw", coordinator)
    assert retry.status_code == 409 and retry.headers["Content-Type"].startswith("application/problem+json")
    # Back on, the receiver healthy again: a retry delivers it.
    receiver.mode = "ok"
    response = server.request("PATCH", f"/api/v1/webhooks/{hook['id']}", coordinator, json={"actief": True})
    assert response.status_code == 200 and response.json()["mislukkingen"] == 0
    retry = server.request("POST", f"/api/v1/bezorgingen/{failed[0]['id']}/opnieuw", coordinator)
    assert retry.status_code == 200 and retry.json()["status"] == "wachtend"
    wait_for(lambda: len(receiver.received()) == 1, what="the retried event")
    assert receiver.received()[0][1].get_type() == TYPE + "zienswijze-ingediend"
    assert server.request("GET", f"/api/v1/bezorgingen/{failed[0]['id']}", coordinator).json()["status"] == "verzonden" or \
        wait_for(lambda: server.request("GET", f"/api/v1/bezorgingen/{failed[0]['id']}", coordinator).json()["status"] == "verzonden")
    assert server.request("POST", f"/api/v1/bezorgingen/{failed[0]['id']}/opnieuw", coordinator).status_code == 409


def test_a_redirect_is_not_followed(server, receiver):
    coordinator = server.bootstrap_code
    hook = server.register_webhook(coordinator, receiver.url)
    receiver.secret = hook["geheim"]
    receiver.mode = "redirect"
    griffie = server.issue_griffie("GM0569")
    assert server.request("PUT", zw("GM0569"), griffie, json=submission()).status_code == 201
    error = wait_for(lambda: next((d["laatsteFout"] for d in server.deliveries(coordinator) if d["laatsteFout"]), None),
                     what="a failed attempt")
    assert error == "HTTP 307: doorverwijzing naar http://127.0.0.2:9/elders niet gevolgd"
    assert receiver.received() == []


def test_registration_rules_and_private_targets(tmp_path):
    strict = NotifyServer(workdir=tmp_path, extra=["--webhook-allow-private", "false"]).start()
    try:
        coordinator = strict.bootstrap_code
        for url in ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.1/",
                    "https://[::1]/", "https://169.254.169.254/latest/meta-data", "ftp://example.nl/", "geen adres"]:
            response = strict.request("POST", "/api/v1/webhooks", coordinator, json={"url": url})
            assert response.status_code == 422, url
            assert response.json()["invalidParams"][0]["name"] == "url"
        response = strict.request("POST", "/api/v1/webhooks", coordinator,
                                  json={"url": "https://dms.example.nl/hook", "gebeurtenissen": ["bestaat-niet"], "x": 1})
        assert response.status_code == 422
        assert {p["name"] for p in response.json()["invalidParams"]} == {"gebeurtenissen[0]", "x"}
        griffie = strict.issue_griffie("GM0518")
        assert strict.request("POST", "/api/v1/webhooks", griffie, json={"url": "https://dms.example.nl/"}).status_code == 403
        assert strict.request("GET", "/api/v1/bezorgingen", griffie).status_code == 403
        assert strict.request("GET", "/api/v1/webhooks").status_code == 401
        # A name that resolves to loopback is refused at delivery (registration cannot know).
        hook = strict.register_webhook(coordinator, "https://localhost.localdomain.invalid/hook")
        assert strict.request("PUT", zw("GM0518"), griffie, json=submission()).status_code == 201
        wait_for(lambda: any(d["laatsteFout"] for d in strict.deliveries(coordinator)), what="a failed attempt")
        assert "niet gevonden" in strict.deliveries(coordinator)[0]["laatsteFout"]
        assert strict.request("DELETE", f"/api/v1/webhooks/{hook['id']}", coordinator).status_code == 204
        assert strict.deliveries(coordinator)[0]["status"] == "mislukt"
        assert strict.request("GET", f"/api/v1/webhooks/{hook['id']}", coordinator).status_code == 404
        assert "whsec_" not in strict.log_text()
    finally:
        strict.terminate()
        strict.cleanup()


def submission_times(server, griffie, gemeente, n=15):
    times = []
    for i in range(n):
        started = time.monotonic()
        response = server.request("PUT", zw(gemeente), griffie, json=submission(toelichting=f"Versie {i}"))
        times.append(time.monotonic() - started)
        assert response.status_code in (200, 201)
    return times


def test_an_endpoint_that_hangs_never_slows_a_submission(tmp_path, receiver):
    """With an endpoint that accepts connections and never answers (the receiver in 'hang' mode),
    a submission takes as long as without any endpoint. Prints both medians."""
    srv = NotifyServer(workdir=tmp_path, extra=["--webhook-timeout", "5"]).start()
    try:
        coordinator = srv.bootstrap_code
        griffie = srv.issue_griffie("GM0626")
        baseline = submission_times(srv, griffie, "GM0626")
        hook = srv.register_webhook(coordinator, receiver.url)
        receiver.secret = hook["geheim"]
        receiver.mode = "hang"
        with_hanging = submission_times(srv, griffie, "GM0626")
        wait_for(lambda: receiver.attempts >= 1, what="a delivery in flight")
        print(f"\nsubmission median without endpoint {statistics.median(baseline) * 1000:.1f} ms, "
              f"with a hanging endpoint {statistics.median(with_hanging) * 1000:.1f} ms "
              f"(max {max(with_hanging) * 1000:.1f} ms)")
        assert max(with_hanging) < 1.0
        assert statistics.median(with_hanging) < statistics.median(baseline) * 3 + 0.05
        receiver.release()
    finally:
        receiver.release()
        assert srv.terminate() == 0
        srv.cleanup()


def test_https_is_spoken_and_an_untrusted_certificate_is_refused(tmp_path):
    """An HTTPS receiver on loopback with a self-signed certificate: the server speaks TLS to it
    (through libcurl) and refuses the certificate, so the attempt fails with a TLS error and the
    receiver never gets the event. (`test_https_with_a_trusted_certificate` delivers over HTTPS.)"""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    hits = []
    httpd = https_server(cert, key, hits)
    srv = NotifyServer(workdir=tmp_path).start()
    try:
        coordinator = srv.bootstrap_code
        srv.register_webhook(coordinator, f"https://127.0.0.1:{httpd.server_address[1]}/hook")
        griffie = srv.issue_griffie("GM0638")
        assert srv.request("PUT", zw("GM0638"), griffie, json=submission()).status_code == 201
        error = wait_for(lambda: next((d["laatsteFout"] for d in srv.deliveries(coordinator) if d["laatsteFout"]), None),
                         what="a failed TLS attempt")
        assert any(word in error.lower() for word in ("ssl", "certificate", "tls")), error
        assert hits == []
    finally:
        httpd.shutdown()
        srv.terminate()
        srv.cleanup()


def openssl(*args):
    import subprocess
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def https_server(cert, key, hits):
    """A TLS server on loopback that answers every POST with 204 and notes its path in `hits`."""
    import http.server
    import ssl
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hits.append((self.path, dict(self.headers)))
            self.send_response(204)
            self.end_headers()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def test_https_with_a_trusted_certificate(tmp_path):
    """A delivery over HTTPS to a receiver whose certificate chains to a CA the server trusts. The
    server runs in a mount namespace of its own where the system CA bundle (libcurl's
    /etc/ssl/certs/ca-certificates.crt) is replaced by the test CA, so nothing outside changes."""
    import shutil
    import subprocess

    bundle_path = "/etc/ssl/certs/ca-certificates.crt"
    if not shutil.which("unshare") or not __import__("os").path.exists(bundle_path) or subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare (root) to give the server its own CA bundle")
    ca_key, ca_cert = tmp_path / "ca.key", tmp_path / "ca.pem"
    key, csr, cert = tmp_path / "key.pem", tmp_path / "req.csr", tmp_path / "cert.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_cert, "-days", "1",
            "-subj", "/CN=Test CA zienswijzen")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = tmp_path / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
            "-days", "1", "-extfile", ext)
    from serverprocess import BINARY
    wrapper = tmp_path / "zienswijzen-with-test-ca"
    wrapper.write_text("#!/bin/sh\nexec unshare --mount --propagation private sh -c "
                       f"'mount --bind \"$0\" {bundle_path} && exec \"$@\"' {ca_cert} {BINARY} \"$@\"\n")
    wrapper.chmod(0o755)
    hits = []
    httpd = https_server(cert, key, hits)
    srv = NotifyServer(workdir=tmp_path)
    srv.args[0] = str(wrapper)
    srv.start()
    try:
        coordinator = srv.bootstrap_code
        hook = srv.register_webhook(coordinator, f"https://127.0.0.1:{httpd.server_address[1]}/hook")
        griffie = srv.issue_griffie("GM1525")
        assert srv.request("PUT", zw("GM1525"), griffie, json=submission()).status_code == 201
        wait_for(lambda: hits, what="the event over HTTPS")
        path, headers = hits[0]
        assert path == "/hook"
        assert {k.lower() for k in headers} >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
        wait_for(lambda: srv.deliveries(coordinator)[0]["status"] == "verzonden", what="recorded as sent")
        assert hook["id"] == srv.deliveries(coordinator)[0]["webhookId"]
    finally:
        httpd.shutdown()
        assert srv.terminate() == 0
        srv.cleanup()


def web_login(server, code):
    """A requests session logged in through the login form (its CSRF cookie and field)."""
    import re as _re
    import requests
    session = requests.Session()
    page = session.get(server.url("/inloggen"), timeout=30).text
    csrf = _re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    response = session.post(server.url("/inloggen"), data={"csrf": csrf, "code": code}, allow_redirects=False, timeout=30)
    assert response.status_code in (302, 303), response.status_code
    return session


def test_retry_from_the_delivery_page(server, receiver):
    """The coordinator's page shows a failed delivery with its error and a button that sends it again."""
    import re as _re
    coordinator = server.bootstrap_code
    hook = server.register_webhook(coordinator, receiver.url)
    receiver.secret = hook["geheim"]
    receiver.mode = "fail"
    griffie = server.issue_griffie("GM0575")
    server.request("PUT", zw("GM0575"), griffie, json=submission())
    wait_for(lambda: server.deliveries(coordinator, status="mislukt"), timeout=30, what="a failed delivery")
    failed = server.deliveries(coordinator, status="mislukt")[0]
    web = web_login(server, coordinator)
    page = web.get(server.url("/coordinator/bezorging"), timeout=30).text
    assert "Uitgeschakeld:" in page and "eindpunt uitgeschakeld na 3 mislukte pogingen" in page
    assert f'action="/coordinator/bezorging/{failed["id"]}/opnieuw"' in page
    csrf = _re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    # Still switched off: the page says why it cannot be sent (409).
    response = web.post(server.url(f"/coordinator/bezorging/{failed['id']}/opnieuw"), data={"csrf": csrf}, timeout=30)
    assert response.status_code == 409 and "Schakel het eerst weer in" in response.text
    receiver.mode = "ok"
    response = web.post(server.url(f"/coordinator/bezorging/webhooks/{hook['id']}/inschakelen"), data={"csrf": csrf},
                        allow_redirects=False, timeout=30)
    assert response.status_code in (302, 303)
    response = web.post(server.url(f"/coordinator/bezorging/{failed['id']}/opnieuw"), data={"csrf": csrf}, timeout=30)
    assert response.status_code == 200 and "Het bericht wordt opnieuw verstuurd." in response.text
    wait_for(lambda: len(receiver.received()) == 1, what="the event sent again")
    wait_for(lambda: "Verzonden" in web.get(server.url("/coordinator/bezorging"), timeout=30).text, what="shown as sent")
    # Without the form's token nothing happens.
    assert web.post(server.url(f"/coordinator/bezorging/{failed['id']}/opnieuw"), data={}, timeout=30).status_code == 403
