"""libscap's /proc scan on a fake /proc tree built here: every PL_V9 field, fd type, socket
tuple, cgroup, user, group and machine field has a known, exact expected value.

The scan reads through links and files the way it reads the real /proc; links the kernel
would resolve specially ("pipe:[N]", "socket:[N]", "anon_inode:...") are dangling here and
are classified by their text, as the scan does when the target cannot be stat'ed."""

import json
import os
import shutil
import socket
import struct
import tempfile
from pathlib import Path

import pytest

from conftest import helper, run

PF_KTHREAD = 0x00200000
CL_THREAD_FILES = 8192 | 1  # SCAP_CLONE_FLAGS_CLONE_THREAD | SCAP_CLONE_FLAGS_CLONE_FILES
U64_MAX = 2**64 - 1
U32_MAX = 2**32 - 1

# scap_fd_type
FILE_V2, DIRECTORY, IPV4, IPV6, IPV4_SERV, IPV6_SERV, FIFO, UNIX = 16, 2, 3, 4, 5, 6, 7, 8
EVENT, UNSUPPORTED, SIGNALFD, EVENTPOLL, INOTIFY, TIMERFD, NETLINK = 9, 10, 11, 12, 13, 14, 15
BPF, USERFAULTFD, IOURING, MEMFD, PIDFD = 17, 18, 19, 20, 21
TCP, UDP, RAW = 2, 3, 5


def scan(build, *args, ok=True):
    r = run([helper(build, "proc_dump"), *args], timeout=60)
    if ok:
        assert r.returncode == 0, r.stdout + r.stderr
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    return objs, r


def kinds(objs, kind):
    return [o for o in objs if o["kind"] == kind]


def kdev(st_dev):
    """st_dev in the kernel's internal encoding (major << 20 | minor), as open events carry it."""
    return (os.major(st_dev) << 20) | os.minor(st_dev)


def stat_line(pid, comm, ppid, pgrp, sid, tty, flags, minflt, majflt):
    rest = [ppid, pgrp, sid, tty, -1, flags, minflt, 0, majflt] + [0] * 40
    return f"{pid} ({comm}) S " + " ".join(str(x) for x in rest) + "\n"


def status_text(name, tgid, pid, ppid, uid, gid, groups="", ns=None, vm=(0, 0, 0), caps=(0, 0, 0)):
    lines = [
        f"Name:\t{name}",
        "Umask:\t0022",
        "State:\tS (sleeping)",
        f"Tgid:\t{tgid}",
        "Ngid:\t0",
        f"Pid:\t{pid}",
        f"PPid:\t{ppid}",
        "TracerPid:\t0",
        "Uid:\t%d\t%d\t%d\t%d" % uid,
        "Gid:\t%d\t%d\t%d\t%d" % gid,
        "FDSize:\t64",
        f"Groups:\t{groups}",
    ]
    if ns:
        lines += [f"NStgid:\t{ns[0]}", f"NSpid:\t{ns[1]}", f"NSpgid:\t{ns[2]}", f"NSsid:\t{ns[3]}"]
    lines += [
        "VmPeak:\t   99999 kB",
        f"VmSize:\t{vm[0]:8d} kB",
        "VmLck:\t       0 kB",
        f"VmRSS:\t{vm[1]:8d} kB",
        f"VmSwap:\t{vm[2]:8d} kB",
        "Threads:\t2",
        "CapInh:\t%016x" % caps[0],
        "CapPrm:\t%016x" % caps[1],
        "CapEff:\t%016x" % caps[2],
        "CapBnd:\t000001ffffffffff",
        "CapAmb:\t0000000000000000",
    ]
    return "\n".join(lines) + "\n"


LIMITS = (
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            {soft:<20} 4096                 files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
)


def ipv4_hex(ip, port):
    return "%08X:%04X" % (struct.unpack("=I", socket.inet_aton(ip))[0], port)


def ipv6_hex(ip, port):
    raw = socket.inet_pton(socket.AF_INET6, ip)
    return "".join("%08X" % w for w in struct.unpack("=4I", raw)) + ":%04X" % port


def inet_table(rows, v6=False):
    head = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    out = [head]
    for i, (local, remote, st, ino) in enumerate(rows):
        out.append(
            f"{i:4d}: {local} {remote} {st:02X} 00000000:00000000 00:00000000 00000000     0        0 {ino} 1 0000000000000000 100 0 0 10 0\n"
        )
    return "".join(out)


class Tree:
    """A fake /proc, /etc and /sys under tmp_path."""

    def __init__(self, base):
        self.base = base
        self.proc = base / "proc"
        self.etc = base / "etc"
        self.sys = base / "sys"
        for d in (self.proc, self.etc, self.sys):
            d.mkdir()

    def write(self, path, data):
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        path.write_bytes(data)

    def link(self, path, target):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(str(target), str(path))


def build_tree(base):
    t = Tree(base)
    b = base
    # ---- machine
    t.write(
        t.proc / "stat",
        "cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 5 0 5 50 0 0 0 0 0 0\n"
        "cpu1 5 0 5 50 0 0 0 0 0 0\ncpu3 5 0 5 50 0 0 0 0 0 0\nintr 12345\nctxt 99\n"
        "btime 1700000123\nprocesses 4242\n",
    )
    t.write(t.proc / "meminfo", "MemTotal:        2048000 kB\nMemFree:          100000 kB\n")
    t.write(t.proc / "sys/kernel/pid_max", "4194304\n")
    t.write(t.proc / "sys/kernel/hostname", "fake-host\n")
    t.write(t.proc / "self", "not a process\n")  # non-numeric entries are not processes

    # ---- files the fds and exes point to
    t.write(b / "bin/myprog", b"\x7fELF fake")
    os.chown(b / "bin/myprog", 0, 2001)
    os.chmod(b / "bin/myprog", 0o775)
    t.write(b / "files/data.txt", "data")
    (b / "work").mkdir()
    (b / "work2").mkdir()
    os.mkfifo(b / "fifo")
    t.write(b / "rootfs/proc/1/cmdline", b"init\0")

    # ---- process 100 (in a child pid namespace: NS* lines) and its thread 101
    p = t.proc / "100"
    t.write(p / "stat", stat_line(100, "my (proc)", 1, 100, 90, 34816, 0x400100, 123, 7))
    t.write(
        p / "status",
        status_text(
            "my (proc)",
            100,
            100,
            1,
            (1000, 1001, 1002, 1003),
            (2000, 2001, 2002, 2003),
            "10 20",
            ns=("100\t5", "100\t5", "100\t5", "90\t1"),
            vm=(12345, 678, 9),
            caps=(1, 0x1FFFFFFFFFF, 0x4000),
        ),
    )
    t.write(p / "comm", "my (proc)\n")
    t.write(p / "cmdline", b"/usr/bin/myprog\0--flag\0value with space\0")
    t.write(p / "environ", b"A=1\0B=two words\0")
    t.link(p / "exe", b / "bin/myprog")
    t.link(p / "cwd", b / "work")
    t.link(p / "root", b / "rootfs")
    t.write(p / "limits", LIMITS.format(soft=1024))
    t.write(p / "loginuid", "1000")
    t.write(
        p / "cgroup",
        "12:cpu,cpuacct:/user.slice\n11:name=systemd:/user.slice/session-1.scope\n5::/unmounted\n0::/app/web\n",
    )
    t.write(p / "ns/net", "netns 100")
    fd = p / "fd"
    t.link(fd / "0", b / "files/data.txt")
    t.write(p / "fdinfo/0", "pos:\t0\nflags:\t0102002\nmnt_id:\t21\nino:\t1\n")
    t.link(fd / "1", "pipe:[4242]")
    t.link(fd / "2", b / "work")
    for n, ino in (
        (3, 5001),
        (4, 5002),
        (5, 5003),
        (6, 5004),
        (7, 5005),
        (8, 5006),
        (9, 5007),
        (10, 5999),
        (24, 5008),
        (25, 5009),
    ):
        t.link(fd / str(n), f"socket:[{ino}]")
    anon = {
        11: "anon_inode:[eventfd]",
        12: "anon_inode:[eventpoll]",
        13: "anon_inode:inotify",
        14: "anon_inode:[signalfd]",
        15: "anon_inode:[timerfd]",
        16: "anon_inode:bpf-map",
        17: "anon_inode:bpf-prog",
        18: "anon_inode:[userfaultfd]",
        19: "anon_inode:[io_uring]",
        20: "anon_inode:[pidfd]",
        21: "anon_inode:[perf_event]",
    }
    for n, name in anon.items():
        t.link(fd / str(n), name)
    t.link(fd / "22", "/memfd:buf (deleted)")
    t.link(fd / "23", b / "fifo")
    t.write(p / "fdinfo/23", "pos:\t0\nflags:\t04000\nmnt_id:\t21\n")
    net = p / "net"
    t.write(
        net / "tcp",
        inet_table(
            [
                (ipv4_hex("127.0.0.1", 8080), ipv4_hex("0.0.0.0", 0), 0x0A, 5001),
                (ipv4_hex("10.0.0.5", 40000), ipv4_hex("10.0.0.1", 443), 0x01, 5002),
                (ipv4_hex("10.0.0.5", 40001), ipv4_hex("10.0.0.1", 443), 0x06, 0),  # TIME_WAIT: no inode
            ]
        ),
    )
    t.write(
        net / "tcp6",
        inet_table(
            [
                (ipv6_hex("::", 22), ipv6_hex("::", 0), 0x0A, 5003),
                (ipv6_hex("2001:db8::1", 5555), ipv6_hex("2001:db8::2", 80), 0x01, 5004),
            ]
        ),
    )
    t.write(net / "udp", inet_table([(ipv4_hex("0.0.0.0", 53), ipv4_hex("0.0.0.0", 0), 0x07, 5005)]))
    t.write(net / "raw", inet_table([(ipv4_hex("192.168.1.2", 1), ipv4_hex("192.168.1.9", 0), 0x07, 5008)]))
    t.write(net / "udp6", inet_table([(ipv6_hex("fe80::1", 546), ipv6_hex("ff02::1:2", 547), 0x01, 5009)]))
    t.write(
        net / "unix",
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "ffff888012345600: 00000002 00000000 00010000 0001 01  5006 /run/test dir/x.sock\n"
        "ffff888012345700: 00000003 00000000 00000000 0001 03  7777\n",
    )
    t.write(
        net / "netlink",
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
        "ffff888000001000 0   100        00000000 0        0        0     2        0        5007\n",
    )

    q = p / "task/101"
    (p / "task/100").mkdir(parents=True)
    t.write(q / "stat", stat_line(101, "worker", 1, 100, 90, 34816, 0x400040, 11, 1))
    t.write(
        q / "status",
        status_text(
            "worker",
            100,
            101,
            1,
            (1001, 1001, 1001, 1001),
            (4000, 4000, 4000, 4000),
            "7 2001",
            ns=("100\t5", "101\t6", "100\t5", "90\t1"),
            vm=(12345, 680, 9),
            caps=(0, 0, 0),
        ),
    )
    t.write(q / "comm", "worker\n")
    # per-process files are in every task directory too (read there by scan_thread only)
    t.write(q / "cmdline", b"/usr/bin/myprog\0--flag\0value with space\0")
    t.write(q / "environ", b"A=1\0B=two words\0")
    t.link(q / "exe", b / "bin/myprog")
    t.write(q / "limits", LIMITS.format(soft=1024))
    t.link(q / "cwd", b / "work2")
    t.link(q / "root", b / "rootfs")
    t.write(q / "loginuid", "4294967295")
    t.write(q / "cgroup", "0::/app\n")

    # ---- process 200: no NS* lines, no loginuid, memfd exe, setproctitle-style cmdline,
    # sockets from the proc root's net tables (no ns/net)
    p = t.proc / "200"
    t.write(p / "stat", stat_line(200, "nginx", 100, 150, 150, 0, 0x400100, 5, 0))
    t.write(p / "status", status_text("nginx", 200, 200, 100, (0, 1001, 0, 0), (0, 3000, 0, 0)))
    t.write(p / "comm", "nginx\n")
    t.write(p / "cmdline", b"nginx: master process")
    t.write(p / "environ", b"")
    t.link(p / "exe", "/memfd:payload (deleted)")
    t.link(p / "cwd", "/")
    t.link(p / "root", "/nonexistent-root")
    t.write(p / "limits", LIMITS.format(soft="unlimited"))
    t.write(p / "cgroup", "")
    t.link(p / "fd/0", "socket:[6001]")
    t.link(p / "fd/1", b / "files/data.txt")  # no fdinfo: flags 0
    t.write(t.proc / "net/tcp", inet_table([(ipv4_hex("127.0.0.1", 9000), ipv4_hex("127.0.0.1", 50000), 0x01, 6001)]))

    # ---- a kernel thread, a zombie, a process gone before it could be read
    p = t.proc / "2"
    t.write(p / "stat", stat_line(2, "kthreadd", 0, 0, 0, 0, PF_KTHREAD | 0x40, 0, 0))
    t.write(p / "status", status_text("kthreadd", 2, 2, 0, (0, 0, 0, 0), (0, 0, 0, 0)))
    p = t.proc / "300"
    t.write(p / "stat", stat_line(300, "defunct", 1, 300, 300, 0, 0x400044, 0, 0))
    t.write(p / "status", status_text("defunct", 300, 300, 1, (0, 0, 0, 0), (0, 0, 0, 0)))
    t.write(p / "cmdline", b"")
    t.write(p / "environ", b"")
    (t.proc / "400").mkdir()

    # ---- cgroup v2 controllers
    t.write(t.sys / "fs/cgroup/cgroup.controllers", "cpuset io memory pids\n")
    t.write(t.sys / "fs/cgroup/app/cgroup.controllers", "io memory\n")
    t.write(t.sys / "fs/cgroup/app/web/cgroup.controllers", "memory\n")

    # ---- users and groups
    t.write(
        t.etc / "passwd",
        "root:x:0:0:root:/root:/bin/bash\n# a comment\n\n"
        "+nisuser::::::\nalice:x:1001:2001:Alice A,,,:/home/alice:/bin/zsh\n"
        "broken:x:notanumber:1:x:/:/bin/sh\nshort:x:5\n"
        "nohome:x:1002:1002:::\n",
    )
    t.write(t.etc / "group", "root:x:0:\nstaff:x:2001:alice,bob\n-nisgroup\nbad:x:\nempty:x:3000:\n")
    return t


@pytest.fixture
def tree(tmp_path):
    return build_tree(tmp_path)


def fake_args(t, *extra):
    return ["--proc", t.proc, "--etc", t.etc, "--sys", t.sys, *extra]


def expected_threads(t):
    b = t.base
    exe = os.stat(b / "bin/myprog")
    init = os.stat(b / "rootfs/proc/1/cmdline")
    base100 = dict(
        pid=100,
        ptid=1,
        sid=90,
        pgid=100,
        vpgid=5,
        exe="/usr/bin/myprog",
        exepath=str(b / "bin/myprog"),
        args=["--flag", "value with space"],
        args_len=len(b"--flag\0value with space\0"),
        fdlimit=1024,
        env=["A=1", "B=two words"],
        env_len=len(b"A=1\0B=two words\0"),
        vpid=5,
        root=str(b / "rootfs"),
        pidns_init_start_ts=init.st_ctime_ns,
        tty=34816,
        exe_upper_layer=0,
        exe_lower_layer=0,
        exe_from_memfd=0,
        exe_ino=exe.st_ino,
        exe_ino_ctime=exe.st_ctime_ns,
        exe_ino_mtime=exe.st_mtime_ns,
        vmsize_kb=12345,
        vmswap_kb=9,
    )
    t100 = dict(
        base100,
        tid=100,
        comm="my (proc)",
        cwd=str(b / "work"),
        flags=0,
        uid=1001,
        gid=2001,
        vmrss_kb=678,
        pfmajor=7,
        pfminor=123,
        vtid=5,
        loginuid=1000,
        cgroups=[
            "cpu=/user.slice",
            "cpuacct=/user.slice",
            "name=systemd=/user.slice/session-1.scope",
            "memory=/app/web",
            "io=/app",
            "cpuset=/",
            "pids=/",
        ],
        exe_writable=1,  # group 2001 may write (mode 0775)
        cap_inheritable=1,
        cap_permitted=0x1FFFFFFFFFF,
        cap_effective=0x4000,
        nfds=25,
    )
    t101 = dict(
        base100,
        tid=101,
        comm="worker",
        cwd=str(b / "work2"),
        flags=CL_THREAD_FILES,
        uid=1001,
        gid=4000,
        vmrss_kb=680,
        pfmajor=1,
        pfminor=11,
        vtid=6,
        loginuid=U32_MAX,
        cgroups=["io=/app", "memory=/app", "cpuset=/", "pids=/"],
        exe_writable=1,  # supplementary group 2001
        cap_inheritable=0,
        cap_permitted=0,
        cap_effective=0,
        nfds=0,
    )
    t200 = dict(
        tid=200,
        pid=200,
        ptid=100,
        sid=150,
        pgid=150,
        vpgid=150,
        comm="nginx",
        exe="nginx: master process",
        exepath="/memfd:payload (deleted)",
        args=[],
        args_len=0,
        cwd="/",
        fdlimit=U64_MAX,
        flags=0,
        uid=1001,
        gid=3000,
        vmsize_kb=0,
        vmrss_kb=0,
        vmswap_kb=0,
        pfmajor=0,
        pfminor=5,
        env=[],
        env_len=0,
        vtid=200,
        vpid=200,
        cgroups=[],
        root="/nonexistent-root",
        pidns_init_start_ts=0,
        tty=0,
        loginuid=U32_MAX,
        exe_writable=0,
        exe_upper_layer=0,
        exe_lower_layer=0,
        exe_from_memfd=1,
        cap_inheritable=0,
        cap_permitted=0,
        cap_effective=0,
        exe_ino=0,
        exe_ino_ctime=0,
        exe_ino_mtime=0,
        nfds=2,
    )
    for d in (t100, t101, t200):
        d["kind"] = "thread"
        d["cgroups_len"] = sum(len(c) + 1 for c in d["cgroups"])
    return [t100, t101, t200]


def fd(
    tid, num, type_, name="", ino=0, open_flags=0, dev=0, l4proto=0, sip=None, dip=None, sport=0, dport=0, unix_source=0
):
    d = dict(
        kind="fd",
        tid=tid,
        fd=num,
        type=type_,
        ino=ino,
        open_flags=open_flags,
        dev=dev,
        l4proto=l4proto,
        sport=sport,
        dport=dport,
        unix_source=unix_source,
        unix_dest=0,
        name=name,
    )
    if sip is not None:
        d["sip"], d["dip"] = sip, dip
    return d


def expected_fds(t):
    b = t.base
    data = os.stat(b / "files/data.txt")
    work = os.stat(b / "work")
    fifo = os.stat(b / "fifo")
    fds100 = [
        # O_RDWR|O_APPEND|O_LARGEFILE -> PPM RDWR 3 | APPEND 8 | LARGEFILE 2048
        fd(100, 0, FILE_V2, str(b / "files/data.txt"), data.st_ino, 3 | 8 | 2048, kdev(data.st_dev)),
        fd(100, 1, FIFO, "pipe:[4242]", 4242),
        fd(100, 2, DIRECTORY, str(b / "work"), work.st_ino),
        fd(100, 3, IPV4_SERV, "", 5001, l4proto=TCP, sip="127.0.0.1", dip="0.0.0.0", sport=8080),
        fd(100, 4, IPV4, "", 5002, l4proto=TCP, sip="10.0.0.5", dip="10.0.0.1", sport=40000, dport=443),
        fd(100, 5, IPV6_SERV, "", 5003, l4proto=TCP, sip="::", dip="::", sport=22),
        fd(100, 6, IPV6, "", 5004, l4proto=TCP, sip="2001:db8::1", dip="2001:db8::2", sport=5555, dport=80),
        fd(100, 7, IPV4_SERV, "", 5005, l4proto=UDP, sip="0.0.0.0", dip="0.0.0.0", sport=53),
        fd(100, 8, UNIX, "/run/test dir/x.sock", 5006, unix_source=0xFFFF888012345600),
        fd(100, 9, NETLINK, "", 5007),
        # fd 10: socket 5999 is in no table: left out
        fd(100, 11, EVENT, "anon_inode:[eventfd]"),
        fd(100, 12, EVENTPOLL, "anon_inode:[eventpoll]"),
        fd(100, 13, INOTIFY, "anon_inode:inotify"),
        fd(100, 14, SIGNALFD, "anon_inode:[signalfd]"),
        fd(100, 15, TIMERFD, "anon_inode:[timerfd]"),
        fd(100, 16, BPF, "anon_inode:bpf-map"),
        fd(100, 17, BPF, "anon_inode:bpf-prog"),
        fd(100, 18, USERFAULTFD, "anon_inode:[userfaultfd]"),
        fd(100, 19, IOURING, "anon_inode:[io_uring]"),
        fd(100, 20, PIDFD, "anon_inode:[pidfd]"),
        fd(100, 21, UNSUPPORTED, "anon_inode:[perf_event]"),
        fd(100, 22, MEMFD, "/memfd:buf (deleted)"),
        fd(100, 23, FIFO, str(b / "fifo"), fifo.st_ino),
        fd(100, 24, IPV4, "", 5008, l4proto=RAW, sip="192.168.1.2", dip="192.168.1.9", sport=1),
        fd(100, 25, IPV6, "", 5009, l4proto=UDP, sip="fe80::1", dip="ff02::1:2", sport=546, dport=547),
    ]
    fds200 = [
        fd(200, 0, IPV4, "", 6001, l4proto=TCP, sip="127.0.0.1", dip="127.0.0.1", sport=9000, dport=50000),
        fd(200, 1, FILE_V2, str(b / "files/data.txt"), data.st_ino, 0, kdev(data.st_dev)),  # no fdinfo
    ]
    return fds100, fds200


def by_fd(objs, tid):
    return sorted((o for o in kinds(objs, "fd") if o["tid"] == tid), key=lambda o: o["fd"])


def check_order(threads):
    """Each leader is followed by its other threads (processes come in readdir order)."""
    tids = [t["tid"] for t in threads]
    assert tids.index(101) == tids.index(100) + 1


def test_fake_tree_every_field(build_dir, tree):
    objs, _ = scan(build_dir, *fake_args(tree))
    threads = kinds(objs, "thread")
    check_order(threads)
    assert sorted(threads, key=lambda t: t["tid"]) == expected_threads(tree)
    fds100, fds200 = expected_fds(tree)
    assert by_fd(objs, 100) == fds100
    assert by_fd(objs, 101) == []
    assert by_fd(objs, 200) == fds200
    st = kinds(objs, "stats")[0]
    assert st["rc"] == 0
    assert (st["nprocs"], st["nthreads"], st["nfds"]) == (2, 3, 27)
    assert (st["nvanished"], st["nkernel"], st["nsockets_unresolved"]) == (1, 2, 1)
    assert st["timed_out"] == 0


def test_fake_tree_machine_users_groups(build_dir, tree):
    objs, _ = scan(build_dir, *fake_args(tree, "--what", "machine,users"))
    assert kinds(objs, "machine") == [
        dict(
            kind="machine",
            num_cpus=3,
            memory_size_bytes=2048000 * 1024,
            max_pid=4194304,
            hostname="fake-host",
            boot_ts_epoch=1700000123 * 10**9,
            flags=0,
        )
    ]
    assert kinds(objs, "user") == [
        dict(kind="user", uid=0, gid=0, name="root", homedir="/root", shell="/bin/bash"),
        dict(kind="user", uid=1001, gid=2001, name="alice", homedir="/home/alice", shell="/bin/zsh"),
        dict(kind="user", uid=1002, gid=1002, name="nohome", homedir="", shell=""),
    ]
    assert kinds(objs, "group") == [
        dict(kind="group", gid=0, name="root"),
        dict(kind="group", gid=2001, name="staff"),
        dict(kind="group", gid=3000, name="empty"),
    ]
    assert kinds(objs, "thread") == []
    st = kinds(objs, "stats")[0]
    assert (st["nusers"], st["ngroups"], st["nifaces"], st["nthreads"]) == (3, 3, 0, 0)


def test_fake_tree_without_sockets(build_dir, tree):
    """Without SOCKETS, socket fds are left out (upstream's behaviour), everything else stays."""
    objs, _ = scan(build_dir, *fake_args(tree, "--what", "threads,fds"))
    fds100, fds200 = expected_fds(tree)
    assert by_fd(objs, 100) == [f for f in fds100 if f["type"] not in (IPV4, IPV6, IPV4_SERV, IPV6_SERV, UNIX, NETLINK)]
    assert by_fd(objs, 200) == [f for f in fds200 if f["type"] != IPV4]
    st = kinds(objs, "stats")[0]
    assert st["nsockets_unresolved"] == 0


def test_fake_tree_threads_only_and_max_fds(build_dir, tree):
    objs, _ = scan(build_dir, *fake_args(tree, "--what", "threads"))
    exp = expected_threads(tree)
    for e in exp:
        e["nfds"] = 0
    assert sorted(kinds(objs, "thread"), key=lambda t: t["tid"]) == exp
    assert kinds(objs, "fd") == []
    objs, _ = scan(build_dir, *fake_args(tree, "--what", "sockets", "--max-fds", "3"))
    fds100, fds200 = expected_fds(tree)
    got = by_fd(objs, 100)
    assert len(got) == 3 and all(f in fds100 for f in got)  # the first 3 in readdir order
    assert by_fd(objs, 200) == fds200
    assert [t["nfds"] for t in sorted(kinds(objs, "thread"), key=lambda t: t["tid"])] == [3, 0, 2]


def test_fake_scan_pid_and_thread(build_dir, tree):
    exp = expected_threads(tree)
    fds100, _ = expected_fds(tree)
    objs, _ = scan(build_dir, *fake_args(tree, "--pid", "100"))
    assert kinds(objs, "thread") == exp[:2]
    assert by_fd(objs, 100) == fds100
    assert kinds(objs, "machine") == [] and kinds(objs, "user") == []

    # one non-leader thread: read from 100/task/101, alone, no fds
    objs, _ = scan(build_dir, *fake_args(tree, "--tid", "101"), ok=False)
    assert kinds(objs, "thread") == []  # /proc/101 does not exist in this tree
    assert kinds(objs, "error")[0]["rc"] == -3  # -ESRCH
    tree.link(tree.proc / "101", tree.proc / "100/task/101")
    objs, _ = scan(build_dir, *fake_args(tree, "--tid", "101"))
    assert kinds(objs, "thread") == [exp[1]]

    objs, _ = scan(build_dir, *fake_args(tree, "--tid", "100", "--what", "threads"))
    t = dict(exp[0], nfds=0)
    assert kinds(objs, "thread") == [t]


def test_fake_scan_pid_missing_kernel_zombie(build_dir, tree):
    for pid, why in (
        ("999", ""),
        ("2", " (kernel thread or zombie)"),
        ("300", " (kernel thread or zombie)"),
        ("400", ""),
    ):
        objs, r = scan(build_dir, *fake_args(tree, "--pid", pid), ok=False)
        assert r.returncode == 1
        err = kinds(objs, "error")[0]
        assert err["rc"] == -3
        assert err["msg"] == f"scan_pid: no process {pid} in {tree.proc}{why}"


def test_fake_bad_roots(build_dir, tree):
    objs, r = scan(build_dir, "--proc", tree.base / "nope", ok=False)
    assert r.returncode == 1
    assert kinds(objs, "error")[0] == dict(
        kind="error", rc=-2, msg=f"proc scan: cannot open {tree.base / 'nope'}: No such file or directory"
    )
    # missing /etc files and sys root: no users, no groups, zero link speeds — not errors
    objs, _ = scan(
        build_dir,
        "--proc",
        tree.proc,
        "--etc",
        tree.base / "nope",
        "--sys",
        tree.base / "nope",
        "--what",
        "users,threads",
    )
    assert kinds(objs, "user") == [] and kinds(objs, "group") == []
    t100 = [o for o in kinds(objs, "thread") if o["tid"] == 100][0]
    assert t100["cgroups"] == ["cpu=/user.slice", "cpuacct=/user.slice", "name=systemd=/user.slice/session-1.scope"]


def test_fake_unreadable_files_give_partial_entries(build_dir, root):
    """Files the scanner may not read leave fields empty; the entry stays (EACCES is not a
    vanished process). The helper runs as nobody (so root: to switch) so that permissions apply."""
    base = Path(tempfile.mkdtemp(prefix="pyscap-proc-"))
    try:
        os.chmod(base, 0o755)
        tree = build_tree(base)
        p = tree.proc / "100"
        for name in ("environ", "cgroup", "loginuid"):
            os.chmod(p / name, 0)
        os.chmod(p / "fd", 0)
        exe = helper(build_dir, "proc_dump")
        r = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, *fake_args(tree, "--pid", "100")])
        assert r.returncode == 0, r.stdout + r.stderr
        objs = [json.loads(line) for line in r.stdout.splitlines()]
        t100, t101 = kinds(objs, "thread")
        exp = expected_threads(tree)
        assert t100 == dict(exp[0], env=[], env_len=0, cgroups=[], cgroups_len=0, loginuid=U32_MAX, nfds=0)
        # the thread's own files are readable; args/env/exe are shared from the leader's read
        assert t101 == dict(exp[1], env=[], env_len=0)
        st = kinds(objs, "stats")[0]
        assert (st["nprocs"], st["nthreads"], st["npartial"], st["nvanished"]) == (1, 2, 1, 0)
    finally:
        shutil.rmtree(base)


@pytest.mark.parametrize(
    "kflags,ppm",
    [
        (0o0, 1),
        (0o1, 2),
        (0o2, 3),
        (0o100, 1 | 4),
        (0o200, 1 | 32),
        (0o1000, 1 | 256),
        (0o2000, 1 | 8),
        (0o4000, 1 | 64),
        (0o10000, 1 | 16),
        (0o4010000, 1 | 16 | 128),
        (0o40000, 1 | 512),
        (0o100000, 1 | 2048),
        (0o200000, 1 | 1024),
        (0o2000000, 1 | 4096),
        (0o20200000, 1 | 1024 | 8192),
    ],
)
def test_fdinfo_flags(build_dir, tmp_path, kflags, ppm):
    t = Tree(tmp_path)
    p = t.proc / "7"
    t.write(p / "stat", stat_line(7, "f", 1, 7, 7, 0, 0, 0, 0))
    t.write(p / "status", status_text("f", 7, 7, 1, (0, 0, 0, 0), (0, 0, 0, 0)))
    t.write(p / "cmdline", b"f\0")
    t.write(p / "comm", "f\n")
    t.write(tmp_path / "file", "")
    t.link(p / "fd/3", tmp_path / "file")
    t.write(p / "fdinfo/3", f"pos:\t0\nflags:\t{kflags:o}\nmnt_id:\t1\n")
    objs, _ = scan(build_dir, "--proc", t.proc, "--what", "fds")
    assert [o["open_flags"] for o in kinds(objs, "fd")] == [ppm]


def test_fake_asan(build_dir, asan_build_dir, tree):
    """The same scans under AddressSanitizer/UBSan: no report, identical output."""
    for extra in (("--what", "all"), ("--pid", "100"), ("--what", "sockets", "--max-fds", "2")):
        objs, r = scan(asan_build_dir, *fake_args(tree, *extra))
        assert r.stderr == ""
        plain, _ = scan(build_dir, *fake_args(tree, *extra))
        assert [o for o in objs if o["kind"] != "stats"] == [o for o in plain if o["kind"] != "stats"]
    assert {o["tid"] for o in objs if o["kind"] == "thread"} == {100, 101, 200}


def test_fake_scap_roundtrip(build_dir, tree, tmp_path):
    """A scanned platform written to a .scap file by the dumper (PL_V9, FDL_V2, IL_V2, UL_V2,
    MI) reads back identical through the file engine."""
    out = tmp_path / "scan.scap"
    objs, _ = scan(build_dir, *fake_args(tree, "--what", "all", "--write", out))
    back, _ = scan(build_dir, "--read", out)
    assert [o for o in objs if o["kind"] != "stats"] == back
    assert len(kinds(back, "thread")) == 3 and len(kinds(back, "fd")) == 27 and len(kinds(back, "user")) == 3
