"""Start the real `zienswijzen` binary on a loopback port, for the pytest suites.

Shared by Tests/api, Tests/browser and Tests/ops. The binary is the one `swift build` made
(`.build/debug/zienswijzen`), or $ZIENSWIJZEN_BINARY.
"""
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("ZIENSWIJZEN_BINARY", ROOT / ".build" / "debug" / "zienswijzen"))
CONSULTATION = "coalitie-voor-veiligheid-2023-2026"


def cli(*args, database, check=True, env=None):
    """Runs a CLI command; returns the CompletedProcess (text)."""
    return subprocess.run([str(BINARY), *args, "--database", str(database)], capture_output=True, text=True,
                          check=check, env=env, timeout=60)


def issue_code(database, gemeente=None, name="Test"):
    args = ["token", "issue"] + (["--gemeente", gemeente] if gemeente else ["--coordinator", "--name", name])
    return cli(*args, database=database).stdout.strip().splitlines()[-1]


class ServerProcess:
    """One server child process. `stderr_text()` is everything it logged so far."""

    def __init__(self, database, extra_args=(), env=None, public=None):
        self.database = Path(database)
        self.args = [str(BINARY), "serve", "--port", "0", "--database", str(database),
                     "--public", str(public or ROOT / "Public"), *extra_args]
        self.env = env
        self.proc = None
        self.port = None
        self.bootstrap_code = None
        self._stderr = []
        self._lock = threading.Lock()

    def start(self, timeout=30):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env=self.env, cwd=ROOT)
        ready = threading.Event()

        def pump():
            for line in self.proc.stderr:
                with self._lock:
                    self._stderr.append(line)
                m = re.search(r"\bport(?:=|\":\")(\d+)", line)
                if m and self.port is None and "listening" in line:
                    self.port = int(m.group(1))
                    ready.set()
                code = re.fullmatch(r"\s+([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})\s*", line)
                if code:
                    self.bootstrap_code = code.group(1)
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout) or self.port is None:
            self.kill()
            raise RuntimeError("server did not start:\n" + self.stderr_text())
        return self

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stderr_text(self):
        with self._lock:
            return "".join(self._stderr)

    def terminate(self, timeout=30):
        """SIGTERM and wait; returns the exit status."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def wait_for_log(self, pattern, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.stderr_text()):
                return True
            time.sleep(0.02)
        return False
