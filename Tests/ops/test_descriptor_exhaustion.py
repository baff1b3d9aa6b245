"""Running out of file descriptors (EMFILE): the server backs off instead of spinning on the
pending connection, and serves the waiting clients once descriptors are free again."""
import os
import resource
import socket
import time

from serverprocess import ServerProcess, wait_for

CLIENTS = 30
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"


def cpu_seconds(pid):
    """User plus system CPU time of the whole process (all threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answered(sock):
    """Reads what has arrived; True once a complete status line is there."""
    try:
        data = sock.recv(65536)
    except BlockingIOError:
        return False
    assert data.startswith(b"HTTP/1.1 200"), data[:80]
    return True


def test_out_of_descriptors_backs_off_and_recovers(tmp_path):
    server = ServerProcess(tmp_path / "fd.sqlite").start()
    clients = []
    try:
        pid = server.process.pid
        in_use = len(os.listdir(f"/proc/{pid}/fd"))
        original = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        # Room for a few clients only; the rest wait in the listen backlog.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (in_use + 4, original[1]))

        for _ in range(CLIENTS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(REQUEST)
            sock.setblocking(False)
            clients.append(sock)
        assert server.wait_for_log(r"accept paused"), server.log_text()

        # While the clients wait, the server must idle, not retry accept4 in a loop.
        start_cpu, start = cpu_seconds(pid), time.monotonic()
        time.sleep(1.0)  # the measurement window itself
        busy = (cpu_seconds(pid) - start_cpu) / (time.monotonic() - start)
        assert busy < 0.25, f"server used {busy:.0%} of a core while out of descriptors"
        pauses = server.log_text().count("accept paused")
        assert pauses < 40, f"{pauses} pauses logged: the back-off is not holding"
        assert server.process.poll() is None

        # Descriptors again: every waiting client is accepted and answered.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, original)
        waiting = set(clients)

        def all_answered():
            for sock in list(waiting):
                if answered(sock):
                    waiting.discard(sock)
            return not waiting
        wait_for(all_answered, timeout=15, what="every client answered after the limit was raised")
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as fresh:
            fresh.sendall(REQUEST)
            assert fresh.recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for sock in clients:
            sock.close()
        server.kill()
