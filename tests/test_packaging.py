"""CPack packages: the deb (always) and the rpm (where rpmbuild exists) hold working libraries,
headers, pkg-config files and a dkms source tree that builds the module."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, require, run

VERSION = (ROOT / "VERSION").read_text().strip()

PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include <scap/scap.h>
#include <sinsp/sinsp.h>
int main(void)
{
	printf("%s %s\n", scap_version_string(), sinsp_version_string());
	return strcmp(scap_version_string(), sinsp_version_string()) != 0;
}
"""


@pytest.fixture(scope="module")
def packages(build_dir, tmp_path_factory):
    """cpack over the configured build tree (the same install rules a distribution build uses)."""
    out = tmp_path_factory.mktemp("pkg")
    gens = ["DEB"] + (["RPM"] if shutil.which("rpmbuild") else [])
    made = {}
    for g in gens:
        r = run(["cpack", "-G", g, "-B", out, "--config", build_dir / "CPackConfig.cmake"], timeout=600)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for p in out.iterdir():
        if p.suffix in (".deb", ".rpm"):
            made[p.suffix] = p
    assert ".deb" in made, list(out.iterdir())
    return made


@pytest.fixture(scope="module")
def deb_root(packages, tmp_path_factory):
    root = tmp_path_factory.mktemp("debroot")
    r = run(["dpkg-deb", "-x", packages[".deb"], root])
    assert r.returncode == 0, r.stderr
    return root


def _libdir(listing: str) -> str:
    """usr/lib or usr/lib/<multiarch>: GNUInstallDirs picks it from the configured prefix."""
    for line in listing.splitlines():
        if line.endswith(f"/libscap.so.{VERSION}"):
            return line.split("./", 1)[1].rsplit("/", 1)[0]
    raise AssertionError(f"no libscap.so.{VERSION} in the package:\n{listing}")


def test_deb_metadata_and_contents(packages):
    deb = packages[".deb"]
    assert deb.name == f"pyscap_{VERSION}_amd64.deb"
    info = run(["dpkg-deb", "-f", deb, "Package", "Version", "Depends"]).stdout
    assert f"Version: {VERSION}" in info
    assert "libc6" in info and "zlib1g" in info and "libre2" in info and "libbpf" in info  # shlibdeps
    files = run(["dpkg-deb", "-c", deb]).stdout
    lib = _libdir(files)
    for f in [
        "usr/include/scap/capture.h",
        "usr/include/sinsp/inspector.h",
        "usr/include/scap_abi_events.h",
        f"{lib}/libscap.so.{VERSION}",
        f"{lib}/libsinsp.so.{VERSION}",
        f"{lib}/pkgconfig/libscap.pc",
        f"{lib}/pkgconfig/libsinsp.pc",
        f"usr/src/pyscap-{VERSION}/dkms.conf",
        f"usr/src/pyscap-{VERSION}/Kbuild",
        f"usr/src/pyscap-{VERSION}/abi/scap_abi.h",
    ]:
        assert f"./{f}" in files, f


def test_dkms_conf_version_is_the_product_version(deb_root):
    conf = (deb_root / f"usr/src/pyscap-{VERSION}/dkms.conf").read_text()
    assert f'PACKAGE_VERSION="{VERSION}"' in conf
    assert 'PACKAGE_NAME="pyscap"' in conf


def test_a_program_builds_and_runs_against_the_package(packages, deb_root, tmp_path):
    src = tmp_path / "prog.c"
    src.write_text(PROGRAM)
    lib = deb_root / _libdir(run(["dpkg-deb", "-c", packages[".deb"]]).stdout)
    pc = lib / "pkgconfig"
    env = dict(os.environ, PKG_CONFIG_PATH=str(pc))
    flags = run(["pkg-config", "--cflags", "--libs", "libsinsp"], env=env)
    assert flags.returncode == 0, flags.stderr
    inc = [f[2:] for f in flags.stdout.split() if f.startswith("-I")]
    assert inc and Path(inc[0]).resolve() == (deb_root / "usr/include").resolve(), flags.stdout
    assert "-lsinsp" in flags.stdout and "-lscap" in flags.stdout
    exe = tmp_path / "prog"
    r = run(["cc", "-Wall", "-Wextra", "-Werror", src, "-o", exe, *flags.stdout.split()])
    assert r.returncode == 0, r.stderr
    r = run([exe], env=dict(os.environ, LD_LIBRARY_PATH=str(lib)))
    assert r.returncode == 0 and r.stdout.split() == [VERSION, VERSION], r.stdout + r.stderr
    # only the API is exported from the packaged libraries
    syms = run(["nm", "-D", "--defined-only", lib / f"libscap.so.{VERSION}"]).stdout
    names = [l.split()[-1] for l in syms.splitlines() if " T " in l]
    assert names and all(n.startswith("scap_") for n in names), [n for n in names if not n.startswith("scap_")]


def test_rpm_contents(packages):
    require(".rpm" in packages, "rpmbuild not installed (apt-get install rpm)")
    files = run(["rpm", "-qlp", packages[".rpm"]]).stdout
    assert f"/usr/src/pyscap-{VERSION}/dkms.conf" in files
    assert any(l.endswith(f"libsinsp.so.{VERSION}") for l in files.splitlines()), files
    assert "/usr/include/scap/capture.h" in files


def test_dkms_tree_is_the_tree_the_kmod_tests_build(deb_root, tmp_path):
    """The packaged /usr/src tree holds exactly what `make -C driver dist` copies, the tree that
    tests/test_kmod.py builds pyscap.ko from (building it again here would cost minutes)."""
    dist = tmp_path / "dist"
    r = run(["make", "-s", "-f", ROOT / "driver" / "Makefile", "dist", f"DIST_DIR={dist}"])
    assert r.returncode == 0, r.stdout + r.stderr
    tree = deb_root / f"usr/src/pyscap-{VERSION}"

    def files(d: Path) -> dict:
        return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}

    packaged, expected = files(tree), files(dist)
    assert sorted(packaged) == sorted(expected)
    assert packaged == expected
