"""The C loop on live captures (CO-RE probe): `pyscap -w` keeps up with a syscall storm (every
event in the file, 0 drops), SIGINT/SIGTERM/SIGHUP stop it with every delivered event in a
complete file (also when the shell left SIGINT ignored, and for a second signal), a SIGKILLed
writer leaves a file that reads up to its last flush (at most a second old), and lines go out at
once to a terminal or with --unbuffered."""

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest

import pyscap
from conftest import ROOT, helper

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
STATS = re.compile(r"pyscap: events=(\d+) delivered=(\d+) returned=(\d+) filtered=\d+ drops=(\d+)")


class Storm:
    """bench/storm.c: waits for "go", then runs ITERS iterations of a syscall pattern and prints
    a JSON line. The tests filter on its pid, so they know how many events to expect."""

    def __init__(self, build_dir, pattern: str, iters: int, pace: int | None = None, cpu: int | None = None):
        argv = [str(helper(build_dir, "bench_storm")), "--wait"]
        if pace:
            argv += ["--pace", str(pace)]
        argv += [pattern, str(iters)]
        if cpu is not None and os.cpu_count() and os.cpu_count() > 1:
            argv = ["taskset", "-c", str(cpu), *argv]
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.pid = json.loads(self.p.stdout.readline())["pid"]

    def go(self):
        self.p.stdin.write("go\n")
        self.p.stdin.flush()

    def wait(self, timeout=300):
        line = self.p.stdout.readline()
        self.p.wait(timeout=timeout)
        return json.loads(line)

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def start_writer(path, filt, *extra, preexec_fn=None, cpu=None):
    argv = [sys.executable, "-m", "pyscap", "-w", str(path), "--stats", *extra, filt]
    if cpu is not None and os.cpu_count() and os.cpu_count() > 1:
        argv = ["taskset", "-c", str(cpu), *argv]
    p = subprocess.Popen(
        argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn
    )
    deadline = time.monotonic() + 120
    while not path.exists():  # the file is created once the capture runs
        assert p.poll() is None, p.communicate()
        assert time.monotonic() < deadline, "the capture did not start"
        time.sleep(0.05)
    return p


def count_events(path, filt):
    with pyscap.open_file(str(path), filter=filt) as cap:
        return sum(1 for _ in cap)


def test_write_keeps_up_with_a_storm(build_dir, live_bpf, tmp_path):
    """A getppid storm at full speed on one CPU, pyscap -w on the other: the file holds every
    one of the storm's getppid exit events, and the capture counted no drop."""
    n = 300_000
    storm = Storm(build_dir, "getppid", n, cpu=0)
    out = tmp_path / "storm.scap"
    try:
        w = start_writer(out, f"proc.pid={storm.pid} and evt.type=getppid", "-n", str(n), cpu=1)
        storm.go()
        storm.wait()
        try:
            _, err = w.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            # fewer than n: stop it (it drains and prints its counters) and say what it saw
            w.send_signal(signal.SIGINT)
            _, err = w.communicate(timeout=60)
            pytest.fail(f"the writer did not get the storm's {n} events:\n{err}")
    finally:
        storm.kill()
    assert w.returncode == 0, err
    m = STATS.search(err)
    assert m, err
    events, delivered, returned, drops = map(int, m.groups())
    assert (returned, drops) == (n, 0), err
    assert delivered >= n and events >= delivered  # -n stops at n: later events stay in the rings
    assert count_events(out, f"proc.pid={storm.pid} and evt.type=getppid") == n


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_leaves_every_delivered_event_in_the_file(build_dir, live_bpf, tmp_path, sig):
    storm = Storm(build_dir, "mix", 10_000_000, pace=20)
    out = tmp_path / "stop.scap"
    filt = f"proc.pid={storm.pid}"
    try:
        w = start_writer(out, filt)
        storm.go()
        time.sleep(1.5)
        w.send_signal(sig)
        _, err = w.communicate(timeout=120)
    finally:
        storm.kill()
    assert w.returncode == 128 + sig, err
    m = STATS.search(err)
    assert m, err
    events, delivered, returned, drops = map(int, m.groups())
    # the capture was drained before it closed: nothing generated is unaccounted for
    assert events == delivered + drops, err
    assert returned > 1000, err
    # every event the loop handled is in the file, which is complete (it reads to its end)
    assert count_events(out, filt) == returned


def test_sigint_works_where_the_shell_ignores_it_and_twice(build_dir, live_bpf, tmp_path):
    """A background job of a non-interactive shell starts with SIGINT ignored: pyscap handles it
    anyway. A second SIGINT right after the first changes nothing (exit 130, file complete)."""
    storm = Storm(build_dir, "mix", 10_000_000, pace=20)
    out = tmp_path / "bg.scap"
    filt = f"proc.pid={storm.pid}"
    try:
        w = start_writer(out, filt, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        storm.go()
        time.sleep(1.0)
        w.send_signal(signal.SIGINT)
        time.sleep(0.005)
        w.send_signal(signal.SIGINT)
        _, err = w.communicate(timeout=120)
    finally:
        storm.kill()
    assert w.returncode == 130, err
    returned = int(STATS.search(err).group(3))
    assert returned > 0 and count_events(out, filt) == returned


def test_sigkill_leaves_a_file_that_reads_up_to_its_last_flush(build_dir, live_bpf, tmp_path):
    storm = Storm(build_dir, "mix", 10_000_000, pace=20)
    out = tmp_path / "killed.scap"
    filt = f"proc.pid={storm.pid}"
    try:
        w = start_writer(out, filt)
        storm.go()
        time.sleep(3.0)
        killed_at = time.time_ns()
        w.kill()
        w.wait()
    finally:
        storm.kill()
    r = subprocess.run(
        [sys.executable, "-m", "pyscap", "-r", str(out), "-p", "%evt.rawtime", filt],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # cut anywhere: the complete events before the cut are read, then the truncation reported
    assert r.returncode in (0, 1), r.stderr
    if r.returncode == 1:
        assert "truncated" in r.stderr or "ends early" in r.stderr, r.stderr
    stamps = [int(x) for x in r.stdout.split()]
    assert len(stamps) > 1000
    # flushed at least every second: what the file holds goes to within ~1 s of the kill (plus
    # the time the writer lags behind the storm)
    assert killed_at - stamps[-1] < 2_000_000_000, (killed_at - stamps[-1]) / 1e9


def _read_line(fd, timeout):
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 4096)
        if not chunk:
            return None
        buf += chunk
    return buf.split(b"\n", 1)[0].decode()


@pytest.mark.parametrize("mode", ["terminal", "--unbuffered"])
def test_lines_go_out_at_once(live_bpf, tmp_path, mode):
    """To a terminal (a pty here) or with --unbuffered, each line is written as it is made: the
    line of a syscall shows up while pyscap keeps running with a busy machine."""
    marker = tmp_path / "marker-file"
    argv = [sys.executable, "-m", "pyscap", "-p", "%evt.type %fd.name", f"evt.type=openat and fd.name={marker}"]
    if mode == "terminal":
        master, slave = pty.openpty()
        p = subprocess.Popen(argv, env=ENV, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        rd = master
    else:
        p = subprocess.Popen(
            [*argv[:3], "--unbuffered", *argv[3:]], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        rd = p.stdout.fileno()
    try:
        line = None
        deadline = time.monotonic() + 60
        while line is None and time.monotonic() < deadline:
            with open(marker, "w"):
                pass
            line = _read_line(rd, 1.0)
        assert line is not None and line.strip() == f"openat {marker}", line
        assert p.poll() is None
    finally:
        p.send_signal(signal.SIGINT)
        p.wait(timeout=60)
        if mode == "terminal":
            os.close(master)
    assert p.returncode == 130


def test_the_api_loop_stops_from_another_thread_and_drains(build_dir, live_bpf, tmp_path):
    import threading

    storm = Storm(build_dir, "mix", 10_000_000, pace=20)
    out = tmp_path / "api.scap"
    try:
        with pyscap.open_live(filter=f"proc.pid={storm.pid}") as cap, cap.loop(write=str(out)) as lp:
            storm.go()
            threading.Timer(1.0, lp.stop).start()
            assert lp.run_to_end() == "stopped"
            written = lp.stats.written
            st = cap.stats()
    finally:
        storm.kill()
    assert written > 100 and st.events == st.delivered + st.drops
    assert count_events(out, f"proc.pid={storm.pid}") == written
