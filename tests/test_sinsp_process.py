"""Thread state: clone/fork/vfork/clone3 (both sides, threads vs processes, CLONE_FILES), execve
(and the close-on-exec purge), procexit (reaping, reparenting), credentials, cwd/root, sessions,
prctl, namespaces, containers from cgroups, suppression, and bounded memory."""

import ctypes as C
import time

import pytest
from test_sinsp_lib import (
    CL_FILES,
    CL_NEWUSER,
    CL_THREAD,
    CL_VM,
    FD_FILE,
    O_CLOEXEC,
    O_RDONLY,
    Extractor,
    Inspector,
    SinspOpts,
    clone_x,
    encode,
    execve_x,
    libs,
    openat_x,
    procexit,
)


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


def base(*events):
    i = Inspector(b"".join(events))
    i.add_thread(1, ptid=0, comm="systemd", cwd="/")
    i.add_thread(
        50,
        ptid=1,
        comm="bash",
        exe="-bash",
        exepath="/usr/bin/bash",
        cwd="/home/u",
        env=("HOME=/home/u", "TERM=xterm"),
        args=("-l",),
        uid=1000,
        gid=1000,
        sid=50,
        pgid=50,
    )
    assert i.add_fd(50, 0, FD_FILE, "/dev/pts/0") == 0
    assert i.add_fd(50, 3, FD_FILE, "/home/u/.history", openflags=O_CLOEXEC) == 0
    return i


def test_fork_caller_side_first_then_child_side():
    i = base(
        clone_x(10, 50, 60, comm="bash", exe="-bash", args=("-l",), cwd="/home/u", uid=1000, gid=1000, ptid=1),
        clone_x(
            11,
            60,
            0,
            comm="bash",
            exe="-bash",
            args=("-l",),
            pid=60,
            ptid=50,
            cwd="/home/u",
            uid=1000,
            gid=1000,
            vtid=1,
            vpid=1,
        ),
    )
    i.next()
    c = i.thread(60)
    assert (c.tid, c.pid, c.ptid, c.comm, c.exe, c.exepath, c.cwd, c.uid, c.gid, c.sid, c.pgid) == (
        60,
        60,
        50,
        "bash",
        "-bash",
        "/usr/bin/bash",
        "/home/u",
        1000,
        1000,
        50,
        50,
    )
    assert c.env == ["HOME=/home/u", "TERM=xterm"] and c.args == ["-l"]
    assert i.thread(50).children == [60]
    assert sorted(c.fds) == [0, 3] and not c.shares_fds(i.thread(50))
    assert i.fmt("%proc.name %proc.pid %proc.ppid %proc.pname") == "bash 50 1 systemd"
    i.next()
    c = i.thread(60)
    assert (c.vtid, c.vpid, c.ptid) == (1, 1, 50)
    assert i.fmt("%thread.tid %proc.pid %proc.vpid %thread.vtid %proc.ppid %proc.pname") == "60 60 1 1 50 bash"


def test_child_side_first_creates_the_child_from_its_own_parameters():
    i = base(
        clone_x(
            10,
            61,
            0,
            comm="bash",
            exe="-bash",
            pid=61,
            ptid=50,
            cwd="/tmp",
            uid=1000,
            gid=1000,
            cgroups=("cpu=/user.slice",),
        ),
        clone_x(11, 50, 61, comm="bash", exe="-bash", cwd="/home/u", uid=1000, gid=1000, ptid=1),
    )
    i.next()
    c = i.thread(61)
    assert (c.pid, c.ptid, c.cwd, c.env, c.exepath) == (61, 50, "/tmp", ["HOME=/home/u", "TERM=xterm"], "/usr/bin/bash")
    assert sorted(c.fds) == [0, 3]
    i.next()  # the caller's event does not overwrite the child
    assert i.thread(61).cwd == "/tmp" and i.thread(50).children == [61]


def test_threads_share_the_fd_table_and_clone_files_shares_it_between_processes():
    flags = CL_THREAD | CL_FILES | CL_VM
    i = base(
        clone_x(10, 50, 51, comm="bash", flags=flags, ptid=1),
        openat_x(20, 51, 4, "/from/thread"),
        clone_x(30, 50, 70, comm="bash", flags=CL_FILES, ptid=1),
        clone_x(40, 50, 80, comm="bash", flags=0, ptid=1),
        openat_x(50, 50, 5, "/after"),
    )
    i.next()
    t = i.thread(51)
    assert (t.tid, t.pid, t.ptid) == (51, 50, 1)
    assert t.shares_fds(i.thread(50)) and i.thread(50).children == []
    i.next()
    assert i.thread(50).fd(4).name == "/from/thread"
    assert i.fmt("%proc.nthreads %thread.ismain %proc.pid") == "2 false 50"
    i.next()
    i.next()
    i.next()
    assert i.thread(70).shares_fds(i.thread(50)) and i.thread(70).fd(5).name == "/after"
    assert not i.thread(80).shares_fds(i.thread(50)) and i.thread(80).fd(5) is None
    assert i.thread(50).children == [70, 80]


def test_execve_replaces_the_image_and_purges_cloexec_fds():
    i = base(
        clone_x(10, 50, 60, comm="bash", ptid=1),
        openat_x(11, 60, 4, "/keep"),
        openat_x(12, 60, 5, "/drop", flags=O_RDONLY | O_CLOEXEC),
        execve_x(
            20,
            60,
            exe="curl",
            args=("-6", "http://x"),
            ptid=50,
            cwd="/home/u",
            comm="curl",
            env=("A=1", "HOME=/root"),
            tty=34817,
            vpgid=60,
            pgid=60,
            loginuid=1000,
            uid=0,
            gid=0,
            caps=(0, 1 << 21 | 1, 1 << 21),
            trusted_exepath="/usr/bin/curl",
            flags=1,
            cgroups=("cpu=/system.slice/docker-" + "ab" * 32 + ".scope",),
        ),
    )
    for _ in range(4):
        i.next()
    t = i.thread(60)
    assert (t.comm, t.exe, t.exepath, t.args, t.env, t.tty, t.pgid, t.loginuid, t.uid, t.gid) == (
        "curl",
        "curl",
        "/usr/bin/curl",
        ["-6", "http://x"],
        ["A=1", "HOME=/root"],
        34817,
        60,
        1000,
        0,
        0,
    )
    assert (t.cap(0), t.cap(1), t.cap(2)) == (1 << 21 | 1, 1 << 21, 0)
    assert sorted(t.fds) == [0, 4]  # 3 (.history) and 5 were close-on-exec
    assert (t.container_id, t.container_runtime) == ("abababababab", "docker")
    assert (
        i.fmt(
            "%proc.name %proc.cmdline %proc.exeline %proc.env[HOME] %proc.args %proc.aname[1] "
            "%proc.aname[2] %proc.is_exe_writable %container.id %container.type %thread.cap_effective"
        )
        == "curl curl -6 http://x curl -6 http://x /root -6 http://x bash systemd true abababababab docker CAP_SYS_ADMIN"
    )
    assert i.fmt("%proc.aname") == "(bash,systemd)"
    assert i.fmt("%user.uid %user.name %user.loginuid %group.gid %group.name") == "0 root 1000 0 root"


def test_execve_filename_resolution_without_trusted_exepath_and_failed_exec():
    i = base(
        execve_x(10, 50, res=-2, exe="nope", comm="nope"),
        execve_x(20, 50, exe="tool", comm="tool", cwd="/opt", filename="bin/tool", ptid=1),
    )
    i.next()
    assert i.thread(50).comm == "bash"
    i.next()
    assert i.thread(50).exepath == "/opt/bin/tool" and i.thread(50).cwd == "/opt"


def test_procexit_reaps_and_reparents():
    i = base(
        clone_x(10, 50, 60, comm="bash", ptid=1),
        clone_x(20, 60, 70, comm="bash", ptid=50),
        clone_x(30, 60, 71, comm="bash", ptid=50),
        procexit(40, 60, reaper=1),
        encode(50, 70, "GETCWD_X", 0, "/x"),
        procexit(60, 71, reaper=0),
    )
    for _ in range(4):
        i.next()
    assert i.thread(60).dead and i.fmt("%proc.name %evt.type") == "bash procexit"
    assert (i.thread(70).ptid, i.thread(71).ptid) == (1, 1)
    assert i.thread(1).children == [50, 70, 71]
    i.next()  # the dead thread is removed before the next event is parsed
    assert i.thread(60) is None and i.thread(50).children == []
    i.next()
    assert i.run() == 0
    assert i.thread(71) is None and i.thread(1).children == [50, 70]
    st = i.stats()
    assert (st.n_threads, st.n_threads_removed) == (3, 2)  # 1, 50, 70


def test_thread_leader_stays_until_the_last_thread_exits():
    i = base(
        clone_x(10, 50, 51, comm="bash", flags=CL_THREAD | CL_FILES | CL_VM, ptid=1),
        procexit(20, 50),
        encode(30, 51, "GETCWD_X", 0, "/"),
        procexit(40, 51),
        encode(50, 1, "GETCWD_X", 0, "/"),
    )
    i.next()
    i.next()
    i.next()
    assert i.thread(50).dead and i.thread(51) is not None
    assert i.fmt("%proc.name %proc.pid %thread.tid") == "bash 50 51"
    i.next()
    i.next()
    assert i.thread(50) is None and i.thread(51) is None


def test_credentials_cwd_root_session_name_namespaces():
    i = base(
        encode(10, 50, "SETUID_X", 0, 0),
        encode(11, 50, "SETRESGID_X", 0, 0xFFFFFFFF, 5, 0xFFFFFFFF),
        encode(12, 50, "SETRESUID_X", -1, 7, 7, 7),
        encode(13, 50, "CAPSET_X", 0, 1, 3, 2),
        encode(14, 50, "CHDIR_X", 0, "../v"),
        openat_x(15, 50, 4, "/srv/data"),
        encode(16, 50, "FCHDIR_X", 0, 4),
        encode(17, 50, "CHROOT_X", 0, "jail"),
        encode(18, 50, "SETSID_X", 50),
        encode(19, 50, "SETPGID_X", 0, 0, 77),
        encode(20, 50, "PRCTL_X", 0, 15, "worker", 0),
        encode(21, 50, "UNSHARE_X", 0, CL_NEWUSER),
        encode(22, 50, "GETCWD_X", 0, "/real"),
    )
    i.next()
    assert i.thread(50).uid == 0
    i.next()
    assert i.thread(50).gid == 5
    i.next()
    assert i.thread(50).uid == 0  # failed setresuid changes nothing
    i.next()
    assert (i.thread(50).cap(2), i.thread(50).cap(0), i.thread(50).cap(1)) == (1, 3, 2)
    i.next()
    assert i.thread(50).cwd == "/home/v"
    i.next()
    i.next()
    assert i.thread(50).cwd == "/srv/data"
    i.next()
    assert i.thread(50).root == "/srv/data/jail"
    i.next()
    i.next()
    t = i.thread(50)
    assert (t.sid, t.vpgid, t.pgid) == (50, 77, 77)
    i.next()
    assert i.thread(50).comm == "worker" and i.fmt("%proc.name") == "worker"
    i.thread(50)
    i.add_thread(77, ptid=1, comm="leader")
    assert i.fmt("%proc.vpgid.name %proc.is_sid_leader %proc.is_vpgid_leader") == "leader true false"
    i.next()
    assert i.thread(50).flags & CL_NEWUSER and (i.thread(50).uid, i.thread(50).gid) == (0, 0)
    i.next()
    assert i.thread(50).cwd == "/real"


@pytest.mark.parametrize(
    "path,cid,runtime",
    [
        ("/docker/" + "0123456789abcdef" * 4, "0123456789ab", "docker"),
        ("/system.slice/docker-" + "f" * 64 + ".scope", "ffffffffffff", "docker"),
        ("/machine.slice/libpod-" + "1a" * 32 + ".scope", "1a1a1a1a1a1a", "podman"),
        ("/kubepods.slice/kubepods-burstable.slice/crio-" + "2b" * 32 + ".scope", "2b2b2b2b2b2b", "cri-o"),
        ("/kubepods/burstable/pod1234/crio-" + "3c" * 32, "3c3c3c3c3c3c", "cri-o"),
        ("/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + "4d" * 32 + ".scope", "4d4d4d4d4d4d", "containerd"),
        (
            "/system.slice/containerd.service/kubepods-pod1.slice:cri-containerd:" + "5e" * 32,
            "5e5e5e5e5e5e",
            "containerd",
        ),
        ("/default/mycontainer", "mycontainer", "containerd"),
        ("/kubepods/besteffort/podabc/" + "6f" * 32, "6f6f6f6f6f6f", "docker"),
        ("/user.slice/user-1000.slice/session-2.scope", "host", ""),
        ("/default/foo.service", "host", ""),
        ("/docker/abc", "host", ""),
    ],
)
def test_container_id_from_cgroups(path, cid, runtime):
    i = base(clone_x(10, 90, 0, pid=90, ptid=50, comm="x", cgroups=("cpuset=/", "memory=" + path)))
    i.next()
    t = i.thread(90)
    assert (t.container_id, t.container_runtime) == (cid, runtime)


def test_suppression_by_comm_and_tid():
    o = SinspOpts()
    names = (C.c_char_p * 1)(b"noisy")
    o.suppress_comms, o.n_suppress_comms = names, 1
    ev = b"".join(
        [
            clone_x(10, 50, 60, comm="bash", ptid=1),
            clone_x(11, 60, 0, pid=60, ptid=50, comm="noisy"),
            openat_x(12, 60, 4, "/hidden"),
            openat_x(13, 50, 4, "/seen"),
            procexit(14, 60),
            openat_x(15, 99, 3, "/by-tid"),
        ]
    )
    i = Inspector(ev, opts=o)
    i.add_thread(50, ptid=1, comm="bash")
    assert i.lib.sinsp_inspector__suppress_tid(i.h, 99) == 0
    seen = []
    while i.next():
        seen.append(i.fmt("%evt.num %thread.tid %evt.type"))
    assert seen == ["1 50 clone", "2 50 openat", "3 60 procexit"]
    st = i.stats()
    assert (st.n_suppressed, st.n_events, st.n_returned) == (3, 3, 3)
    assert i.thread(60) is None  # procexit still cleaned up the suppressed thread


def test_a_million_short_lived_processes_keep_memory_bounded():
    # each process: clone (parent side), clone (child side), execve, openat, procexit
    parts = []
    n = 1_000_000
    ts = 1
    for k in range(1000):
        tid = 1000 + k
        parts.append(clone_x(ts, 50, tid, comm="bash", ptid=1))
        parts.append(clone_x(ts + 1, tid, 0, pid=tid, ptid=50, comm="bash"))
        parts.append(execve_x(ts + 2, tid, exe="true", comm="true", ptid=50))
        parts.append(openat_x(ts + 3, tid, 3, "/etc/ld.so.cache"))
        parts.append(procexit(ts + 4, tid, reaper=1))
        ts += 5
    block = b"".join(parts)  # 1000 processes; the stream repeats it with fresh tids below
    # rewriting tids per repetition in Python would be slow: reuse tids (they are reaped before reuse)
    stream = block * (n // 1000)
    i = Inspector(stream)
    i.add_thread(1, ptid=0, comm="systemd")
    i.add_thread(50, ptid=1, comm="bash")
    x = Extractor(i, ["proc.name"])
    t0 = time.time()
    peak = 0
    cnt = 0
    while True:
        rc, got = x.run(250_000)
        if got == 0:
            assert rc == 2  # EOF
            break
        cnt += got
        peak = max(peak, i.stats().n_threads)
    st = i.stats()
    assert cnt == 5 * n
    assert (st.n_threads, st.n_threads_removed, st.n_fds) == (2, n, 0)
    assert peak <= 3
    assert i.thread(50).children == []
    assert time.time() - t0 < 60


@pytest.mark.parametrize("kind", ["FORK_X", "VFORK_X", "CLONE3_X"])
def test_fork_vfork_clone3_are_clones(kind):
    i = base(
        clone_x(10, 50, 65, comm="bash", ptid=1, kind=kind),
        clone_x(11, 65, 0, pid=65, ptid=50, comm="bash", kind=kind, vtid=9, vpid=9),
    )
    i.next()
    assert (i.thread(65).pid, i.thread(65).ptid, i.thread(50).children) == (65, 50, [65])
    assert i.fmt("%evt.type") == kind[:-2].lower()
    i.next()
    assert (i.thread(65).vtid, i.thread(65).vpid) == (9, 9)


def test_execveat_and_unknown_threads_repaired_by_execve():
    # a thread seen first through an ordinary event is incomplete until its execve
    i = base(
        openat_x(10, 300, 3, "/x"),
        encode(
            20,
            300,
            "EXECVEAT_X",
            0,
            "/usr/bin/env",
            b"",
            300,
            300,
            50,
            "/w",
            1024,
            0,
            0,
            0,
            0,
            0,
            "env",
            b"",
            b"",
            0,
            300,
            1000,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1000,
            "/usr/bin/env",
            300,
            1000,
        ),
    )
    i.next()
    t = i.thread(300)
    # upstream's placeholders (sysdig 0.29.3 prints the same): name and exe "<NA>", the process is
    # the thread itself, parent and ids unknown (-1), uid/gid unknown
    assert (t.pid, t.comm, t.exe) == (-1, "<NA>", "<NA>")
    assert (
        i.fmt(
            "%proc.name %proc.exe %proc.pid %thread.tid %fd.name %proc.ppid %proc.sid %user.uid [%proc.cwd] "
            "%thread.ismain %proc.nthreads"
        )
        == "<NA> <NA> 300 300 /x -1 -1 4294967295 [] true 1"
    )
    assert i.fmt("%proc.pname") is None and i.fmt("%user.name") is None and i.fmt("%thread.vtid") is None
    i.next()
    t = i.thread(300)
    assert (t.pid, t.ptid, t.comm, t.exepath, t.cwd, t.uid, t.fd(3).name) == (
        300,
        50,
        "env",
        "/usr/bin/env",
        "/w",
        1000,
        "/x",
    )
    assert i.fmt("%evt.type %proc.name %proc.pname") == "execveat env bash"
    assert i.thread(50).children == [300]


def test_thread_table_capacity_is_enforced():
    o = SinspOpts()
    o.max_threads = 3
    i = Inspector(b"".join(openat_x(10 + k, 100 + k, 3, "/f") for k in range(5)), opts=o)
    assert i.run() == 5
    st = i.stats()
    assert (st.n_threads, st.n_threads_dropped) == (3, 2)
    assert i.thread(103) is None and i.thread(102).fd(3).name == "/f"


def test_user_and_group_meta_events():
    i = base(
        encode(1, 0, "USERADDED_E", 2000, 2000, "bob", "/home/bob", "/bin/sh", ""),
        encode(2, 0, "GROUPADDED_E", 2000, "bobs", ""),
        encode(3, 0, "USERDELETED_E", 2000, 2000, "bob", "/home/bob", "/bin/sh", ""),
    )
    i.next()
    assert i.lib.sinsp_inspector__user_name(i.h, 2000) == b"bob"
    i.next()
    i.lib.sinsp_inspector__group_name.argtypes = [C.c_void_p, C.c_uint32]
    i.lib.sinsp_inspector__group_name.restype = C.c_char_p
    assert i.lib.sinsp_inspector__group_name(i.h, 2000) == b"bobs"
    i.next()
    assert i.lib.sinsp_inspector__user_name(i.h, 2000) is None


def test_memory_counters_follow_brk_mmap_munmap_and_context_switches():
    # upstream keeps the counters the exits (and sched switches) carry; threads share the process's
    i = base(
        encode(10, 50, "MMAP_X", 0x7F00, 2000, 300, 7, 0, 4096, 1, 2, -1, 0),
        encode(20, 50, "BRK_X", 0x5000, 2100, 310, 7, 0),
        clone_x(30, 50, 51, flags=CL_THREAD | CL_VM | CL_FILES, comm="bash", pid=50, ptid=1),
        encode(40, 51, "MUNMAP_X", 0, 1900, 290, 6, 0x7F00, 4096),
        encode(50, 50, "SWITCH_E", 51, 3, 777, 1950, 295, 6),
    )
    got = []
    while i.next():
        got.append(i.fmt("%thread.tid %proc.vmsize %proc.vmrss %proc.vmswap %thread.pfmajor %thread.pfminor"))
    assert got[0] == "50 2000 300 7 0 0" and got[1] == "50 2100 310 7 0 0"
    assert got[3] == "51 1900 290 6 0 0"
    assert got[4] == "50 1950 295 6 3 777"


def test_switch_and_procexit_of_unknown_threads_make_no_entry():
    # a context switch (mostly kernel threads) or the exit of a thread never seen creates nothing;
    # any other event of an unknown thread makes a placeholder entry
    i = base(encode(10, 700, "SWITCH_E", 0, 0, 0, 0, 0, 0), procexit(20, 701), openat_x(30, 702, 3, "/x"))
    assert i.run() == 3
    assert i.thread(700) is None and i.thread(701) is None and i.thread(702).comm == "<NA>"


def test_internal_events_are_parsed_but_returned_only_in_debug_mode():
    ev = b"".join([encode(10, 50, "PROCINFO_E", 5, 6), openat_x(20, 50, 7, "/y")])
    i = base(ev)
    assert i.next() and i.fmt("%evt.num %evt.type") == "2 openat" and i.next() is None
    st = i.stats()
    assert (st.n_events, st.n_returned, st.n_internal) == (2, 1, 1)
    o = SinspOpts()
    o.debug = True
    i = Inspector(ev, opts=o)
    i.add_thread(50, comm="bash")
    assert i.next() and i.fmt("%evt.num %evt.type %proc.name") == "1 procinfo bash"
    assert i.next() and i.fmt("%evt.num %evt.type") == "2 openat"


def test_setns_into_a_user_namespace_and_a_failed_one():
    CL_NEWNET = 16  # PPM_CL_CLONE_NEWNET in the clone_flags table
    i = base(
        encode(10, 50, "SETNS_X", -1, 5, CL_NEWUSER),
        encode(20, 50, "SETNS_X", 0, 5, CL_NEWNET),
        encode(30, 50, "SETNS_X", 0, 6, CL_NEWUSER),
    )
    i.next()
    t = i.thread(50)
    assert (t.uid, t.gid, t.flags & CL_NEWUSER) == (1000, 1000, 0)  # failed: nothing changes
    i.next()
    assert (i.thread(50).uid, i.thread(50).flags & CL_NEWNET) == (1000, CL_NEWNET)
    i.next()
    t = i.thread(50)
    assert (t.uid, t.gid, t.flags & CL_NEWUSER) == (0, 0, CL_NEWUSER)
