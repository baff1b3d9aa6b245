"""Confirmation e-mails and reminders, through msmtp to a real SMTP server (aiosmtpd)."""
import base64
import hashlib
import json
import re
import time
from datetime import datetime, timedelta, timezone
from email.header import decode_header, make_header

import pytest

from notifysupport import RSIV, SENDER, NotifyServer, submission, wait_for, zw


@pytest.fixture
def server(sink, tmp_path):
    srv = NotifyServer(smtp_port=sink.port, workdir=tmp_path).start()
    yield srv
    assert srv.terminate() == 0
    srv.cleanup()


def text_and_html(message):
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    return (parts[0].get_content().replace("\r\n", "\n"), parts[1].get_content().replace("\r\n", "\n"))


def check_wire_form(raw: bytes):
    """Every line CRLF-terminated, 7-bit, at most 78 characters (we keep to 76)."""
    text = raw.decode("ascii")
    for line in text.split("\r\n"):
        assert "\n" not in line and len(line) <= 78, line


def test_confirmation_of_a_submission_and_a_withdrawal(server, sink):
    coordinator = server.bootstrap_code
    griffie = server.issue_griffie("GM0503")
    body = submission(naam="Jölle van ’s-Gravesande", mail="griffie@delft.example.nl")
    response = server.request("PUT", zw("GM0503"), griffie, json=body)
    assert response.status_code == 201, response.text
    receipt = response.json()

    sink.wait_count(1, address="griffie@delft.example.nl")
    sink.wait_count(1, address=RSIV)
    mail_from, rcpts, message, raw = sink.to("griffie@delft.example.nl")[0]
    assert mail_from == SENDER and rcpts == ["griffie@delft.example.nl"]
    check_wire_form(raw)
    assert str(make_header(decode_header(message["Subject"]))) == f"Ontvangstbevestiging zienswijze Delft – {receipt['kenmerk']}"
    assert message["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[0-9a-f-]{36}@rsiv\.example\.nl>", message["Message-ID"])
    assert message["MIME-Version"] == "1.0"
    assert message["To"].addresses[0].display_name == "Jölle van ’s-Gravesande"
    assert message["Date"].datetime is not None
    plain, html = text_and_html(message)
    assert f"Kenmerk: {receipt['kenmerk']}" in plain
    assert f"SHA-256: {receipt['sha256']}" in plain
    assert "Tijdig: Ja, op tijd ontvangen" in plain
    assert "één café in ’s-Gravenhage.\n.Een regel met een punt." in plain, plain
    assert "Cybercrime en gedigitaliseerde criminaliteit: Opmerking over dit thema." in plain
    assert "https://zienswijzen.example.nl/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijze" in plain
    assert "Jölle van ’s-Gravesande &lt;griffie@delft.example.nl&gt;" in html
    # The RSIV's copy says whose it is.
    copy_plain, _ = text_and_html(sink.to(RSIV)[0][2])
    assert "Kopie voor de RSIV" in copy_plain and receipt["kenmerk"] in copy_plain

    response = server.request("DELETE", zw("GM0503"), griffie)
    assert response.status_code == 204
    sink.wait_count(2, address="griffie@delft.example.nl")
    withdrawal = sink.to("griffie@delft.example.nl")[1][2]
    assert str(make_header(decode_header(withdrawal["Subject"]))).startswith("Intrekking zienswijze Delft – ZW-")
    assert "is ingetrokken" in text_and_html(withdrawal)[0]

    # The deliveries are on record as sent, over the API; no e-mail body or address in the log.
    sent = server.deliveries(coordinator, status="verzonden")
    assert {d["ontvanger"] for d in sent} == {"griffie@delft.example.nl", RSIV}
    assert all(d["kanaal"] == "email" and d["pogingen"] == 1 for d in sent)
    log = server.log_text()
    assert "Opmerking over dit thema" not in log and "griffie@delft.example.nl" not in log


def test_a_late_submission_says_so(server, sink):
    griffie = server.issue_griffie("GM0518")
    server.cli("deadline", "set", "--at", "2026-01-01T17:00:00+01:00")
    response = server.request("PUT", zw("GM0518"), griffie, json=submission())
    assert response.status_code == 201 and response.json()["teLaat"] is True
    sink.wait_count(1, address="griffie@example.nl")
    assert "Tijdig: Nee, na de deadline ontvangen (te laat)" in text_and_html(sink.to("griffie@example.nl")[0][2])[0]


def test_an_unreachable_mail_server_delays_mail_and_never_blocks_a_submission(sink, tmp_path):
    """The SMTP server is down at first: the submission answers at once, the mail waits and goes
    out when the server is back (retries with backoff)."""
    sink.stop()
    srv = NotifyServer(smtp_port=sink.port, workdir=tmp_path).start()
    try:
        griffie = srv.issue_griffie("GM0629")
        started = time.monotonic()
        response = srv.request("PUT", zw("GM0629"), griffie, json=submission())
        elapsed = time.monotonic() - started
        assert response.status_code == 201
        assert elapsed < 1.0, f"submission took {elapsed:.2f} s with the mail server down"
        coordinator = srv.bootstrap_code
        wait_for(lambda: any(d["laatsteFout"] for d in srv.deliveries(coordinator, status="wachtend")),
                 what="a failed attempt on record")
        waiting = srv.deliveries(coordinator, status="wachtend")
        assert waiting and all("mailprogramma" in (d["laatsteFout"] or "") for d in waiting if d["laatsteFout"])
        sink.start()
        sink.wait_count(1, address="griffie@example.nl", timeout=30)
        sink.wait_count(1, address=RSIV, timeout=30)
    finally:
        assert srv.terminate() == 0
        srv.cleanup()


def test_reminders_at_each_step_never_twice_never_after_closing(sink, tmp_path):
    deadline = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
    srv = NotifyServer(smtp_port=sink.port, workdir=tmp_path).start()
    try:
        srv.cli("deadline", "set", "--at", deadline.isoformat())
        srv.issue_griffie("GM0503", email="griffie@delft.example.nl")     # will not submit
        srv.issue_griffie("GM0637", email="griffie@zoetermeer.example.nl")  # will not submit
        submitter = srv.issue_griffie("GM0518", email="griffie@denhaag.example.nl")
        assert srv.request("PUT", zw("GM0518"), submitter, json=submission()).status_code == 201
        sink.wait_count(2)  # the confirmation and the RSIV's copy
        base = len(sink.received())

        def run(at):
            result = srv.cli("reminders", "run", "--at", at.isoformat())
            return result.stdout

        assert "No reminders due" in run(deadline - timedelta(days=14, seconds=1))
        out = run(deadline - timedelta(days=14))
        assert "14 days before the deadline: GM0503 GM0637" in out or "14 days before the deadline: GM0637 GM0503" in out
        sink.wait_count(base + 2)
        reminders = sink.received()[base:]
        assert sorted(r[1][0] for r in reminders) == ["griffie@delft.example.nl", "griffie@zoetermeer.example.nl"]
        subject = str(make_header(decode_header(reminders[0][2]["Subject"])))
        assert subject.startswith("Herinnering: zienswijze ")
        assert reminders[0][2]["Auto-Submitted"] == "auto-generated"
        assert "nog geen zienswijze ontvangen" in text_and_html(reminders[0][2])[0]

        # The same step again, and after a restart: nothing.
        assert "No reminders due" in run(deadline - timedelta(days=13))
        assert srv.terminate() == 0
        srv.start()
        assert "No reminders due" in run(deadline - timedelta(days=13))
        # The next step; then closing stops the rest; after the deadline nothing either.
        assert "7 days before the deadline" in run(deadline - timedelta(days=7))
        sink.wait_count(base + 4)
        srv.cli("deadline", "set", "--at", deadline.isoformat())  # unchanged deadline, still open
        response = srv.request("PATCH", f"/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026",
                               srv.bootstrap_code, json={"status": "gesloten"})
        assert response.status_code == 200, response.text
        assert "No reminders due" in run(deadline - timedelta(days=2))
        srv.request("PATCH", "/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026", srv.bootstrap_code,
                    json={"status": "open"})
        assert "No reminders due" in run(deadline + timedelta(seconds=1))
        time.sleep(1.5)  # the worker polls every second: nothing more may arrive
        assert len(sink.received()) == base + 4
        steps = [e for e in srv.request("GET", "/api/v1/audit", srv.bootstrap_code).json()
                 if e["actie"] == "herinneringen-verstuurd"]
        assert len(steps) == 2 and all(e["actor"] == "systeem" for e in steps)
    finally:
        srv.terminate()
        srv.cleanup()


def test_without_mail_configuration_nothing_is_sent_and_the_api_says_so(tmp_path):
    srv = NotifyServer(workdir=tmp_path).start()
    try:
        griffie = srv.issue_griffie("GM0518")
        assert srv.request("PUT", zw("GM0518"), griffie, json=submission()).status_code == 201
        assert srv.deliveries(srv.bootstrap_code) == []
        result = srv.cli("reminders", "run", check=False)
        assert result.returncode == 2 and "--sendmail" in result.stderr
    finally:
        srv.terminate()
        srv.cleanup()
