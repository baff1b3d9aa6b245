#!/usr/bin/env python3
"""Figures for the API (prints numbers; not a test, nothing here passes or fails on speed).

1. Durable PUT receipts per second with 27 concurrent clients (one thread and one griffie code per
   gemeente), each PUTting 100 versions, so the database ends with 100 versions per gemeente.
2. Latency (p50/p99) of GET .../status, the JSON export and the CSV export at that size.
3. EXPLAIN QUERY PLAN of StatusStore.statusSQL (read from the Swift source) with the sqlite3 shell
   against the server's database, to show the status query searches indexes and never scans
   the versions table.

Run from the repository root:
    swift build -c release --product zienswijzen
    python3 Tests/Benchmarks/api-bench.py            # or ZIENSWIJZEN_BIN=... / --versions N
The client runs on the same machine as the server and shares its cores, so the PUT rate is a
lower bound of what the server does for remote clients.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "Tests" / "api"), str(ROOT / "Tests")]
os.environ.setdefault("ZIENSWIJZEN_BIN", str(ROOT / ".build" / "release" / "zienswijzen"))

from apisupport import BINARY, CODES, CONSULTATION, Server, valid_body, zw_path  # noqa: E402


def put_phase(server, codes, versions_each):
    latencies = []
    failures = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(CODES) + 1)

    def client(gemeente):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {codes[gemeente]}"
        url = server.url(zw_path(gemeente))
        mine = []
        start_gate.wait()
        for n in range(versions_each):
            body = valid_body(toelichting=f"Versie {n + 1} van {gemeente}. " + "Tekst. " * 40)
            t0 = time.perf_counter()
            r = session.put(url, json=body, timeout=60)
            mine.append(time.perf_counter() - t0)
            if r.status_code not in (200, 201):
                with lock:
                    failures.append(r.status_code)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(g,)) for g in CODES]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return len(latencies) - len(failures), elapsed, latencies, failures


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latency(server, coordinator, path, headers=None, n=200):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {coordinator}"
    url = server.url(path)
    for _ in range(10):  # warm up
        session.get(url, headers=headers, timeout=60)
    samples, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        r = session.get(url, headers=headers, timeout=60)
        samples.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.status_code
        size = len(r.content)
    return samples, size


def status_sql():
    source = (ROOT / "Sources" / "Zienswijzen" / "Store" / "StatusStore.swift").read_text()
    m = re.search(r'statusSQL = """\n(.*?)"""', source, re.S)
    assert m, "statusSQL not found in StatusStore.swift"
    return m.group(1).replace("?1", f"'{CONSULTATION}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100, help="versions per gemeente (default 100)")
    args = parser.parse_args()
    print(f"binary: {BINARY}")
    server = Server().start()
    try:
        coordinator = server.bootstrap_code
        codes = {g: server.issue_griffie(g) for g in CODES}

        ok, elapsed, lat, failures = put_phase(server, codes, args.versions)
        print(f"\n== Durable PUT receipts, 27 concurrent clients, {args.versions} versions each ==")
        print(f"receipts: {ok} in {elapsed:.2f} s = {ok / elapsed:.0f} receipts/s"
              f" (failures: {len(failures)})")
        print(f"PUT latency: p50 {percentile(lat, 50) * 1000:.1f} ms, p99 {percentile(lat, 99) * 1000:.1f} ms")

        total = server.cli("export", "--consultation", CONSULTATION, "--format", "json").stdout
        print(f"\n== Read latency with {args.versions} versions per gemeente "
              f"({args.versions * 27} versions), 200 sequential requests each ==")
        base = f"/api/v1/raadplegingen/{CONSULTATION}"
        for label, path, headers in [("status", f"{base}/status", None),
                                     ("status?status=ontbreekt", f"{base}/status?status=ontbreekt", None),
                                     ("export JSON", f"{base}/zienswijzen", None),
                                     ("export CSV", f"{base}/zienswijzen?formaat=csv", None)]:
            samples, size = latency(server, coordinator, path, headers)
            print(f"{label:26s} p50 {percentile(samples, 50) * 1000:7.2f} ms   p99 "
                  f"{percentile(samples, 99) * 1000:7.2f} ms   mean {statistics.mean(samples) * 1000:7.2f} ms"
                  f"   {size} bytes")
        assert total  # the CLI export works on the live database too

        print("\n== EXPLAIN QUERY PLAN of StatusStore.statusSQL (sqlite3 shell) ==")
        sql = status_sql()
        plan = subprocess.run(["sqlite3", str(server.database), "EXPLAIN QUERY PLAN " + sql],
                              capture_output=True, text=True, check=True).stdout
        print(plan.rstrip())
        count = subprocess.run(["sqlite3", str(server.database), "SELECT count(*) FROM versies"],
                               capture_output=True, text=True, check=True).stdout.strip()
        scans_versions = re.search(r"SCAN (v|v2|versies)\b", plan) is not None
        print(f"versies rows: {count}; the plan {'SCANS' if scans_versions else 'does not scan'} the versions table")
    finally:
        print(f"\nserver exit status on SIGTERM: {server.stop()}")
        server.tmp.cleanup()


if __name__ == "__main__":
    main()
