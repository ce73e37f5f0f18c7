"""The distribution packages (packaging/cpack.cmake): cpack splits the build into libpyscap0 (the
two shared libraries), libpyscap-dev (headers, pkg-config files, the CMake package), pyscap (the
CLI and the Python package with its compiled cffi module) and pyscap-dkms (the kernel module's
sources), as .deb and .rpm. The .debs are checked, then installed on this machine with dpkg -i,
used through pkg-config only and find_package only, their CLI run on a bundled capture, and
purged, leaving nothing behind; the .rpms are checked with rpm -qip/-qlp and installed into a
scratch root."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, require, run

VERSION = (ROOT / "VERSION").read_text().strip()
DEBS = ["libpyscap0", "libpyscap-dev", "pyscap", "pyscap-dkms"]
RPMS = ["libpyscap0", "libpyscap-devel", "pyscap", "pyscap-dkms"]
CAPTURE = ROOT / "tests" / "data" / "captures" / "curl_google.scap"

# a consumer of both libraries: reads a capture through libsinsp, prints every open exit
PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include <scap/scap.h>
#include <sinsp/sinsp.h>
#include <sinsp/filter.h>
int main(int argc, char **argv)
{
	SCAP_OPTS(scap_file_opts, fo);
	SINSP_OPTS(sinsp_opts, so);
	struct scap_capture *cap;
	struct sinsp_inspector *insp;
	struct sinsp_filter *flt;
	struct sinsp_formatter *fmt;
	const struct sinsp_event *evt;
	int n = 0;
	if (argc != 2 || strcmp(scap_version_string(), sinsp_version_string()) != 0)
		return 2;
	printf("%s\n", sinsp_version_string());
	cap = scap_capture__open_file(argv[1], &fo);
	if (!cap) {
		fprintf(stderr, "%s\n", scap_last_error());
		return 1;
	}
	insp = sinsp_inspector__open(cap, &so);
	flt = insp ? sinsp_filter__compile(insp, "evt.type=open and evt.dir=<", NULL) : NULL;
	fmt = sinsp_formatter__create("%evt.num %proc.name %fd.name", 0);
	if (!flt || !fmt || sinsp_inspector__set_filter(insp, flt) < 0) {
		fprintf(stderr, "%s\n", sinsp_last_error());
		return 1;
	}
	while (sinsp_inspector__next(insp, &evt) == 0) {
		printf("%s\n", sinsp_formatter__format_str(fmt, evt));
		n++;
	}
	sinsp_formatter__free(fmt);
	sinsp_inspector__close(insp);
	return n > 0 ? 0 : 1;
}
"""

CMAKELISTS = """cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(pyscap {version} REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE pyscap::sinsp)
"""


def _expected_lines() -> list[str]:
    """What the in-tree CLI prints for PROGRAM's filter and format (the reference)."""
    r = run(
        ["python3", "-m", "pyscap", "-r", CAPTURE, "-p", "%evt.num %proc.name %fd.name", "evt.type=open and evt.dir=<"],
        cwd=ROOT,
    )
    assert r.returncode == 0 and r.stdout, r.stderr
    return [VERSION, *r.stdout.splitlines()]


SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """A distribution's build (release flags, no tests, the Python package for Debian's python3),
    then cpack: {"deb": {name: path}, "rpm": {name: path}}."""
    require(shutil.which("rpmbuild") is not None, "rpmbuild not installed (apt-get install rpm)")
    has_cffi = run([SYSTEM_PYTHON, "-c", "import cffi"]).returncode == 0
    require(has_cffi, f"{SYSTEM_PYTHON} has no cffi (apt-get install python3-cffi python3-dev)")
    build, out = tmp_path_factory.mktemp("dist-build"), tmp_path_factory.mktemp("pkg")
    configure = ["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DPYSCAP_BUILD_TESTS=OFF"]
    r = run([*configure, f"-DPython3_EXECUTABLE={SYSTEM_PYTHON}"], timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    r = run(["cmake", "--build", build, "-j", str(os.cpu_count() or 2)], timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for g in ("DEB", "RPM"):
        r = run(["cpack", "-G", g, "-B", out, "--config", build / "CPackConfig.cmake"], cwd=build, timeout=900)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    made: dict[str, dict[str, Path]] = {"deb": {}, "rpm": {}}
    for p in out.iterdir():
        if p.suffix == ".deb":
            made["deb"][run(["dpkg-deb", "-f", p, "Package"]).stdout.strip()] = p
        elif p.suffix == ".rpm":
            made["rpm"][run(["rpm", "-qp", "--qf", "%{NAME}", p]).stdout.strip()] = p
    assert sorted(made["deb"]) == sorted(DEBS), made
    assert sorted(made["rpm"]) == sorted(RPMS), made
    return made


def _contents(deb: Path) -> list[str]:
    """The paths a .deb holds, without the leading '.', directories with a trailing '/'."""
    return [line.split(None, 5)[5].split(" -> ")[0][1:] for line in run(["dpkg-deb", "-c", deb]).stdout.splitlines()]


def _field(deb: Path, name: str) -> str:
    return run(["dpkg-deb", "-f", deb, name]).stdout.strip()


def test_deb_names_versions_and_dependencies(packages):
    debs = packages["deb"]
    assert debs["libpyscap0"].name == f"libpyscap0_{VERSION}_amd64.deb"
    assert debs["pyscap-dkms"].name == f"pyscap-dkms_{VERSION}_all.deb"
    for name, deb in debs.items():
        assert _field(deb, "Version") == VERSION, name
        assert _field(deb, "Description"), name
    sections = {n: _field(d, "Section") for n, d in debs.items()}
    assert sections == {"libpyscap0": "libs", "libpyscap-dev": "libdevel", "pyscap": "utils", "pyscap-dkms": "kernel"}
    # dpkg-shlibdeps found the system libraries the two libraries link
    runtime = _field(debs["libpyscap0"], "Depends")
    for lib in ("libc6", "zlib1g", "libre2", "libbpf1", "libstdc++6"):
        assert lib in runtime, runtime
    assert f"libpyscap0 (= {VERSION})" in _field(debs["libpyscap-dev"], "Depends")
    cli = _field(debs["pyscap"], "Depends")
    assert f"libpyscap0 (= {VERSION})" in cli and "python3-cffi-backend" in cli and "python3 (>= 3." in cli, cli
    assert _field(debs["pyscap-dkms"], "Depends") == "dkms"
    # the shlibs file other packages' dpkg-shlibdeps resolve libscap.so.0 / libsinsp.so.0 with
    shlibs = run(["dpkg-deb", "-I", debs["libpyscap0"], "shlibs"]).stdout
    assert f"libscap 0 libpyscap0 (>= {VERSION})" in shlibs and f"libsinsp 0 libpyscap0 (>= {VERSION})" in shlibs


def test_deb_contents_are_split_by_role(packages):
    debs = packages["deb"]
    files = {n: [f for f in _contents(d) if not f.endswith("/")] for n, d in debs.items()}
    lib = next(f for f in files["libpyscap0"] if f.endswith(f"/libscap.so.{VERSION}")).rsplit("/", 1)[0]
    runtime = sorted(f for f in files["libpyscap0"] if not f.startswith("/usr/share/doc/"))
    assert runtime == sorted(
        f"{lib}/{n}" for n in (f"libscap.so.{VERSION}", "libscap.so.0", f"libsinsp.so.{VERSION}", "libsinsp.so.0")
    )
    dev = files["libpyscap-dev"]
    for f in [
        "/usr/include/scap/capture.h",
        "/usr/include/sinsp/inspector.h",
        "/usr/include/scap_abi_events.h",
        f"{lib}/libscap.so",
        f"{lib}/libsinsp.so",
        f"{lib}/pkgconfig/libscap.pc",
        f"{lib}/pkgconfig/libsinsp.pc",
        f"{lib}/cmake/pyscap/pyscapConfig.cmake",
        f"{lib}/cmake/pyscap/pyscapConfigVersion.cmake",
        f"{lib}/cmake/pyscap/pyscapTargets.cmake",
    ]:
        assert f in dev, f
    assert not any(".so." in f for f in dev), dev
    cli = files["pyscap"]
    pkg = "/usr/lib/python3/dist-packages/pyscap"
    for f in [
        "/usr/bin/pyscap",
        f"{pkg}/__init__.py",
        f"{pkg}/cli.py",
        f"{pkg}/py.typed",
        f"{pkg}/_cdefs/scap.h",
        f"{pkg}/data/sample.scap",
    ]:
        assert f in cli, f
    assert [f for f in cli if "/_pyscap_cffi." in f and f.endswith(".so")], cli  # API mode, compiled
    assert not [f for f in cli if "__pycache__" in f or f.endswith("_build_cffi.py")]
    src = f"/usr/src/pyscap-{VERSION}"
    assert {f"{src}/dkms.conf", f"{src}/Kbuild", f"{src}/abi/scap_abi.h"} <= set(files["pyscap-dkms"])
    assert all(f.startswith(src + "/") for f in files["pyscap-dkms"]), files["pyscap-dkms"]
    # the maintainer scripts: dkms registration, bytecode removal
    for name, scripts in (("pyscap-dkms", ("postinst", "prerm")), ("pyscap", ("postinst", "prerm"))):
        for s in scripts:
            text = run(["dpkg-deb", "-I", debs[name], s]).stdout
            assert text.startswith("#!/bin/sh") and "@" not in text, (name, s, text)


def test_packaged_libraries_export_only_the_api(packages, tmp_path):
    run(["dpkg-deb", "-x", packages["deb"]["libpyscap0"], tmp_path])
    (so,) = tmp_path.rglob(f"libscap.so.{VERSION}")
    dyn = run(["readelf", "-d", so]).stdout
    assert "(SONAME)             Library soname: [libscap.so.0]" in dyn, dyn
    syms = run(["nm", "-D", "--defined-only", so]).stdout
    names = [l.split()[-1] for l in syms.splitlines() if " T " in l]
    assert names and all(n.startswith("scap_") for n in names), [n for n in names if not n.startswith("scap_")]


def test_dkms_tree_is_the_tree_the_kmod_tests_build(packages, tmp_path):
    """The packaged /usr/src tree holds exactly what `make -C driver dist` copies, the tree that
    tests/test_kmod.py builds pyscap.ko from (building it again here would cost minutes)."""
    root = tmp_path / "root"
    run(["dpkg-deb", "-x", packages["deb"]["pyscap-dkms"], root])
    dist = tmp_path / "dist"
    r = run(["make", "-s", "-f", ROOT / "driver" / "Makefile", "dist", f"DIST_DIR={dist}"])
    assert r.returncode == 0, r.stdout + r.stderr
    tree = root / f"usr/src/pyscap-{VERSION}"

    def files(d: Path) -> dict:
        return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}

    packaged, expected = files(tree), files(dist)
    assert sorted(packaged) == sorted(expected)
    assert packaged == expected
    conf = (tree / "dkms.conf").read_text()
    assert f'PACKAGE_VERSION="{VERSION}"' in conf and 'PACKAGE_NAME="pyscap"' in conf
    # -Werror only on request (the kmod tests ask); dkms does not ask
    kbuild = (tree / "Kbuild").read_text()
    unguarded = kbuild.replace("ifeq ($(PYSCAP_WERROR),1)\nccflags-y += -Werror\nendif\n", "")
    assert "-Werror" not in unguarded and "PYSCAP_WERROR" not in conf, kbuild


# --- the .rpms -----------------------------------------------------------------------------------


def _rpm(*args: object) -> str:
    r = run(["rpm", *args])
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_rpm_metadata_and_contents(packages):
    rpms = packages["rpm"]
    for name, p in rpms.items():
        info = _rpm("-qip", p)
        assert f"Version     : {VERSION}" in info, info
        assert "Summary     : " in info and "License     : " in info
        assert name in info
        # LICENSE: Apache-2.0, the eBPF programs (in libscap.so) and the module GPL-2.0-only
        assert "License     : Apache-2.0 AND GPL-2.0-only\n" in info, info
    lib = _rpm("-qlp", rpms["libpyscap0"]).split()
    assert any(f.endswith(f"/libsinsp.so.{VERSION}") for f in lib) and not any(f.endswith(".h") for f in lib)
    dev = _rpm("-qlp", rpms["libpyscap-devel"]).split()
    assert "/usr/include/scap/capture.h" in dev and any(f.endswith("/cmake/pyscap/pyscapConfig.cmake") for f in dev)
    assert f"/usr/src/pyscap-{VERSION}/dkms.conf" in _rpm("-qlp", rpms["pyscap-dkms"]).split()
    assert "/usr/bin/pyscap" in _rpm("-qlp", rpms["pyscap"]).split()
    # autoreq found the system libraries; the project's own dependencies are exact
    reqs = _rpm("-qp", "--requires", rpms["libpyscap0"])
    assert "libc.so.6" in reqs and "libz.so.1" in reqs and "libbpf.so.1" in reqs, reqs
    assert f"libpyscap0 = {VERSION}" in _rpm("-qp", "--requires", rpms["libpyscap-devel"])
    assert "dkms" in _rpm("-qp", "--requires", rpms["pyscap-dkms"]).split()
    scripts = _rpm("-qp", "--scripts", rpms["pyscap-dkms"])
    assert "dkms add" in scripts and "dkms remove" in scripts


def test_rpms_install_into_a_scratch_root_and_erase(packages, tmp_path):
    """rpm --root: the database and the files in a scratch directory (no scripts: dkms, Python
    are the host's; no dependency check: the scratch root has no libc package)."""
    root = tmp_path / "root"
    _rpm("--root", root, "--initdb")
    r = run(["rpm", "--root", root, "-i", "--nodeps", "--noscripts", *packages["rpm"].values()])
    assert r.returncode == 0, r.stderr
    assert sorted(_rpm("--root", root, "-qa", "--qf", "%{NAME}\n").split()) == sorted(RPMS)
    assert list(root.glob(f"usr/lib*/libscap.so.{VERSION}")), list(root.rglob("*.so*"))
    assert (root / "usr/include/sinsp/inspector.h").is_file() and (root / "usr/bin/pyscap").is_file()
    assert (root / f"usr/src/pyscap-{VERSION}/dkms.conf").is_file()
    assert _rpm("--root", root, "-V", "--nodeps", *RPMS) == ""  # files as packaged (the root has no libc)
    r = run(["rpm", "--root", root, "-e", "--nodeps", "--noscripts", *RPMS])
    assert r.returncode == 0, r.stderr
    assert _rpm("--root", root, "-qa").strip() == ""
    db = root / _rpm("--eval", "%_dbpath").strip().lstrip("/")  # Debian's rpm: ~/.rpmdb
    left = [p for p in root.rglob("*") if p.is_file() and db not in p.parents]
    assert left == [], left


# --- installed on this machine -------------------------------------------------------------------


def _installed() -> list[str]:
    r = run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev}\n", *DEBS])
    return [line.split()[0] for line in r.stdout.splitlines() if len(line.split()) > 1]


def _purge() -> subprocess.CompletedProcess:
    return run(["dpkg", "--purge", *DEBS], timeout=300)


def _clean_env() -> dict:
    """No hint of the source tree: the installed files alone must do."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYSCAP_", "PYTHON", "PKG_CONFIG", "LD_", "CMAKE_"))
    }
    env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
    return env


@pytest.fixture(scope="module")
def installed(root, packages):
    """dpkg -i the four .debs on this machine (purged again by test_purge_leaves_nothing, or at the
    end of this module whatever happened). Returns {package: [its paths]}."""
    require(shutil.which("dkms") is not None, "dkms is not installed (apt-get install dkms)")
    if _installed():
        _purge()  # a run that was killed mid-module
    r = run(
        ["dpkg", "-i", *(packages["deb"][n] for n in DEBS)],
        timeout=600,
        env=dict(_clean_env(), DEBIAN_FRONTEND="noninteractive"),
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    listed = {n: run(["dpkg", "-L", n]).stdout.split("\n") for n in DEBS}
    yield {n: [p for p in paths if p] for n, paths in listed.items()}
    if _installed():
        _purge()


def test_installed_packages_are_registered(installed):
    for n in DEBS:
        status = run(["dpkg-query", "-W", "-f", "${Status} ${Version}", n]).stdout
        assert status == f"install ok installed {VERSION}", (n, status)
    cache = run(["ldconfig", "-p"]).stdout
    assert "libscap.so.0 " in cache and "libsinsp.so.0 " in cache, cache
    # the dkms package registered the module's sources (built only where the running kernel has headers)
    status = run(["dkms", "status", "-m", "pyscap", "-v", VERSION]).stdout
    assert status.startswith(f"pyscap/{VERSION}"), status
    assert Path(f"/var/lib/dkms/pyscap/{VERSION}/source/dkms.conf").exists()


def test_a_consumer_builds_with_pkg_config_only(installed, tmp_path):
    env = _clean_env()
    flags = run(["pkg-config", "--cflags", "--libs", "libsinsp"], env=env)
    assert flags.returncode == 0, flags.stderr
    assert "-lsinsp" in flags.stdout and "-lscap" in flags.stdout, flags.stdout
    libdir = os.path.normpath(run(["pkg-config", "--variable=libdir", "libsinsp"], env=env).stdout.strip())
    assert Path(libdir, "libsinsp.so").resolve() == Path(libdir, f"libsinsp.so.{VERSION}").resolve()
    assert libdir in [p for n in ("libpyscap-dev",) for p in (Path(x).parent.as_posix() for x in installed[n])]
    (tmp_path / "prog.c").write_text(PROGRAM)
    exe = tmp_path / "prog"
    r = run(["cc", "-Wall", "-Wextra", "-Werror", tmp_path / "prog.c", "-o", exe, *flags.stdout.split()], env=env)
    assert r.returncode == 0, r.stderr
    r = run([exe, CAPTURE], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == _expected_lines()
    # the installed libraries, nothing else (ldd may name them through /lib, merged with /usr/lib)
    loaded = {
        l.split()[0]: os.path.realpath(l.split()[2])
        for l in run(["ldd", exe], env=env).stdout.splitlines()
        if " => " in l
    }
    packaged = {os.path.realpath(p) for p in installed["libpyscap0"]}
    assert loaded["libscap.so.0"] in packaged and loaded["libsinsp.so.0"] in packaged, loaded


def test_a_consumer_builds_with_find_package_only(installed, tmp_path):
    env = _clean_env()
    src, build = tmp_path / "src", tmp_path / "build"
    src.mkdir()
    (src / "prog.c").write_text(PROGRAM)
    (src / "CMakeLists.txt").write_text(CMAKELISTS.format(version=VERSION.rsplit(".", 1)[0]))
    r = run(["cmake", "-S", src, "-B", build, "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror"], env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    cache = (build / "CMakeCache.txt").read_text()
    assert "pyscap_DIR:PATH=/usr/lib" in cache and "/cmake/pyscap" in cache, [
        l for l in cache.splitlines() if "pyscap_DIR" in l
    ]
    r = run(["cmake", "--build", build], env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run([build / "prog", CAPTURE], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == _expected_lines()
    # SameMajorVersion: a consumer that needs a next major version is refused at configure time
    (src / "CMakeLists.txt").write_text(CMAKELISTS.format(version="1.0"))
    r = run(["cmake", "-S", src, "-B", tmp_path / "b1"], env=env)
    out = " ".join((r.stderr + r.stdout).split())  # CMake wraps its messages
    assert r.returncode != 0 and 'compatible with requested version "1.0"' in out and f"version: {VERSION}" in out, out


def test_the_installed_cli_and_python_package(installed, tmp_path):
    env = _clean_env()
    r = run(
        ["/usr/bin/pyscap", "-r", CAPTURE, "-p", "%evt.num %proc.name %fd.name", "evt.type=open and evt.dir=<"],
        env=env,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert [VERSION, *r.stdout.splitlines()] == _expected_lines()
    r = run(["/usr/bin/pyscap", "--version"], env=env, cwd=tmp_path)
    assert r.returncode == 0 and VERSION in r.stdout + r.stderr, r.stdout + r.stderr
    probe = "import pyscap, pyscap._native as n; print(pyscap.__file__, n.mode, n._scap_path, n._sinsp_path)"
    r = run(["/usr/bin/python3", "-c", probe], env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    pkg, mode, scap, sinsp = r.stdout.split()
    assert pkg == "/usr/lib/python3/dist-packages/pyscap/__init__.py"
    assert mode == "api"  # the packaged compiled cffi module, not the ABI-mode fallback
    assert scap in installed["libpyscap0"] and sinsp in installed["libpyscap0"], (scap, sinsp)
    # the bundled sample capture, through the Python API
    count = "import pathlib, pyscap\nwith pyscap.open_file(pathlib.Path(pyscap.__file__).parent / 'data/sample.scap') as c: print(sum(1 for _ in c))"
    r = run(["/usr/bin/python3", "-c", count], env=env, cwd=tmp_path)
    assert r.returncode == 0 and int(r.stdout) > 0, r.stdout + r.stderr


def test_purge_leaves_nothing(installed):
    """Last in this module: dpkg --purge removes every file and directory the packages brought,
    the bytecode the runs above wrote and the dkms registration."""
    r = _purge()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "not empty so not removed" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert _installed() == []
    left = [p for paths in installed.values() for p in paths if os.path.lexists(p) and not os.path.isdir(p)]
    assert left == [], left
    ours = [
        "/usr/include/scap",
        "/usr/include/sinsp",
        "/usr/lib/python3/dist-packages/pyscap",
        f"/usr/src/pyscap-{VERSION}",
        "/var/lib/dkms/pyscap",
    ]
    ours += [p for p in installed["libpyscap-dev"] if p.endswith("/cmake/pyscap")]
    assert [p for p in ours if os.path.lexists(p)] == []
    assert run(["dkms", "status", "-m", "pyscap"]).stdout.strip() == ""
    assert "libscap.so.0 " not in run(["ldconfig", "-p"]).stdout
