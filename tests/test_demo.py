"""The README's main job: scripts/demo.sh (live) and its fallback, the bundled sample capture."""

import os
import re
import subprocess

from conftest import ROOT, run

SAMPLE = ROOT / "pyscap" / "data" / "sample.scap"
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def _cli(*args):
    return run(["python3", "-m", "pyscap", *args], env=ENV, cwd=ROOT)


def test_bundled_sample_shows_the_demo_workload(build_dir):
    """sample.scap is `scripts/demo.sh --record`: cat /etc/hostname, ls /etc, a refused TCP connect."""
    r = _cli("-r", SAMPLE, "evt.type in (execve, connect) or (evt.type=openat and fd.name=/etc/hostname)")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any(re.search(r" cat \(\d+\) execve res=0 exe=cat args=/etc/hostname\. ", l) for l in lines)
    assert any(re.search(r" ls \(\d+\) execve res=0 exe=ls args=/etc\. ", l) for l in lines)
    assert any(
        re.search(
            r" cat \(\d+\) openat fd=3\(<f>/etc/hostname\) dirfd=-100\(AT_FDCWD\) "
            r"name=/etc/hostname flags=1\(O_RDONLY\) mode=0 ",
            l,
        )
        for l in lines
    )
    assert any(
        re.search(r" connect res=-111\(ECONNREFUSED\) tuple=NULL fd=3\(<4>\) addr=127\.0\.0\.1:9 ?$", l) for l in lines
    )
    # the whole file reads without error, in the default format
    r = _cli("-r", SAMPLE)
    assert r.returncode == 0 and len(r.stdout.splitlines()) > 1000, r.stderr


def test_demo_live_prints_the_workload(build_dir, live_bpf):
    r = subprocess.run(
        [str(ROOT / "scripts" / "demo.sh"), "-M", "3", "proc.name in (cat, ls) and evt.type in (execve, openat)"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert re.search(r" cat \(\d+\) openat fd=3\(<f>/etc/hostname\) ", r.stdout), r.stdout[-3000:]
    assert re.search(r" ls \(\d+\) execve res=0 exe=ls args=/etc\. ", r.stdout), r.stdout[-3000:]
    assert re.search(r"pyscap: events=\d+ .* drops=\d+ ", r.stderr), r.stderr
