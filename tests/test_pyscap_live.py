"""Live captures from Python (root, kernel with BTF, engine bpf_core): this process captures its
own child's open, connect and execve and checks exact values; syscall sets, snaplen, buffer size,
stats, dumps; no privileges; an unavailable engine; Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import pyscap

ROOT = Path(__file__).resolve().parent.parent
CHILD = textwrap.dedent("""
    import os, socket, sys
    sys.stdin.readline()
    fd = os.open(sys.argv[1], os.O_RDONLY)
    s = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
    os.write(1, b"x" * 200)
    os.execv("/bin/echo", ["echo", "pyscap-marker", "second arg"])
""")


def _collect(cap, until, limit=30.0):
    """Copies of the events until until(evt) is true (or `limit` seconds)."""
    out = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        e = cap.next(timeout=0.5)
        if e is None:
            continue
        out.append(
            e.copy(
                [
                    "fd.name",
                    "evt.res",
                    "proc.name",
                    "proc.exe",
                    "proc.args",
                    "proc.ppid",
                    "fd.sport",
                    "fd.type",
                    "thread.tid",
                    "evt.args",
                    "proc.pid",
                ]
            )
        )
        if until(e):
            break
    return out


def test_child_open_connect_execve_exact_values(live_bpf, tmp_path):
    target = tmp_path / "opened-by-child.txt"
    target.write_text("hello")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    with pyscap.open_live(syscalls=["openat", "connect", "execve", "write", "socket"], snaplen=64) as cap:
        assert cap.engine == "bpf_core" and cap.live
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target), str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        cap.set_filter(f"proc.pid = {child.pid}")
        child.stdin.write(b"go\n")
        child.stdin.flush()
        conn, peer = srv.accept()
        out, _ = child.communicate(timeout=60)
        events = _collect(cap, lambda e: e.name == "execve" and e["proc.name"] == "echo")
        st = cap.stats()
    conn.close()
    srv.close()
    assert out == b"x" * 200 + b"pyscap-marker second arg\n"
    assert child.returncode == 0
    names = {e.name for e in events}
    assert names <= {"openat", "connect", "execve", "write", "socket"}, names

    opens = [e for e in events if e.name == "openat" and not e.is_enter and e["fd.name"] == str(target)]
    assert len(opens) == 1, [e["evt.args"] for e in events if e.name == "openat"][-5:]
    o = opens[0]
    assert (o.tid, o["evt.res"], o.params["name"], o.params["flags"]) == (child.pid, "SUCCESS", str(target), 4097)
    assert o.res >= 3 and o["proc.pid"] == child.pid and o["fd.type"] == "file"

    conns = [e for e in events if e.name == "connect" and not e.is_enter]
    assert len(conns) == 1
    c = conns[0]
    assert c["fd.name"] == f"127.0.0.1:{peer[1]}->127.0.0.1:{port}"
    assert (c.res, c["evt.res"], c["fd.sport"], c["fd.type"]) == (0, "SUCCESS", port, "ipv4")

    writes = [e for e in events if e.name == "write" and not e.is_enter and e.params["fd"] == 1]
    assert writes and writes[0].res == 200 and writes[0].params["data"] == b"x" * 64  # snaplen 64

    ex = events[-1]
    assert (ex.name, ex.tid, ex.res, ex["proc.name"], ex["proc.exe"], ex["proc.args"], ex["proc.ppid"]) == (
        "execve",
        child.pid,
        0,
        "echo",
        "echo",
        "pyscap-marker second arg",
        os.getpid(),
    )
    assert ex.params["exe"] == "echo" and ex.params["filename"] == "/bin/echo"
    assert st.events >= st.delivered >= st.returned >= len(events) and st.drops == 0


def test_buffer_size_syscall_switch_stop_dump_and_batches(live_bpf, tmp_path):
    out = tmp_path / "live.scap"
    code = "import os, sys\nsys.stdin.readline()\nfor _ in range(%d): os.getppid()"
    # our own syscalls are excluded: children make them, each when told to
    first, muted, second = (
        subprocess.Popen([sys.executable, "-c", code % n], stdin=subprocess.PIPE) for n in (100, 7, 10)
    )
    pids = f"{first.pid}, {muted.pid}, {second.pid}"
    with pyscap.open_live(
        syscalls=["getppid"], buffer_size=1 << 20, filter=f"evt.type = getppid and thread.tid in ({pids})"
    ) as cap:
        first.communicate(b"go\n", timeout=60)
        n = cap.dump_to(str(out), count=100, timeout=20)
        assert n == 100
        cap.set_syscall("getppid", False)  # switched off in the engine: nothing of `muted`
        muted.communicate(b"go\n", timeout=60)
        cap.set_syscall(pyscap.PpmSc.GETPPID, True)
        second.communicate(b"go\n", timeout=60)
        time.sleep(0.2)
        cap.stop()
        rows = [r for b in cap.batches(["evt.type", "thread.tid", "evt.rawres"], timeout=5) for r in b]
    # generic syscall events carry no return value (as upstream: evt.rawres is not available)
    assert rows == [("getppid", second.pid, None)] * 10
    with pyscap.open_file(str(out)) as back:
        got = [(e.name, e.tid, e.res, e.type) for e in back]
    assert got == [("getppid", first.pid, None, pyscap.EventType.SYSCALL_X)] * 100
    with pytest.raises(pyscap.CaptureOpenError):
        pyscap.open_live(buffer_size=12345)  # not a power of two


def _run_py(code: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, timeout=timeout, **kw
    )


def test_no_privileges_is_permission_denied(live_bpf):
    r = _run_py("""
        import os, pyscap
        pyscap.open_file  # load the libraries as root, then drop privileges
        os.setgroups([]); os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534)
        try:
            pyscap.open_live()
        except pyscap.PermissionDeniedError as e:
            print("denied", e.errno, e)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("denied 1 ") or r.stdout.startswith("denied 13 "), r.stdout


def test_unavailable_engine(live_bpf):
    if os.path.exists("/dev/pyscap0"):
        pytest.skip("the pyscap kernel module is loaded here")
    with pytest.raises(pyscap.EngineUnavailableError, match="kernel module is not loaded"):
        pyscap.open_live(engine="kmod")
    with pytest.raises(pyscap.CaptureOpenError, match="unknown live engine"):
        pyscap.open_live(engine="nope")


def test_ctrl_c_closes_cleanly(live_bpf):
    # Python's Ctrl-C handler, also where SIGINT came in ignored (a shell's background job):
    # Python installs none for a signal ignored at startup
    code = """
        import signal, sys, pyscap
        signal.signal(signal.SIGINT, signal.default_int_handler)
        cap = pyscap.open_live(syscalls=["getppid"])
        try:
            with cap:
                print("ready", flush=True)
                for evt in cap:
                    pass
        except KeyboardInterrupt:
            print("interrupted closed=%s" % cap.closed, flush=True)
        kept = pyscap.sniff(syscalls=["getppid"], prn=None)
        print("sniff returned %s" % type(kept).__name__, flush=True)
    """
    p = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    watchdog = threading.Timer(120, p.kill)  # a child that misses the signal fails the test, not hangs it
    watchdog.start()
    assert p.stdout.readline() == "ready\n"
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    assert p.stdout.readline() == "interrupted closed=True\n"
    # sniff(): Ctrl-C ends it and returns the events so far (opening takes a few seconds)
    time.sleep(15)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    watchdog.cancel()
    assert p.returncode == 0, err
    assert out == "sniff returned list\n"
