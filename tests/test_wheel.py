"""The wheel: `pip wheel .` on a copy of the source tree gives a wheel carrying both libraries and
the compiled cffi module; installed into a fresh venv it works outside the tree (reads, filters,
formats, captures live) in API mode; a wheel build that cannot compile the module fails."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run

VERSION = (ROOT / "VERSION").read_text().strip()
FORMAT = "%evt.num %proc.name %fd.name"
FILTER = "evt.type=open and evt.dir=<"
CAPTURE = ROOT / "tests" / "data" / "captures" / "curl_google.scap"

READ = r"""
import pathlib, sys, pyscap, pyscap._native as n
site = pathlib.Path(sys.argv[1])
print(n.mode, pathlib.Path(pyscap.__file__).parent.relative_to(site), n._scap_path.relative_to(site))
with pyscap.open_file(sys.argv[2], filter=sys.argv[3]) as cap:
    print(sum(1 for _ in cap))
"""

LIVE = r"""
import pathlib, subprocess, sys, pyscap
target = pathlib.Path(sys.argv[1])
flt = f"evt.type=openat and evt.dir=< and fd.name={target}"
# the process events too: cat's name comes from its execve
with pyscap.open_live(syscalls=["openat", "clone", "clone3", "vfork", "execve"], filter=flt, timeout=10) as cap:
    subprocess.run(["cat", str(target)], check=True, stdout=subprocess.DEVNULL)
    for evt in cap:
        print(evt["proc.name"], evt["fd.name"], evt["evt.rawres"] >= 0)
        break
"""


def _source_copy(dest: Path) -> Path:
    """The files a clone has (tracked, or new and not ignored): no build trees, no bytecode."""
    r = run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    assert r.returncode == 0, r.stderr
    for rel in filter(None, r.stdout.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSCAP_", "PYTHONPATH", "LD_"))}
    return dict(env, **extra)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """(the wheel, the source copy, the CMake tree it was built in)."""
    base = tmp_path_factory.mktemp("wheel")
    src = _source_copy(base / "src")
    cmake_dir = base / "cmake"
    r = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", base / "dist", src],
        env=_clean_env(PYSCAP_CMAKE_BUILD_DIR=str(cmake_dir)),
        timeout=1800,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (whl,) = (base / "dist").glob("pyscap-*.whl")
    return whl, src, cmake_dir


def test_the_wheel_carries_the_libraries_and_the_compiled_module(wheel):
    whl = wheel[0]
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert whl.name == f"pyscap-{VERSION}-{tag}-{tag}-linux_x86_64.whl", whl.name
    names = zipfile.ZipFile(whl).namelist()
    for f in ("pyscap/libscap.so.0", "pyscap/libsinsp.so.0", "pyscap/py.typed", "pyscap/data/sample.scap"):
        assert f in names, f
    assert [f for f in names if f.startswith("pyscap/_pyscap_cffi.") and f.endswith(".so")], names
    entry = zipfile.ZipFile(whl).read(f"pyscap-{VERSION}.dist-info/entry_points.txt").decode()
    assert "pyscap = pyscap.cli:main" in entry


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    """A fresh venv with the wheel installed (and cffi from PyPI): (its python, its site-packages)."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    r = run([sys.executable, "-m", "venv", venv])
    assert r.returncode == 0, r.stderr
    r = run([venv / "bin/python", "-m", "pip", "install", "-q", wheel[0]], env=_clean_env(), timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    site = run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('platlib'))"]).stdout.strip()
    return venv, site


def test_the_wheel_reads_and_formats_in_a_fresh_venv_outside_the_tree(venv, tmp_path):
    env, site = venv
    r = run([env / "bin/python", "-c", READ, site, CAPTURE, FILTER], env=_clean_env(), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    mode_and_paths, count = r.stdout.splitlines()
    # API mode; the package and the libraries from the venv (not the tree, not the system)
    assert mode_and_paths == "api pyscap pyscap/libscap.so.0"
    expected = run([sys.executable, "-m", "pyscap", "-r", CAPTURE, "-p", FORMAT, FILTER], cwd=ROOT).stdout.splitlines()
    assert int(count) == len(expected) > 0
    # the console script of the wheel's entry point
    r = run([env / "bin/pyscap", "-r", CAPTURE, "-p", FORMAT, FILTER], env=_clean_env(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == expected


def test_the_wheel_captures_live_in_a_fresh_venv(venv, live_bpf, tmp_path):
    env, _ = venv
    target = tmp_path / "wheel-live-target"
    target.write_text("x")
    r = run([env / "bin/python", "-c", LIVE, target], env=_clean_env(), cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [f"cat {target} True"]


def test_a_wheel_build_without_a_working_compiler_fails(wheel):
    """The libraries are built (the CMake tree is configured, its compiler cached); the cffi
    module cannot be compiled (CC is /bin/false): the build stops and says why, rather than
    producing a wheel that would run in ABI mode only."""
    _, src, cmake_dir = wheel
    env = _clean_env(PYSCAP_CMAKE_BUILD_DIR=str(cmake_dir), CC="/bin/false")
    r = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py"], cwd=src, env=env, capture_output=True, text=True, timeout=900
    )
    assert r.returncode != 0
    assert "pyscap: cannot compile the cffi module" in r.stderr + r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
