"""Shared paths and fixtures. The library is found as the package finds it
(SCARSCORE_LIBRARY / SCARSCORE_BUILD_DIR / system); ctest sets
SCARSCORE_BUILD_DIR to its build tree. Tests read only the repository's
tests/data and samples/ and write only under pytest's tmp_path."""
import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "samples"
INCLUDE = REPO / "include"

# Run from the source tree without installing.
sys.path.insert(0, str(HERE.parent))

import scarscore  # noqa: E402


def pytest_report_header(config):
    try:
        return "scarscore library: %s (%s)" % (scarscore.library_path(),
                                                scarscore.library_version())
    except OSError as e:
        return "scarscore library NOT loadable: %s" % e


@pytest.fixture(scope="session", autouse=True)
def _library_loads():
    # Fail every test with the loader's explanation, not a cryptic error.
    scarscore.library_version()


def cli_path():
    """The build tree's CLI, or None."""
    explicit = os.environ.get("SCARSCORE_CLI")
    if explicit:
        return explicit
    build = os.environ.get("SCARSCORE_BUILD_DIR")
    if build:
        p = os.path.join(build, "cli", "scarscore")
        if os.access(p, os.X_OK):
            return p
    return None
