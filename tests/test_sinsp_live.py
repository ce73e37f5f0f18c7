"""Live (root, bpf_core): a forked child execs, chdirs, opens a file by a relative path, connects a
TCP socket to a local listener and exits; the inspector's view of each step is exact."""

import ctypes as C
import os
import socket
import subprocess
import sys
import tempfile
import time

from test_sinsp_lib import Inspector, SinspOpts, libs

from conftest import require


class LiveOpts(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("engine", C.c_char_p),
        ("buffer_bytes", C.c_uint32),
        ("snaplen", C.c_uint32),
        ("ppm_sc", C.c_void_p),
        ("exclude_tgids", C.c_void_p),
        ("n_exclude_tgids", C.c_uint32),
        ("exclude_comms", C.c_void_p),
        ("n_exclude_comms", C.c_uint32),
        ("exclude_self", C.c_bool),
        ("drop_failed", C.c_bool),
    ]


def test_live_child_exec_chdir_open_connect_exit(build_dir, live_bpf):
    scap, lib = libs()
    o = LiveOpts()
    o.sz = C.sizeof(LiveOpts)
    o.engine = b"bpf_core"
    scap.scap_capture__open_live.argtypes = [C.POINTER(LiveOpts)]
    scap.scap_capture__open_live.restype = C.c_void_p
    cap = scap.scap_capture__open_live(C.byref(o))
    require(bool(cap), f"bpf_core engine unavailable in this build: {scap.scap_last_error().decode()}")
    scap.scap_capture__start.argtypes = [C.c_void_p]
    so = SinspOpts()
    so.live = 1
    insp = Inspector(cap=cap, opts=so)
    assert scap.scap_capture__start(cap) == 0, scap.scap_last_error()

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    work = tempfile.mkdtemp(prefix="sinsp-live-")
    with open(os.path.join(work, "rel.txt"), "w") as f:
        f.write("x")
    code = (
        f"import os, socket\nos.chdir({work!r})\nopen('rel.txt').close()\n"
        f"s = socket.create_connection(('127.0.0.1', {port}))\ns.close()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code])
    conn, _ = srv.accept()
    conn.close()
    assert child.wait(timeout=20) == 0
    pid = child.pid

    seen = {}
    fmt = (
        "*%evt.type|%proc.name|%proc.pid|%proc.ppid|%proc.exepath|%proc.cwd|%fd.name|%fd.type|"
        "%fd.sip|%fd.sport|%evt.res"
    )
    deadline = time.time() + 20
    exited = False
    while time.time() < deadline and not exited:
        e = C.c_void_p()
        rc = lib.sinsp_inspector__next(insp.h, C.byref(e))
        if rc == 1:
            time.sleep(0.01)
            continue
        assert rc == 0, lib.sinsp_last_error()
        insp.evt = e.value
        if lib.sinsp_event__tid(e.value) != pid:
            continue
        line = insp.fmt(fmt)
        typ = line.split("|")[0]
        if typ == "execve" and "execve" not in seen:
            seen["execve"] = line
            t = insp.thread(pid)
            assert (t.pid, t.ptid) == (pid, os.getpid())
            assert t.args[0] == "-c"
        elif typ == "chdir":
            seen["chdir"] = line
        elif typ in ("openat", "open") and line.split("|")[6] == os.path.join(work, "rel.txt"):
            seen["open"] = line
            assert insp.fmt("%evt.arg.name") == "rel.txt(" + os.path.join(work, "rel.txt") + ")"
        elif typ == "connect" and line.split("|")[-1] == "SUCCESS":
            seen["connect"] = line
        elif typ == "procexit":
            seen["procexit"] = line
            assert insp.thread(pid).dead
            exited = True
    # the next event removes the dead child (wait for one: a loaded machine may have none at once)
    subprocess.run(["true"])  # some events of another process, in case the machine is idle
    deadline = time.monotonic() + 30
    while True:
        e = C.c_void_p()
        rc = lib.sinsp_inspector__next(insp.h, C.byref(e))
        if rc == 0:
            break
        assert rc == 1 and time.monotonic() < deadline, f"no event after the procexit (rc {rc})"
        time.sleep(0.001)
    left = insp.thread(pid)
    assert left is None, (left.comm, left.dead, insp.fmt("*%evt.num %evt.type %thread.tid %proc.name", e.value))
    insp.close()
    srv.close()
    exe = os.path.realpath(sys.executable)
    comm = os.path.basename(sys.executable)[:15]  # the kernel comm: the name execve was given
    me = os.getpid()
    assert seen["execve"] == f"execve|{comm}|{pid}|{me}|{exe}|{os.getcwd()}/|<NA>|<NA>|<NA>|<NA>|SUCCESS"
    assert seen["chdir"] == f"chdir|{comm}|{pid}|{me}|{exe}|{work}/|<NA>|<NA>|<NA>|<NA>|SUCCESS"
    assert (
        seen["open"] == f"{seen['open'].split('|')[0]}|{comm}|{pid}|{me}|{exe}|{work}/|{work}/rel.txt|file|"
        f"<NA>|<NA>|SUCCESS"
    )
    cport = seen["connect"].split("|")[6].split("->")[0].split(":")[1]
    assert seen["connect"] == (
        f"connect|{comm}|{pid}|{me}|{exe}|{work}/|127.0.0.1:{cport}->127.0.0.1:{port}|ipv4|127.0.0.1|{port}|SUCCESS"
    )
    assert seen["procexit"].startswith(f"procexit|{comm}|{pid}|{me}|{exe}|{work}/|")
