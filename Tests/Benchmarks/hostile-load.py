#!/usr/bin/env python3
"""Figures for issue 10 ("hold up under hostile load"), measured on the shipped binary.

Prints numbers; nothing here passes or fails. Run from the repository root after a release build:

    swift build -c release --product zienswijzen
    python3 Tests/Benchmarks/hostile-load.py                 # every part
    python3 Tests/Benchmarks/hostile-load.py --only flood    # one part: uploads, refused,
                                                             # readers, puts, share, flood

Parts (targets from the issue in brackets):
  uploads  peak RSS growth for 16 and 60 concurrent valid 24 MiB uploads        [60: <= 150 MiB]
  refused  RSS growth for 30 unauthenticated 24 MiB uploads, and the time from
           each head to its refusal                                             [< 20 MiB, < 100 ms]
  readers  RSS growth with 12 slow readers of a 24 MiB attachment               [< 50 MiB]
  puts     p99 of small valid PUTs while 16 large uploads are in flight         [< 100 ms]
  share    /healthz p99 from 127.0.0.3 while 127.0.0.2 holds all it can         [< 50 ms, no 503]
  flood    audit rows and small-PUT p99 during a failed-code flood from 10,000
           addresses (127.1.x.y) at up to 3,000/s                               [< 1 row/address/min,
                                                                                 p99 within 20 %]
Client and server share the machine's cores, so every latency here includes the load generator's
own work on them.
"""
import argparse
import asyncio
import hashlib
import json
import os
import socket
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "Tests" / "api"), str(ROOT / "Tests")]
os.environ.setdefault("ZIENSWIJZEN_BINARY", str(ROOT / ".build" / "release" / "zienswijzen"))

from apisupport import CODES, Server, valid_body, zw_path  # noqa: E402

MIB = 1 << 20
BIG = 24 * MIB


def big_pdf():
    return b"%PDF-1.7\n" + hashlib.sha256(b"x").digest() * (BIG // 32)


class RSS:
    """Samples the server's resident set every 10 ms; `peak` over what it saw."""

    def __init__(self, pid):
        self.pid, self.samples, self.running = pid, [], True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    @staticmethod
    def current(pid):
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024

    def now(self):
        return RSS.current(self.pid)

    def run(self):
        while self.running:
            self.samples.append(self.now())
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.thread.join()
        return max(self.samples)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def start(tmp, *args):
    server = Server(database=Path(tmp) / "bench.sqlite")
    server.args += [*args]  # default (info) logging, as operators run it
    return server.start()


def prepared(server):
    """A griffie code and a first zienswijze for every gemeente."""
    codes = {g: server.issue_griffie(g) for g in CODES}
    for g in CODES:
        assert server.request("PUT", zw_path(g), codes[g], json=valid_body()).status_code == 201
    return codes


def upload(server, gemeente, code, pdf):
    r = requests.post(server.url(zw_path(gemeente, "/bijlagen")), data=pdf, timeout=300,
                      headers={"Authorization": f"Bearer {code}", "Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text[:200]
    return r.json()


def part_uploads(tmp):
    server = start(tmp)
    try:
        codes = prepared(server)
        pdf = big_pdf()
        for n in (16, 60):
            base = RSS.current(server.process.pid)
            rss = RSS(server.process.pid)
            threads = [threading.Thread(target=upload, args=(server, CODES[i % 27], codes[CODES[i % 27]], pdf)) for i in range(n)]
            t0 = time.perf_counter()
            for t in threads: t.start()
            for t in threads: t.join()
            elapsed = time.perf_counter() - t0
            peak = rss.stop()
            print(f"uploads: {n} concurrent 24 MiB uploads in {elapsed:.1f} s; RSS {base:.0f} -> peak {peak:.0f} MiB "
                  f"(growth {peak - base:.0f} MiB)")
    finally:
        server.terminate(); server.cleanup()


def part_refused(tmp):
    server = start(tmp)
    try:
        prepared(server)
        base = RSS.current(server.process.pid)
        rss = RSS(server.process.pid)
        times = []
        lock = threading.Lock()
        path = zw_path(CODES[0], "/bijlagen")

        def attacker():
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ\r\n"
                      f"Content-Type: application/pdf\r\nContent-Length: {BIG}\r\n\r\n".encode())
            t0 = time.perf_counter()
            s.setblocking(False)
            chunk, answered = b"%PDF-" + b"x" * 65531, b""
            sent = 0
            while not answered and sent < BIG:
                try:
                    sent += s.send(chunk)
                except (BlockingIOError, OSError):
                    pass
                try:
                    answered = s.recv(64)
                except BlockingIOError:
                    pass
            with lock:
                times.append(time.perf_counter() - t0)
            s.close()
        threads = [threading.Thread(target=attacker) for _ in range(30)]
        for t in threads: t.start()
        for t in threads: t.join()
        peak = rss.stop()
        print(f"refused: 30 unauthenticated 24 MiB uploads: RSS growth {peak - base:.1f} MiB; head-to-refusal "
              f"p50 {pct(times, .5):.1f} ms, max {max(times) * 1000:.1f} ms")
    finally:
        server.terminate(); server.cleanup()


def part_readers(tmp):
    server = start(tmp)
    try:
        codes = prepared(server)
        g = CODES[0]
        bijlage = upload(server, g, codes[g], big_pdf())
        base = RSS.current(server.process.pid)
        rss = RSS(server.process.pid)
        path = zw_path(g, f"/bijlagen/{bijlage['id']}")
        sockets = []
        for _ in range(12):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {codes[g]}\r\n\r\n".encode())
            sockets.append(s)
        got = [0] * 12
        t0 = time.monotonic()
        while time.monotonic() - t0 < 8:  # read 4 KiB per reader every 10 ms: about 400 KB/s each
            for i, s in enumerate(sockets):
                got[i] += len(s.recv(4096))
            time.sleep(0.01)
        peak = rss.stop()
        print(f"readers: 12 slow readers of a 24 MiB attachment for 8 s (each read {statistics.mean(got) / MIB:.1f} MiB): "
              f"RSS growth {peak - base:.1f} MiB")
        for s in sockets: s.close()
    finally:
        server.terminate(); server.cleanup()


def small_puts(server, code, gemeente, n, stop=None):
    times = []
    with requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {code}"
        for i in range(n):
            if stop and stop.is_set():
                break
            t0 = time.perf_counter()
            r = s.put(server.url(zw_path(gemeente)), json=valid_body(toelichting=f"kleine versie {i}"), timeout=60)
            times.append(time.perf_counter() - t0)
            assert r.status_code in (200, 201), r.text[:200]
    return times


def uploaders_process(base_url, codes, n, stop):
    """In a process of its own (so its threads do not take the measuring thread's interpreter lock):
    `n` clients uploading 24 MiB PDFs over and over until `stop` is set."""
    pdf = big_pdf()

    def uploader(i):
        g = CODES[i]
        while not stop.is_set():
            r = requests.post(base_url + zw_path(g, "/bijlagen"), data=pdf, timeout=300,
                              headers={"Authorization": f"Bearer {codes[g]}", "Content-Type": "application/pdf"})
            assert r.status_code == 201, r.text[:200]
    threads = [threading.Thread(target=uploader, args=(i,)) for i in range(n)]
    for t in threads: t.start()
    for t in threads: t.join()


def part_puts(tmp):
    import multiprocessing
    server = start(tmp)
    try:
        codes = prepared(server)
        quiet = small_puts(server, codes[CODES[26]], CODES[26], 200)
        stop = multiprocessing.Event()
        child = multiprocessing.Process(target=uploaders_process, args=(server.base, codes, 16, stop))
        child.start()
        time.sleep(3)  # let the uploads get going: this part measures the PUTs beside them
        busy = small_puts(server, codes[CODES[26]], CODES[26], 200)
        stop.set()
        child.join()
        print(f"puts: small PUT p50/p99 quiet {pct(quiet, .5):.1f}/{pct(quiet, .99):.1f} ms; with 16 large uploads "
              f"in flight {pct(busy, .5):.1f}/{pct(busy, .99):.1f} ms")
        import re
        served = [float(m.group(1)) / 1000 for line in server.log_text().splitlines()
                  if "method=PUT" in line and CODES[26] in line and (m := re.search(r"duration_ms=([0-9.]+)", line))]
        busy_served = served[-len(busy):]
        print(f"puts: the same PUTs as the server timed them (first byte in to last byte out), with the uploads: "
              f"p50 {pct(busy_served, .5):.1f} ms, p99 {pct(busy_served, .99):.1f} ms")
    finally:
        server.terminate(); server.cleanup()


def part_share(tmp, seconds=12):
    server = start(tmp)
    try:
        stop = threading.Event()
        stats = {"opened": 0, "refused": 0, "cut": 0, "peak_open": 0}

        def attacker():
            """127.0.0.2 keeps as many slow connections as it is given: form POSTs whose body then
            never comes (a slowloris on the body); a connection that is cut is opened again."""
            held = []
            while not stop.is_set():
                try:
                    s = socket.create_connection(("127.0.0.1", server.port), source_address=("127.0.0.2", 0))
                    s.sendall(b"POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                              b"Content-Length: 10000\r\n\r\nc")
                    s.setblocking(False)
                    held.append(s)
                    stats["opened"] += 1
                except OSError:
                    time.sleep(0.01)
                alive = []
                for s in held:  # sort out the refused (503) and the cut (408)
                    try:
                        answer = s.recv(12)
                        stats["refused" if answer.startswith(b"HTTP/1.1 503") else "cut"] += 1
                        s.close()
                    except BlockingIOError:
                        alive.append(s)
                    except OSError:
                        s.close()
                held = alive
                stats["peak_open"] = max(stats["peak_open"], len(held))
                if len(held) > 2000:
                    time.sleep(0.01)
            for s in held: s.close()
        thread = threading.Thread(target=attacker)
        thread.start()
        time.sleep(1)
        times, fails, t0 = [], 0, time.monotonic()
        while time.monotonic() - t0 < seconds:
            start_request = time.perf_counter()
            s = socket.create_connection(("127.0.0.1", server.port), source_address=("127.0.0.3", 0))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = s.recv(100)
            times.append(time.perf_counter() - start_request)
            fails += not answer.startswith(b"HTTP/1.1 200")
            s.close()
            time.sleep(0.005)
        stop.set()
        thread.join()
        print(f"share: over {seconds} s 127.0.0.2 opened {stats['opened']} slow connections, held at most "
              f"{stats['peak_open']} open at once, {stats['refused']} refused (503), {stats['cut']} cut by the body rate (408); "
              f"/healthz from 127.0.0.3: {len(times)} requests, p50 {pct(times, .5):.2f} ms, p99 {pct(times, .99):.2f} ms, "
              f"not 200: {fails}")
    finally:
        server.terminate(); server.cleanup()


async def flood(port, path, addresses, rate, seconds, stats):
    """Failed-code requests, one per connection, each from the next address, at `rate` per second."""
    async def one(address):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer WRONG\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            line = await reader.readline()
            stats[line[9:12].decode() or "none"] = stats.get(line[9:12].decode() or "none", 0) + 1
            writer.close()
        except OSError:
            stats["error"] = stats.get("error", 0) + 1
    tasks, t0, n = set(), time.monotonic(), 0
    while time.monotonic() - t0 < seconds:
        due = int((time.monotonic() - t0) * rate)
        while n < due:
            task = asyncio.create_task(one(addresses[n % len(addresses)]))
            tasks.add(task); task.add_done_callback(tasks.discard)
            n += 1
        await asyncio.sleep(0.002)
    await asyncio.gather(*tasks)
    return n, time.monotonic() - t0


def flood_generator(tmp):
    """The C flood generator (flood.c beside this script) compiled into `tmp`, or None without a C
    compiler (then the slower asyncio one runs, and says so)."""
    import shutil
    import subprocess
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None
    out = Path(tmp) / "flood"
    subprocess.run([cc, "-O2", "-o", str(out), str(Path(__file__).with_name("flood.c"))], check=True)
    return out


def part_flood(tmp, rate=3000, seconds=20):
    import subprocess
    generator = flood_generator(tmp)
    server = start(tmp)
    try:
        codes = prepared(server)
        quiet = small_puts(server, codes[CODES[0]], CODES[0], 300)
        addresses = [f"127.1.{n // 250}.{n % 250 + 1}" for n in range(10_000)]
        stats, result = {}, {}
        stop = threading.Event()

        def run_flood():
            if generator:
                out = subprocess.run([str(generator), str(server.port), zw_path(CODES[1]), str(rate), str(seconds),
                                      str(len(addresses))], capture_output=True, text=True, check=True).stdout
                figures = json.loads(out)
                stats.update(figures["answers"])
                stats["flood answer p50/p99 ms"] = f"{figures['p50_ms']}/{figures['p99_ms']}"
                stats["peak open"] = figures["peak_open"]
                result["n"], result["t"] = figures["opened"], figures["seconds"]
            else:
                print("flood: no C compiler; the asyncio generator cannot offer 3,000/s on a small machine")
                result["n"], result["t"] = asyncio.run(flood(server.port, zw_path(CODES[1]), addresses, rate, seconds,
                                                             stats))
            stop.set()
        flooder = threading.Thread(target=run_flood)
        flooder.start()
        time.sleep(1)
        busy = small_puts(server, codes[CODES[0]], CODES[0], 100_000, stop)
        flooder.join()
        audit = requests.get(server.url("/api/v1/audit?limiet=1000"), timeout=60,
                             headers={"Authorization": f"Bearer {server.bootstrap_code}"})
        server.terminate()
        db = sqlite3.connect(server.database)
        rows = db.execute(
            "SELECT count(*), count(DISTINCT adres) FROM audit WHERE actie = 'authenticatie-mislukt'").fetchone()
        # The target is about aggregation: at most one row per address per minute (`op` is in ms).
        busiest = db.execute("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM audit "
                             "WHERE actie = 'authenticatie-mislukt' GROUP BY adres, op / 60000)").fetchone()[0]
        minutes = result["t"] / 60
        print(f"flood: {result['n']} failed-code requests in {result['t']:.1f} s ({result['n'] / result['t']:.0f}/s "
              f"offered {rate}/s) from {len(addresses)} addresses: answers {stats}; audit rows {rows[0]} for "
              f"{rows[1]} addresses in {minutes:.2f} min; at most {busiest} row(s) for one address in one clock minute")
        print(f"flood: small PUT p50/p99 quiet {pct(quiet, .5):.1f}/{pct(quiet, .99):.1f} ms, during the flood "
              f"{pct(busy, .5):.1f}/{pct(busy, .99):.1f} ms ({len(busy)} PUTs); audit read {audit.status_code}")
        # The server's own timing (first byte in to last byte out) tells its share from the client's.
        import re
        served = [float(m.group(1)) / 1000 for line in server.log_text().splitlines()
                  if "method=PUT" in line and CODES[0] in line and (m := re.search(r"duration_ms=([0-9.]+)", line))]
        quiet_served, busy_served = served[-len(busy) - len(quiet):-len(busy)], served[-len(busy):]
        print(f"flood: the same PUTs as the server timed them: quiet p50/p99 {pct(quiet_served, .5):.1f}/"
              f"{pct(quiet_served, .99):.1f} ms, during the flood {pct(busy_served, .5):.1f}/{pct(busy_served, .99):.1f} ms")
    finally:
        if server.process.poll() is None:
            server.terminate()
        server.cleanup()


PARTS = {"uploads": part_uploads, "refused": part_refused, "readers": part_readers, "puts": part_puts,
         "share": part_share, "flood": part_flood}

if __name__ == "__main__":
    import tempfile
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    args = parser.parse_args()
    print(f"binary: {os.environ['ZIENSWIJZEN_BINARY']}")
    for name in args.only.split(","):
        with tempfile.TemporaryDirectory(prefix=f"zw-hostile-{name}-") as tmp:
            PARTS[name](tmp)
