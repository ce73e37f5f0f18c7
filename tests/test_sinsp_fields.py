"""Fields (listing, arguments, unknown-field suggestions), output formats (widths, '*', JSON),
batch extraction, the filter hook, users/groups and self-exclusion."""

import ctypes as C
import json

import pytest
from test_sinsp_lib import (
    Extractor,
    FieldInfo,
    Inspector,
    SinspOpts,
    clone_x,
    close_x,
    encode,
    execve_x,
    libs,
    openat_x,
)


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


def field_list():
    _, lib = libs()
    out = {}
    for k in range(lib.sinsp_fields__count()):
        fi = FieldInfo()
        fi.sz = C.sizeof(FieldInfo)
        assert lib.sinsp_fields__get(k, C.byref(fi)) == 0
        out[fi.name.decode()] = (fi.cls.decode(), fi.type, fi.flags, fi.desc.decode())
    return out


def test_field_list_covers_every_class_with_types_and_flags():
    f = field_list()
    classes = {v[0] for v in f.values()}
    assert classes == {"evt", "process", "user", "group", "fd", "fs.path", "fdlist", "container", "k8s"}
    assert f["proc.name"][:3] == ("process", 2, 0)
    assert f["thread.tid"][:3] == ("process", 0, 0)
    assert f["evt.num"][:3] == ("evt", 1, 0)
    assert f["proc.aname"][2] == 1 | 32 and f["evt.arg"][2] == 2 and f["fd.ip"][2] == 4 | 32
    assert f["evt.dir"][2] == 16 and f["evt.outputtime"][2] == 8
    assert f["fd.cip"][1] == 5 and f["fd.net"][1] == 6 and f["fd.sport"][1] == 7 and f["evt.rawtime"][1] == 8
    assert f["proc.fdusage"][1] == 10 and f["evt.buffer"][1] == 3 and f["fd.is_server"][1] == 4
    assert all(v[3] for v in f.values())  # every field has a description
    assert len(f) >= 180
    _, lib = libs()
    fi = FieldInfo()
    fi.sz = C.sizeof(FieldInfo)
    assert lib.sinsp_fields__get(len(f), C.byref(fi)) == -22


@pytest.mark.parametrize(
    "field,rc,msg",
    [
        ("proc.nmae", -2, "unknown field 'proc.nmae' (did you mean 'proc.name'?)"),
        ("fd.nam", -2, "unknown field 'fd.nam' (did you mean 'fd.name'?)"),
        ("evt.arg", -22, "field 'evt.arg' requires an argument"),
        ("proc.name[1]", -22, "field 'proc.name' does not take an argument"),
        ("proc.aname[x]", -22, "field 'proc.aname' takes a numeric ancestor level, not 'x'"),
        ("evt.arg.nosuchparam", -22, "unknown event parameter 'nosuchparam' in evt.arg"),
        ("evt.type.is.nosuch", -22, "unknown event type 'nosuch' in evt.type.is"),
        ("proc.aname[2]", 0, ""),
        ("proc.env[HOME]", 0, ""),
        ("evt.arg.fd", 0, ""),
        ("evt.arg[0]", 0, ""),
        ("evt.rawarg.res", 0, ""),
        ("thread.cgroup.cpuacct", 0, ""),
        ("evt.type.is.openat", 0, ""),
    ],
)
def test_field_references(field, rc, msg):
    _, lib = libs()
    assert lib.sinsp_fields__check(field.encode()) == rc
    if rc:
        assert lib.sinsp_last_error().decode() == msg


def sample():
    i = Inspector(
        b"".join(
            [
                clone_x(1_000_000_000, 50, 60, comm="bash", ptid=1),
                execve_x(
                    1_000_000_500,
                    60,
                    exe="cat",
                    args=("/etc/passwd",),
                    ptid=50,
                    comm="cat",
                    cwd="/root",
                    env=("HOME=/root",),
                    uid=1000,
                    gid=100,
                    cgroups=("cpuacct=/user.slice",),
                ),
                openat_x(1_000_001_000, 60, 3, "/etc/passwd", flags=1 | 4096),
                encode(1_000_002_000, 60, "READ_X", 12, b"root:x:0:0\n\x01", 3, 4096),
                close_x(1_000_003_000, 60, 3),
            ]
        )
    )
    i.add_thread(1, ptid=0, comm="systemd")
    i.add_thread(50, ptid=1, comm="bash", uid=1000, gid=100)
    i.lib.sinsp_inspector__add_user(i.h, 1000, 100, b"alice", b"/home/alice", b"/bin/zsh")
    i.lib.sinsp_inspector__add_group(i.h, 100, b"users")
    return i


def test_text_formats_widths_star_and_arguments(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    i = sample()
    for _ in range(4):
        i.next()
    assert (
        i.fmt("*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %evt.args")
        == "4 00:00:01.000002000 0 cat (60) read res=12 data=root:x:0:0.. fd=3(<f>/etc/passwd) size=4096 "
    )
    assert i.fmt("[%10proc.name][%2fd.name][%evt.type]") == "[cat       ][/e][read]"
    assert (
        i.fmt(
            "%proc.aname[1] %proc.aname[2] %proc.apid[1] %proc.env[HOME] %evt.arg.fd %evt.arg[2] "
            "%evt.rawarg.res %thread.cgroup.cpuacct %evt.type.is.read %evt.type.is.open"
        )
        == "bash systemd 50 /root 3(<f>/etc/passwd) 3(<f>/etc/passwd) 12 /user.slice 1 0"
    )
    # a missing field (fd.sip of a file) hides the line unless '*'; an empty exepath is a value
    # (upstream prints it empty) and proc.cwd ends with '/' as upstream's does
    assert i.fmt("%user.name %user.homedir %user.shell %group.name %proc.cwd %proc.exepath %fd.sip") is None
    assert (
        i.fmt("*%user.name %user.homedir %user.shell %group.name %proc.cwd [%proc.exepath] %fd.sip")
        == "alice /home/alice /bin/zsh users /root/ [] <NA>"
    )
    # evt.deltatime counts from the previous event this format printed: 0 for a new format
    # (upstream keeps the previous time in the field's filter check)
    assert (
        i.fmt("%evt.datetime %evt.time.iso8601 %evt.rawtime %evt.reltime %evt.deltatime")
        == "1970-01-01 00:00:01.000002000 1970-01-01T00:00:01.000002000Z 1000002000 2000 0"
    )
    assert (
        i.fmt("%evt.is_io_read %evt.buflen %evt.res %evt.failed %fd.typechar %proc.nchilds %proc.duration")
        == "true 12 SUCCESS false f 0 2000"
    )
    assert i.fmt("100%% %proc.name.") == "100% cat."
    time.tzset()


def test_json_format_is_one_flat_typed_object():
    i = sample()
    for _ in range(4):
        i.next()
    line = i.fmt(
        "%evt.num %evt.type %proc.name %thread.tid %fd.name %evt.failed %fd.num %evt.args %proc.aname "
        "%evt.rawtime %user.uid",
        json=True,
    )
    assert json.loads(line) == {
        "evt.num": 4,
        "evt.type": "read",
        "proc.name": "cat",
        "thread.tid": 60,
        "fd.name": "/etc/passwd",
        "evt.failed": False,
        "fd.num": 3,
        "evt.args": "res=12 data=root:x:0:0.. fd=3(<f>/etc/passwd) size=4096 ",
        "proc.aname": ["bash", "systemd"],
        "evt.rawtime": 1000002000,
        "user.uid": 1000,
    }
    i.next()
    # missing fields: no object without '*', null with it
    assert i.fmt("%evt.num %fd.cip", json=True) is None
    assert json.loads(i.fmt("*%evt.num %fd.cip", json=True)) == {"evt.num": 5, "fd.cip": None}


def test_bad_formats_are_rejected_with_the_position():
    _, lib = libs()
    assert lib.sinsp_formatter__create(b"%evt.num %proc.nmae", 0) is None
    assert (
        lib.sinsp_last_error().decode()
        == "invalid format at position 10: unknown field 'proc.nmae' (did you mean 'proc.name'?)"
    )
    assert lib.sinsp_formatter__create(b"%proc.aname[1", 0) is None
    assert lib.sinsp_last_error().decode() == "invalid format at position 11: missing ']'"


def test_formatter_into_a_caller_buffer():
    i = sample()
    i.next()
    f = i.lib.sinsp_formatter__create(b"%proc.name %thread.tid", 0)
    buf = C.create_string_buffer(6)
    assert i.lib.sinsp_formatter__format(f, i.evt, buf, 6) == 7  # "bash 50": 7, truncated copy
    assert buf.value == b"bash "
    big = C.create_string_buffer(64)
    assert i.lib.sinsp_formatter__format(f, i.evt, big, 64) == 7 and big.value == b"bash 50"
    g = i.lib.sinsp_formatter__create(b"%fd.name", 0)
    assert i.lib.sinsp_formatter__format(g, i.evt, big, 64) == -61  # -ENODATA: no line
    i.lib.sinsp_formatter__free(f)
    i.lib.sinsp_formatter__free(g)


def test_batch_extraction_columns():
    i = sample()
    x = Extractor(i, ["evt.num", "proc.name", "fd.name", "evt.rawres", "evt.rawtime", "evt.failed", "proc.aname"])
    rc, n = x.run(3)
    assert (rc, n) == (0, 3)
    assert x.column(0) == [1, 2, 3]
    assert x.column(1) == ["bash", "cat", "cat"]
    assert x.column(2) == [None, None, "/etc/passwd"]
    assert x.column(3) == [60, 0, 3]
    assert x.column(4) == [1_000_000_000, 1_000_000_500, 1_000_001_000]
    assert x.column(5) == [0, 0, 0]
    assert x.column(6) == ["systemd", "(bash,systemd)", "(bash,systemd)"]
    assert [x.column_info(k).type for k in range(7)] == [1, 3, 3, 0, 1, 0, 3]
    rc, n = x.run(10)
    assert (rc, n) == (0, 2) and x.column(0) == [4, 5]
    assert x.run(10) == (2, 0)  # EOF


def filter_for(i, text):
    i.lib.sinsp_filter__compile.argtypes = [C.c_void_p, C.c_char_p, C.POINTER(C.c_int)]
    i.lib.sinsp_filter__compile.restype = C.c_void_p
    pos = C.c_int()
    f = i.lib.sinsp_filter__compile(i.h, text.encode(), C.byref(pos))
    assert f, (i.lib.sinsp_last_error(), pos.value)
    i.lib.sinsp_filter__free.argtypes = [C.c_void_p]
    return f


def test_filter_hook_parses_state_events_before_filtering():
    i = sample()
    f = filter_for(i, "evt.type = read and fd.name = /etc/passwd and proc.pname = bash")
    assert i.lib.sinsp_inspector__set_filter(i.h, f) == 0
    got = []
    while i.next():
        got.append(i.fmt("%evt.num %evt.type %fd.name %proc.name"))
    # the clone, execve, openat and close were filtered out, but their state changes happened
    assert got == ["4 read /etc/passwd cat"]
    st = i.stats()
    assert (st.n_events, st.n_returned, st.n_filtered) == (5, 1, 4)
    assert i.thread(60).comm == "cat" and i.thread(60).fd(3) is None
    i.lib.sinsp_inspector__set_filter(i.h, None)
    i.close()
    i.lib.sinsp_filter__free(f)


def test_filter_on_unknown_field_suggests():
    i = sample()
    i.lib.sinsp_filter__compile.argtypes = [C.c_void_p, C.c_char_p, C.POINTER(C.c_int)]
    i.lib.sinsp_filter__compile.restype = C.c_void_p
    pos = C.c_int()
    assert i.lib.sinsp_filter__compile(i.h, b"proc.nmae = bash", C.byref(pos)) is None
    assert "did you mean 'proc.name'?" in i.lib.sinsp_last_error().decode()


def test_self_exclusion_in_live_mode():
    o = SinspOpts()
    o.live, o.self_pid = 1, 4242
    o.proc_root = b"/nonexistent-root"
    ev = b"".join(
        [openat_x(1, 4242, 3, "/mine"), openat_x(2, 4243, 3, "/theirs"), encode(3, 4242, "SWITCH_E", 7, 0, 0, 0, 0, 0)]
    )
    i = Inspector(ev, opts=o)
    i.add_thread(4242, comm="me")
    got = []
    while i.next():
        got.append(i.fmt("%thread.tid %evt.type"))
    assert got == ["4243 openat", "4242 switch"]
    assert i.stats().n_self == 1
    assert i.thread(4242).fd(3).name == "/mine"  # our own state is still tracked
