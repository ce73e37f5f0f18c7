"""Shared fixtures: where the CMake build is, which oracles and privileges this machine has.

The skip policy (CONTRIBUTING.md): a test states each resource it needs through a fixture or
`require()`. A missing one skips the test with one reason on a local run; where the environment
variable CI is set (.ci/run sets it) every skip is a failure, so that CI cannot pass on tests that
did not run. Markers (pyproject.toml) are added from the fixtures a test uses, so that
`-m "not kmod"` or `-m "not live"` select subsets.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("PYSCAP_BUILD_DIR", ROOT / "build"))
ASAN_BUILD = Path(os.environ.get("PYSCAP_ASAN_BUILD_DIR", ROOT / "build-asan"))
DATA = ROOT / "tests" / "data"
CAPTURES = DATA / "captures"
IN_CI = bool(os.environ.get("CI"))

# fixture -> the markers every test that uses it gets
FIXTURE_MARKS = {
    "live_bpf": ("live", "root"),
    "root": ("root",),
    "vm_runner": ("kmod", "root"),
    "sysdig": ("oracle",),
    "tshark": ("oracle",),
    "asan_build_dir": ("asan",),
}


def require(ok: bool, reason: str) -> None:
    """A test's required resource: when missing, skip with this one reason on a local run, fail
    where CI is set."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"required resource missing (CI is set, so this is a failure): {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in item.fixturenames:
            for mark in FIXTURE_MARKS.get(fixture, ()):
                item.add_marker(mark)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skip from anywhere (pytest.skip, skipif, importorskip) is a failure."""
    outcome = yield
    rep = outcome.get_result()
    if IN_CI and rep.skipped and not hasattr(rep, "wasxfail"):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"skipped, and CI is set (every test must run there): {reason}"


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if not (BUILD / "libscap" / "libscap.so").exists():
        pytest.fail(f"no CMake build at {BUILD}: run `python3 setup.py build_native` or set PYSCAP_BUILD_DIR")
    return BUILD


@pytest.fixture(scope="session")
def asan_build_dir() -> Path:
    """The ASan/UBSan build (cmake -DPYSCAP_SANITIZE=ON -B build-asan); scripts/setup.sh --test makes it."""
    require((ASAN_BUILD / "libscap" / "libscap.so").exists(), f"no sanitizer build at {ASAN_BUILD}")
    return ASAN_BUILD


def helper(build: Path, name: str) -> Path:
    for p in build.rglob(name):
        if p.is_file() and os.access(p, os.X_OK):
            return p
    pytest.fail(f"helper binary {name} not built in {build}")


@pytest.fixture(scope="session")
def captures_dir() -> Path:
    """The reference captures in the repository (tests/data/captures, see tests/data/README.md)."""
    return CAPTURES


@pytest.fixture(scope="session")
def sysdig():
    """Debian's sysdig 0.29.3, an independent oracle for old captures."""
    path = shutil.which("sysdig")
    require(path is not None, "sysdig (Debian 0.29.3) is not installed: apt-get install --no-install-recommends sysdig")
    return path


@pytest.fixture(scope="session")
def tshark():
    """Wireshark's tshark, an independent reader of pcapng-framed .scap files."""
    path = shutil.which("tshark")
    require(path is not None, "tshark is not installed: apt-get install tshark")
    return path


@pytest.fixture(scope="session")
def root():
    require(os.geteuid() == 0, "needs root")
    return True


@pytest.fixture(scope="session")
def live_bpf():
    require(os.geteuid() == 0, "live capture needs root")
    require(os.path.exists("/sys/kernel/btf/vmlinux"), "live capture needs a kernel with BTF (/sys/kernel/btf/vmlinux)")
    return True


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run([str(c) for c in cmd], **kw)
