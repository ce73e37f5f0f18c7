"""The bundled captures against Debian's sysdig 0.29.3: for every event sysdig prints, our
proc.name, thread.tid, fd.name and fd.type are the same.

Two readings of each file:
- as stored (scap_file_opts.no_convert): the old enter/exit pairs, numbered exactly as sysdig
  numbers them, so lines are compared by evt.num;
- converted to the current exit-only layout (the default): enter events are merged into their
  exits, so exit events are matched by (evt.rawtime, thread.tid, evt.type).

Known, justified differences (each is asserted, not skipped):
- mmap/mmap2 events: the current event table flags mmap as USES_FD (docs/upstream-facts.md §2.3d: `U,cv`) and its exit
  carries the fd, so fd.name/fd.type name the mapped file; sysdig 0.29.3's 2022 table did not flag
  mmap as using an fd and prints <NA>. We assert that every such line differs only in those two
  fields and that ours names the file the fd had.
- procinfo events (internal meta events) are hidden by both; both show them in debug mode
  (sysdig -D, sinsp_opts.debug), where the thread table seeded from the file's process list names
  their threads as sysdig does.
"""

import ctypes as C
import subprocess

import pytest
from test_sinsp_lib import Inspector, SinspOpts, libs

FMT = "*%evt.num %evt.rawtime %thread.tid %evt.type %evt.dir %proc.name %fd.name %fd.type"


class FileOpts(C.Structure):
    _fields_ = [("sz", C.c_size_t), ("no_convert", C.c_bool)]


def ours(path, no_convert, fmt=FMT, debug=False):
    scap, _ = libs()
    o = FileOpts(C.sizeof(FileOpts), no_convert)
    cap = scap.scap_capture__open_file(str(path).encode(), C.byref(o))
    assert cap, scap.scap_last_error()
    so = SinspOpts()
    so.debug = debug
    i = Inspector(cap=cap, opts=so)
    lines = []
    while i.next():
        lines.append(i.fmt(fmt))
    i.close()
    return lines


def theirs(sysdig, path, fmt=FMT, debug=False):
    r = subprocess.run(
        [sysdig] + (["-D"] if debug else []) + ["-r", str(path), "-p", fmt],
        capture_output=True,
        text=True,
        timeout=120,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def fields(line):
    # num rawtime tid type dir name fd.name... fd.type: fd.name may hold spaces (unix tuples)
    parts = line.split(" ")
    return {
        "num": int(parts[0]),
        "ts": parts[1],
        "tid": parts[2],
        "type": parts[3],
        "dir": parts[4],
        "proc": parts[5],
        "fdname": " ".join(parts[6:-1]),
        "fdtype": parts[-1],
    }


def check_mmap(o, t):
    # only fd.name/fd.type differ, sysdig has none, we have a file
    assert (o["num"], o["tid"], o["type"], o["dir"], o["proc"]) == (t["num"], t["tid"], t["type"], t["dir"], t["proc"])
    assert (t["fdname"], t["fdtype"]) == ("<NA>", "<NA>")
    assert o["fdtype"] in ("file", "<NA>"), o
    if o["fdtype"] == "file":
        assert o["fdname"].startswith("/"), o


@pytest.mark.parametrize(
    "name,nevents,nprinted,nmmap",
    [
        ("curl_google.scap", 1221, 1221, 188),
        ("single_ipv6_conn.scap", 28, 28, 0),
    ],
)
def test_as_stored_every_printed_event_matches_sysdig(captures_dir, sysdig, build_dir, name, nevents, nprinted, nmmap):
    path = captures_dir / name
    o = {fields(line)["num"]: line for line in ours(path, True)}
    t = {fields(line)["num"]: line for line in theirs(sysdig, path)}
    assert (len(o), len(t)) == (nevents, nprinted)
    mmap = 0
    for num, line in t.items():
        if o[num] == line:
            continue
        of, tf = fields(o[num]), fields(line)
        assert tf["type"] in ("mmap", "mmap2"), (line, o[num])
        check_mmap(of, tf)
        mmap += 1
    assert mmap == nmmap


@pytest.mark.parametrize(
    "name,nexits,nmmap",
    [
        ("curl_google.scap", 597, 110),
        ("single_ipv6_conn.scap", 14, 0),
    ],
)
def test_converted_exit_events_match_sysdig(captures_dir, sysdig, build_dir, name, nexits, nmmap):
    path = captures_dir / name
    key = lambda f: (f["ts"], f["tid"], f["type"])  # noqa: E731
    o = {key(fields(line)): fields(line) for line in ours(path, False)}
    t = [fields(line) for line in theirs(sysdig, path) if fields(line)["dir"] == "<"]
    assert len(t) == nexits
    mmap = 0
    for tf in t:
        of = o[key(tf)]
        if (of["proc"], of["fdname"], of["fdtype"]) == (tf["proc"], tf["fdname"], tf["fdtype"]):
            continue
        assert tf["type"] in ("mmap", "mmap2"), (tf, of)
        of = dict(of, num=tf["num"])
        check_mmap(of, tf)
        mmap += 1
    assert mmap == nmmap


def test_single_ipv6_conn_socket_fields(captures_dir, build_dir):
    scap, _ = libs()
    o = FileOpts(C.sizeof(FileOpts), False)
    cap = scap.scap_capture__open_file(str(captures_dir / "single_ipv6_conn.scap").encode(), C.byref(o))
    assert cap
    i = Inspector(cap=cap)
    got = []
    f = (
        "%thread.tid %evt.type %fd.cip %fd.cport %fd.sip %fd.sport %fd.lip %fd.lport %fd.rip %fd.rport "
        "%fd.l4proto %fd.is_server %fd.sockfamily"
    )
    while i.next():
        line = i.fmt(f)
        if line is not None:
            got.append(line)
    assert got[:2] == [
        "25886 accept 2001:db8::4 54405 2001:db8::3 1234 2001:db8::3 1234 2001:db8::4 54405 tcp true ip",
        "25888 connect 2001:db8::4 54405 2001:db8::3 1234 2001:db8::4 54405 2001:db8::3 1234 tcp false ip",
    ]
    assert len(got) == 5 and all(line.split()[1] in ("read", "write") for line in got[2:])


DEFAULT = "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %evt.args"


@pytest.mark.parametrize("name", ["curl_google.scap", "single_ipv6_conn.scap"])
def test_default_line_with_evt_args_is_identical_to_sysdig(captures_dir, sysdig, build_dir, name, monkeypatch):
    """The current default line (docs/upstream-facts.md §0.8) printed by both, file read as stored: evt.args renders
    fds, errnos, flags, pids, tuples and buffers exactly as sysdig 0.29.3 does."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    path = captures_dir / name
    scap, _ = libs()
    o = FileOpts(C.sizeof(FileOpts), True)
    i = Inspector(cap=scap.scap_capture__open_file(str(path).encode(), C.byref(o)))
    ours_ = {}
    while i.next():
        line = i.fmt(DEFAULT)
        ours_[int(line.split()[0])] = line
    r = subprocess.run(
        [sysdig, "-r", str(path), "-p", DEFAULT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
    )
    theirs_ = r.stdout.splitlines()
    assert len(theirs_) in (1221, 28)
    mismatched = [(line, ours_[int(line.split()[0])]) for line in theirs_ if ours_[int(line.split()[0])] != line]
    assert mismatched == []
    time.tzset()


@pytest.mark.parametrize("name,nprocinfo", [("curl_google.scap", 315), ("single_ipv6_conn.scap", 1700)])
def test_debug_mode_shows_procinfo_events_named_from_the_process_list(captures_dir, sysdig, build_dir, name, nprocinfo):
    """The thread table is seeded from the file's process list: every procinfo event's thread has
    the name, pid and parent sysdig -D gives it (the internal events are numbered too)."""
    path = captures_dir / name
    fmt = "*%evt.num %thread.tid %evt.type %proc.name %proc.pid %proc.ppid %proc.exe"
    o = ours(path, True, fmt, debug=True)
    t = theirs(sysdig, path, fmt, debug=True)
    assert len([x for x in t if " procinfo " in x]) == nprocinfo
    assert len(o) == len(t) and o == t
    assert len(ours(path, True, fmt)) == len(t) - nprocinfo


# Process, thread, user and group fields of every event sysdig prints, present or missing alike
# (a missing field hides a line printed without '*'): unknown threads show upstream's placeholders
# (proc.name/proc.exe "<NA>", proc.pid = the tid, -1 ids, uid 4294967295), empty values are values.
AGREE = (
    "group.name proc.args proc.cmdline proc.duration proc.env proc.exe proc.exeline proc.exepath proc.fdlimit "
    "proc.fdopencount proc.fdusage proc.is_exe_writable proc.loginshellid proc.name proc.nthreads proc.pid "
    "proc.ppid proc.sid proc.tty proc.vmrss proc.vmsize proc.vmswap proc.vpgid proc.vpid thread.ismain "
    "thread.pfmajor thread.pfminor thread.tid thread.vtid user.homedir user.loginname user.loginuid user.name "
    "user.shell user.uid proc.aname[0] proc.aname[1] proc.aname[2] proc.apid[1] proc.apid[2] "
    "thread.cgroup.cpuacct fd.sip fd.cip fd.sockfamily fd.sport evt.type evt.dir evt.num evt.cpu evt.info "
    "evt.is_io evt.is_io_read evt.is_io_write evt.is_wait evt.is_syslog evt.rawtime evt.rawarg.res "
    "evt.count"
).split()
# field -> (captures where it differs, why)
DIFFER = {
    "group.gid": (
        "curl_google.scap",
        "sysdig 0.29.3 prints 8589934591 for the clone child thread 17498 (a 64-bit "
        "read of the 32-bit gid); we print its gid",
    ),
    "proc.aname": (
        "both",
        "without an index sysdig 0.29.3 prints the process itself; we print every ancestor, "
        "as the filter's 'any ancestor' reading",
    ),
    "proc.apid": ("both", "as proc.aname"),
    "proc.cwd": (
        "curl_google.scap",
        "sysdig 0.29.3 ignores execve's cwd parameter (curl was unknown before its "
        "execve, so ''); we take it from the event, ending with '/'",
    ),
    "proc.nchilds": ("curl_google.scap", "sysdig 0.29.3 counts the CLONE_THREAD child as a child of the process"),
    "proc.pname": (
        "curl_google.scap",
        "sysdig 0.29.3 makes the creating thread the parent of a CLONE_THREAD "
        "child; the process's parent (bash) is ours, as in current upstream",
    ),
    "proc.pcmdline": ("curl_google.scap", "as proc.pname"),
    "proc.sname": (
        "curl_google.scap",
        "the old process list has no sid: upstream's reader says -1, libscap 0, so "
        "our walk up the ancestors in the same session stops at curl",
    ),
    "thread.cgroups": (
        "curl_google.scap",
        "sysdig 0.29.3 renames the cgroup v2 'io' controller 'blkio'; we keep the event's names",
    ),
}


def per_field(path, fields, sysdig):
    scap, lib = libs()
    cap = scap.scap_capture__open_file(str(path).encode(), C.byref(FileOpts(C.sizeof(FileOpts), True)))
    i = Inspector(cap=cap)
    fmts = {f: lib.sinsp_formatter__create(("%evt.num %" + f).encode(), 0) for f in fields}
    assert all(fmts.values()), [f for f, h in fmts.items() if not h]
    o = {f: {} for f in fields}
    while i.next():
        for f, h in fmts.items():
            s = lib.sinsp_formatter__format_str(h, i.evt)
            if s is not None:
                n, _, v = s.decode(errors="replace").partition(" ")
                o[f][int(n)] = v
    for h in fmts.values():
        lib.sinsp_formatter__free(h)
    i.close()
    t = {}
    for f in fields:
        r = subprocess.run(
            [sysdig, "-r", str(path), "-p", "%evt.num %" + f],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=120,
            env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        )
        assert r.returncode == 0, r.stderr
        t[f] = {int(n): v for n, _, v in (line.partition(" ") for line in r.stdout.splitlines())}
    return o, t


@pytest.mark.parametrize("name", ["curl_google.scap", "single_ipv6_conn.scap"])
def test_state_fields_of_every_event_agree_with_sysdig(captures_dir, sysdig, build_dir, name):
    o, t = per_field(captures_dir / name, AGREE + list(DIFFER), sysdig)
    bad = {f: sorted(set(o[f].items()) ^ set(t[f].items()))[:3] for f in AGREE if o[f] != t[f]}
    assert bad == {}
    for f, (where, why) in DIFFER.items():
        assert (o[f] != t[f]) == (where in (name, "both")), (f, why)
