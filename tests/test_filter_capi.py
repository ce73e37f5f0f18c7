"""Filters through libsinsp's C API (sinsp/filter.h) with the real field registry: syntax checks,
canonical text, error reporting (errno, position, sinsp_last_error), filters on synthetic events,
and matched event sets on a bundled capture compared with Debian's sysdig 0.29.3."""

import ctypes as C
import errno

import pytest
import test_sinsp_lib as L

from conftest import run


@pytest.fixture(scope="module")
def lib(build_dir):
    scap, sinsp = L.libs()
    # a second handle on the same library, capturing errno
    h = C.CDLL(str(build_dir / "libsinsp" / "libsinsp.so"), use_errno=True)
    h.sinsp_filter__compile.argtypes = [C.c_void_p, C.c_char_p, C.POINTER(C.c_int)]
    h.sinsp_filter__compile.restype = C.c_void_p
    h.sinsp_filter__free.argtypes = [C.c_void_p]
    h.sinsp_filter__check_syntax.argtypes = [C.c_char_p, C.POINTER(C.c_int)]
    h.sinsp_filter__canonical.argtypes = [C.c_char_p, C.c_char_p, C.c_size_t, C.POINTER(C.c_int)]
    h.sinsp_filter__compile_opts.argtypes = [C.c_void_p, C.c_char_p, C.POINTER(FilterOpts), C.POINTER(C.c_int)]
    h.sinsp_filter__compile_opts.restype = C.c_void_p
    h.sinsp_filter__matches.argtypes = [C.c_void_p, C.c_void_p]
    h.sinsp_last_error.restype = C.c_char_p
    return h


class FilterOpts(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("macro_names", C.POINTER(C.c_char_p)),
        ("macro_texts", C.POINTER(C.c_char_p)),
        ("n_macros", C.c_uint32),
        ("list_names", C.POINTER(C.c_char_p)),
        ("list_offsets", C.POINTER(C.c_uint32)),
        ("list_items", C.POINTER(C.c_char_p)),
        ("n_lists", C.c_uint32),
    ]


def filter_opts(macros, lists):
    o = FilterOpts()
    o.sz = C.sizeof(FilterOpts)
    strs = lambda xs: (C.c_char_p * max(len(xs), 1))(*[x.encode() for x in xs])  # noqa: E731
    o.macro_names, o.macro_texts = strs(list(macros)), strs(list(macros.values()))
    o.n_macros = len(macros)
    offsets, items = [0], []
    for v in lists.values():
        items += v
        offsets.append(len(items))
    o.list_names, o.list_items = strs(list(lists)), strs(items)
    o.list_offsets = (C.c_uint32 * len(offsets))(*offsets)
    o.n_lists = len(lists)
    return o


def last_error(lib):
    return lib.sinsp_last_error().decode()


def test_check_syntax(lib):
    pos = C.c_int(-7)
    assert lib.sinsp_filter__check_syntax(b"proc.name = bash and not fd.name in (a, b)", C.byref(pos)) == 0
    assert pos.value == -7
    assert lib.sinsp_filter__check_syntax(b"proc.name = bash and", C.byref(pos)) == -errno.EINVAL
    assert pos.value == 20
    assert last_error(lib) == (
        "expected a condition after 'and' at position 20\nproc.name = bash and\n                    ^"
    )
    # fields are not resolved by a syntax check
    assert lib.sinsp_filter__check_syntax(b"no.such_field exists", None) == 0
    assert lib.sinsp_filter__check_syntax(None, C.byref(pos)) == -errno.EINVAL
    assert pos.value == -1
    assert last_error(lib) == "invalid argument: NULL"


def test_canonical(lib):
    buf = C.create_string_buffer(64)
    n = lib.sinsp_filter__canonical(b"(proc.name=bash)and not(fd.num>3)", buf, 64, None)
    assert (n, buf.value) == (35, b"proc.name = bash and not fd.num > 3")
    small = C.create_string_buffer(8)
    assert lib.sinsp_filter__canonical(b"proc.name=bash", small, 8, None) == 16
    assert small.value == b"proc.na"
    assert lib.sinsp_filter__canonical(b"proc.name=bash", None, 0, None) == 16
    pos = C.c_int()
    assert lib.sinsp_filter__canonical(b"proc.name in (a", buf, 64, C.byref(pos)) == -errno.EINVAL
    assert pos.value == 15
    assert last_error(lib).startswith("expected ',' or ')' in the list at position 15\n")


def compile_on(lib, insp, text):
    pos = C.c_int(-2)
    C.set_errno(0)
    f = lib.sinsp_filter__compile(insp.h if insp else None, text.encode(), C.byref(pos))
    return f, C.get_errno(), pos.value


def test_compile_errors_report_errno_position_and_message(lib):
    insp = L.Inspector(b"")
    try:
        f, err, pos = compile_on(lib, None, "proc.name = x")
        assert (f, err, pos) == (None, errno.EINVAL, -1)
        f, err, pos = compile_on(lib, insp, "proc.nmae = x")
        assert (f, err, pos) == (None, errno.EINVAL, 0)
        assert last_error(lib) == (
            "unknown field 'proc.nmae' (did you mean 'proc.name'?) at position 0\nproc.nmae = x\n^"
        )
        f, err, pos = compile_on(lib, insp, "proc.name = bash and fd.num > x")
        assert (f, err, pos) == (None, errno.EINVAL, 30)
        assert last_error(lib).split("\n")[0] == "expected a number after '>' at position 30"
        f, err, pos = compile_on(lib, insp, "fd.num contains 3")
        assert (f, err, pos) == (None, errno.EINVAL, 7)
        assert (
            last_error(lib).split("\n")[0] == "operator 'contains' cannot be used with 'fd.num' (INT64) at position 7"
        )
        f, err, pos = compile_on(lib, insp, "proc.name = bash")
        assert f and pos == -2
        lib.sinsp_filter__free(f)
        lib.sinsp_filter__free(None)
    finally:
        insp.close()


def synthetic_events():
    evs = [
        L.clone_x(100, 10, 0, exe="/usr/bin/curl", args=("-6", "http://www.google.com"), comm="curl", pid=10, ptid=1),
        L.execve_x(
            200,
            10,
            exe="/usr/bin/curl",
            args=("-s", "-o", "/tmp/out", "http://x"),
            comm="curl",
            env=("HOME=/root", "LANG=C"),
        ),
        L.openat_x(300, 10, 3, "/etc/passwd"),
        L.openat_x(400, 10, -2, "/etc/shadow"),
        L.openat_x(500, 10, 4, "/usr/lib/libc.so.6"),
        L.close_x(600, 10, 3),
        L.close_x(700, 10, 4),
    ]
    return b"".join(evs)


def matched(lib, text, events=None):
    insp = L.Inspector(events if events is not None else synthetic_events())
    insp.add_thread(1, comm="systemd", exe="/sbin/init")
    f, err, pos = compile_on(lib, insp, text)
    assert f, (text, pos, last_error(lib))
    try:
        assert insp.lib.sinsp_inspector__set_filter(insp.h, f) == 0
        out = []
        while insp.next():
            out.append(insp.lib.sinsp_event__num(insp.evt))
        return out
    finally:
        insp.lib.sinsp_inspector__set_filter(insp.h, None)
        insp.close()
        lib.sinsp_filter__free(f)


def test_real_fields_on_synthetic_events(lib):
    all_nums = matched(lib, "evt.num > 0")
    assert all_nums == [1, 2, 3, 4, 5, 6, 7]
    assert matched(lib, "evt.type = openat") == [3, 4, 5]
    assert matched(lib, "evt.type = openat and fd.name startswith /etc") == [3, 4]
    assert matched(lib, "evt.type = openat and fd.name startswith /etc and evt.failed = false") == [3]
    assert matched(lib, "evt.type = openat and evt.failed = true") == [4]
    assert matched(lib, "evt.type in (openat, close) and evt.rawres < 0") == [4]
    assert matched(lib, "fd.name pmatch (/usr/lib) and evt.type = openat") == [5]
    assert matched(lib, "fd.name glob '/etc/*' and evt.type = close") == [6]
    assert matched(lib, "basename(fd.name) = libc.so.6 and evt.type = openat") == [5]
    assert matched(lib, "proc.name = curl and evt.type = execve") == [2]
    assert matched(lib, "proc.args contains http and evt.type = execve") == [2]
    assert matched(lib, "getopt(proc.args, 'so:')[o] = /tmp/out and evt.type = openat") == [3, 4, 5]
    assert matched(lib, "proc.env[HOME] = /root and evt.type = close") == [6, 7]
    assert matched(lib, "fd.num = 4 and evt.type = close") == [7]
    assert matched(lib, "evt.type = close and fd.num in (3, 4) and not fd.name endswith .6") == [6]
    assert matched(lib, "tolower(proc.name) = CURL") == []
    assert matched(lib, "toupper(proc.name) = CURL and evt.type = openat") == [3, 4, 5]
    assert matched(lib, "evt.type = openat and fd.name regex '/etc/(passwd|group)'") == [3]


def test_compile_with_macros_and_lists_and_match_events_one_by_one(lib):
    opts = filter_opts(
        {"is_open": "evt.type = openat", "etc_file": "fd.name pmatch etc_dirs"},
        {"etc_dirs": ["/etc"], "libs": ["/usr/lib", "/lib"], "empty": []},
    )
    insp = L.Inspector(synthetic_events())
    insp.add_thread(1, comm="systemd", exe="/sbin/init")
    pos = C.c_int(-2)
    texts = ["is_open and etc_file", "is_open and fd.name pmatch libs", "proc.name in empty", "not is_open"]
    filters = [lib.sinsp_filter__compile_opts(insp.h, t.encode(), C.byref(opts), C.byref(pos)) for t in texts]
    assert all(filters), (pos.value, last_error(lib))
    seen = {t: [] for t in texts}
    try:
        while insp.next():
            for t, f in zip(texts, filters):
                r = lib.sinsp_filter__matches(f, insp.evt)
                assert r in (0, 1)
                if r:
                    seen[t].append(insp.lib.sinsp_event__num(insp.evt))
    finally:
        insp.close()
        for f in filters:
            lib.sinsp_filter__free(f)
    assert seen == {
        "is_open and etc_file": [3, 4],
        "is_open and fd.name pmatch libs": [5],
        "proc.name in empty": [],
        "not is_open": [1, 2, 6, 7],
    }
    assert lib.sinsp_filter__matches(None, None) == -errno.EINVAL


def test_compile_opts_errors(lib):
    insp = L.Inspector(b"")
    try:
        opts = filter_opts({"m": "proc.name = "}, {})
        pos = C.c_int(-2)
        assert not lib.sinsp_filter__compile_opts(insp.h, b"evt.num > 1 and m", C.byref(opts), C.byref(pos))
        assert pos.value == 16
        assert (
            last_error(lib).split("\n")[0] == "in macro 'm' (expected a value after '=' at position 12) at position 16"
        )
        assert not lib.sinsp_filter__compile_opts(insp.h, b"proc.name in nolist", C.byref(opts), C.byref(pos))
        assert (pos.value, last_error(lib).split("\n")[0]) == (13, "undefined list 'nolist' at position 13")
        bad = filter_opts({}, {"l": ["a"]})
        bad.list_offsets = (C.c_uint32 * 2)(1, 0)
        C.set_errno(0)
        assert not lib.sinsp_filter__compile_opts(insp.h, b"proc.name in l", C.byref(bad), C.byref(pos))
        assert (C.get_errno(), pos.value) == (errno.EINVAL, -1)
        assert last_error(lib) == "invalid filter options: bad list name or offsets"
        # a caller built against a smaller struct: fields beyond sz are ignored
        old = filter_opts({"m": "proc.name = x"}, {"l": ["a"]})
        old.sz = FilterOpts.n_lists.offset
        assert not lib.sinsp_filter__compile_opts(insp.h, b"proc.name in l", C.byref(old), C.byref(pos))
        assert last_error(lib).split("\n")[0] == "undefined list 'l' at position 13"
        f = lib.sinsp_filter__compile_opts(insp.h, b"m", C.byref(old), C.byref(pos))
        assert f
        lib.sinsp_filter__free(f)
    finally:
        insp.close()


# ---- the bundled capture against sysdig 0.29.3 ----

# Filters sysdig 0.29.3 understands. Matches are compared on the events both readers return:
# our reader converts the 2018 enter/exit pairs to exit-only events (docs/upstream-facts.md §0.1-0.2),
# so evt.num differs between the two; events are keyed by (timestamp, tid) instead, and each
# side's matches are restricted to the events the other side also has (sysdig's enter events
# and our procinfo events, which sysdig does not print, drop out).
SYSDIG_FILTERS = [
    "evt.type=open",
    "evt.type=close",
    "evt.type in (open, close, read)",
    "evt.type!=open",
    "not evt.type in (open, close, mmap, read, fstat)",
    "evt.type=connect",
    "evt.type=sendto or evt.type=recvfrom",
    "proc.name=curl",
    "proc.name!=bash",
    "proc.name contains ur",
    "proc.name startswith cu",
    "proc.name endswith rl",
    "proc.name in (curl, sh)",
    "thread.tid=17498",
    "thread.tid!=17497",
    "proc.pid=17497",
    "fd.name contains /lib and evt.type!=mmap",
    "fd.name startswith /etc and evt.type!=mmap",
    "fd.name endswith .so.6 and evt.type!=mmap",
    "fd.name glob /lib/x86_64-linux-gnu/* and evt.type!=mmap",
    "fd.name pmatch (/etc, /usr/lib) and evt.type!=mmap",
    "fd.directory=/lib/x86_64-linux-gnu and evt.type!=mmap",
    "fd.filename=libc.so.6 and evt.type!=mmap",
    "fd.type=file and evt.type!=mmap",
    "fd.type=ipv6 and evt.type!=mmap",
    "fd.num=3 and evt.type!=mmap",
    "fd.sport=80 and evt.type!=mmap",
    "evt.failed=true",
    "evt.rawres<0",
    "evt.cpu=0",
    "proc.cmdline contains google",
    "evt.is_io=true",
    "evt.type=connect and fd.type=ipv6 and evt.type!=mmap",
    "proc.name=curl and not (fd.name contains /lib or evt.type=mmap)",
    "evt.type=open and evt.failed=false and fd.name icontains LIBC and evt.type!=mmap",
    "evt.type=execve",
    "evt.type=clone",
    "thread.tid in (17497, 17498)",
    "evt.type contains stat",
    "evt.type startswith send",
    "fd.name glob '/etc/*' and evt.type!=mmap",
    "proc.name=curl and evt.type=open and not fd.name startswith /usr",
    "fd.num=4 and evt.type in (connect, sendto, recvfrom, close)",
    "fd.sport=53",
    "fd.sip=2001:4860:4860::8888 and evt.type!=mmap",
    "(evt.type=sendto or evt.type=recvfrom) and fd.sport=53",
]

CAPTURE = "curl_google.scap"


def key_lines(lines):
    """{(ts, tid)} of "ts tid ..." lines, leaving out keys that occur twice."""
    keys = set()
    dup = set()
    for line in lines:
        ts, tid = line.split()[:2]
        k = (int(ts), int(tid))
        if k in keys:
            dup.add(k)
        keys.add(k)
    return keys - dup


def sysdig_lines(sysdig, path, flt, fmt):
    args = [sysdig, "-r", path]
    if flt:
        args.append(flt)
    r = run(args + ["-p", fmt])
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def enter_to_exit(lines):
    """sysdig's enter events -> the exit event that follows on the same thread."""
    pending = {}
    out = {}
    for line in lines:
        ts, tid, d = line.split()[:3]
        k = (int(ts), int(tid))
        if d == ">":
            pending[k[1]] = k
        elif d == "<" and k[1] in pending:
            out[pending.pop(k[1])] = k
    return out


def sysdig_keys(sysdig, path, flt, pairs):
    """Matched events, a matched enter event standing for its exit (our reader merges the two)."""
    keys = key_lines(sysdig_lines(sysdig, path, flt, "%evt.rawtime %thread.tid"))
    return {pairs.get(k, k) for k in keys}


def our_keys(lib, path, flt):
    scap, _ = L.libs()
    cap = scap.scap_capture__open_file(str(path).encode(), None)
    assert cap, scap.scap_last_error()
    insp = L.Inspector(cap=cap)
    f = None
    try:
        if flt:
            f, err, pos = compile_on(lib, insp, flt)
            assert f, (flt, pos, last_error(lib))
            assert insp.lib.sinsp_inspector__set_filter(insp.h, f) == 0
        lines = []
        while insp.next():
            lines.append("%d %d" % (insp.lib.sinsp_event__ts(insp.evt), insp.lib.sinsp_event__tid(insp.evt)))
        return key_lines(lines)
    finally:
        if f:
            insp.lib.sinsp_inspector__set_filter(insp.h, None)
        insp.close()
        if f:
            lib.sinsp_filter__free(f)


@pytest.fixture(scope="module")
def common_events(lib, sysdig, captures_dir):
    path = captures_dir / CAPTURE
    lines = sysdig_lines(sysdig, path, None, "%evt.rawtime %thread.tid %evt.dir")
    pairs = dict(enter_to_exit(lines).items())
    ours = our_keys(lib, path, None)
    pairs = {k: v for k, v in pairs.items() if k not in ours}  # enter events we keep (open) stay themselves
    common = ours & {pairs.get(k, k) for k in key_lines(lines)}
    assert len(common) > 500
    return path, common, pairs


@pytest.mark.parametrize("flt", SYSDIG_FILTERS)
def test_capture_matches_equal_sysdig(lib, sysdig, common_events, flt):
    path, common, pairs = common_events
    ours = our_keys(lib, path, flt) & common
    theirs = sysdig_keys(sysdig, path, flt, pairs) & common
    assert ours == theirs, (flt, sorted(ours - theirs)[:5], sorted(theirs - ours)[:5])
    assert ours or flt in EMPTY_OK, flt


# filters that legitimately match nothing in this capture
EMPTY_OK = set()

# Filters on which the two readers disagree because the FIELDS or the STATE differ (not the filter
# engine: the filter text and operators are the same as in the passing list above). Each one is
# reported to the fields/state owner; once fixed, the case passes (move it to SYSDIG_FILTERS).
KNOWN_DIFFERENCES = [
    (
        "fd.name contains /lib",
        "mmap: the current event table gives mmap an fd parameter and the event an fd (fd.name set); "
        "sysdig 0.29.3's mmap has no fd",
    ),
    (
        "fd.typechar=f",
        "open enter events: sysdig 0.29.3 takes fd.typechar/fd.name of an open enter from its path "
        "parameter; ours has no fd for the enter",
    ),
    (
        "fd.num>=3 and fd.num<5 and evt.type=pipe",
        "pipe exit: our event fd is fd1 (fd.num=4); sysdig 0.29.3 sets no fd for pipe",
    ),
    ("fd.is_server=false", "files: sysdig 0.29.3 reports fd.is_server=false for non-socket fds; ours <NA>"),
    ("user.uid=4294967295", "threads without a user entry: sysdig 0.29.3 reports uid 4294967295; ours <NA>"),
    (
        "evt.buflen>100",
        "read exits: sysdig 0.29.3 prints evt.buflen=832 for the first read but its filters evt.buflen=832 "
        "and evt.buflen>100 match no read at all (a 0.29.3 quirk); ours matches them",
    ),
]


@pytest.mark.parametrize("flt,why", KNOWN_DIFFERENCES)
def test_capture_known_differences_with_sysdig(lib, sysdig, common_events, flt, why):
    path, common, pairs = common_events
    ours = our_keys(lib, path, flt) & common
    theirs = sysdig_keys(sysdig, path, flt, pairs) & common
    if ours != theirs:
        pytest.xfail(why)


# ---- every real field in generated filters (robustness of binding and extraction) ----


def real_fields():
    _, sinsp = L.libs()
    out = []
    for i in range(sinsp.sinsp_fields__count()):
        info = L.FieldInfo()
        info.sz = C.sizeof(L.FieldInfo)
        assert sinsp.sinsp_fields__get(i, C.byref(info)) == 0
        out.append((info.name.decode(), info.type, info.flags))
    return out


REQUIRED_ARGS = {"evt.type.is": "openat", "thread.cgroup": "cpuacct", "evt.arg": "fd", "evt.rawarg": "fd"}


def test_every_real_field_compiles_and_runs_in_filters(lib):
    """Each field with exists, =, != and in against a value of its type, on synthetic events."""
    values = {
        0: "1",
        1: "1",
        2: "x",
        3: "x",
        4: "true",
        5: "10.0.0.1",
        6: "10.0.0.0/8",
        7: "80",
        8: "1",
        9: "1",
        10: "0.5",
    }  # by ftype (field_api.h order)
    insp = L.Inspector(synthetic_events())
    insp.add_thread(1, comm="systemd", exe="/sbin/init")
    compiled = []
    try:
        for name, ftype, flags in real_fields():
            if flags & 8:  # print-only
                continue
            ref = name + ("[%s]" % REQUIRED_ARGS.get(name, "0") if flags & 2 else "")
            v = values.get(ftype, "x")
            f, err, pos = compile_on(lib, insp, "%s = %s" % (ref, v))
            if not f:  # the type of a field bound with an argument (evt.rawarg[fd]) is the argument's
                assert last_error(lib).startswith("invalid "), (ref, last_error(lib))
                for v in ("1", "x", "true", "10.0.0.1"):
                    f = compile_on(lib, insp, "%s = %s" % (ref, v))[0]
                    if f:
                        lib.sinsp_filter__free(f)
                        break
            else:
                lib.sinsp_filter__free(f)
            for text in (
                "%s exists" % ref,
                "%s = %s" % (ref, v),
                "not %s != %s" % (ref, v),
                "%s in (%s, %s)" % (ref, v, v),
            ):
                f, err, pos = compile_on(lib, insp, text)
                assert f, (text, pos, last_error(lib))
                compiled.append(f)
        n = 0
        while insp.next():
            n += 1
            for f in compiled:
                assert lib.sinsp_filter__matches(f, insp.evt) in (0, 1)
        assert n == 7
    finally:
        insp.close()
        for f in compiled:
            lib.sinsp_filter__free(f)
    assert len(compiled) > 4 * 150
