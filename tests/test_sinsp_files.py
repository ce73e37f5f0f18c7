"""fd state of file-like events: the open family (cwd / dirfd resolution, TOCTOU enter pairing),
close and close_range, the dup family, fcntl, pipes and the anonymous-inode fd creators.
Synthetic events through the test engine; state asserted after each event."""

import pytest
from test_sinsp_lib import (
    FD_BPF,
    FD_DIRECTORY,
    FD_EVENT,
    FD_EVENTPOLL,
    FD_FIFO,
    FD_FILE,
    FD_INOTIFY,
    FD_IOURING,
    FD_MEMFD,
    FD_PIDFD,
    FD_SIGNALFD,
    FD_TIMERFD,
    FD_USERFAULTFD,
    O_CLOEXEC,
    O_CREAT,
    O_DIRECTORY,
    O_RDONLY,
    O_RDWR,
    O_WRONLY,
    Inspector,
    close_x,
    encode,
    libs,
    openat_x,
)

TID = 100


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


def insp(*events, cwd="/home/u"):
    i = Inspector(b"".join(events))
    i.add_thread(1, comm="init")
    i.add_thread(TID, ptid=1, comm="app", cwd=cwd)
    return i


def test_openat_relative_to_cwd_and_dirfd():
    i = insp(
        openat_x(10, TID, 3, "docs/./a.txt", flags=O_RDONLY, dev=0x801, ino=77),
        openat_x(20, TID, 4, "/etc", flags=O_RDONLY | O_DIRECTORY),
        openat_x(30, TID, 5, "../etc/passwd", flags=O_RDWR, dirfd=4),
        openat_x(40, TID, -2, "missing", flags=O_RDONLY),
        openat_x(50, TID, 6, "/tmp//x/../y", flags=O_WRONLY | O_CREAT | (1 << 14), mode=0o644),
    )
    i.next()
    f = i.thread(TID).fd(3)
    assert (f.name, f.name_raw, f.type, f.typestr, f.typechar, f.openflags, f.dev, f.ino) == (
        "/home/u/docs/a.txt",
        "docs/./a.txt",
        FD_FILE,
        "file",
        "f",
        O_RDONLY,
        0x801,
        77,
    )
    assert (
        i.fmt("%fd.num %fd.name %fd.directory %fd.filename %fd.dev.major %fd.dev.minor %fd.ino")
        == "3 /home/u/docs/a.txt /home/u/docs a.txt 0 2049 77"
    )
    i.next()
    d = i.thread(TID).fd(4)
    assert (d.name, d.type, d.typestr) == ("/etc", FD_DIRECTORY, "directory")
    i.next()
    assert i.thread(TID).fd(5).name == "/etc/passwd"
    i.next()  # failed open: no fd
    assert i.thread(TID).fd(-2) is None and sorted(i.thread(TID).fds) == [3, 4, 5]
    # as upstream: a failed open shows the path it tried (and no fd type)
    assert i.fmt("*%fd.name %fd.type %evt.res %evt.rawres %evt.failed") == "/home/u/missing <NA> ENOENT -2 true"
    i.next()
    assert i.thread(TID).fd(6).name == "/tmp/y"
    assert i.fmt("%evt.is_open_create %evt.is_open_write %evt.is_open_read") == "true true false"


def test_open_and_creat_and_openat2():
    i = insp(
        encode(10, TID, "OPEN_X", 3, "rel/file", O_RDONLY | O_CLOEXEC, 0, 0, 5),
        encode(20, TID, "CREAT_X", 4, "/tmp/new", 0o600, 0, 9, 1),
        encode(30, TID, "OPENAT2_X", 5, 3, "sub", O_RDONLY, 0, 0, 0, 0),
    )
    i.next()
    f = i.thread(TID).fd(3)
    assert (f.name, f.openflags, f.ino) == ("/home/u/rel/file", O_RDONLY | O_CLOEXEC, 5)
    i.next()
    f = i.thread(TID).fd(4)
    assert (f.name, f.openflags, f.flags & (1 << 17)) == ("/tmp/new", O_CREAT | O_WRONLY | 256, 1 << 17)
    i.next()
    assert i.thread(TID).fd(5).name == "/home/u/rel/file/sub"


def test_toctou_enter_event_supplies_missing_exit_parameters():
    # a live openat enter carries dirfd/name/flags; an exit whose name is empty takes them from it
    i = insp(
        encode(10, TID, "OPENAT_E", -100, "from_enter.txt", O_RDWR, 0),
        encode(20, TID, "OPENAT_X", 3, None, None, None, 0, 0, 0),
        encode(30, TID, "OPEN_E", "/not/paired", O_RDONLY, 0),
        encode(35, TID, "READ_X", 0, b"", 3, 0),  # another event in between: the enter is dropped
        encode(40, TID, "OPEN_X", 4, None, None, 0, 0, 0),
    )
    i.next()
    assert i.thread(TID).nfds == 0
    i.next()
    f = i.thread(TID).fd(3)
    assert (f.name, f.openflags) == ("/home/u/from_enter.txt", O_RDWR)
    i.next()
    i.next()
    i.next()
    assert i.thread(TID).fd(4).name == ""


def test_close_keeps_the_fd_visible_on_its_own_event_then_removes_it():
    i = insp(
        openat_x(10, TID, 3, "/etc/hosts"),
        close_x(20, TID, 3),
        close_x(30, TID, 3, res=-9),
        encode(40, TID, "READ_X", 0, b"", 3, 10),
    )
    i.next()
    i.next()
    assert i.fmt("%evt.type %fd.name %evt.args") == "close /etc/hosts res=0 fd=3(<f>/etc/hosts) "
    i.next()
    assert i.thread(TID).fd(3) is None
    # an fd event whose fd is unknown: empty name, no type (as sysdig shows them)
    assert i.fmt("*%fd.name|%fd.type %evt.args") == "|<NA> res=-9(EBADF) fd=3 "
    i.next()
    assert i.fmt("*%fd.name|%fd.type") == "|<NA>"


def test_close_range_closes_or_marks_cloexec():
    i = insp(
        *[openat_x(10 + n, TID, n, f"/f{n}") for n in (3, 4, 5, 9)],
        encode(20, TID, "CLOSE_RANGE_X", 0, 4, 5, 0),
        encode(30, TID, "CLOSE_RANGE_X", 0, 9, 0xFFFFFFFF, 4),
        encode(40, TID, "READ_X", 0, b"", 3, 0),
    )
    for _ in range(5):
        i.next()
    i.next()
    i.next()
    fds = i.thread(TID).fds
    assert sorted(fds) == [3, 9]
    assert fds[9].openflags == O_RDONLY | O_CLOEXEC and fds[3].openflags == O_RDONLY


def test_dup_family_and_fcntl_dupfd():
    i = insp(
        openat_x(10, TID, 3, "/var/log/x", flags=O_WRONLY | O_CLOEXEC),
        encode(20, TID, "DUP_X", 4, 3),
        encode(30, TID, "DUP2_X", 1, 3, 1),
        encode(40, TID, "DUP3_X", 7, 3, 7, O_CLOEXEC),
        encode(50, TID, "FCNTL_X", 10, 3, 1, 10),  # F_DUPFD
        encode(60, TID, "FCNTL_X", 11, 3, 26, 11),  # F_DUPFD_CLOEXEC
        encode(70, TID, "FCNTL_X", 0, 4, 3, 1),  # F_SETFD FD_CLOEXEC
        encode(80, TID, "DUP_X", -9, 42),
    )
    for _ in range(8):
        i.next()
    fds = i.thread(TID).fds
    assert sorted(fds) == [1, 3, 4, 7, 10, 11]
    assert {n: (f.name, f.openflags) for n, f in fds.items()} == {
        1: ("/var/log/x", O_WRONLY),
        3: ("/var/log/x", O_WRONLY | O_CLOEXEC),
        4: ("/var/log/x", O_WRONLY | O_CLOEXEC),
        7: ("/var/log/x", O_WRONLY | O_CLOEXEC),
        10: ("/var/log/x", O_WRONLY),
        11: ("/var/log/x", O_WRONLY | O_CLOEXEC),
    }
    assert fds[4].flags & 16384 == 16384  # cloned


def test_pipe_and_anonymous_inode_fds():
    i = insp(
        encode(10, TID, "PIPE2_X", 0, 3, 4, 4242, O_CLOEXEC),
        encode(20, TID, "EVENTFD2_X", 5, 0, 0),
        encode(30, TID, "SIGNALFD4_X", 6, 0, -1, 0),
        encode(40, TID, "TIMERFD_CREATE_X", 7, 1, 0),
        encode(50, TID, "INOTIFY_INIT1_X", 8, 0),
        encode(60, TID, "EPOLL_CREATE1_X", 9, 1),
        encode(70, TID, "MEMFD_CREATE_X", 10, "jit", 1),
        encode(80, TID, "PIDFD_OPEN_X", 11, 1, 0),
        encode(90, TID, "USERFAULTFD_X", 12, 0),
        encode(100, TID, "IO_URING_SETUP_X", 13, 8, 8, 16, 0, 0, 0, 0),
        encode(110, TID, "BPF_X", 14, 0),
        encode(120, TID, "EPOLL_CREATE1_X", -24, 0),
    )
    got = []
    while i.next():
        got.append(i.fmt("*%fd.num %fd.type %fd.typechar %fd.name"))
    assert got == [
        "3 pipe p ",
        "5 event e ",
        "6 signalfd s ",
        "7 timerfd t ",
        "8 inotify i ",
        "9 eventpoll l ",
        "10 memfd m memfd:jit",
        "11 pidfd P pidfd:[1]",
        "12 userfaultfd u ",
        "13 io_uring r ",
        "14 bpf b ",
        "<NA> <NA> <NA> ",
    ]
    fds = i.thread(TID).fds
    assert {n: f.type for n, f in fds.items()} == {
        3: FD_FIFO,
        4: FD_FIFO,
        5: FD_EVENT,
        6: FD_SIGNALFD,
        7: FD_TIMERFD,
        8: FD_INOTIFY,
        9: FD_EVENTPOLL,
        10: FD_MEMFD,
        11: FD_PIDFD,
        12: FD_USERFAULTFD,
        13: FD_IOURING,
        14: FD_BPF,
    }
    assert (fds[3].ino, fds[4].ino, fds[3].openflags) == (4242, 4242, O_CLOEXEC)
    assert fds[9].openflags == O_CLOEXEC and fds[10].openflags == O_CLOEXEC and fds[11].pid == 1


def test_pidfd_getfd_copies_the_target_fd():
    i = Inspector(b"".join([encode(10, 200, "PIDFD_OPEN_X", 5, 300, 0), encode(20, 200, "PIDFD_GETFD_X", 6, 5, 3, 0)]))
    i.add_thread(200, comm="a")
    i.add_thread(300, comm="b")
    assert i.add_fd(300, 3, FD_FILE, "/secret") == 0
    i.run()
    assert (i.thread(200).fd(6).name, i.thread(200).fd(6).openflags) == ("/secret", O_CLOEXEC)


def test_fd_table_is_capped_at_4096():
    events = [openat_x(10 + n, TID, n, f"/f/{n}") for n in range(4100)]
    i = insp(*events)
    assert i.run() == 4100
    t = i.thread(TID)
    assert t.nfds == 4096 and t.fd(4095).name == "/f/4095" and t.fd(4096) is None
    # replacing an fd already tracked still works when the table is full
    assert i.add_fd(TID, 5, FD_FILE, "/replaced") == 0 and t.fd(5).name == "/replaced"
    assert i.add_fd(TID, 5000, FD_FILE, "/x") == -28  # -ENOSPC


def test_fd_types_and_l4_protocols_are_libscaps_enums():
    """sinsp_fd_seed.type / sinsp_fd__type() are enum scap_fd_type and l4proto enum scap_l4_proto
    (there is no shifted copy of either in libsinsp): each seeded type reads back as it went in,
    FILE_V2 as FILE, with libscap's names for fd.type; a type or protocol libscap does not have is
    EINVAL."""
    from test_sinsp_lib import SCAP_FD, SCAP_L4

    i = insp()
    names = {"FILE": "file", "DIRECTORY": "directory", "IPV4_SOCK": "ipv4", "IPV6_SERVSOCK": "ipv6"}
    names |= {"FIFO": "pipe", "UNIX_SOCK": "unix", "NETLINK": "netlink", "PIDFD": "pidfd", "FILE_V2": "file"}
    types = {n: v for n, v in SCAP_FD.items() if n != "TYPE_MAX"}
    for fd, (name, value) in enumerate(sorted(types.items(), key=lambda kv: kv[1]), start=3):
        assert i.add_fd(TID, fd, value, "/x" if "SOCK" not in name else None) == 0, name
        f = i.thread(TID).fd(fd)
        assert f.type == (SCAP_FD["FILE"] if name == "FILE_V2" else value), name
        if name in names:
            assert f.typestr == names[name], name
    assert i.add_fd(TID, 40, SCAP_FD["TYPE_MAX"], "/x") == -22
    for proto in ("TCP", "UDP", "ICMP", "RAW"):
        assert i.add_fd(TID, 41, SCAP_FD["IPV4_SOCK"], None, l4proto=SCAP_L4[proto]) == 0
        assert i.thread(TID).fd(41).l4proto == SCAP_L4[proto]
    assert i.add_fd(TID, 42, SCAP_FD["IPV4_SOCK"], None, l4proto=SCAP_L4["RAW"] + 1) == -22


def test_fs_path_and_abspath_fields():
    i = insp(
        openat_x(10, TID, 3, "/srv"),
        encode(20, TID, "MKDIRAT_X", 0, 3, "new", 0o755),
        encode(30, TID, "RENAMEAT2_X", 0, -100, "a", 3, "b", 0),
        encode(40, TID, "UNLINK_X", 0, "gone"),
    )
    i.next()
    i.next()
    assert i.fmt("%fs.path.name %fs.path.nameraw %evt.abspath") == "/srv/new new /srv/new"
    i.next()
    assert (
        i.fmt("%fs.path.source %fs.path.target %fs.path.sourceraw %fs.path.targetraw %evt.abspath.dst")
        == "/home/u/a /srv/b a b /srv/b"
    )
    assert i.fmt("*%fs.path.name") == "<NA>"
    i.next()
    assert i.fmt("%fs.path.name") == "/home/u/gone"


def fake_proc_process(root, pid, tid, comm, fds):
    """A /proc/<tid> directory under root: status, cmdline and fd symlinks (fd number -> target)."""
    d = root / "proc" / str(tid)
    (d / "fd").mkdir(parents=True)
    (d / "status").write_text(f"Name:\t{comm}\nTgid:\t{pid}\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n")
    (d / "cmdline").write_bytes(b"/usr/bin/" + comm.encode() + b"\0")
    (d / "comm").write_text(comm + "\n")
    (d / "stat").write_text(f"{tid} ({comm}) S 1 {pid} {pid} 0 -1 4194560" + " 0" * 44 + "\n")
    for fd, target in fds.items():
        (d / "fd" / str(fd)).symlink_to(target)


def test_live_unknown_thread_reads_every_fd_of_its_leader_from_proc(tmp_path):
    from test_sinsp_lib import SinspOpts

    # fds far above 1023 exist (ulimit -n is often 1M); a thread shares its leader's table
    o = SinspOpts()
    o.live, o.self_pid, o.proc_root = 1, 1, str(tmp_path).encode()
    i = Inspector(
        b"".join(
            [
                encode(10, 4243, "READ_X", 5, b"hello", 1500, 5),
                encode(20, 4243, "READ_X", 0, None, 70000, 5),
                encode(30, 4242, "READ_X", 0, None, 0, 5),
            ]
        ),
        opts=o,
    )
    # the process appears after the scan at open: read lazily at its first event
    assert i.thread(4242) is None
    fake_proc_process(tmp_path, 4242, 4242, "srv", {0: "/dev/null", 1500: "/var/log/big.log", 70000: "pipe:[99]"})
    fake_proc_process(tmp_path, 4242, 4243, "srv", {})
    assert i.next()
    assert (
        i.fmt("%proc.name %thread.tid %proc.pid %fd.num %fd.name %fd.type")
        == "srv 4243 4242 1500 /var/log/big.log file"
    )
    t, leader = i.thread(4243), i.thread(4242)
    assert leader is not None and t.shares_fds(leader)
    assert sorted(leader.fds) == [0, 1500, 70000]
    assert i.next() and i.event_fd().type == FD_FIFO and i.event_fd().ino == 99  # FIFO
    assert i.next() and i.fmt("%fd.name") == "/dev/null"
    assert i.next() is None


@pytest.mark.parametrize(
    "path,name",
    [
        ("/etc/passwd", "/etc/passwd"),
        ("/", "/"),
        ("/etc//x/./y/../z/", "/etc/x/z"),
        ("/.", "/"),
        ("/..", "/"),
        ("/a/..b/.c/c.", "/a/..b/.c/c."),
        ("/a/b/..", "/a"),
        ("//a", "/a"),
        ("/a/.", "/a"),
        ("/a/", "/a"),
    ],
)
def test_absolute_open_paths_are_normalized(path, name):
    # normal paths take a fast path: both must give upstream's normal form
    i = insp(openat_x(10, TID, 3, path))
    assert i.next() and i.thread(TID).fd(3).name == name


def test_live_mode_seeds_the_thread_table_from_the_proc_scan_at_open(tmp_path):
    import os

    from test_sinsp_lib import SinspOpts

    o = SinspOpts()
    o.live, o.self_pid = 1, 1
    i = Inspector(b"", opts=o)  # the real /proc: we are in it before any event
    me = i.thread(os.getpid())
    assert me is not None and me.pid == os.getpid() and me.comm == open("/proc/self/comm").read().strip()
    assert i.thread(1) is not None
    fake_proc_process(tmp_path, 4242, 4242, "srv", {0: "/dev/null", 1500: "/var/log/big.log"})
    o.proc_root = str(tmp_path).encode()
    i = Inspector(b"", opts=o)
    t = i.thread(4242)
    assert t is not None and t.comm == "srv" and t.fd(1500).name == "/var/log/big.log"
