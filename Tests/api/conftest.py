"""End-to-end API tests against the real `zienswijzen` binary over loopback.

Each test module gets its own server on a fresh temporary database (`server` fixture), so tests
that move the deadline, close the consultation or trip the login throttle cannot disturb others.
The server is started as `zienswijzen serve --port 0` (see Tests/serverprocess.py); the port and
the one-time bootstrap coördinator code are read from its stderr, griffie codes are issued with
the CLI (`zienswijzen token issue`). At the end of the module the server gets SIGTERM and must
exit 0, and neither its log nor any response after issue may contain an access code.

Run from the repository root after `swift build` (and `.ci/run`, which makes .venv):
    .venv/bin/python -m pytest Tests/api
Set ZIENSWIJZEN_BINARY (or the older ZIENSWIJZEN_BIN) to test another build.
"""
import pytest

from apisupport import Griffies, Server


@pytest.fixture(scope="module")
def server():
    server = Server().start()
    yield server
    status = server.stop()
    leaks = server.leaked_codes()
    server.cleanup()
    assert status == 0, f"server exited {status} on SIGTERM"
    assert not leaks, f"access codes leaked: {leaks}"


@pytest.fixture(scope="module")
def coordinator(server) -> str:
    assert server.bootstrap_code, "no bootstrap coördinator code on first start:\n" + server.log_text()
    return server.bootstrap_code


@pytest.fixture(scope="module")
def griffie(server) -> Griffies:
    return Griffies(server)
