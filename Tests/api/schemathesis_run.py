#!/usr/bin/env python3
"""Optional: a bounded schemathesis run against a fresh server and its own OpenAPI document.

Not part of the pytest suite (the name does not start with test_). Needs schemathesis
(`python3 -m pip install schemathesis==4.32.5`, ideally in a virtualenv). Run from the repository root:

    python3 Tests/api/schemathesis_run.py coordinator 20
    python3 Tests/api/schemathesis_run.py griffie 30

The first argument picks the bearer code (the bootstrap coördinator code, or a griffie code of
GM0518); the second is --max-examples per operation. Extra arguments go to `schemathesis run`.
Known, intended findings: a PNG sent as `bestand` is refused (422; PDFs are judged by content,
which a schema cannot express), and schemathesis reuses the example Idempotency-Key across
operations, which the API rightly answers with 422.
"""
import shutil
import subprocess
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from apisupport import Server  # noqa: E402


def main():
    role = sys.argv[1] if len(sys.argv) > 1 else "coordinator"
    examples = sys.argv[2] if len(sys.argv) > 2 else "20"
    schemathesis = shutil.which("schemathesis") or shutil.which("st")
    if not schemathesis:
        sys.exit("schemathesis is not installed")
    server = Server().start()
    try:
        code = server.bootstrap_code if role == "coordinator" else server.issue_griffie("GM0518")
        command = [schemathesis, "run", server.url("/api/v1/openapi.json"), "-H", f"Authorization: Bearer {code}",
                   "--checks", "all", "--max-examples", examples, "--request-timeout", "30", "--no-color",
                   "--suppress-health-check", "all", "--generation-deterministic", *sys.argv[3:]]
        status = subprocess.run(command).returncode
    finally:
        print(f"server exit status on SIGTERM: {server.stop()}")
        leaks = server.leaked_codes()
        print(f"access codes in the server log: {leaks or 'none'}")
        server.tmp.cleanup()
    sys.exit(status)


if __name__ == "__main__":
    main()
