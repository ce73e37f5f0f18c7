"""libscap's /proc scan on this machine's live /proc: a child process started here with a
known argv, environment, cwd, comm, thread and set of fds (a file, a directory, pipes, TCP/UDP
server and connected sockets over IPv4 and IPv6, unix sockets, netlink, eventfd, epoll, inotify,
timerfd, signalfd, memfd, pidfd) must come out field by field; machine info, interfaces, users
and groups are checked against independent sources (sysconf, `ip -j addr`, pwd/grp)."""

import grp
import json
import os
import pwd
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import helper, require, run

CL_THREAD_FILES = 8192 | 1
FILE_V2, DIRECTORY, IPV4, IPV6, IPV4_SERV, IPV6_SERV, FIFO, UNIX = 16, 2, 3, 4, 5, 6, 7, 8
EVENT, SIGNALFD, EVENTPOLL, INOTIFY, TIMERFD, NETLINK, MEMFD, PIDFD = 9, 11, 12, 13, 14, 15, 20, 21
TCP, UDP = 2, 3

CHILD = r"""
import ctypes, json, os, select, socket, sys, threading

os.setsid()
with open("/proc/self/comm", "w") as f:
    f.write("pyscap-child")
d = os.getcwd()
libc = ctypes.CDLL(None, use_errno=True)
keep, fds, ino, info = [], {}, {}, {}

def add(name, fd, obj=None):
    fds[name] = fd
    ino[name] = os.fstat(fd).st_ino
    if obj is not None:
        keep.append(obj)

add("file", os.open(os.path.join(d, "data.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
add("dir", os.open(d, os.O_RDONLY | os.O_DIRECTORY))
r, w = os.pipe()
add("pipe_r", r)
add("pipe_w", w)
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen()
add("tcp_listen", ls.fileno(), ls)
cl = socket.create_connection(ls.getsockname())
add("tcp_client", cl.fileno(), cl)
ac, _ = ls.accept()
add("tcp_accepted", ac.fileno(), ac)
info["tcp_port"], info["tcp_client_port"] = ls.getsockname()[1], cl.getsockname()[1]
us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
us.bind(("127.0.0.1", 0))
add("udp_server", us.fileno(), us)
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uc.connect(us.getsockname())
add("udp_client", uc.fileno(), uc)
info["udp_port"], info["udp_client_port"] = us.getsockname()[1], uc.getsockname()[1]
try:
    l6 = socket.socket(socket.AF_INET6)
    l6.bind(("::1", 0))
    l6.listen()
    add("tcp6_listen", l6.fileno(), l6)
    info["tcp6_port"] = l6.getsockname()[1]
except OSError:
    pass
ux = socket.socket(socket.AF_UNIX)
ux.bind(os.path.join(d, "ux.sock"))
ux.listen()
add("unix_listen", ux.fileno(), ux)
a, b = socket.socketpair()
add("unix_pair_a", a.fileno(), a)
add("unix_pair_b", b.fileno(), b)
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl.bind((0, 0))  # an unbound netlink socket is in no table yet
add("netlink", nl.fileno(), nl)
unbound = socket.socket()  # in no /proc/net table: left out
keep.append(unbound)
info["unbound"] = unbound.fileno()
add("eventfd", os.eventfd(0))
ep = select.epoll()
add("epoll", ep.fileno(), ep)
add("inotify", libc.inotify_init1(0))
add("timerfd", libc.timerfd_create(1, 0))
mask = ctypes.c_uint64(0)
libc.signalfd.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
add("signalfd", libc.signalfd(-1, ctypes.addressof(mask), 0))
add("memfd", os.memfd_create("pyscap-mem"))
add("pidfd", os.pidfd_open(os.getpid()))

ev = threading.Event()
th = threading.Thread(target=ev.wait, daemon=True)
th.start()
with open("/proc/self/task/%d/comm" % th.native_id, "w") as f:
    f.write("pyscap-worker")
info.update(fds=fds, ino=ino, tid=th.native_id)
sys.stdout.write(json.dumps(info) + "\n")
sys.stdout.flush()
sys.stdin.read()
"""

CODE = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')"
ENV = {"PYSCAP_A": "1", "PYSCAP_B": "two words"}


@pytest.fixture
def child(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    argv = ["pyscap-child", "-c", CODE, str(script), "alpha", "beta gamma"]
    p = subprocess.Popen(
        argv,
        executable=sys.executable,
        env=ENV,
        cwd=str(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    line = p.stdout.readline()
    if not line:
        p.kill()
        pytest.fail("child failed: " + p.stderr.read().decode())
    info = json.loads(line)
    info.update(
        pid=p.pid,
        argv=argv,
        dir=str(tmp_path),
        stdio=[os.fstat(f.fileno()).st_ino for f in (p.stdin, p.stdout, p.stderr)],
    )
    yield info
    p.stdin.close()
    p.wait(timeout=10)
    p.stdout.close()
    p.stderr.close()


def scan(build, *args, ok=True):
    r = run([helper(build, "proc_dump"), *args], timeout=120)
    if ok:
        assert r.returncode == 0, r.stdout + r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()], r


def kinds(objs, kind):
    return [o for o in objs if o["kind"] == kind]


def kdev(st_dev):
    return (os.major(st_dev) << 20) | os.minor(st_dev)


def status_of(pid, keys):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in keys:
                out[k] = v.split()
    return out


def expected_cgroups():
    """The cgroups this process (and so its child) is in, expanded as the scan does: one
    subsys=path entry per v1 controller; the v2 line per controller available on the way up
    from the cgroup to the root of the unified hierarchy."""
    v2 = None
    for d in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
        try:
            ctrls = open(d + "/cgroup.controllers").read().split()
        except OSError:
            continue
        v2 = (d, ctrls)
        if ctrls:
            break
    out = []
    for line in open("/proc/self/cgroup").read().splitlines():
        hid, subsys, path = line.split(":", 2)
        if subsys:
            out += [f"{s}={path}" for s in subsys.split(",")]
        elif hid == "0" and v2:
            found, cur = [], path
            while True:
                for c in open(v2[0] + (cur if cur != "/" else "") + "/cgroup.controllers").read().split():
                    if c not in found:
                        out.append(f"{c}={cur}")
                        found.append(c)
                if cur == "/" or all(c in found for c in v2[1]):
                    break
                cur = cur.rsplit("/", 1)[0] or "/"
    return out


def expected_threads(c):
    exepath = os.path.realpath(sys.executable)
    st = os.stat(exepath)
    caps = status_of("self", ("CapInh", "CapPrm", "CapEff"))
    args = c["argv"][1:]
    env = [f"{k}={v}" for k, v in ENV.items()]
    cg = expected_cgroups()
    pid = c["pid"]
    leader = dict(
        kind="thread",
        tid=pid,
        pid=pid,
        ptid=os.getpid(),
        sid=pid,
        vpgid=pid,
        pgid=pid,
        comm="pyscap-child",
        exe="pyscap-child",
        exepath=exepath,
        args=args,
        args_len=sum(len(a.encode()) + 1 for a in args),
        cwd=c["dir"],
        fdlimit=resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        flags=0,
        uid=os.geteuid(),
        gid=os.getegid(),
        env=env,
        env_len=sum(len(e) + 1 for e in env),
        vtid=pid,
        vpid=pid,
        cgroups=cg,
        cgroups_len=sum(len(x) + 1 for x in cg),
        root="/",
        pidns_init_start_ts=os.stat("/proc/1/cmdline").st_ctime_ns,
        tty=0,
        loginuid=int(open("/proc/self/loginuid").read()),
        exe_writable=int(st.st_uid == os.geteuid() or os.access(exepath, os.W_OK)),
        exe_upper_layer=0,
        exe_lower_layer=0,
        exe_from_memfd=0,
        cap_inheritable=int(caps["CapInh"][0], 16),
        cap_permitted=int(caps["CapPrm"][0], 16),
        cap_effective=int(caps["CapEff"][0], 16),
        exe_ino=st.st_ino,
        exe_ino_ctime=st.st_ctime_ns,
        exe_ino_mtime=st.st_mtime_ns,
    )
    thread = dict(leader, tid=c["tid"], vtid=c["tid"], comm="pyscap-worker", flags=CL_THREAD_FILES, nfds=0)
    return leader, thread


VOLATILE = ("vmsize_kb", "vmrss_kb", "vmswap_kb", "pfmajor", "pfminor", "nfds")


def check_volatile(t, pid):
    """Memory and fault counters move with the process: compare with its status/stat now
    (the child is blocked in read(), so they hold still)."""
    s = status_of(pid, ("VmSize", "VmRSS", "VmSwap"))
    assert t["vmsize_kb"] == int(s["VmSize"][0])
    assert abs(t["vmrss_kb"] - int(s["VmRSS"][0])) <= 64
    assert t["vmswap_kb"] == int(s["VmSwap"][0])
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    assert t["pfminor"] <= int(stat[7]) <= t["pfminor"] + 64 and t["pfminor"] > 0
    assert t["pfmajor"] <= int(stat[9])


def unix_sources():
    out = {}
    for line in open("/proc/net/unix").read().splitlines()[1:]:
        f = line.split()
        out[int(f[6])] = int(f[0].rstrip(":"), 16)
    return out


def expected_fds(c):
    pid, fds, ino = c["pid"], c["fds"], c["ino"]
    data = os.stat(os.path.join(c["dir"], "data.txt"))
    usrc = unix_sources()

    def fd(name, type_, fname="", **kw):
        d = dict(
            kind="fd",
            tid=pid,
            fd=fds[name],
            type=type_,
            ino=ino[name],
            open_flags=0,
            dev=0,
            l4proto=0,
            sport=0,
            dport=0,
            unix_source=0,
            unix_dest=0,
            name=fname,
        )
        d.update(kw)
        return d

    lo, any4 = "127.0.0.1", "0.0.0.0"
    tp, cp = c["tcp_port"], c["tcp_client_port"]
    up, ucp = c["udp_port"], c["udp_client_port"]
    out = [
        dict(
            kind="fd",
            tid=pid,
            fd=n,
            type=FIFO,
            ino=i,
            open_flags=0,
            dev=0,
            l4proto=0,
            sport=0,
            dport=0,
            unix_source=0,
            unix_dest=0,
            name=f"pipe:[{i}]",
        )
        for n, i in enumerate(c["stdio"])
    ]
    out += [
        # O_WRONLY|O_APPEND|O_LARGEFILE|O_CLOEXEC (O_CREAT is not kept by the kernel after open)
        fd("file", FILE_V2, os.path.join(c["dir"], "data.txt"), open_flags=2 | 8 | 2048 | 4096, dev=kdev(data.st_dev)),
        fd("dir", DIRECTORY, c["dir"]),
        fd("pipe_r", FIFO, "pipe:[%d]" % ino["pipe_r"]),
        fd("pipe_w", FIFO, "pipe:[%d]" % ino["pipe_w"]),
        fd("tcp_listen", IPV4_SERV, l4proto=TCP, sip=lo, dip=any4, sport=tp),
        fd("tcp_client", IPV4, l4proto=TCP, sip=lo, dip=lo, sport=cp, dport=tp),
        fd("tcp_accepted", IPV4, l4proto=TCP, sip=lo, dip=lo, sport=tp, dport=cp),
        fd("udp_server", IPV4_SERV, l4proto=UDP, sip=lo, dip=any4, sport=up),
        fd("udp_client", IPV4, l4proto=UDP, sip=lo, dip=lo, sport=ucp, dport=up),
        fd("unix_listen", UNIX, os.path.join(c["dir"], "ux.sock"), unix_source=usrc[ino["unix_listen"]]),
        fd("unix_pair_a", UNIX, unix_source=usrc[ino["unix_pair_a"]]),
        fd("unix_pair_b", UNIX, unix_source=usrc[ino["unix_pair_b"]]),
        fd("netlink", NETLINK),
        fd("eventfd", EVENT, "anon_inode:[eventfd]"),
        fd("epoll", EVENTPOLL, "anon_inode:[eventpoll]"),
        fd("inotify", INOTIFY, "anon_inode:inotify"),
        fd("timerfd", TIMERFD, "anon_inode:[timerfd]"),
        fd("signalfd", SIGNALFD, "anon_inode:[signalfd]"),
        fd("memfd", MEMFD, "/memfd:pyscap-mem (deleted)"),
        fd("pidfd", PIDFD, "anon_inode:[pidfd]"),
    ]
    if "tcp6_listen" in fds:
        out.append(fd("tcp6_listen", IPV6_SERV, l4proto=TCP, sip="::1", dip="::", sport=c["tcp6_port"]))
    return sorted(out, key=lambda d: d["fd"])


def child_records(objs, c):
    threads = [t for t in kinds(objs, "thread") if t["pid"] == c["pid"]]
    fds = sorted((f for f in kinds(objs, "fd") if f["tid"] == c["pid"]), key=lambda f: f["fd"])
    return threads, fds


def check_child(objs, c, with_thread=True):
    leader, thread = expected_threads(c)
    exp_fds = expected_fds(c)
    threads, fds = child_records(objs, c)
    assert [t["tid"] for t in threads] == ([c["pid"], c["tid"]] if with_thread else [c["pid"]])
    for got, exp, where in zip(threads, (leader, thread), (c["pid"], f"{c['pid']}/task/{c['tid']}")):
        check_volatile(got, where)
        g = {k: v for k, v in got.items() if k not in VOLATILE}
        e = {k: v for k, v in exp.items() if k not in VOLATILE}
        assert g == e, {k: (g.get(k), e.get(k)) for k in set(g) | set(e) if g.get(k) != e.get(k)}
    assert threads[0]["nfds"] == len(exp_fds)
    if with_thread:
        assert threads[1]["nfds"] == 0
    assert fds == exp_fds
    return threads, fds


def test_live_full_scan_child(build_dir, child):
    objs, _ = scan(build_dir, "--what", "threads,fds,sockets", "--only-pid", str(child["pid"]))
    check_child(objs, child)
    st = kinds(objs, "stats")[0]
    assert st["rc"] == 0 and st["nprocs"] >= 2 and st["nsockets_unresolved"] >= 1


def test_live_scan_pid_child(build_dir, child):
    objs, _ = scan(build_dir, "--pid", str(child["pid"]))
    check_child(objs, child)
    st = kinds(objs, "stats")[0]
    assert (st["nprocs"], st["nthreads"], st["nfds"]) == (1, 2, len(expected_fds(child)))
    assert (st["nsockets_unresolved"], st["nvanished"], st["npartial"]) == (1, 0, 0)


def test_live_scan_thread_child(build_dir, child):
    leader, thread = expected_threads(child)
    objs, _ = scan(build_dir, "--tid", str(child["tid"]))
    (t,) = kinds(objs, "thread")
    check_volatile(t, f"{child['pid']}/task/{child['tid']}")
    assert {k: v for k, v in t.items() if k not in VOLATILE} == {k: v for k, v in thread.items() if k not in VOLATILE}
    assert t["nfds"] == 0 and kinds(objs, "fd") == []
    # the leader alone, with its fds
    objs, _ = scan(build_dir, "--tid", str(child["pid"]))
    check_child(objs, child, with_thread=False)


def test_live_long_args_env_truncated(build_dir):
    """args and env are cut at 4096 bytes (upstream's limits), the last string NUL-terminated."""
    args = ["-c", "import sys; sys.stdin.read()", "x" * 3000, "y" * 3000]
    env = {"E1": "a" * 3000, "E2": "b" * 3000}
    p = subprocess.Popen(["long"] + args, executable=sys.executable, env=env, stdin=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while open(f"/proc/{p.pid}/cmdline", "rb").read().split(b"\0")[0] != b"long" and time.time() < deadline:
            time.sleep(0.01)
        objs, _ = scan(build_dir, "--pid", str(p.pid), "--what", "threads")
    finally:
        p.stdin.close()
        p.wait()

    def cut(strings):
        raw = b"".join(x.encode() + b"\0" for x in strings)
        raw = raw[:4095] + b"\0" if len(raw) > 4096 else raw
        return [x.decode() for x in raw[:-1].split(b"\0")], len(raw)

    (t,) = kinds(objs, "thread")
    assert (t["exe"], t["args"], t["args_len"]) == ("long", *cut(args))
    assert (t["env"], t["env_len"]) == cut([f"{k}={v}" for k, v in env.items()])
    assert t["args_len"] == 4096 and t["env_len"] == 4096


def test_live_missing_pid(build_dir):
    pid_max = int(open("/proc/sys/kernel/pid_max").read())
    pid = pid_max - 1
    while os.path.exists(f"/proc/{pid}"):
        pid -= 1
    objs, r = scan(build_dir, "--pid", str(pid), ok=False)
    assert r.returncode == 1
    assert kinds(objs, "error") == [dict(kind="error", rc=-3, msg=f"scan_pid: no process {pid} in /proc")]
    objs, r = scan(build_dir, "--pid", "2", ok=False)  # kthreadd
    assert kinds(objs, "error")[0]["msg"] == "scan_pid: no process 2 in /proc (kernel thread or zombie)"


def test_live_timeout(build_dir):
    objs, _ = scan(build_dir, "--what", "threads,fds,sockets")
    full = kinds(objs, "stats")[0]
    objs, r = scan(build_dir, "--what", "threads,fds,sockets", "--timeout", "1")
    st = kinds(objs, "stats")[0]
    assert r.returncode == 0 and st["rc"] == 1 and st["timed_out"] == 1  # SCAP_STATUS_TIMEOUT
    assert 1 <= st["nprocs"] < full["nprocs"]
    assert len(kinds(objs, "thread")) == st["nthreads"]


def test_live_machine(build_dir):
    objs, _ = scan(build_dir, "--what", "machine")
    (mi,) = kinds(objs, "machine")
    btime = [int(line.split()[1]) for line in open("/proc/stat") if line.startswith("btime ")][0]
    assert mi == dict(
        kind="machine",
        num_cpus=os.sysconf("SC_NPROCESSORS_ONLN"),
        memory_size_bytes=os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"),
        max_pid=int(open("/proc/sys/kernel/pid_max").read()),
        hostname=socket.gethostname(),
        boot_ts_epoch=btime * 10**9,
        flags=0,
    )
    boot = time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_BOOTTIME)
    assert abs(mi["boot_ts_epoch"] / 1e9 - boot) < 2


def test_live_users_groups(build_dir):
    objs, _ = scan(build_dir, "--what", "users")
    assert kinds(objs, "user") == [
        dict(kind="user", uid=u.pw_uid, gid=u.pw_gid, name=u.pw_name, homedir=u.pw_dir, shell=u.pw_shell)
        for u in pwd.getpwall()
    ]
    assert kinds(objs, "group") == [dict(kind="group", gid=g.gr_gid, name=g.gr_name) for g in grp.getgrall()]


def test_live_interfaces(build_dir):
    ip = shutil.which("ip")
    require(ip is not None, "no ip(8) to compare with: apt-get install iproute2")
    links = json.loads(subprocess.run([ip, "-j", "addr", "show"], capture_output=True, text=True, check=True).stdout)

    def speed(name):
        try:
            v = int(open(f"/sys/class/net/{name}/speed").read())
        except (OSError, ValueError):
            return 0
        return max(v, 0)

    def mask(family, plen):
        bits = 32 if family == "inet" else 128
        n = ((1 << bits) - 1) ^ ((1 << (bits - plen)) - 1)
        return socket.inet_ntop(socket.AF_INET if bits == 32 else socket.AF_INET6, n.to_bytes(bits // 8, "big"))

    exp = []
    for link in links:
        for a in link.get("addr_info", []):
            if a["family"] not in ("inet", "inet6"):
                continue
            v4 = a["family"] == "inet"
            name = a.get("label", link["ifname"]) if v4 else link["ifname"]  # getifaddrs names IPv4 aliases
            exp.append(
                dict(
                    kind="iface",
                    name=name,
                    type=1 if v4 else 2,
                    addr=a["local"],
                    netmask=mask(a["family"], a["prefixlen"]),
                    bcast=a.get("broadcast", "0.0.0.0") if v4 else "::",
                    linkspeed=speed(name),
                )
            )
    objs, _ = scan(build_dir, "--what", "ifaces")
    key = lambda d: (d["name"], d["type"], d["addr"])  # noqa: E731
    assert sorted(kinds(objs, "iface"), key=key) == sorted(exp, key=key)


def test_live_exe_flags_overlay_memfd(build_dir, tmp_path, root):
    """exe_from_memfd for a program run from a memfd; exe_upper_layer / exe_lower_layer for
    programs run from an overlayfs (mounted in tmp_path, hence root)."""
    sleep = shutil.which("sleep")
    with open(sleep, "rb") as f:
        image = f.read()
    mfd = os.memfd_create("pyscap-exe", 0)
    os.write(mfd, image)
    procs = [subprocess.Popen(["memsleep", "30"], executable=f"/proc/self/fd/{mfd}", pass_fds=(mfd,))]
    os.close(mfd)
    ov = tmp_path / "ov l"  # mountinfo escapes the blank: \040
    merged = ov / "merged"
    mounted = False
    try:
        for d in ("lower", "upper", "work", "merged"):
            (ov / d).mkdir(parents=True)
        shutil.copy2(sleep, ov / "lower/lsleep")
        shutil.copy2(sleep, ov / "upper/usleep")
        r = subprocess.run(
            [
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                f"lowerdir={ov}/lower,upperdir={ov}/upper,workdir={ov}/work",
                str(merged),
            ],
            capture_output=True,
        )
        mounted = r.returncode == 0
        assert mounted, f"mount -t overlay failed: {r.stderr!r}"
        procs.append(subprocess.Popen([str(merged / "lsleep"), "30"]))
        procs.append(subprocess.Popen([str(merged / "usleep"), "30"]))
        time.sleep(0.3)
        got = []
        for p in procs:
            objs, _ = scan(build_dir, "--pid", str(p.pid), "--what", "threads")
            (t,) = kinds(objs, "thread")
            got.append((t["exepath"], t["exe_from_memfd"], t["exe_upper_layer"], t["exe_lower_layer"], t["exe_ino"]))
        assert got[0][:4] == ("/memfd:pyscap-exe (deleted)", 1, 0, 0)
        assert got[0][4] == os.stat(f"/proc/{procs[0].pid}/exe").st_ino
        assert got[1][:4] == (str(merged / "lsleep"), 0, 0, 1)
        assert got[2][:4] == (str(merged / "usleep"), 0, 1, 0)
    finally:
        for p in procs:
            p.send_signal(signal.SIGKILL)
            p.wait()
        if mounted:
            subprocess.run(["umount", str(merged)], check=True)


def test_live_asan(build_dir, asan_build_dir, child):
    """The live scans under AddressSanitizer/UBSan: no report, and the child comes out the same."""
    for args in (("--pid", str(child["pid"])), ("--what", "all", "--only-pid", str(child["pid"]))):
        objs, r = scan(asan_build_dir, *args)
        assert r.stderr == ""
        check_child(objs, child)


def test_live_bench(build_dir):
    """The scan-speed number for the report (threads + fds + sockets of this machine)."""
    r = run([helper(build_dir, "proc_dump"), "--bench", "10"])
    assert r.returncode == 0, r.stderr
    (b,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert b["kind"] == "bench" and b["runs"] == 10 and b["nprocs"] >= 2 and b["nfds"] >= 3
    assert 0 < b["min_ms"] <= b["median_ms"] <= b["max_ms"] and b["cpu_ms"] > 0
    print(f"\nproc scan: {b}", file=sys.stderr)


def churn_scans(build, runs):
    """Scan while processes and threads are created and exit all the time: every scan
    succeeds, and every thread comes right after its process's leader or another of its
    threads."""
    storm = subprocess.Popen(["/bin/sh", "-c", "while :; do /bin/true; /bin/true & wait; done"])
    threads = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import threading\nwhile True:\n"
            "    ts = [threading.Thread(target=lambda: None) for _ in range(8)]\n"
            "    [t.start() for t in ts]; [t.join() for t in ts]\n",
        ]
    )
    vanished = 0
    try:
        for _ in range(runs):
            objs, r = scan(build, "--what", "threads,fds,sockets")
            assert r.stderr == ""
            st = kinds(objs, "stats")[0]
            assert st["rc"] == 0
            vanished += st["nvanished"] + st["nfds_vanished"]
            prev_pid = None
            for t in kinds(objs, "thread"):
                if t["tid"] != t["pid"]:
                    assert t["pid"] == prev_pid, t
                prev_pid = t["pid"]
            assert len(kinds(objs, "thread")) == st["nthreads"]
            assert len(kinds(objs, "fd")) == st["nfds"]
    finally:
        storm.kill()
        threads.kill()
        storm.wait()
        threads.wait()
    return vanished


def test_live_churn(build_dir):
    churn_scans(build_dir, 15)


def test_live_churn_asan(asan_build_dir):
    churn_scans(asan_build_dir, 5)


def test_live_scap_roundtrip(build_dir, child, tmp_path):
    """The live scan written to a .scap file reads back identical (file engine)."""
    out = tmp_path / "live.scap"
    objs, _ = scan(build_dir, "--write", out)
    back, _ = scan(build_dir, "--read", out)
    assert [o for o in objs if o["kind"] != "stats"] == back
    check_child(back, child)
