"""Overload (issue 21): two getppid storms, one on each CPU, against a small buffer and a consumer
that stalls: nothing is lost silently. Every storm event is either delivered or counted as a drop
(delivered + drops equals what the storms generated, as they count it), and the engine's counters
add up (events == delivered + drops + unread) -- for the C API, Python and the CLI, after a stop
that drains (unread 0) and after one that does not (what is left in the buffers is counted as
unread, not lost). The kernel's syscall set is getppid only, so the drops are the storms' events
(on this machine nothing else calls getppid: the tests check the consumer saw no other caller)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from test_loop_live import ENV, STATS, Storm

import pyscap
from conftest import helper

N = 1_000_000  # getppid calls per storm: ~0.3 s at full speed, many times the small buffer
BUFFER = 1 << 16  # 64 KiB per CPU: ~1,300 events


def storms(build_dir, n=N):
    cpus = [0, 1] if (os.cpu_count() or 1) > 1 else [0, 0]
    return [Storm(build_dir, "getppid", n, cpu=c) for c in cpus]


def run_storms(ss) -> int:
    for s in ss:
        s.go()
    return sum(s.wait()["syscalls"] for s in ss)


def c_consumer(build_dir, ss, stall_ms=300):
    argv = [str(helper(build_dir, "overload_consume")), "--buffer", str(BUFFER), "--stall-ms", str(stall_ms)]
    argv += ["--syscall", "getppid", *[str(s.pid) for s in ss]]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert json.loads(p.stdout.readline()) == {"ready": 1}, p.communicate()
    return p


@pytest.mark.parametrize("drain", [True, False])
def test_c_api_counts_every_storm_event(build_dir, live_bpf, drain):
    ss = storms(build_dir)
    try:
        # without drain, the consumer holds after its first batch until the signal: the buffers
        # are full when it closes (with a fixed stall, a consumer that caught up found them empty)
        c = c_consumer(build_dir, ss, stall_ms=300 if drain else -1)
        generated = run_storms(ss)
        c.send_signal(signal.SIGUSR1 if drain else signal.SIGUSR2)
        out, err = c.communicate(timeout=60)
    finally:
        for s in ss:
            s.kill()
    assert c.returncode == 0, err
    r = json.loads(out)
    assert generated == 2 * N
    assert r["delivered_seen"] == r["delivered"] == r["mine"], r  # no other getppid caller
    assert r["drops"] == r["drops_buffer"] > 0 and r["mine"] > 0, r  # overloaded, and still delivering
    assert r["events"] == r["delivered"] + r["drops"] + r["unread"], r
    if drain:
        assert r["unread"] == 0, r
        assert r["mine"] + r["drops"] == generated, r
    else:
        # closed at once: the buffers' events are neither delivered nor dropped but unread
        assert r["unread"] > 0, r
        assert r["mine"] + r["drops"] + r["unread"] == generated, r


def test_python_counts_every_storm_event(build_dir, live_bpf):
    ss = storms(build_dir)
    try:
        with pyscap.open_live(syscalls=["getppid"], buffer_size=BUFFER) as cap:
            pids = {s.pid for s in ss}
            for s in ss:
                s.go()
            mine = other = 0
            stalled = stopped = False
            for e in cap:
                if e.tid in pids:
                    mine += 1
                else:
                    other += 1
                if not stalled:
                    time.sleep(0.3)  # the buffers fill up: drops
                    stalled = True
                if not stopped and all(s.p.poll() is not None for s in ss):
                    cap.stop()  # the iteration drains what is left, then ends
                    stopped = True
            st = cap.stats()
        generated = sum(s.wait()["syscalls"] for s in ss)
    finally:
        for s in ss:
            s.kill()
    assert stopped and other == 0, (other, st)
    assert st.drops == st.drops_buffer > 0 and mine > 0, st
    assert (st.events, st.unread) == (st.delivered + st.drops, 0), st
    assert mine + st.drops == generated == 2 * N, (mine, st)


def test_python_stop_without_drain_counts_unread(build_dir, live_bpf):
    """Stopped and not read further: the events left in the buffers are counted as unread."""
    ss = storms(build_dir, 200_000)
    try:
        with pyscap.open_live(syscalls=["getppid"], buffer_size=BUFFER) as cap:
            generated = run_storms(ss)
            cap.stop()
            st = cap.stats()
    finally:
        for s in ss:
            s.kill()
    assert st.delivered == 0 and st.drops > 0, st
    # the buffers are full: every event in them is unread, the rest dropped
    assert st.unread > 0 and st.events == st.unread + st.drops == generated, st


def test_cli_counts_every_storm_event(build_dir, live_bpf, tmp_path):
    """pyscap -w with every syscall in the kernel's set (as sysdig), stopped (SIGSTOP) for half a
    second while the storms run: it drops, then recovers (storm events after the stall are in
    the file). After SIGINT (a stop that drains) the counters add up, the file holds every event
    returned, and every storm event missing from it is covered by a drop."""
    ss = storms(build_dir, 5 * N)
    out = tmp_path / "overload.scap"
    filt = " or ".join(f"proc.pid={s.pid}" for s in ss)
    try:
        w = subprocess.Popen(
            [sys.executable, "-m", "pyscap", "-w", str(out), "--stats", filt],
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not out.exists():
            assert w.poll() is None, w.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for s in ss:
            s.go()
        w.send_signal(signal.SIGSTOP)
        time.sleep(0.5)
        resumed_ns = time.time_ns()
        w.send_signal(signal.SIGCONT)
        generated = sum(s.wait()["syscalls"] for s in ss)
        w.send_signal(signal.SIGINT)
        _, err = w.communicate(timeout=120)
    finally:
        for s in ss:
            s.kill()
    assert w.returncode == 130, err
    m = STATS.search(err)
    assert m and "unread=0" in err, err
    events, delivered, returned, drops = map(int, m.groups())
    assert events == delivered + drops and drops > 0, err
    with pyscap.open_file(str(out), filter="evt.type=getppid") as cap:
        ts = [e.ts for e in cap]
    in_file = len(ts)
    assert max(ts) > resumed_ns + 10_000_000, "nothing after the stall"
    with pyscap.open_file(str(out)) as cap:
        assert sum(1 for _ in cap) == returned, err
    assert generated == 10 * N
    assert in_file < generated <= in_file + drops, (in_file, err)
