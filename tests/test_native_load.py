"""Both shared libraries load with plain ctypes (no cffi) and export only their API."""

import ctypes
import subprocess

from conftest import ROOT


def test_ctypes_loads_both_libraries_and_reads_versions(build_dir):
    version = (ROOT / "VERSION").read_text().strip()
    scap = ctypes.CDLL(str(build_dir / "libscap" / "libscap.so.0"))
    sinsp = ctypes.CDLL(str(build_dir / "libsinsp" / "libsinsp.so.0"))
    scap.scap_version_string.restype = ctypes.c_char_p
    scap.scap_version.restype = ctypes.c_uint32
    sinsp.sinsp_version_string.restype = ctypes.c_char_p
    sinsp.sinsp_scap_version_string.restype = ctypes.c_char_p
    assert scap.scap_version_string().decode() == version
    major, minor, patch = map(int, version.split("."))
    assert scap.scap_version() == (major << 16) | (minor << 8) | patch
    assert sinsp.sinsp_version_string().decode() == version
    assert sinsp.sinsp_scap_version_string().decode() == version
    scap.scap_event_name.restype = ctypes.c_char_p
    assert scap.scap_event_name(307) == b"openat"


def _exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", str(path)], capture_output=True, text=True, check=True)
    return {line.split()[-1].split("@")[0] for line in out.stdout.splitlines() if line.split()[1] in "TDBR"}


def test_only_prefixed_symbols_are_exported_with_a_soname(build_dir):
    for lib, prefix in (("libscap", "scap_"), ("libsinsp", "sinsp_")):
        path = build_dir / lib / f"{lib}.so.0"
        syms = _exported(path)
        assert syms, path
        assert all(s.startswith(prefix) for s in syms), sorted(s for s in syms if not s.startswith(prefix))
        dyn = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
        assert f"SONAME               {lib}.so.0" in dyn
    internal = {"scap_fail", "scap_log", "scap_capture_alloc", "scap_event_table", "scap_opts_copy"}
    assert not internal & _exported(build_dir / "libscap" / "libscap.so.0")


def test_python_package_loads_with_cffi_and_checks_versions():
    import pyscap

    v = (ROOT / "VERSION").read_text().strip()
    assert pyscap.__version__ == v
    assert pyscap.native_versions() == {"libscap": v, "libsinsp": v}


def test_a_broken_compiled_module_in_the_package_is_an_error_not_a_silent_abi_fallback(build_dir, tmp_path):
    """An installed package (libraries and module next to its files) whose compiled cffi module
    cannot be imported is a broken install: LibraryError naming the file; PYSCAP_FFI=abi is the
    explicit way to run without it."""
    import importlib.machinery
    import os
    import shutil
    import sys

    pkg = tmp_path / "site" / "pyscap"
    shutil.copytree(ROOT / "pyscap", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    for lib in ("libscap", "libsinsp"):
        shutil.copy2(build_dir / lib / f"{lib}.so.0", pkg / f"{lib}.so.0")
    broken = pkg / ("_pyscap_cffi" + importlib.machinery.EXTENSION_SUFFIXES[0])
    broken.write_bytes(b"\x7fELF truncated")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSCAP_")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    code = "import pyscap, pyscap._native as n; print(n.mode, n._scap_path.parent)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert r.returncode != 0
    assert "pyscap.errors.LibraryError: cannot load pyscap's compiled cffi module " + str(broken) in r.stderr, r.stderr
    assert "PYSCAP_FFI=abi" in r.stderr
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=dict(env, PYSCAP_FFI="abi")
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["abi", str(pkg)]
