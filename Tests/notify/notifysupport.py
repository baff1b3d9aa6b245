"""Real parts on loopback for the notification suite.

- `MailSink`: an SMTP server (aiosmtpd) on a free loopback port that keeps every message it
  receives, with its envelope; the server under test hands mail to Debian's `msmtp` (as its
  `--sendmail` program), which delivers it here over SMTP.
- `WebhookReceiver`: an HTTP server on loopback that verifies every request's Standard Webhooks
  signature with the `standardwebhooks` library and parses its body with the CloudEvents SDK; it
  can answer 204, fail with 500, or hang until released (to hold a delivery in flight).
- `NotifyServer`: the real `zienswijzen serve` with the notification options.
Nothing sleeps on a guess: waits poll a condition with a deadline.
"""
from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from standardwebhooks.webhooks import Webhook

from serverprocess import CONSULTATION, ServerProcess, last_line, poll, wait_for  # noqa: F401

MSMTP = shutil.which("msmtp") or "/usr/bin/msmtp"
SENDER = "zienswijzen@rsiv.example.nl"
RSIV = "rsiv@rsiv.example.nl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """An SMTP server that keeps what it receives: (mail_from, rcpt_tos, parsed message, raw bytes)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[tuple[str, list[str], email.message.EmailMessage, bytes]] = []
        self._lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message, raw))
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def received(self):
        with self._lock:
            return list(self.messages)

    def to(self, address):
        return [m for m in self.received() if address in m[1]]

    def wait_count(self, n, timeout=30, address=None):
        return wait_for(lambda: len(self.to(address) if address else self.received()) >= n, timeout=timeout,
                        what=f"{n} message(s){' to ' + address if address else ''}")


def msmtp_command(directory: Path, port: int) -> str:
    """A sendmail command line: msmtp with its own config file pointing at `port` on loopback."""
    rc = directory / "msmtprc"
    rc.write_text(f"account default\nhost 127.0.0.1\nport {port}\nfrom {SENDER}\nauth off\ntls off\n"
                  f"syslog off\nlogfile {directory / 'msmtp.log'}\n")
    rc.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return f"{MSMTP} -C {rc} -t -i"


class WebhookReceiver:
    """Verifies and records webhook deliveries. `mode`: 'ok' (204), 'fail' (500), 'redirect' (307 to
    another host) or 'hang' (holds the request until `release()`)."""

    def __init__(self):
        self.secret = None
        self.mode = "ok"
        self.events = []        # (headers, parsed CloudEvent, raw body) of verified deliveries
        self.rejected = []      # why a delivery did not verify
        self.attempts = 0
        self._lock = threading.Lock()
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.attempts += 1
                    mode = receiver.mode
                if mode == "hang":
                    receiver._release.wait(60)
                    self.send_response(503)
                    self.end_headers()
                    return
                if mode == "fail":
                    self.send_response(500)
                    self.end_headers()
                    return
                if mode == "redirect":
                    self.send_response(307)
                    self.send_header("Location", "http://127.0.0.2:9/elders")
                    self.end_headers()
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    event = from_http_event(HTTPMessage(headers=headers, body=body))
                except Exception as error:  # noqa: BLE001 - recorded for the test to show
                    with receiver._lock:
                        receiver.rejected.append(repr(error))
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver._lock:
                    receiver.events.append((headers, event, body))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def release(self):
        self._release.set()

    def received(self):
        with self._lock:
            return list(self.events)

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


class NotifyServer(ServerProcess):
    """`zienswijzen serve` with mail through msmtp to `smtp_port`, private webhook targets allowed
    (the receivers are on loopback) and quick retries. The mail options go in through their
    environment variables, which `cli()` passes on too (so `reminders run` writes mail as the
    server would); the rest are flags."""

    def __init__(self, database=None, smtp_port=None, extra=(), env=None, workdir=None):
        self.workdir = Path(workdir) if workdir else None
        args = ["--webhook-allow-private", "true", "--retry-initial", "1", "--retry-max", "2",
                "--webhook-timeout", "3", "--shutdown-grace", "5", *extra]
        env = dict(env or {})
        if smtp_port is not None:
            assert self.workdir is not None
            env.update({"ZIENSWIJZEN_SENDMAIL": msmtp_command(self.workdir, smtp_port), "ZIENSWIJZEN_MAIL_FROM": SENDER,
                        "ZIENSWIJZEN_MAIL_RSIV": RSIV, "ZIENSWIJZEN_PUBLIC_URL": "https://zienswijzen.example.nl"})
        super().__init__(database, extra_args=args, env=env, tmp_prefix="zienswijzen-notify-")

    def request(self, method, path, code=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if code:
            headers["Authorization"] = f"Bearer {code}"
        return requests.request(method, self.url(path), headers=headers, timeout=60, **kwargs)

    def issue_griffie(self, gemeente, email=None):
        args = ["token", "issue", "--gemeente", gemeente]
        if email:
            args += ["--email", email]
        return last_line(self.cli(*args))

    def register_webhook(self, coordinator, url, **body):
        response = self.request("POST", "/api/v1/webhooks", coordinator, json={"url": url, **body})
        assert response.status_code == 201, response.text
        return response.json()

    def deliveries(self, coordinator, status=None):
        params = {"limiet": "1000", **({"status": status} if status else {})}
        response = self.request("GET", "/api/v1/bezorgingen", coordinator, params=params)
        assert response.status_code == 200, response.text
        return response.json()


def submission(naam="A. de Griffier", mail="griffie@example.nl", **overrides):
    body = {
        "standpunt": "instemmend-met-opmerkingen",
        "datumRaadsbesluit": "2026-11-20",
        "indiener": {"naam": naam, "email": mail},
        "toelichting": "Vrije tekst van de raad: één café in ’s-Gravenhage.\n.Een regel met een punt.",
        "opmerkingen": [{"thema": "cybercrime", "tekst": "Opmerking over dit thema."}],
    }
    body.update(overrides)
    return body


def zw(gemeente):
    return f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/{gemeente}"
