"""bench/run.py --quick: the benchmark command runs end to end (build, syscall storm under every
tracer, a capture file written live and read by pyscap and sysdig, Python iteration) and prints
its one markdown table. No timing is asserted; run.py itself asserts consistent counts."""

import re
import shutil
import sys

import pytest

from conftest import ROOT, require, run


@pytest.mark.slow
def test_bench_quick(live_bpf, build_dir):
    for tool in ("clang", "bpftool", "taskset", "cmake", "make"):
        require(shutil.which(tool) is not None, f"{tool} is not installed (scripts/setup.sh installs it)")
    r = run([sys.executable, ROOT / "bench" / "run.py", "--quick", "--build-dir", build_dir], timeout=900)
    failed = [line for line in r.stdout.splitlines() if line.startswith("FAILED")]
    assert r.returncode == 0, "\n".join(failed) + "\n" + r.stderr[-4000:]
    out = r.stdout
    assert "quick mode: every part ran" in out

    rows = [line for line in out.splitlines() if line.startswith("| ")]
    header, body = rows[0], rows[1:]
    assert header.startswith("| benchmark | tool | ns added per syscall")
    # one table: every row has the header's columns
    ncol = header.count("|")
    assert all(line.count("|") == ncol for line in rows), rows

    tools = {line.split("|")[2].strip() for line in body if line.startswith("| storm: getppid")}
    expect = {
        "untraced",
        "floor: empty tp_btf/sys_exit",
        "floor: empty sys_enter + 34-byte ring event on sys_exit",
        "pyscap CO-RE + C consumer",
        "`pyscap -w /dev/shm/…` (the CLI's C loop)",
        "`pyscap -w -z /dev/shm/…` (writer on both CPUs: gzip runs in a thread of its own)",
        "pyscap CO-RE + Python batches",
    }
    if shutil.which("bpftrace"):
        expect.add("bpftrace, count per CPU")
    assert tools == expect

    reads = [line for line in body if line.startswith("| read ")]
    assert len(reads) == (8 if shutil.which("sysdig") else 4)
    iters = [line for line in body if line.startswith("| Python iteration")]
    # Event objects alone and with 3 fields, batches as rows and as columns, Arrow, NumPy
    assert len(iters) == 6
    # every measured cell is a number with a unit, never a placeholder
    for line in reads + iters:
        assert re.search(r"\| [0-9.]+ [kM] \|", line), line
    m = re.search(r"capture file: (\d+) events .* with (\d+) drops; sysdig reads (\d+|\(not installed\))", out)
    assert m, out
    assert int(m.group(1)) == 20000
    if shutil.which("sysdig"):
        assert m.group(3) == "20000"
