"""The ABI contract (docs/abi.md): each library's version script names every symbol it exports,
in the node of the release that added it, and the soname follows VERSION's major number."""

import importlib.util
import re

from conftest import ROOT, run

spec = importlib.util.spec_from_file_location("abi", ROOT / "scripts" / "abi.py")
abi = importlib.util.module_from_spec(spec)
spec.loader.exec_module(abi)


def test_exports_equal_the_version_scripts(build_dir):
    r = run(["python3", ROOT / "scripts" / "abi.py", "--check", build_dir])
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_check_finds_each_kind_of_difference(build_dir, tmp_path):
    so = build_dir / "libscap" / "libscap.so"
    nodes = abi.parse_map((ROOT / "libscap" / "libscap.map").read_text())
    name, syms = nodes[0]
    assert "scap_capture__open_live" in syms and all("*" not in s for s in syms)
    cases = {
        "missing": (
            [s for s in syms if s != "scap_capture__open_live"],
            "exports scap_capture__open_live, which no node",
        ),
        "extra": (syms + ["scap_no_such_function"], "lists scap_no_such_function (node LIBSCAP_0.1), which"),
        "pattern": (["scap_*"], "exports by pattern (scap_*)"),
    }
    for what, (listed, message) in cases.items():
        m = tmp_path / f"{what}.map"
        m.write_text(abi.render("", [(name, listed)]))
        problems = abi.check("libscap", m, so)
        assert any(message in p for p in problems), (what, problems)
    # a symbol of a later node whose library still carries the first node's version
    m = tmp_path / "later.map"
    m.write_text(
        abi.render(
            "", [(name, [s for s in syms if s != "scap_capture__next"]), ("LIBSCAP_0.2", ["scap_capture__next"])]
        )
    )
    assert abi.check("libscap", m, so) == [
        "libscap: scap_capture__next carries version LIBSCAP_0.1, its node is LIBSCAP_0.2"
    ]


def test_soname_is_the_major_version(build_dir):
    major = (ROOT / "VERSION").read_text().strip().split(".")[0]
    for lib in ("libscap", "libsinsp"):
        d = run(["readelf", "-d", build_dir / lib / f"{lib}.so"])
        assert re.search(rf"\(SONAME\)\s+Library soname: \[{lib}\.so\.{major}\]", d.stdout), d.stdout
