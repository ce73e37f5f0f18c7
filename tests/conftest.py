"""Shared fixtures: where the CMake build is, which oracles and privileges this machine has."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("PYSCAP_BUILD_DIR", ROOT / "build"))
ASAN_BUILD = Path(os.environ.get("PYSCAP_ASAN_BUILD_DIR", ROOT / "build-asan"))
CAPTURES = Path(os.environ.get("PYSCAP_CAPTURES", ROOT.parent / "shared" / "captures"))
BUNDLED = ROOT / "tests" / "data"

# tests/tools/apt-cache works around ../shared/tools/kvm-kmod-run's setup failing when the
# archive lacks linux-kbuild in the guest image's exact version (see the shim's header).
os.environ["PATH"] = f"{ROOT / 'tests' / 'tools'}:{os.environ.get('PATH', '')}"


def _bpf_available() -> bool:
    return os.geteuid() == 0 and os.path.exists("/sys/kernel/btf/vmlinux")


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if not (BUILD / "libscap" / "libscap.so").exists():
        pytest.fail(f"no CMake build at {BUILD}: run `python3 setup.py build_native` or set PYSCAP_BUILD_DIR")
    return BUILD


@pytest.fixture(scope="session")
def asan_build_dir() -> Path:
    """The ASan/UBSan build (cmake -DPYSCAP_SANITIZE=ON -B build-asan); .ci/run always makes it."""
    if not (ASAN_BUILD / "libscap" / "libscap.so").exists():
        if os.environ.get("CI"):
            pytest.fail(f"no sanitizer build at {ASAN_BUILD}")
        pytest.skip(f"no sanitizer build at {ASAN_BUILD}")
    return ASAN_BUILD


def helper(build: Path, name: str) -> Path:
    for p in build.rglob(name):
        if p.is_file() and os.access(p, os.X_OK):
            return p
    pytest.fail(f"helper binary {name} not built in {build}")


@pytest.fixture(scope="session")
def captures_dir() -> Path:
    if not CAPTURES.exists():
        pytest.skip(f"reference captures not found at {CAPTURES}")
    return CAPTURES


@pytest.fixture(scope="session")
def sysdig():
    """Debian's sysdig 0.29.3, an independent oracle for old captures."""
    path = shutil.which("sysdig")
    if not path:
        pytest.skip("sysdig (Debian 0.29.3) is not installed")
    return path


@pytest.fixture(scope="session")
def live_bpf():
    if not _bpf_available():
        pytest.skip("live capture needs root and a kernel with BTF")
    return True


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run([str(c) for c in cmd], **kw)
