#!/usr/bin/env python3
"""Slow clients (slowloris) against our HTTP server: figures, not a pass/fail test.

Usage: Tests/Benchmarks/slow-clients.py [SLOW=2000] [PERIOD_S=2]
Builds and starts `zienswijzen-bench http-server` (release; header deadline 10 s, the default),
then:
1. baseline: 300 GET /json on fresh connections, latency p50/p99/max;
2. opens SLOW connections that each send a request line and then one header byte every
   PERIOD_S seconds, for ever; repeats the 300 requests while they trickle;
3. reports how many slow clients the server cut off with 408 and closed, and when (counted from
   their first byte; the total header deadline is 10 s, noticed by a sweep every 0.5 s);
4. the server's RSS with the slow clients connected.
"""
import os
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLOW = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
PERIOD = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
PORT = 18085
REQUEST = b"GET /json HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, SLOW + 1000), hard))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def one_request():
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as s:
        s.sendall(REQUEST)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200"), data[:60]
    return (time.perf_counter() - start) * 1000


def latencies(label, count=300):
    values = sorted(one_request() for _ in range(count))
    p99 = values[int(len(values) * 0.99) - 1]
    print(f"  {label:34} p50 {statistics.median(values):6.2f} ms   p99 {p99:6.2f} ms   max {values[-1]:6.2f} ms")


def main():
    subprocess.run(["swift", "build", "-c", "release", "--product", "zienswijzen-bench"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([str(ROOT / ".build/release/zienswijzen-bench"), "http-server", str(PORT)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    slow = []
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        print(f"{SLOW} slow clients, one header byte every {PERIOD:g} s each; 300 fresh-connection GET /json per row")
        latencies("no slow clients")

        opened_at = {}
        for _ in range(SLOW):
            s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
            s.sendall(b"GET /json HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
            s.setblocking(False)
            opened_at[s] = time.monotonic()
            slow.append(s)
        print(f"  opened {len(slow)} slow connections; server RSS {rss_kb(server.pid) / 1024:.1f} MB")

        selector = selectors.DefaultSelector()
        for s in slow:
            selector.register(s, selectors.EVENT_READ)
        cut_off = {}
        next_trickle = time.monotonic()
        measured = False
        while len(cut_off) < len(slow) and time.monotonic() - min(opened_at.values()) < 30:
            now = time.monotonic()
            if now >= next_trickle:
                for s in slow:
                    if s not in cut_off:
                        try:
                            s.send(b"a")
                        except OSError:
                            pass
                next_trickle = now + PERIOD
            if not measured and now - min(opened_at.values()) > 1:
                latencies(f"while {SLOW} trickle")
                measured = True
            for key, _ in selector.select(timeout=0.05):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if s not in cut_off:
                    cut_off[s] = (time.monotonic() - opened_at[s], data[:12])
                if not data or data.startswith(b"HTTP/1.1 408"):
                    selector.unregister(s)
        times = sorted(t for t, _ in cut_off.values())
        got408 = sum(1 for _, d in cut_off.values() if d.startswith(b"HTTP/1.1 408"))
        if times:
            print(f"  cut off: {len(cut_off)}/{len(slow)} ({got408} with 408); after "
                  f"min {times[0]:.1f} s, median {statistics.median(times):.1f} s, max {times[-1]:.1f} s")
        else:
            print(f"  cut off: none of {len(slow)} within 30 s")
        latencies("after they were cut off")
    finally:
        for s in slow:
            s.close()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
