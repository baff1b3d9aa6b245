"""Rootful podman, set up to work on these machines without a registry, for the container suite.

- `containers.conf` and `storage.conf` are written to a state directory of the suite's own
  ($ZIENSWIJZEN_CONTAINER_STATE, default /var/tmp/zienswijzen-container) and passed to every podman
  call through CONTAINERS_CONF and CONTAINERS_STORAGE_CONF: the runc runtime (crun fails on this
  cgroup v1 layout), `cgroup_manager = "cgroupfs"` (no systemd), and ulimits no higher than this
  machine's hard limits (podman's defaults ask for more, which runc is refused). Images, layers and
  volumes live in that directory too, apart from anything else on the machine.
- The Dockerfile's base images are made here: `debian:bookworm-slim` from
  `debootstrap --variant=minbase bookworm` and `podman import`; `swift:6.3-bookworm` from that
  base and `swift-standin.Containerfile`, with the machine's toolchain mounted in at build time.
  Both are cached in the state directory between runs (the debootstrapped base is made anew each
  ISO week), and made from scratch whenever they are missing: nothing depends on the cache.
"""
import datetime
import hashlib
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STATE = Path(os.environ.get("ZIENSWIJZEN_CONTAINER_STATE") or "/var/tmp/zienswijzen-container")
MIRROR = os.environ.get("ZIENSWIJZEN_DEBIAN_MIRROR") or "http://deb.debian.org/debian"
SWIFT_TOOLCHAIN = Path(os.environ.get("ZIENSWIJZEN_SWIFT_TOOLCHAIN") or "/opt/swift")
SWIFT_PACKAGES = Path(os.environ.get("ZIENSWIJZEN_SWIFT_PACKAGES") or "/opt/swift-packages")

DEBIAN_SLIM = "docker.io/library/debian:bookworm-slim"
SWIFT_IMAGE = "docker.io/library/swift:6.3-bookworm"
LABEL = "zienswijzen-ci"

# What the suite needs on the machine, and the Debian packages that bring it (.ci/run installs them).
TOOLS = {"podman": "podman", "runc": "runc", "debootstrap": "debootstrap", "iptables": "iptables",
         "newuidmap": "uidmap"}
CATATONIT = "catatonit"   # podman run --init; found at /usr/libexec/podman/catatonit

# The sources list of the official Debian images, so `apt-get` in the Dockerfile sees the same
# suites (security updates included).
DEBIAN_SOURCES = f"""Types: deb
URIs: {MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: {MIRROR.rsplit('/debian', 1)[0]}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""


def missing_tools():
    """The Debian packages whose commands are missing, e.g. ['podman', 'catatonit']."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not (Path("/usr/libexec/podman/catatonit").exists() or shutil.which("catatonit")):
        missing.append(CATATONIT)
    return missing


def normalized(image):
    """`swift:6.3-bookworm` -> `docker.io/library/swift:6.3-bookworm`, as podman resolves it."""
    name = image if "/" in image else "library/" + image
    return name if "." in name.split("/", 1)[0] else "docker.io/" + name


class Podman:
    """Runs podman with the suite's configuration; `run` returns a CompletedProcess (text)."""

    def __init__(self, state=STATE):
        self.state = Path(state)
        self.state.mkdir(parents=True, exist_ok=True)
        # Run-time state (locks, mounts) belongs on a tmpfs, one per storage directory.
        key = hashlib.sha256(str(self.state.resolve()).encode()).hexdigest()[:8]
        self.runroot = (Path(f"/run/zienswijzen-container-{key}") if os.access("/run", os.W_OK)
                        else self.state / "run")
        self.env = {**os.environ,
                    "CONTAINERS_CONF": str(self.state / "containers.conf"),
                    "CONTAINERS_STORAGE_CONF": str(self.state / "storage.conf")}
        self.write_configuration()

    @staticmethod
    def ulimits():
        """nofile and nproc for containers: what this machine allows (`ulimit -Hn`), nproc at most 32768."""
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        nofile = 1048576 if nofile == resource.RLIM_INFINITY else min(nofile, 1048576)
        nproc = 32768 if nproc == resource.RLIM_INFINITY else min(nproc, 32768)
        return nofile, nproc

    def write_configuration(self):
        nofile, nproc = self.ulimits()
        (self.state / "containers.conf").write_text(f"""# Written by Tests/container/podman_ci.py on every run.
[containers]
default_ulimits = ["nofile={nofile}:{nofile}", "nproc={nproc}:{nproc}"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
""")
        (self.state / "storage.conf").write_text(f"""# Written by Tests/container/podman_ci.py on every run.
[storage]
driver = "overlay"
graphroot = "{self.state / 'storage'}"
runroot = "{self.runroot}"
""")

    def run(self, *args, check=True, timeout=120, input=None):
        result = subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True,
                                timeout=timeout, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"podman {' '.join(args)}: exit {result.returncode}\n"
                                 f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result

    def exists(self, image):
        return self.run("image", "exists", image, check=False).returncode == 0

    def inspect(self, what, *names):
        return json.loads(self.run(what, "inspect", *names).stdout)

    def remove_leftovers(self):
        """Containers and volumes an earlier, interrupted run of the suite left behind."""
        ids = self.run("ps", "-a", "--filter", f"label={LABEL}", "--format", "{{.ID}}").stdout.split()
        if ids:
            self.run("rm", "-f", "-t", "0", *ids, check=False)
        for volume in self.run("volume", "ls", "--filter", f"label={LABEL}", "--format", "{{.Name}}").stdout.split():
            self.run("volume", "rm", "-f", volume, check=False)

    # -- base images -----------------------------------------------------------------------------

    def debian_base(self, log):
        """A debootstrapped bookworm (minbase) image, tagged as `debian:bookworm-slim`; returns its
        cache tag. Made anew each ISO week (and whenever missing) so it does not grow stale."""
        year, week, _ = datetime.date.today().isocalendar()
        recipe = f"minbase bookworm {MIRROR}\n{DEBIAN_SOURCES}\n{year}-W{week}"
        tag = f"localhost/{LABEL}/debian-minbase:{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"
        if self.exists(tag):
            log(f"base image {tag} (cached)")
        else:
            started = time.monotonic()
            with tempfile.TemporaryDirectory(dir=self.state, prefix="rootfs-") as tmp:
                rootfs = Path(tmp) / "rootfs"
                result = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(rootfs), MIRROR],
                                        capture_output=True, text=True, timeout=1800)
                assert result.returncode == 0, f"debootstrap failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
                (rootfs / "etc/apt/sources.list").unlink(missing_ok=True)
                (rootfs / "etc/apt/sources.list.d").mkdir(parents=True, exist_ok=True)
                (rootfs / "etc/apt/sources.list.d/debian.sources").write_text(DEBIAN_SOURCES)
                shutil.rmtree(rootfs / "var/cache/apt/archives", ignore_errors=True)
                (rootfs / "var/cache/apt/archives/partial").mkdir(parents=True)
                for lists in (rootfs / "var/lib/apt/lists").glob("*"):
                    if lists.is_file():
                        lists.unlink()
                tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."],
                                       stdout=subprocess.PIPE)
                imported = subprocess.run(["podman", "import", "--change", 'CMD ["bash"]', "-", tag],
                                          stdin=tar.stdout, env=self.env, capture_output=True, text=True,
                                          timeout=600)
                tar.stdout.close()
                assert tar.wait() == 0 and imported.returncode == 0, f"podman import failed: {imported.stderr}"
            log(f"base image {tag} made with debootstrap in {time.monotonic() - started:.0f} s")
        self.run("tag", tag, DEBIAN_SLIM)
        return tag

    def swift_base(self, base, log):
        """The stand-in for `swift:6.3-bookworm`, built from `base` (podman's layer cache keeps it)."""
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="swift-standin-") as context:
            self.run("build", "--pull=never", "--format", "docker", "--build-arg", f"BASE={base}",
                     "--label", f"{LABEL}=1", "-t", SWIFT_IMAGE,
                     "-f", str(HERE / "swift-standin.Containerfile"), context, timeout=1800)
        log(f"{SWIFT_IMAGE} stand-in ready in {time.monotonic() - started:.0f} s")
        version = self.run("run", "--rm", "-v", f"{SWIFT_TOOLCHAIN}:{SWIFT_TOOLCHAIN}:ro", SWIFT_IMAGE,
                           "swift", "--version").stdout
        assert "Swift version 6.3" in version, f"the toolchain in {SWIFT_TOOLCHAIN} is not Swift 6.3:\n{version}"

    def build(self, tag, log):
        """`podman build --format docker` of the repository's Dockerfile, both stages, with the
        toolchain and the package mirror mounted read-only into its RUN steps."""
        started = time.monotonic()
        result = self.run("build", "--pull=never", "--format", "docker",
                          "-v", f"{SWIFT_TOOLCHAIN}:{SWIFT_TOOLCHAIN}:ro",
                          "-v", f"{SWIFT_PACKAGES}:{SWIFT_PACKAGES}:ro",
                          "--label", f"{LABEL}=1", "-t", tag, "-f", str(ROOT / "Dockerfile"), str(ROOT),
                          timeout=3600)
        log(f"image {tag} built in {time.monotonic() - started:.0f} s")
        return result.stdout + result.stderr

    def prune(self):
        """Drops untagged images older than a day. The newest build's intermediate images (the
        builder stage among them, untagged from the start) are the layer cache of the next run on
        this machine, so they stay for a day; older ones would only fill the disk."""
        self.run("image", "prune", "-f", "--filter", "until=24h", check=False, timeout=600)
