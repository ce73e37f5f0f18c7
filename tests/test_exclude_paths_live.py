"""In-kernel path exclusion for the open family (issue 15, beyond upstream: libs#1867): a capture
with exclude_paths drops the open, openat, openat2 and creat events (enter and exit) whose path is an
excluded path or under it, in the probe, and counts them (Stats.excluded); everything else comes
through. A child makes each syscall itself; the test asserts the exact list of paths delivered."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

import pyscap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the child: each open-family syscall on each path, in this order, raw (ctypes), after a line on stdin
CHILD = textwrap.dedent("""
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    SYS_open, SYS_creat, SYS_openat, SYS_openat2 = 2, 85, 257, 437
    AT_FDCWD = -100
    class how(ctypes.Structure):
        _fields_ = [("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64)]
    sys.stdin.readline()
    os.chdir(sys.argv[1])
    for p in sys.argv[2:]:
        b = p.encode()
        for fd in (
            libc.syscall(SYS_openat, AT_FDCWD, b, os.O_RDONLY, 0),
            libc.syscall(SYS_open, b, os.O_RDONLY, 0),
            libc.syscall(SYS_openat2, AT_FDCWD, b, ctypes.byref(how(os.O_RDONLY, 0, 0)), 24),
        ):
            if fd >= 0:
                os.close(fd)
    fd = libc.syscall(SYS_creat, (sys.argv[1] + "/ex/created").encode(), 0o600)
    os.close(fd)
    fd = libc.syscall(SYS_creat, (sys.argv[1] + "/kept-created").encode(), 0o600)
    os.close(fd)
    print("done", flush=True)
""")
OPEN_FAMILY = ("open", "openat", "openat2", "creat")


def _run(tmp_path, exclude, paths):
    """(delivered (type, direction, path) of the child's open-family events, Stats)."""
    out = []
    with pyscap.open_live(syscalls=list(OPEN_FAMILY), exclude_paths=exclude) as cap:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), *paths], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        cap.set_filter(f"proc.pid = {child.pid}")
        got, _ = child.communicate(b"go\n", timeout=60)
        assert got == b"done\n" and child.returncode == 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            e = cap.next(timeout=0.3)
            if e is None:
                if out and out[-1][2].endswith("kept-created"):
                    break
                continue
            # the paths of the test (the interpreter's start-up opens others)
            name = e.params["name"]
            if e.name in OPEN_FAMILY and (name in paths or name.endswith("created")):
                out.append((e.name, ">" if e.is_enter else "<", name))
        st = cap.stats()
    return out, st


@pytest.fixture
def short_dir():
    """A directory with a short absolute path (an excluded path is under 64 bytes; pytest's
    tmp_path is longer)."""
    d = tempfile.mkdtemp(prefix="pyscap-ex-", dir="/tmp")
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


def test_excluded_paths_are_dropped_in_the_kernel_and_counted(live_bpf, short_dir):
    tmp_path = short_dir
    (tmp_path / "ex").mkdir()
    (tmp_path / "ex" / "a").write_text("a")
    (tmp_path / "exfoo").write_text("b")
    ex, exfoo = tmp_path / "ex", tmp_path / "exfoo"
    # absolute paths: ex itself and under it are dropped, exfoo (the same prefix, another name) is
    # not, nor "/proc"'s sibling; a relative path is matched as given (not resolved): it comes through
    paths = [f"{ex}/a", str(ex), str(exfoo), "/proc/self/status", "/procfs-none", "ex/a"]
    events, st = _run(tmp_path, [f"{ex}/", "/proc"], paths)
    kept = [p for p in paths if p not in (f"{ex}/a", str(ex), "/proc/self/status")]
    want = [(sc, d, p) for p in kept for sc in ("openat", "open", "openat2") for d in "><"]
    want += [("creat", d, str(tmp_path / "kept-created")) for d in "><"]
    assert events == want
    # 3 paths x 3 syscalls, and one creat, each an enter and an exit event
    assert st.excluded == (3 * 3 + 1) * 2 and st.drops == 0
    # without the option: every event, none counted
    events, st = _run(tmp_path, [], paths)
    assert len(events) == (len(paths) * 3 + 2) * 2 and st.excluded == 0


@pytest.mark.parametrize(
    "paths, message",
    [
        (["relative/dir"], 'exclude_paths[0] "relative/dir" is not an absolute path'),
        (["/ok", "/x" * 32], "exclude_paths[1] is 64 bytes long (at most 63)"),
        ([f"/p{i}" for i in range(9)], "exclude_paths: 9 paths (at most 8)"),
        (["/a\0b"], "exclude_paths: a NUL character in '/a\\x00b'"),
    ],
)
def test_bad_excluded_paths_are_refused_with_the_reason(live_bpf, paths, message):
    with pytest.raises(pyscap.CaptureOpenError) as ei:
        pyscap.open_live(syscalls=["openat"], exclude_paths=paths)
    assert message in str(ei.value)


def test_cli_exclude_path(live_bpf, tmp_path):
    """--exclude-path on the command line: a child's opens under /proc are not printed, its other
    ones are, and --stats reports how many were left out."""
    marker = f"excl-{os.getpid()}-{time.monotonic_ns()}"
    script = "import sys; sys.stdin.readline(); open('/proc/self/stat').read(); open('/etc/hostname').read()"
    cli = subprocess.Popen(
        [sys.executable, "-m", "pyscap", "--exclude-path", "/proc", "--stats", "-p", "%evt.dir %fd.name"]
        + ["-M", "5", f"evt.type=openat and proc.args contains {marker}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    time.sleep(2.5)  # the CLI has opened the capture
    child = subprocess.Popen([sys.executable, "-c", script, marker], stdin=subprocess.PIPE)
    child.communicate(b"go\n", timeout=30)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, err
    lines = out.splitlines()
    assert "< /etc/hostname" in lines and not [line for line in lines if "/proc" in line], out
    m = re.search(r" excluded=(\d+)", err)
    assert m and int(m.group(1)) >= 2, err  # the /proc/self/stat openat: enter and exit


def test_cli_bad_exclude_path(live_bpf):
    r = subprocess.run(
        [sys.executable, "-m", "pyscap", "--exclude-path", "proc", "-M", "1"], capture_output=True, text=True, cwd=ROOT
    )
    assert r.returncode != 0 and 'exclude_paths[0] "proc" is not an absolute path' in r.stderr, r.stderr
