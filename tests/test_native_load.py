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
