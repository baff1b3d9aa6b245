"""The Docker image's build, checked without a container engine: the Dockerfile's shape, and the
release build script it runs (the same one CI runs here), whose output must serve on its own.
Tests/container builds the image itself with podman and runs it."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from serverprocess import ROOT, ServerProcess

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_shape():
    stages = re.findall(r"^FROM (\S+)", DOCKERFILE, re.M)
    assert len(stages) == 2 and stages[0].startswith("swift:6") and "slim" in stages[1]
    assert "RUN .ci/build-release /staging" in DOCKERFILE
    assert re.search(r"^USER (?!root)\S+", DOCKERFILE, re.M)
    assert 'VOLUME ["/data"]' in DOCKERFILE
    assert re.search(r"^EXPOSE 8080", DOCKERFILE, re.M)
    assert re.search(r'^HEALTHCHECK .*\n?.*CMD \["zienswijzen", "healthcheck"\]', DOCKERFILE, re.M)
    assert not re.search(r"\bcurl\b", DOCKERFILE)  # the health check is the binary itself (libcurl4 is for webhooks)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".build" in ignored and ".git" in ignored


@pytest.mark.skipif(os.environ.get("ZIENSWIJZEN_SKIP_RELEASE_BUILD") == "1", reason="release build skipped on request")
def test_release_build_serves_from_its_staging_directory(tmp_path):
    staging = tmp_path / "staging"
    subprocess.run([str(ROOT / ".ci" / "build-release"), str(staging)], check=True, timeout=1800,
                   stdout=subprocess.DEVNULL)
    binary = staging / "bin" / "zienswijzen"
    public = staging / "share" / "zienswijzen" / "Public"
    assert binary.exists() and (public / "openapi.json").exists()
    # Installed elsewhere, run from elsewhere: migrations come from inside the binary.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(binary, elsewhere / "zienswijzen")
    (tmp_path / "data").mkdir()
    s = ServerProcess(tmp_path / "data" / "z.sqlite", public=public, binary=elsewhere / "zienswijzen")
    s.start()
    try:
        r = subprocess.run([str(elsewhere / "zienswijzen"), "healthcheck", "--port", str(s.port)],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0
    finally:
        assert s.terminate() == 0
