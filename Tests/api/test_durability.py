"""A receipt the server has returned is durable.

27 clients (one thread and one griffie code per gemeente) PUT new versions as fast as the server
takes them. Mid-stream the server is SIGKILLed (no chance to flush anything), restarted on the
same database, and every receipt any client received must be there: same kenmerk, same sha256,
and a digest that still recomputes. The same holds for SIGTERM, which must also exit 0 after
draining the requests in flight.
"""
import signal
import threading

import pytest
import requests

from apisupport import CODES, Server, digest, valid_body, wait_for, zw_path

TARGET_RECEIPTS = 150


class Writers:
    """27 threads that PUT until the server goes away, collecting every receipt they get."""

    def __init__(self, server: Server, codes: dict):
        self.server = server
        self.codes = codes
        self.receipts: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self.run, args=(g,), daemon=True) for g in CODES]

    def run(self, gemeente):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.codes[gemeente]}"
        url = self.server.url(zw_path(gemeente))
        n = 0
        while not self.stop.is_set():
            n += 1
            body = valid_body(toelichting=f"Versie {n} van {gemeente}")
            try:
                r = session.put(url, json=body, timeout=30)
            except requests.RequestException:
                return  # the server is gone: whatever was not answered was not promised
            if r.status_code in (200, 201):
                with self.lock:
                    self.receipts.append((gemeente, r.json()))
            else:
                with self.lock:
                    self.errors.append(f"{gemeente}: {r.status_code} {r.text[:200]}")
                return

    def count(self):
        with self.lock:
            return len(self.receipts)

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in self.threads)


def run_and_stop(sig):
    server = Server().start()
    try:
        codes = {g: server.issue_griffie(g) for g in CODES}
        writers = Writers(server, codes)
        writers.start()
        wait_for(lambda: writers.count() >= TARGET_RECEIPTS, timeout=120, what=f"{TARGET_RECEIPTS} receipts")
        status = server.stop(sig)
        writers.join()
        assert not writers.errors, writers.errors[:5]
        receipts = list(writers.receipts)
        assert len(receipts) >= TARGET_RECEIPTS

        restarted = Server(database=server.database).start()
        try:
            assert restarted.bootstrap_code is None  # same database: no new bootstrap code
            coordinator = restarted.issue_coordinator("Controle na herstart")
            session = restarted.session(coordinator)
            for gemeente, receipt in receipts:
                r = session.get(restarted.url(zw_path(gemeente, f"/versies/{receipt['versie']}")), timeout=30)
                assert r.status_code == 200, (gemeente, receipt["kenmerk"], r.status_code)
                stored = r.json()
                assert stored["kenmerk"] == receipt["kenmerk"]
                assert stored["sha256"] == receipt["sha256"] == digest(stored)
                assert stored == receipt["zienswijze"]
            # Versions are gapless: each gemeente's history is 1..n with nothing lost in between.
            for gemeente in CODES:
                versions = session.get(restarted.url(zw_path(gemeente, "/versies")), timeout=30).json()
                assert [v["versie"] for v in versions] == list(range(1, len(versions) + 1))
                acknowledged = [r["versie"] for g, r in receipts if g == gemeente]
                assert len(versions) >= max(acknowledged, default=0)
        finally:
            assert restarted.stop() == 0
        return status, receipts
    finally:
        if server.process and server.process.poll() is None:
            server.kill()
        server.tmp.cleanup()


def test_every_receipt_survives_sigkill():
    status, receipts = run_and_stop(signal.SIGKILL)
    assert status == -signal.SIGKILL
    print(f"{len(receipts)} receipts checked after SIGKILL")


def test_sigterm_drains_exits_0_and_loses_no_acknowledged_write():
    status, receipts = run_and_stop(signal.SIGTERM)
    assert status == 0
    print(f"{len(receipts)} receipts checked after SIGTERM")
