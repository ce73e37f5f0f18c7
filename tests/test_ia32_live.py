"""32-bit tasks are no blind spot (issue 15): a static i386 binary (tests/ia32/workload32.c) and a
64-bit one that enters the ia32 table with `int $0x80` (tests/ia32/int80.c) make their syscalls
under a live capture, and each comes out as the event of its x86_64 twin with every parameter's
exact value: converted numbers (socketcall, mmap2, _llseek, setuid32 ...), arguments split in two
registers, compat iovecs and msghdrs, old_timespec32 and compat_rlimit. The binaries are built here
with Debian's gcc-multilib (scripts/setup.sh --test installs it)."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

import pyscap

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tests" / "ia32"
FIELDS = ["evt.type", "fd.name", "proc.name", "proc.exe", "proc.args", "proc.ppid", "thread.tid", "evt.args"]
ARGS = ["flags", "prot", "whence", "domain", "resource", "resolve", "addr"]


def build_ia32(out: Path) -> tuple[Path, Path]:
    """The static i386 workload and the 64-bit `int $0x80` program, built into out (also the kmod
    tests' guest programs: tests/test_kmod.py)."""
    w32, i80 = out / "workload32", out / "int80"
    for cmd in (
        ["gcc", "-m32", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", w32, SRC / "workload32.c"],
        ["gcc", "-static", "-no-pie", "-O2", "-Wall", "-Wextra", "-Werror", "-o", i80, SRC / "int80.c"],
    ):
        r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
        assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed (gcc-multilib installed?):\n{r.stderr}"
    kind = subprocess.run(["file", "-b", str(w32)], capture_output=True, text=True).stdout
    assert kind.startswith("ELF 32-bit") and "80386" in kind, kind
    return w32, i80


@pytest.fixture(scope="module")
def binaries(tmp_path_factory):
    return build_ia32(tmp_path_factory.mktemp("ia32"))


def _copy(e):
    return e.copy(FIELDS + [f"evt.arg.{a}" for a in ARGS])


def _capture(cap, proc, until, limit=30.0):
    """Events of proc (and its children) until until(events) holds."""
    out = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not until(out):
        e = cap.next(timeout=0.5)
        if e is not None:
            out.append(_copy(e))
    return out


def _of(events, kind, enter=False):
    """The exit (or enter) events of type kind."""
    return [e for e in events if e["evt.type"] == kind and e.is_enter == enter]


def _kprobes() -> bool:
    """The kernel attaches kprobes (the ia32 TOCTOU enter events' hook): engines/bpf_core's test."""
    return os.path.exists("/sys/bus/event_source/devices/kprobe/type") or os.path.exists(
        "/sys/kernel/tracing/kprobe_events"
    )


@pytest.mark.parametrize("toctou", ["default", "sys_enter"])
def test_ia32_binary_syscalls_exact(live_bpf, binaries, tmp_path, monkeypatch, toctou):
    """Every exit event's parameters; the TOCTOU enter events come from kprobes on the ia32
    syscall functions where the kernel has kprobes, else (this VM's kernel has none) not at all,
    and from the raw sys_enter dispatcher when it is the hook (SCAP_BPF_CORE_TOCTOU=sys_enter)."""
    w32, _ = binaries
    if toctou == "sys_enter":
        monkeypatch.setenv("SCAP_BPF_CORE_TOCTOU", "sys_enter")
    else:
        monkeypatch.delenv("SCAP_BPF_CORE_TOCTOU", raising=False)
    data = (bytes(range(48, 58)) * 2000)[:20000]
    target = tmp_path / "ia32-file.bin"
    target.write_bytes(data)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]
    wanted = "openat open creat openat2 close read pread64 lseek readv writev mmap nanosleep getrlimit socket connect"
    wanted += " sendmsg"
    wanted += " setuid clone execve waitpid"
    with pyscap.open_live(syscalls=wanted.split(), snaplen=64) as cap:
        child = subprocess.Popen(
            [str(w32), str(target), str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        cap.set_filter(f"proc.pid = {child.pid} or proc.ppid = {child.pid}")
        child.stdin.write("g")
        child.stdin.flush()
        conns = [srv.accept()[0] for _ in range(3)]
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0, out
        events = _capture(cap, child, lambda ev: any(e["evt.type"] == "waitpid" for e in ev))
        st = cap.stats()
    for c in conns:
        c.close()
    srv.close()
    assert out.startswith("hello32"), out  # writev(1, {"he", "llo32"}), then the workload's report
    m = re.search(r"rlimit (\d+) (\d+)\nfd (\d+) s1 (\d+) s2 (\d+) s3 (\d+)\nchild (\d+)\n$", out)
    assert m, out
    rl_cur, rl_max, fd, s1, s2, s3, grandchild = (int(v) for v in m.groups())
    pid = child.pid
    ino = os.stat(target).st_ino

    # from the workload's first syscall (the forked Popen child closes fds before its execve); the
    # grandchild's events end at its execve of /bin/true, a 64-bit program
    start = next(i for i, e in enumerate(events) if e["evt.type"] == "read" and not e.is_enter and e.params["fd"] == 0)
    assert [e.tid for e in events[:start]] == [pid] * start
    events = events[start + 1 :]
    late = [e for e in events if e.tid == grandchild and e["proc.name"] == "true" and e["evt.type"] != "execve"]
    events = [e for e in events if e not in late]
    (o,) = _of(events, "openat")
    assert (o.tid, o.res, o.params["dirfd"], o.params["name"], o.params["mode"], o.params["ino"]) == (
        pid,
        fd,
        -100,
        str(target),
        0,
        ino,
    )
    assert o["evt.arg.flags"] == "1(O_RDONLY)" and o["fd.name"] == str(target)
    (op,) = _of(events, "open")
    assert (op.params["name"], op["evt.arg.flags"], op.params["ino"]) == (str(target), "4097(O_RDONLY|O_CLOEXEC)", ino)
    (cr,) = _of(events, "creat")
    assert (cr.params["name"], cr.params["mode"], cr.params["ino"]) == (
        f"{target}.creat",
        0o600,
        os.stat(f"{target}.creat").st_ino,
    )
    (o2,) = _of(events, "openat2")
    assert (o2.params["dirfd"], o2.params["name"], o2["evt.arg.flags"], o2["evt.arg.resolve"]) == (
        -100,
        str(target),
        "1(O_RDONLY)",
        "8(RESOLVE_NO_SYMLINKS)",
    )
    closes = [(e.res, e.params["fd"]) for e in _of(events, "close")]
    assert closes == [(0, op.res), (0, cr.res), (0, o2.res)]
    # the TOCTOU enter events: from kprobes on the ia32 syscall functions, or from the sys_enter
    # dispatcher when it is the hook; on a kernel without kprobes (this VM's) otherwise none, as
    # the engine says in its log
    enters = [(e["evt.type"], e.params["name"] if "name" in e.params else e.params["fd"]) for e in events if e.is_enter]
    if toctou == "default" and not _kprobes():
        assert enters == []
    else:
        assert enters == [
            ("openat", str(target)),
            ("open", str(target)),
            ("creat", f"{target}.creat"),
            ("openat2", str(target)),
            ("connect", s1),
            ("connect", s2),
            ("connect", s3),
        ]
        (oe,) = _of(events, "openat", enter=True)
        assert (oe.params["dirfd"], oe["evt.arg.flags"], oe.params["mode"]) == (-100, "1(O_RDONLY)", 0)
        (pe,) = _of(events, "open", enter=True)
        assert pe["evt.arg.flags"] == "4097(O_RDONLY|O_CLOEXEC)"
        (ce,) = _of(events, "creat", enter=True)
        assert ce.params["mode"] == 0o600
        (o2e,) = _of(events, "openat2", enter=True)
        assert (o2e.params["dirfd"], o2e["evt.arg.flags"], o2e["evt.arg.resolve"]) == (
            -100,
            "1(O_RDONLY)",
            "8(RESOLVE_NO_SYMLINKS)",
        )
        # glibc's connect, socketcall(SYS_CONNECT) and the direct connect
        assert [e["evt.arg.addr"] for e in _of(events, "connect", enter=True)] == [f"127.0.0.1:{port}"] * 3

    (rd,) = _of(events, "read")
    assert (rd.res, rd.params["data"], rd.params["fd"], rd.params["size"]) == (5, data[:5], fd, 5)
    (pr,) = _of(events, "pread")
    assert (pr.res, pr.params["data"], pr.params["fd"], pr.params["size"], pr.params["pos"]) == (
        0,
        None,  # an empty parameter
        fd,
        4,
        (1 << 32) + 2,
    )
    seeks = [(e.res, e.params["fd"], e.params["offset"], e["evt.arg.whence"]) for e in _of(events, "lseek")]
    assert seeks == [
        (0, fd, (1 << 32) + 5, "0(SEEK_SET)"),  # _llseek(fd, 1, 5, &result, SEEK_SET)
        (len(data) - 2, fd, (1 << 64) - 2, "2(SEEK_END)"),  # lseek(fd, -2, SEEK_END): sign-extended
        (0, fd, 0, "0(SEEK_SET)"),
    ]

    (rv,) = _of(events, "readv")
    assert (rv.res, rv.params["size"], rv.params["data"], rv.params["fd"]) == (7, 7, data[:7], fd)
    (wv,) = _of(events, "writev")
    assert (wv.res, wv.params["data"], wv.params["fd"], wv.params["size"]) == (7, b"hello32", 1, 7)

    maps = [
        (
            e.params["addr"],
            e.params["length"],
            e["evt.arg.prot"],
            e["evt.arg.flags"],
            e.params["fd"],
            e.params["offset"],
        )
        for e in _of(events, "mmap")
    ]
    assert maps == [
        (0, 4096, "1(PROT_READ)", "2(MAP_PRIVATE)", fd, 8192),  # mmap2: offset 2 pages
        (0, 8192, "1(PROT_READ)", "1(MAP_SHARED)", fd, 12288),  # the old mmap's struct
    ]
    assert all(0 < e.res < 1 << 32 for e in _of(events, "mmap"))

    (ns,) = _of(events, "nanosleep")
    assert (ns.res, ns.params["interval"]) == (0, 2000000)
    (gr,) = _of(events, "getrlimit")
    assert (gr.res, gr.params["cur"], gr.params["max"], gr["evt.arg.resource"]) == (
        0,
        rl_cur,
        rl_max,
        "7(RLIMIT_NOFILE)",
    )

    socks = [(e.res, e["evt.arg.domain"], e.params["type"], e.params["proto"]) for e in _of(events, "socket")]
    assert socks == [(s, "2(AF_INET)", 1, 0) for s in (s1, s2, s3)]
    cons = _of(events, "connect")
    assert [(e.res, e.params["fd"]) for e in cons] == [(0, s1), (0, s2), (0, s3)]
    for e in cons:
        assert e["fd.name"].startswith("127.0.0.1:") and e["fd.name"].endswith(f"->127.0.0.1:{port}"), e["fd.name"]
    (sm,) = _of(events, "sendmsg")
    assert (sm.res, sm.params["data"], sm.params["fd"], sm.params["size"]) == (5, b"abcde", s1, 5)
    assert sm["fd.name"] == cons[0]["fd.name"]

    (su,) = _of(events, "setuid")
    assert (su.res, su.params["uid"]) == (0, os.getuid())

    clones = {e.tid: e for e in _of(events, "clone")}
    assert set(clones) == {pid, grandchild}
    assert (clones[pid].res, clones[grandchild].res) == (grandchild, 0)
    assert clones[pid]["evt.arg.flags"] == "25165824(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID)"
    assert (clones[grandchild]["proc.ppid"], clones[grandchild]["proc.name"]) == (pid, "workload32")

    execs = _of(events, "execve")
    assert [(e.tid, e.res) for e in execs] == [(grandchild, -2), (grandchild, 0)]
    assert execs[0].params["filename"] == "/nonexistent/ia32"
    assert (execs[1]["proc.name"], execs[1]["proc.args"], execs[1]["proc.ppid"]) == ("true", "ia32-arg", pid)
    (wp,) = _of(events, "waitpid")  # no x86_64 twin: the generic event with ia32's own code
    assert (wp.tid, wp.type) == (pid, pyscap.EventType.SYSCALL_X)
    assert st.drops == 0


@pytest.mark.parametrize("toctou", ["default", "sys_enter"])
def test_int80_from_a_64_bit_task(live_bpf, binaries, tmp_path, monkeypatch, toctou):
    _, i80 = binaries
    if toctou == "sys_enter":
        monkeypatch.setenv("SCAP_BPF_CORE_TOCTOU", "sys_enter")
    else:
        monkeypatch.delenv("SCAP_BPF_CORE_TOCTOU", raising=False)
    target = tmp_path / "int80-target"
    target.write_text("x")
    with pyscap.open_live(syscalls=["open", "close"]) as cap:
        child = subprocess.Popen([str(i80), str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cap.set_filter(f"proc.pid = {child.pid}")
        out, _ = child.communicate("g", timeout=60)
        assert child.returncode == 0, out
        fd = int(out.split()[1])
        events = _capture(
            cap, child, lambda ev: any(e["evt.type"] == "close" and not e.is_enter and e.params["fd"] == fd for e in ev)
        )
    if toctou == "default" and not _kprobes():
        assert _of(events, "open", enter=True) == []
    else:
        (oe,) = _of(events, "open", enter=True)
        assert (oe.tid, oe.params["name"], oe["evt.arg.flags"]) == (child.pid, str(target), "1(O_RDONLY)")
    (op,) = _of(events, "open")
    assert (op.tid, op.res, op.params["name"], op["evt.arg.flags"], op.params["ino"]) == (
        child.pid,
        fd,
        str(target),
        "1(O_RDONLY)",
        os.stat(target).st_ino,
    )
    # the other closes are the forked Popen child's, before its execve
    (cl,) = [e for e in _of(events, "close") if e.params["fd"] == fd]
    assert (cl.tid, cl.res) == (child.pid, 0)


def test_ia32_syscalls_follow_the_interest_set(live_bpf, binaries, tmp_path, monkeypatch):
    """Only what was asked for: an ia32 socketcall whose call nobody asked for is left out, and a
    capture of connect alone sees the three connects (one through socketcall) and nothing else."""
    monkeypatch.delenv("SCAP_BPF_CORE_TOCTOU", raising=False)
    w32, _ = binaries
    target = tmp_path / "f"
    target.write_bytes(b"0" * 20000)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    with pyscap.open_live(syscalls=["connect"]) as cap:
        child = subprocess.Popen(
            [str(w32), str(target), str(srv.getsockname()[1])], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        cap.set_filter(f"proc.pid = {child.pid}")
        child.stdin.write(b"g")
        child.stdin.flush()
        conns = [srv.accept()[0] for _ in range(3)]
        child.communicate(timeout=60)
        per = [("connect", True), ("connect", False)] if _kprobes() else [("connect", False)]
        events = _capture(cap, child, lambda ev: len(ev) >= 3 * len(per))
        time.sleep(0.3)
        while (e := cap.next(timeout=0.2)) is not None:
            events.append(_copy(e))
    for c in conns:
        c.close()
    srv.close()
    assert [(e["evt.type"], e.is_enter) for e in events] == per * 3
