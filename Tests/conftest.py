import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Lets every suite `import serverprocess`.
sys.path.insert(0, str(TESTS))

# Tests/container builds the Docker image and runs it with podman: minutes, and root. It is a
# suite of its own, collected only when named (`pytest Tests/container`, as .ci/run does), not by
# `pytest Tests`.
CONTAINER_SUITE = TESTS / "container"


def _named_on_command_line(config):
    for arg in config.args:
        path = Path(arg.split("::", 1)[0]).resolve()
        if path == CONTAINER_SUITE or CONTAINER_SUITE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    if Path(collection_path) == CONTAINER_SUITE and not _named_on_command_line(config):
        return True
    return None


def pytest_report_header(config):
    if not _named_on_command_line(config):
        return "Tests/container (the container suite) runs on its own: pytest Tests/container (.ci/run does)"
    return None
