"""Start the real `zienswijzen` binary on a loopback port, for the pytest suites.

The one place that knows how to run the server as a child process; Tests/api, Tests/browser and
Tests/ops build on it (the api and browser suites subclass `ServerProcess`). The binary is the one
`swift build` made (`.build/debug/zienswijzen`), or $ZIENSWIJZEN_BINARY (the api suite's older
$ZIENSWIJZEN_BIN is honoured too, so `Tests/Benchmarks/api-bench.py` can point at a release build).

Nothing here sleeps on a guess: the port and the one-time bootstrap coördinator code are read
from the server's stderr by a thread, and waits poll a condition until a deadline.
"""
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("ZIENSWIJZEN_BINARY") or os.environ.get("ZIENSWIJZEN_BIN")
              or ROOT / ".build" / "debug" / "zienswijzen")
CONSULTATION = "coalitie-voor-veiligheid-2023-2026"

# `port=NNNN` in logfmt, `"port":"NNNN"` in JSON; only on the "listening" line.
PORT = re.compile(r"\bport(?:=|\":\")(\d+)")
BOOTSTRAP_INTRO = "No coordinator code existed"


def poll(condition, timeout=20.0, interval=0.02):
    """Calls `condition` until it returns something truthy and returns that, or None at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def wait_for(condition, timeout=20.0, interval=0.02, what="condition"):
    """Like `poll`, but a missed deadline fails the test."""
    value = poll(condition, timeout, interval)
    if not value:
        raise AssertionError(f"timed out waiting for {what}")
    return value


def cli(*args, database, check=True, env=None, binary=None):
    """Runs a CLI subcommand against `database`; returns the CompletedProcess (text). With `check`,
    a non-zero exit fails with the command's output in the message."""
    result = subprocess.run([str(binary or BINARY), *args, "--database", str(database)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def last_line(result):
    """The last line of a command's stdout: where `token issue` prints the new code."""
    return result.stdout.strip().splitlines()[-1].strip()


def issue_code(database, gemeente=None, name=None, env=None):
    """Issues a griffie code for `gemeente`, or a coördinator code without one; returns the code."""
    args = ["token", "issue"]
    args += ["--gemeente", gemeente] if gemeente else ["--coordinator"]
    if name or not gemeente:
        args += ["--name", name or "Test"]
    return last_line(cli(*args, database=database, env=env))


class ServerProcess:
    """One `zienswijzen serve --port 0` child process and what it logged.

    `database=None` puts a fresh database in a temporary directory (`tmp`, removed by `cleanup()`).
    `env` is added to this process's environment. `log` holds the stderr lines (no newlines), filled
    by a reader thread so the server never blocks on a full pipe.
    """

    def __init__(self, database=None, extra_args=(), env=None, public=None, binary=None,
                 tmp_prefix="zienswijzen-"):
        self.tmp = None
        if database is None:
            self.tmp = tempfile.TemporaryDirectory(prefix=tmp_prefix)
            database = Path(self.tmp.name) / "zienswijzen.sqlite"
        self.database = Path(database)
        self.args = [str(binary or BINARY), "serve", "--port", "0", "--database", str(self.database),
                     "--public", str(public or ROOT / "Public"), *extra_args]
        self.env = {**os.environ, **(env or {})}
        self.process = None
        self.port = None
        self.bootstrap_code = None
        self.log = []
        self._log_lock = threading.Lock()
        self._reader = None

    # -- process ---------------------------------------------------------------------------------

    def start(self, timeout=30):
        """Starts the server and returns once it listens; fails with its log if it exits first."""
        binary = Path(self.args[0])
        assert binary.exists(), f"{binary} missing: run `swift build` first"
        self.port = None
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
        self._reader = threading.Thread(target=self._read_stderr, args=(self.process,), daemon=True)
        self._reader.start()
        poll(lambda: self.port or self.process.poll() is not None, timeout=timeout)
        if self.port is None:
            self.kill()
            raise RuntimeError("server did not start:\n" + self.log_text())
        return self

    def _read_stderr(self, process):
        expect_code = False
        for line in process.stderr:
            line = line.rstrip("\n")
            with self._log_lock:
                self.log.append(line)
            if BOOTSTRAP_INTRO in line:
                expect_code = True
            elif expect_code and line.startswith("    ") and line.strip():
                self.bootstrap_code = line.strip()
                expect_code = False
            match = PORT.search(line)
            if match and "listening" in line and self.port is None:
                self.port = int(match.group(1))

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends `sig` (if it still runs) and waits for the exit; returns the exit status."""
        assert self.process is not None, "server was never started"
        if self.process.poll() is None:
            self.process.send_signal(sig)
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return status

    def terminate(self, timeout=30):
        """SIGTERM and wait; returns the exit status."""
        return self.stop(signal.SIGTERM, timeout)

    def kill(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        """Removes the temporary directory, if this server made one."""
        if self.tmp is not None:
            self.tmp.cleanup()

    # -- log -------------------------------------------------------------------------------------

    def log_text(self):
        with self._log_lock:
            return "\n".join(self.log)

    stderr_text = log_text

    def wait_for_log(self, pattern, timeout=10):
        """Whether `pattern` shows up in the log before the deadline."""
        return bool(poll(lambda: re.search(pattern, self.log_text()), timeout))

    # -- HTTP and CLI ----------------------------------------------------------------------------

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        return self.base + path

    def cli(self, *args, check=True):
        """Runs a CLI subcommand against this server's database, with the server's environment."""
        return cli(*args, database=self.database, check=check, env=self.env, binary=self.args[0])
