"""The hygiene stage (scripts/lint.sh, run first by .ci/run) passes on the tree and fails on each
kind of finding: a misformatted C line, a ruff finding, a misformatted Python line, a type error,
a shellcheck finding, a stale generated file."""

import subprocess

import pytest

from conftest import ROOT, run

LINT = ROOT / "scripts" / "lint.sh"


def test_the_tree_is_clean():
    r = run([LINT], cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    for step in ("clang-format", "ruff check", "ruff format", "mypy", "shellcheck", "generated files"):
        assert f"lint: {step}" in r.stdout, r.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A clone of the tree as committed, with the working tree's files copied over it (so that a
    local run sees the files it is about to commit)."""
    dst = tmp_path_factory.mktemp("lint") / "pyscap"
    subprocess.run(["git", "clone", "-q", ROOT, dst], check=True)
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for f in files:
        src = ROOT / f
        if src.is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            (dst / f).write_bytes(src.read_bytes())
            (dst / f).chmod(src.stat().st_mode)
        else:  # deleted in the working tree
            (dst / f).unlink(missing_ok=True)
    subprocess.run(["git", "add", "-A"], cwd=dst, check=True)
    return dst


BREAKAGES = {
    "clang-format": ("libscap/capture.c", lambda s: s.replace("\tif (!cap)\n\t\treturn;", "\tif(!cap) return;", 1)),
    "ruff check": ("pyscap/cli.py", lambda s: s + "\nimport os\n"),
    "ruff format": ("pyscap/errors.py", lambda s: s + "\nx = [1,2]\n"),
    "mypy": ("pyscap/errors.py", lambda s: s + '\n\ndef _broken() -> int:\n    return "text"\n'),
    "shellcheck": ("scripts/test.sh", lambda s: s + "\nrm -rf $UNQUOTED/tmp\n"),
    "generated files": ("docs/events.md", lambda s: s.replace("openat", "open_at", 1)),
}


@pytest.mark.parametrize("step", list(BREAKAGES))
def test_each_finding_fails_the_stage(clone, step):
    rel, edit = BREAKAGES[step]
    path = clone / rel
    before = path.read_text()
    after = edit(before)
    assert after != before, f"the breakage for {step} did not apply to {rel}"
    path.write_text(after)
    try:
        r = run([clone / "scripts" / "lint.sh"], cwd=clone, timeout=600)
    finally:
        path.write_text(before)
    assert r.returncode == 1, r.stdout + r.stderr
    failed = [l for l in r.stderr.splitlines() if l.endswith(": FAILED")]
    assert len(failed) == 1 and failed[0].startswith(f"lint: {step}"), r.stdout + r.stderr
