#!/usr/bin/env python3
"""Holds N idle keep-alive connections to a server, reports its RSS, and times new requests.

Usage: http-hold-idle.py PORT SERVER_PID [N=10000]
Each connection sends one request (GET /nope -> 404, small) and reads the answer, so it is a real
idle persistent HTTP connection, not just a TCP handshake. Then, with all N held, it reads the
server's VmRSS and measures 20 fresh GET /json requests on new connections.
"""
import resource, socket, sys, time

port, pid = int(sys.argv[1]), int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1000), hard))

def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed in body")
        body += chunk
    return head.split(b"\r\n")[0]

held, failed = [], 0
start = time.time()
for i in range(count):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /nope HTTP/1.1\r\nHost: bench\r\n\r\n")
        read_response(s)
        held.append(s)
    except Exception:
        failed += 1
opened = time.time() - start
time.sleep(1)
rss = rss_kb()
samples = []
for _ in range(20):
    t = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /json HTTP/1.1\r\nHost: bench\r\n\r\n")
    read_response(s)
    samples.append((time.perf_counter() - t) * 1000)
    s.close()
samples.sort()
alive = 0
for s in held[:: max(1, len(held) // 200)]:  # spot-check that held connections still work
    try:
        s.sendall(b"GET /nope HTTP/1.1\r\nHost: bench\r\n\r\n")
        read_response(s)
        alive += 1
    except Exception:
        pass
print(f"held={len(held)} failed={failed} open_secs={opened:.1f} rss_kb={rss} "
      f"new_req_ms_p50={samples[len(samples)//2]:.2f} new_req_ms_max={samples[-1]:.2f} "
      f"spot_alive={alive}/{len(held[:: max(1, len(held) // 200)])}")
for s in held:
    s.close()
