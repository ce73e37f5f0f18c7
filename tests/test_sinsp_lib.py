"""ctypes access to libscap/libsinsp for the sinsp tests: synthetic events (encoded with
scap_event_encode) through the test engine, an inspector, and accessors for its state.

Imported by the tests/test_sinsp_*.py files (this module holds no tests itself)."""

import ctypes as C
import ipaddress
import os
import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("PYSCAP_BUILD_DIR", ROOT / "build"))

_scap = None
_sinsp = None
EVT = {}  # "OPENAT_X" -> id


def libs():
    global _scap, _sinsp
    if _sinsp is None:
        _scap = C.CDLL(str(BUILD / "libscap" / "libscap.so"), mode=C.RTLD_GLOBAL)
        _sinsp = C.CDLL(str(BUILD / "libsinsp" / "libsinsp.so"))
        _declare(_scap, _sinsp)
        text = (ROOT / "abi" / "scap_abi_events.h").read_text()
        for name, val in re.findall(r"SCAP_EVT_([A-Z0-9_]+) = (\d+)", text):
            EVT[name] = int(val)
    return _scap, _sinsp


class ScapParam(C.Structure):
    _fields_ = [("data", C.c_void_p), ("len", C.c_uint32)]


class ScapTestOpts(C.Structure):
    _fields_ = [("sz", C.c_size_t), ("events", C.c_void_p), ("size", C.c_size_t), ("cpu", C.c_uint16)]


class SinspOpts(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("live", C.c_int),
        ("self_pid", C.c_int64),
        ("debug", C.c_bool),
        ("suppress_comms", C.POINTER(C.c_char_p)),
        ("n_suppress_comms", C.c_uint32),
        ("suppress_tids", C.POINTER(C.c_int64)),
        ("n_suppress_tids", C.c_uint32),
        ("max_threads", C.c_uint32),
        ("proc_root", C.c_char_p),
    ]


class ThreadSeed(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("tid", C.c_int64),
        ("pid", C.c_int64),
        ("ptid", C.c_int64),
        ("sid", C.c_int64),
        ("vpgid", C.c_int64),
        ("pgid", C.c_int64),
        ("vtid", C.c_int64),
        ("vpid", C.c_int64),
        ("comm", C.c_char_p),
        ("exe", C.c_char_p),
        ("exepath", C.c_char_p),
        ("cwd", C.c_char_p),
        ("root", C.c_char_p),
        ("args", C.c_char_p),
        ("args_len", C.c_size_t),
        ("env", C.c_char_p),
        ("env_len", C.c_size_t),
        ("cgroups", C.c_char_p),
        ("cgroups_len", C.c_size_t),
        ("uid", C.c_uint32),
        ("gid", C.c_uint32),
        ("loginuid", C.c_uint32),
        ("fdlimit", C.c_int64),
        ("cap_permitted", C.c_uint64),
        ("cap_effective", C.c_uint64),
        ("cap_inheritable", C.c_uint64),
        ("tty", C.c_uint32),
        ("clone_ts", C.c_uint64),
    ]


class FdSeed(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("fd", C.c_int64),
        ("type", C.c_uint32),
        ("openflags", C.c_uint32),
        ("name", C.c_char_p),
        ("dev", C.c_uint32),
        ("ino", C.c_uint64),
        ("l4proto", C.c_uint8),
        ("sip", C.c_uint8 * 16),
        ("dip", C.c_uint8 * 16),
        ("sport", C.c_uint16),
        ("dport", C.c_uint16),
        ("unix_src", C.c_uint64),
        ("unix_dst", C.c_uint64),
    ]


class SinspStats(C.Structure):
    _fields_ = [("sz", C.c_size_t)] + [
        (n, C.c_uint64)
        for n in (
            "n_events",
            "n_returned",
            "n_filtered",
            "n_suppressed",
            "n_self",
            "n_threads",
            "n_fds",
            "n_threads_removed",
            "n_threads_dropped",
            "n_internal",
        )
    ]


class FieldInfo(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("name", C.c_char_p),
        ("cls", C.c_char_p),
        ("desc", C.c_char_p),
        ("type", C.c_uint32),
        ("flags", C.c_uint32),
    ]


class Column(C.Structure):
    _fields_ = [
        ("sz", C.c_size_t),
        ("type", C.c_uint32),
        ("n", C.c_uint32),
        ("present", C.POINTER(C.c_uint8)),
        ("i64", C.POINTER(C.c_int64)),
        ("u64", C.POINTER(C.c_uint64)),
        ("f64", C.POINTER(C.c_double)),
        ("offsets", C.POINTER(C.c_uint32)),
        ("data", C.c_void_p),
    ]


def _declare(scap, sinsp):
    P = C.c_void_p
    scap.scap_event_encode.argtypes = [
        P,
        C.c_size_t,
        C.POINTER(C.c_size_t),
        C.c_uint64,
        C.c_uint64,
        C.c_uint16,
        C.c_uint32,
        C.POINTER(ScapParam),
    ]
    scap.scap_event_param_type.argtypes = [C.c_uint16, C.c_uint32]
    scap.scap_event_nparams.argtypes = [C.c_uint16]
    scap.scap_event_param_name.argtypes = [C.c_uint16, C.c_uint32]
    scap.scap_event_param_name.restype = C.c_char_p
    scap.scap_param_type_size.argtypes = [C.c_uint32]
    scap.scap_capture__open_test.argtypes = [C.POINTER(ScapTestOpts)]
    scap.scap_capture__open_test.restype = P
    scap.scap_capture__open_file.argtypes = [C.c_char_p, P]
    scap.scap_capture__open_file.restype = P
    scap.scap_last_error.restype = C.c_char_p
    sinsp.sinsp_inspector__open.argtypes = [P, C.POINTER(SinspOpts)]
    sinsp.sinsp_inspector__open.restype = P
    sinsp.sinsp_inspector__close.argtypes = [P]
    sinsp.sinsp_inspector__next.argtypes = [P, C.POINTER(P)]
    sinsp.sinsp_inspector__set_filter.argtypes = [P, P]
    sinsp.sinsp_inspector__stats.argtypes = [P, C.POINTER(SinspStats)]
    sinsp.sinsp_inspector__add_thread.argtypes = [P, C.POINTER(ThreadSeed)]
    sinsp.sinsp_inspector__add_fd.argtypes = [P, C.c_int64, C.POINTER(FdSeed)]
    sinsp.sinsp_inspector__add_user.argtypes = [P, C.c_uint32, C.c_uint32, C.c_char_p, C.c_char_p, C.c_char_p]
    sinsp.sinsp_inspector__add_group.argtypes = [P, C.c_uint32, C.c_char_p]
    sinsp.sinsp_inspector__suppress_comm.argtypes = [P, C.c_char_p]
    sinsp.sinsp_inspector__suppress_tid.argtypes = [P, C.c_int64]
    sinsp.sinsp_inspector__thread.argtypes = [P, C.c_int64]
    sinsp.sinsp_inspector__thread.restype = P
    sinsp.sinsp_inspector__nthreads.argtypes = [P]
    sinsp.sinsp_inspector__nthreads.restype = C.c_uint64
    sinsp.sinsp_last_error.restype = C.c_char_p
    for n, r in [
        ("num", C.c_uint64),
        ("cpu", C.c_uint16),
        ("type", C.c_uint16),
        ("tid", C.c_int64),
        ("name", C.c_char_p),
        ("thread", P),
        ("fd", P),
        ("fdnum", C.c_int64),
        ("ts", C.c_uint64),
    ]:
        f = getattr(sinsp, "sinsp_event__" + n)
        f.argtypes = [P]
        f.restype = r
    for n, r in [
        ("tid", C.c_int64),
        ("pid", C.c_int64),
        ("ptid", C.c_int64),
        ("sid", C.c_int64),
        ("pgid", C.c_int64),
        ("vpgid", C.c_int64),
        ("vtid", C.c_int64),
        ("vpid", C.c_int64),
        ("reaper_tid", C.c_int64),
        ("comm", C.c_char_p),
        ("exe", C.c_char_p),
        ("exepath", C.c_char_p),
        ("cwd", C.c_char_p),
        ("root", C.c_char_p),
        ("nargs", C.c_uint32),
        ("nenv", C.c_uint32),
        ("uid", C.c_uint32),
        ("gid", C.c_uint32),
        ("loginuid", C.c_uint32),
        ("flags", C.c_uint32),
        ("fdlimit", C.c_int64),
        ("tty", C.c_uint32),
        ("dead", C.c_bool),
        ("container_id", C.c_char_p),
        ("container_runtime", C.c_char_p),
        ("nchildren", C.c_uint32),
        ("nfds", C.c_uint32),
    ]:
        f = getattr(sinsp, "sinsp_thread__" + n)
        f.argtypes = [P]
        f.restype = r
    sinsp.sinsp_thread__arg.argtypes = [P, C.c_uint32]
    sinsp.sinsp_thread__arg.restype = C.c_char_p
    sinsp.sinsp_thread__env.argtypes = [P, C.c_uint32]
    sinsp.sinsp_thread__env.restype = C.c_char_p
    sinsp.sinsp_thread__cap.argtypes = [P, C.c_int]
    sinsp.sinsp_thread__cap.restype = C.c_uint64
    sinsp.sinsp_thread__child.argtypes = [P, C.c_uint32]
    sinsp.sinsp_thread__child.restype = C.c_int64
    sinsp.sinsp_thread__fd_at.argtypes = [P, C.c_uint32]
    sinsp.sinsp_thread__fd_at.restype = P
    sinsp.sinsp_thread__fd.argtypes = [P, C.c_int64]
    sinsp.sinsp_thread__fd.restype = P
    sinsp.sinsp_thread__shares_fds.argtypes = [P, P]
    sinsp.sinsp_thread__shares_fds.restype = C.c_bool
    for n, r in [
        ("num", C.c_int64),
        ("type", C.c_uint32),
        ("typestr", C.c_char_p),
        ("typechar", C.c_char),
        ("name", C.c_char_p),
        ("name_raw", C.c_char_p),
        ("openflags", C.c_uint32),
        ("flags", C.c_uint32),
        ("dev", C.c_uint32),
        ("ino", C.c_uint64),
        ("pid", C.c_int64),
        ("l4proto", C.c_uint8),
        ("unix_src", C.c_uint64),
        ("unix_dst", C.c_uint64),
    ]:
        f = getattr(sinsp, "sinsp_fd__" + n)
        f.argtypes = [P]
        f.restype = r
    sinsp.sinsp_inspector__user_name.argtypes = [P, C.c_uint32]
    sinsp.sinsp_inspector__user_name.restype = C.c_char_p
    sinsp.sinsp_fields__count.restype = C.c_uint32
    sinsp.sinsp_fields__get.argtypes = [C.c_uint32, C.POINTER(FieldInfo)]
    sinsp.sinsp_fields__check.argtypes = [C.c_char_p]
    sinsp.sinsp_formatter__create.argtypes = [C.c_char_p, C.c_int]
    sinsp.sinsp_formatter__create.restype = P
    sinsp.sinsp_formatter__free.argtypes = [P]
    sinsp.sinsp_formatter__format.argtypes = [P, P, C.c_char_p, C.c_size_t]
    sinsp.sinsp_formatter__format_str.argtypes = [P, P]
    sinsp.sinsp_formatter__format_str.restype = C.c_char_p
    sinsp.sinsp_extractor__create.argtypes = [C.POINTER(C.c_char_p), C.c_uint32]
    sinsp.sinsp_extractor__create.restype = P
    sinsp.sinsp_extractor__free.argtypes = [P]
    sinsp.sinsp_extractor__run.argtypes = [P, P, C.c_uint32, C.POINTER(C.c_uint32)]
    sinsp.sinsp_extractor__column.argtypes = [P, C.c_uint32, C.POINTER(Column)]


# ---- building events ----

PT_CHARBUF, PT_BYTEBUF, PT_FSPATH, PT_FSRELPATH = 9, 10, 17, 43


def evt_id(name):
    libs()
    return EVT[name]


def encode(ts, tid, etype, *values):
    """One wire event. etype: id or symbol ("OPENAT_X"); values in table order: int, str, bytes or None
    (empty). Fewer values than the table's parameters are allowed (trailing ones left out)."""
    scap, _ = libs()
    if isinstance(etype, str):
        etype = EVT[etype]
    n = len(values)
    params = (ScapParam * max(n, 1))()
    keep = []
    for i, v in enumerate(values):
        pt = scap.scap_event_param_type(etype, i)
        if v is None:
            raw = b""
        elif isinstance(v, bytes):
            raw = v
        elif isinstance(v, str):
            raw = v.encode() + b"\0"
        else:
            size = scap.scap_param_type_size(pt)
            assert size in (1, 2, 4, 8), (etype, i, pt, size)
            fmt = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[size]
            raw = struct.pack(fmt, v & ((1 << (8 * size)) - 1))
        buf = C.create_string_buffer(raw, len(raw)) if raw else None
        keep.append(buf)
        params[i].data = C.cast(buf, C.c_void_p) if buf is not None else None
        params[i].len = len(raw)
    out = C.create_string_buffer(70000)
    ln = C.c_size_t()
    rc = scap.scap_event_encode(out, len(out), C.byref(ln), ts, tid, etype, n, params)
    assert rc == 0, (rc, scap.scap_last_error())
    return out.raw[: ln.value]


def nul(*items):
    """A NUL-separated buffer (args, env, cgroups)."""
    return b"".join(s.encode() + b"\0" for s in items)


def sockaddr_in(ip, port):
    a = ipaddress.ip_address(ip)
    if a.version == 4:
        return bytes([2]) + a.packed + struct.pack("<H", port)
    return bytes([10]) + a.packed + struct.pack("<H", port)


def sockaddr_un(path):
    return bytes([1]) + path.encode() + b"\0"


def tuple_in(sip, sport, dip, dport):
    a, b = ipaddress.ip_address(sip), ipaddress.ip_address(dip)
    fam = 2 if a.version == 4 else 10
    return bytes([fam]) + a.packed + struct.pack("<H", sport) + b.packed + struct.pack("<H", dport)


def tuple_un(src, dst, path):
    return bytes([1]) + struct.pack("<QQ", src, dst) + path.encode() + b"\0"


# Event builders for the current (exit-only) layouts, parameters in table order.
def clone_x(
    ts,
    tid,
    res,
    *,
    exe="/bin/sh",
    args=(),
    pid=None,
    ptid=1,
    cwd="/",
    comm="sh",
    flags=0,
    uid=0,
    gid=0,
    vtid=None,
    vpid=None,
    cgroups=(),
    kind="CLONE_X",
    fdlimit=1024,
):
    pid = tid if pid is None else pid
    return encode(
        ts,
        tid,
        kind,
        res,
        exe,
        nul(*args),
        tid,
        pid,
        ptid,
        cwd,
        fdlimit,
        0,
        0,
        0,
        0,
        0,
        comm,
        nul(*cgroups),
        flags,
        uid,
        gid,
        vtid if vtid is not None else tid,
        vpid if vpid is not None else pid,
        0,
    )


def execve_x(
    ts,
    tid,
    *,
    res=0,
    exe,
    args=(),
    pid=None,
    ptid=1,
    cwd="/",
    comm,
    env=(),
    cgroups=(),
    tty=0,
    vpgid=0,
    loginuid=0xFFFFFFFF,
    flags=0,
    caps=(0, 0, 0),
    uid=0,
    trusted_exepath=None,
    pgid=0,
    gid=0,
    filename=None,
    fdlimit=1024,
):
    pid = tid if pid is None else pid
    return encode(
        ts,
        tid,
        "EXECVE_X",
        res,
        exe,
        nul(*args),
        tid,
        pid,
        ptid,
        cwd,
        fdlimit,
        0,
        0,
        100,
        10,
        0,
        comm,
        nul(*cgroups),
        nul(*env),
        tty,
        vpgid,
        loginuid,
        flags,
        caps[0],
        caps[1],
        caps[2],
        0,
        0,
        0,
        uid,
        trusted_exepath,
        pgid,
        gid,
        filename,
    )


def procexit(ts, tid, reaper=0, status=0):
    return encode(ts, tid, "PROCEXIT_E", status, status, 0, 0, reaper)


def openat_x(ts, tid, fd, name, flags=1, dirfd=-100, mode=0, dev=0, ino=0):
    return encode(ts, tid, "OPENAT_X", fd, dirfd, name, flags, mode, dev, ino)


def close_x(ts, tid, fd, res=0):
    return encode(ts, tid, "CLOSE_X", res, fd)


# ---- the inspector ----


class Inspector:
    def __init__(self, events=b"", *, opts=None, cap=None):
        scap, sinsp = libs()
        self.scap, self.lib = scap, sinsp
        if cap is None:
            self._buf = C.create_string_buffer(events, len(events)) if events else None
            o = ScapTestOpts(
                C.sizeof(ScapTestOpts), C.cast(self._buf, C.c_void_p) if self._buf else None, len(events), 0
            )
            cap = scap.scap_capture__open_test(C.byref(o))
            assert cap, scap.scap_last_error()
        so = opts or SinspOpts()
        so.sz = C.sizeof(SinspOpts)
        if so.live == 0:
            so.live = -1
        self.h = sinsp.sinsp_inspector__open(cap, C.byref(so))
        assert self.h, sinsp.sinsp_last_error()
        self.evt = None

    def close(self):
        if self.h:
            self.lib.sinsp_inspector__close(self.h)
            self.h = None

    def __del__(self):
        self.close()

    def next(self):
        """The next event handle, or None at the end."""
        e = C.c_void_p()
        rc = self.lib.sinsp_inspector__next(self.h, C.byref(e))
        if rc == 2:
            self.evt = None
            return None
        assert rc == 0, (rc, self.lib.sinsp_last_error())
        self.evt = e.value
        return e.value

    def run(self):
        n = 0
        while self.next():
            n += 1
        return n

    def add_thread(
        self,
        tid,
        pid=None,
        ptid=1,
        comm="init",
        exe=None,
        exepath=None,
        cwd="/",
        args=(),
        env=(),
        cgroups=(),
        uid=0,
        gid=0,
        sid=0,
        pgid=0,
        clone_ts=0,
    ):
        s = ThreadSeed()
        s.sz = C.sizeof(ThreadSeed)
        s.tid, s.pid, s.ptid = tid, pid if pid is not None else tid, ptid
        s.sid, s.vpgid, s.pgid, s.vtid, s.vpid = sid, pgid, pgid, tid, s.pid
        s.comm = comm.encode()
        s.exe = (exe or comm).encode()
        s.exepath = (exepath or "/bin/" + comm).encode()
        s.cwd = cwd.encode()
        a, e, cg = nul(*args), nul(*env), nul(*cgroups)
        s.args, s.args_len = a, len(a)
        s.env, s.env_len = e, len(e)
        s.cgroups, s.cgroups_len = cg, len(cg)
        s.uid, s.gid, s.loginuid, s.fdlimit = uid, gid, 0xFFFFFFFF, 1024
        s.clone_ts = clone_ts
        rc = self.lib.sinsp_inspector__add_thread(self.h, C.byref(s))
        assert rc == 0, self.lib.sinsp_last_error()

    def add_fd(self, tid, fd, type_, name=None, openflags=0, **kw):
        s = FdSeed()
        s.sz = C.sizeof(FdSeed)
        s.fd, s.type, s.openflags = fd, type_, openflags
        s.name = name.encode() if name else None
        for k, v in kw.items():
            setattr(s, k, v)
        return self.lib.sinsp_inspector__add_fd(self.h, tid, C.byref(s))

    def thread(self, tid):
        t = self.lib.sinsp_inspector__thread(self.h, tid)
        return Thread(self.lib, t) if t else None

    def stats(self):
        st = SinspStats()
        st.sz = C.sizeof(SinspStats)
        assert self.lib.sinsp_inspector__stats(self.h, C.byref(st)) == 0
        return st

    def fmt(self, format_, evt=None, json=False):
        f = self.lib.sinsp_formatter__create(format_.encode(), 1 if json else 0)
        assert f, self.lib.sinsp_last_error()
        try:
            s = self.lib.sinsp_formatter__format_str(f, evt or self.evt)
            return None if s is None else s.decode()
        finally:
            self.lib.sinsp_formatter__free(f)

    def event_fd(self):
        f = self.lib.sinsp_event__fd(self.evt)
        return Fd(self.lib, f) if f else None


class Extractor:
    """Batch extraction (sinsp_extractor__*): columns of field values for N events at a time."""

    def __init__(self, insp, fields):
        self.insp, self.fields = insp, fields
        arr = (C.c_char_p * len(fields))(*[f.encode() for f in fields])
        self.h = insp.lib.sinsp_extractor__create(arr, len(fields))
        assert self.h, insp.lib.sinsp_last_error()

    def __del__(self):
        if getattr(self, "h", None):
            self.insp.lib.sinsp_extractor__free(self.h)

    def run(self, max_events):
        """(rc, n): extract up to max_events events."""
        n = C.c_uint32()
        rc = self.insp.lib.sinsp_extractor__run(self.h, self.insp.h, max_events, C.byref(n))
        return rc, n.value

    def column(self, i):
        """Python values of column i for the last run (None where the field was missing)."""
        col = Column()
        col.sz = C.sizeof(Column)
        assert self.insp.lib.sinsp_extractor__column(self.h, i, C.byref(col)) == 0
        out = []
        for r in range(col.n):
            if not col.present[r]:
                out.append(None)
            elif col.type == 0:
                out.append(col.i64[r])
            elif col.type == 1:
                out.append(col.u64[r])
            elif col.type == 2:
                out.append(col.f64[r])
            else:
                a, b = col.offsets[r], col.offsets[r + 1]
                out.append(C.string_at(col.data + a, b - a).decode() if b > a else "")
        return out

    def column_info(self, i):
        col = Column()
        col.sz = C.sizeof(Column)
        assert self.insp.lib.sinsp_extractor__column(self.h, i, C.byref(col)) == 0
        return col


class Thread:
    def __init__(self, lib, h):
        self.lib, self.h = lib, h

    def __getattr__(self, name):
        v = getattr(self.lib, "sinsp_thread__" + name)(self.h)
        return v.decode() if isinstance(v, bytes) else v

    @property
    def args(self):
        return [self.lib.sinsp_thread__arg(self.h, i).decode() for i in range(self.lib.sinsp_thread__nargs(self.h))]

    @property
    def env(self):
        return [self.lib.sinsp_thread__env(self.h, i).decode() for i in range(self.lib.sinsp_thread__nenv(self.h))]

    @property
    def children(self):
        return sorted(self.lib.sinsp_thread__child(self.h, i) for i in range(self.lib.sinsp_thread__nchildren(self.h)))

    def fd(self, n):
        f = self.lib.sinsp_thread__fd(self.h, n)
        return Fd(self.lib, f) if f else None

    @property
    def fds(self):
        out = {}
        for i in range(self.lib.sinsp_thread__nfds(self.h)):
            f = Fd(self.lib, self.lib.sinsp_thread__fd_at(self.h, i))
            out[f.num] = f
        return out

    def cap(self, which):
        return self.lib.sinsp_thread__cap(self.h, which)

    def shares_fds(self, other):
        return self.lib.sinsp_thread__shares_fds(self.h, other.h)


class Fd:
    def __init__(self, lib, h):
        self.lib, self.h = lib, h

    def __getattr__(self, name):
        v = getattr(self.lib, "sinsp_fd__" + name)(self.h)
        return v.decode() if isinstance(v, bytes) else v

    def __repr__(self):
        return f"Fd({self.num}, {self.typestr}, {self.name!r})"


# libsinsp's fd types and layer-4 protocols are libscap's: enum scap_fd_type, enum scap_l4_proto
_PLATFORM_H = (ROOT / "libscap" / "include" / "scap" / "platform.h").read_text()
SCAP_FD = {m[0]: int(m[1]) for m in re.findall(r"\bSCAP_FD_(\w+) = (\d+)", _PLATFORM_H)}
SCAP_L4 = {m[0]: int(m[1]) for m in re.findall(r"\bSCAP_L4_(\w+) = (\d+)", _PLATFORM_H)}
FD_FILE, FD_DIRECTORY, FD_IPV4_SOCK, FD_IPV6_SOCK, FD_IPV4_SERVSOCK, FD_IPV6_SERVSOCK, FD_FIFO, FD_UNIX_SOCK = (
    SCAP_FD[n]
    for n in ("FILE", "DIRECTORY", "IPV4_SOCK", "IPV6_SOCK", "IPV4_SERVSOCK", "IPV6_SERVSOCK", "FIFO", "UNIX_SOCK")
)
FD_EVENT, FD_SIGNALFD, FD_EVENTPOLL, FD_INOTIFY, FD_TIMERFD, FD_NETLINK, FD_BPF, FD_USERFAULTFD, FD_IOURING = (
    SCAP_FD[n]
    for n in ("EVENT", "SIGNALFD", "EVENTPOLL", "INOTIFY", "TIMERFD", "NETLINK", "BPF", "USERFAULTFD", "IOURING")
)
FD_MEMFD, FD_PIDFD, FD_FILE_V2 = SCAP_FD["MEMFD"], SCAP_FD["PIDFD"], SCAP_FD["FILE_V2"]
L4_TCP, L4_UDP, L4_ICMP, L4_RAW = SCAP_L4["TCP"], SCAP_L4["UDP"], SCAP_L4["ICMP"], SCAP_L4["RAW"]
O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_DIRECTORY, O_CLOEXEC = 1, 2, 3, 4, 1024, 4096
CL_FILES, CL_THREAD, CL_VM, CL_NEWUSER = 1, 8192, 32768, 1 << 20
