"""libsinsp's C event loop (sinsp/loop.h) through pyscap.Loop and the CLI, on files: the lines it
prints are the per-event formatter's, the files it writes hold the events it read, rotation
(-C, -G, -W, -e) splits a capture into files that each read on their own and that join into the
whole sequence, -n/-M limits, -S counts, and bad options get a clear error."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import pyscap
from conftest import CAPTURES, ROOT
from pyscap import capture, codec
from pyscap.events import EventType

CURL = CAPTURES / "curl_google.scap"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# every field whose value comes from the state: a rotated file must start with the whole state
STATE_LINE = "*%evt.rawtime %evt.cpu %proc.name %thread.tid %proc.pid %proc.ppid %proc.exe %proc.cwd %evt.type %fd.num %fd.name %fd.type %user.name %evt.args"


def cli(*args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run([sys.executable, "-m", "pyscap", *map(str, args)], env=ENV, **kw)


def lines(path, fmt=STATE_LINE):
    """Every event of a file as a line, libsinsp's internal events (procinfo, ...) too: pyscap -w
    writes them, as sysdig -w does, and -e counts them."""
    with pyscap.open_file(str(path), internal_events=True) as cap:
        return [line for e in cap if (line := e.format(fmt)) is not None]


def per_event_lines(path, fmt):
    with pyscap.open_file(str(path)) as cap:
        return [line for e in cap if (line := e.format(fmt)) is not None]


@pytest.mark.parametrize("fmt", [capture.DEFAULT_FORMAT, "%evt.num %fd.name", STATE_LINE])
def test_loop_lines_are_the_formatters(tmp_path, fmt):
    out = tmp_path / "out.txt"
    with open(out, "w") as f, pyscap.open_file(str(CURL)) as cap, cap.loop(format=fmt, out=f) as lp:
        assert lp.run_to_end() == "done"
        st = lp.stats
    expected = per_event_lines(CURL, fmt)
    assert out.read_text().splitlines() == expected
    assert st.lines == len(expected) and st.events == 676 and st.written == 0 and st.files == 0


def test_loop_json_and_a_line_longer_than_the_buffer(tmp_path):
    # a 50 KB path printed twice: a line longer than the loop's 64 KiB buffer
    big = "x" * 50_000
    evts = b"".join(
        codec.encode_values(EventType.MKDIR_X, [0, f"/tmp/{i}{big if i == 1 else ''}", 0o755], ts=1000 + i, tid=7)
        for i in range(3)
    )
    out = tmp_path / "out.txt"
    fmt = "%evt.num %evt.arg.path %evt.arg.path"
    with open(out, "w") as f, pyscap.open_events(evts) as cap, cap.loop(format=fmt, out=f) as lp:
        lp.run_to_end()
    want = ["1 /tmp/0 /tmp/0", f"2 /tmp/1{big} /tmp/1{big}", "3 /tmp/2 /tmp/2"]
    assert out.read_text().splitlines() == want
    r = cli("-r", CURL, "-j", "-n", 3)
    assert r.returncode == 0 and [l[:1] + l[-1:] for l in r.stdout.splitlines()] == ["{}"] * 3


def test_loop_limits_count_and_span():
    nums = [e.num for e in pyscap.open_file(str(CURL))]
    with pyscap.open_file(str(CURL)) as cap, cap.loop(count=10) as lp:
        assert lp.run_to_end() == "done" and lp.stats.events == 10
        # the capture goes on where the loop stopped
        assert cap.next().num == nums[10]
    ts = [e.ts for e in pyscap.open_file(str(CURL))]
    span = (ts[500] - ts[0]) / 1e9
    with pyscap.open_file(str(CURL)) as cap, cap.loop(span=span) as lp:
        lp.run_to_end()
        n = lp.stats.events
    assert n == sum(1 for t in ts if t - ts[0] <= int(span * 1e9)) and 0 < n < len(ts)
    with pytest.raises(ValueError):
        pyscap.open_file(str(CURL)).loop(count=0)


def test_loop_summary_counts_every_event_like_sysdig_s():
    counts: dict[tuple[str, str], int] = {}
    with pyscap.open_file(str(CURL)) as cap:
        for e in cap:
            key = (">" if e.is_enter else "<", e.name)
            counts[key] = counts.get(key, 0) + 1
    with pyscap.open_file(str(CURL)) as cap, cap.loop(summary=True) as lp:
        lp.run_to_end()
        got = lp.summary()
    assert {(d, n): c for d, n, c in got} == counts
    assert [c for _, _, c in got] == sorted(counts.values(), reverse=True)
    r = cli("-r", CURL, "-S", "-n", 0)
    assert r.returncode == 0


def test_write_then_read_gives_the_same_events(tmp_path):
    out = tmp_path / "copy.scap"
    r = cli("-r", CURL, "-w", out)
    assert r.returncode == 0, r.stderr
    with pyscap.open_file(str(CURL), internal_events=True) as a, pyscap.open_file(str(out), internal_events=True) as b:
        left = [(e.raw, e.cpu) for e in a]
        right = [(e.raw, e.cpu) for e in b]
    assert left == right and len(left) == 991
    assert lines(out) == lines(CURL)


@pytest.mark.parametrize("gz", [False, True])
def test_rotation_by_events_joins_into_the_whole_sequence(tmp_path, gz):
    base = tmp_path / "part.scap"
    r = cli("-r", CURL, "-w", base, "-e", 100, *(["-z"] if gz else []))
    assert r.returncode == 0, r.stderr
    files = sorted(tmp_path.iterdir(), key=lambda p: int(p.name[len("part.scap") :]))
    assert [p.name for p in files] == [f"part.scap{i}" for i in range(10)]
    joined = []
    for p in files:
        assert (p.read_bytes()[:2] == b"\x1f\x8b") == gz
        part = lines(p)
        assert len(part) == (100 if p != files[-1] else 91), p
        joined += part
    # every event once, in order, and the state-derived fields as in the original: each file
    # starts with the process table and fds of the state at its first event
    assert joined == lines(CURL)


def test_rotation_by_size_and_a_ring_of_files(tmp_path):
    base = tmp_path / "sz.scap"
    r = cli("-r", CURL, "-w", base, "-C", 0.1)
    assert r.returncode == 0, r.stderr
    files = sorted(tmp_path.iterdir(), key=lambda p: int(p.name[len("sz.scap") :]))
    assert len(files) >= 3 and files[0].name == "sz.scap0"
    for p in files[:-1]:
        # a file is closed at the first event that finds it over the limit (its size includes
        # the process table at its head, about 60 KB here)
        assert 100_000 < p.stat().st_size < 100_000 + 5_000, p
    whole = [l for p in files for l in lines(p)]
    assert whole == lines(CURL)

    ring = tmp_path / "ring"
    ring.mkdir()
    r = cli("-r", CURL, "-w", ring / "r.scap", "-C", 0.1, "-W", 2)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in ring.iterdir())
    assert names == ["r.scap0", "r.scap1"]  # -W 2: one digit, two files reused
    # the ring holds the last two pieces: their events are the tail of the sequence
    parts = {p.name: lines(p) for p in ring.iterdir()}
    last_first = sorted(parts.values(), key=lambda ls: ls[0])
    tail = [l for part in last_first for l in part]
    assert tail == lines(CURL)[-len(tail) :]


def _timed_events(n, step_ns, t0=1_700_000_000_000_000_000):
    return b"".join(
        codec.encode_values(EventType.MKDIR_X, [0, f"/tmp/d{i}", 0o755], ts=t0 + i * step_ns, tid=42) for i in range(n)
    )


def test_rotation_by_time_with_counter_and_strftime_names(tmp_path):
    src = tmp_path / "timed.scap"
    evts = _timed_events(50, 100_000_000)  # 50 events 0.1 s apart: 5 s of event time
    with pyscap.open_events(evts) as cap:
        assert cap.dump_to(str(src)) == 50
    out = tmp_path / "g"
    out.mkdir()
    r = cli("-r", src, "-w", out / "t.scap", "-G", 1)
    assert r.returncode == 0, r.stderr
    parts = {p.name: lines(p, "%evt.arg.path") for p in out.iterdir()}
    assert sorted(parts) == [f"t.scap{i}" for i in range(5)]
    assert [len(parts[f"t.scap{i}"]) for i in range(5)] == [10] * 5
    assert [l for i in range(5) for l in parts[f"t.scap{i}"]] == [f"/tmp/d{i}" for i in range(50)]

    named = tmp_path / "n"
    named.mkdir()
    r = cli("-r", src, "-w", named / "cap-%H%M%S.scap", "-G", 2, "-W", 2)
    assert r.returncode == 0, r.stderr
    got = sorted(p.name for p in named.iterdir())
    # files start at t0, t0+2 s, t0+4 s (local time); -W 2 removed the first one
    import time

    t0 = 1_700_000_000
    want = [time.strftime("cap-%H%M%S.scap", time.localtime(t0 + s)) for s in (2, 4)]
    assert got == sorted(want)


def test_rotation_and_limit_errors(tmp_path):
    for args, msg in [
        (["-r", CURL, "-C", 1], r"pyscap: -C rotates the file written with -w: give -w FILE"),
        (["-r", CURL, "-w", tmp_path / "x", "-W", 3], r"pyscap: -W needs -C, -G or -e to rotate on"),
        (["-r", CURL, "-w", tmp_path / "x", "-e", 0], r"pyscap: -e needs a number > 0"),
        (["-r", CURL, "-w", tmp_path / "x", "-G", -1], r"pyscap: -G needs a number > 0"),
    ]:
        r = cli(*args)
        assert r.returncode == 2 and re.fullmatch(msg, r.stderr.strip()), (args, r.stderr)


def test_a_damaged_file_prints_every_complete_event_then_fails(tmp_path):
    plain = tmp_path / "plain.scap"
    assert cli("-r", CURL, "-w", plain).returncode == 0
    data = plain.read_bytes()
    cut = tmp_path / "cut.scap"
    cut.write_bytes(data[: len(data) * 3 // 5])  # inside a block, 60 % into the events
    r = cli("-r", cut, "-p", "%evt.num")
    assert r.returncode == 1 and "cut.scap" in r.stderr and "byte offset" in r.stderr, r.stderr
    full = cli("-r", plain, "-p", "%evt.num").stdout.split()
    got = r.stdout.split()
    # every complete event before the cut, in order, and only those
    assert got == full[: len(got)] and 0 < len(got) < len(full)


def test_loop_options_are_checked():
    with pyscap.open_file(str(CURL)) as cap:
        with pytest.raises(pyscap.Error, match="-W"):
            cap.loop(write="/tmp/never-written.scap", rotate_files=3)
        with pytest.raises(pyscap.Error, match="rotation needs a write_path"):
            cap.loop(rotate_events=3)
    assert not Path("/tmp/never-written.scap").exists()
