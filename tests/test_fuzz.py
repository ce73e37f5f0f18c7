"""The fuzz targets of fuzz/ (fuzz/README.md): every libFuzzer target and the atheris harness run
for a bounded time without a crash, leak or sanitizer report (scripts/fuzz.sh); every input under
fuzz/regressions/ (each one a crash that was found and fixed) still runs clean through its target;
the seed corpora are built from the repository's data; and each fixed finding has a direct test."""

import os
import re
import sys

import pytest
from test_sinsp_lib import libs

from conftest import ROOT, helper, run

FUZZ = ROOT / "scripts" / "fuzz.sh"
TARGETS = ["fuzz_event_decode", "fuzz_scap_file", "fuzz_convert", "fuzz_filter", "fuzz_format", "py_fuzz"]
SECONDS = 20  # per target, two at a time: about a minute on a 2-core machine, plus the first build


def fuzz_env(build_dir):
    env = dict(os.environ, PYSCAP_BUILD_DIR=str(build_dir), PYTHON=sys.executable)
    env.pop("ASAN_OPTIONS", None)  # scripts/fuzz.sh sets its own
    return env


@pytest.fixture(scope="module")
def bounded_run(build_dir):
    """scripts/fuzz.sh over every target, SECONDS each (the build-fuzz build made first if needed)."""
    r = run([FUZZ, "--seconds", SECONDS, "--jobs", 2], cwd=ROOT, env=fuzz_env(build_dir), timeout=1800)
    return r


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_target_runs_clean(bounded_run, target):
    out = bounded_run.stdout + bounded_run.stderr
    line = re.search(rf"^fuzz: {target} +(\d+) execs in .*: ok$", out, re.M)
    assert line, f"{target} did not finish clean:\n{out[-6000:]}"
    assert int(line.group(1)) > 0


@pytest.mark.slow
def test_bounded_run_exits_zero(bounded_run):
    assert bounded_run.returncode == 0, (bounded_run.stdout + bounded_run.stderr)[-6000:]
    assert "fuzz: no crash, leak or sanitizer report" in bounded_run.stdout


@pytest.mark.slow
def test_every_regression_input_still_runs_clean(build_dir):
    inputs = [p for p in (ROOT / "fuzz" / "regressions").rglob("*") if p.is_file() and p.suffix != ".md"]
    assert inputs, "fuzz/regressions/ is empty"
    r = run([FUZZ, "--replay"], cwd=ROOT, env=fuzz_env(build_dir), timeout=1800)
    assert r.returncode == 0, (r.stdout + r.stderr)[-6000:]
    assert f"fuzz: replayed {len(inputs)} regression inputs" in r.stdout, r.stdout


def test_seed_corpora_come_from_the_repository(tmp_path, build_dir):
    r = run([sys.executable, ROOT / "fuzz" / "make_corpus.py", tmp_path], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    counts = dict(re.findall(r"^corpus: (\w+): (\d+) seeds$", r.stdout, re.M))
    assert set(counts) == set(TARGETS), r.stdout
    assert all(int(n) >= 10 for n in counts.values()), counts
    # the small files cut from the captures are well-formed .scap files that read to the end
    dump = helper(build_dir, "scap_read_dump")
    for seed in sorted((tmp_path / "fuzz_scap_file").iterdir()):
        d = run([dump, "--meta", seed])
        assert d.returncode == 0 and '"end":"eof"' in d.stdout.splitlines()[-1], (seed, d.stdout[-500:])


# ---- the findings, each tested directly as well ----


def test_format_width_is_bounded():
    """fuzz_format found a signed overflow in the width of '%<width>field' (formatter.cpp); widths
    above 4096 are now an error (fuzz/regressions/fuzz_format/width-overflow)."""
    _, lib = libs()
    f = lib.sinsp_formatter__create(b"%4096proc.name", 0)
    assert f
    lib.sinsp_formatter__free(f)
    for fmt in (b"%4097proc.name", b"x %99999999999999proc.name"):
        assert lib.sinsp_formatter__create(fmt, 0) is None
        pos = fmt.index(b"%") + 1
        assert lib.sinsp_last_error().decode() == f"invalid format at position {pos}: a width larger than 4096"
