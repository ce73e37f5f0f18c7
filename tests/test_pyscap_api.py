"""The public Python API on synthetic events (no root needed) and on the reference captures."""

import re

import pytest

import pyscap
from pyscap import capture, codec
from pyscap.events import EVENTS, EventType

T0 = 1_700_000_000_000_000_000


def ev(etype: int, _tid: int, _ts: int, **values) -> bytes:
    """A wire event with the named parameters set and every other one empty."""
    info = EVENTS[etype]
    names = [p.name for p in info.params]
    unknown = set(values) - set(names)
    assert not unknown, unknown
    return codec.encode_values(etype, [values.get(n) for n in names], ts=_ts, tid=_tid)


def stream() -> bytes:
    return b"".join(
        [
            ev(
                EventType.EXECVE_X,
                100,
                T0 + 1,
                res=0,
                exe="cat",
                args=b"/etc/passwd\0",
                tid=100,
                pid=100,
                ptid=1,
                cwd="/tmp",
                comm="cat",
                uid=0,
                gid=0,
            ),
            ev(
                EventType.OPENAT_X,
                100,
                T0 + 2,
                fd=3,
                dirfd=-100,
                name="/etc/passwd",
                flags=1,
                mode=0,
                dev=0x803,
                ino=4242,
            ),
            ev(EventType.READ_X, 100, T0 + 3, res=5, data=b"hello", fd=3, size=4096),
            ev(EventType.OPENAT_X, 100, T0 + 4, fd=-2, dirfd=-100, name="/nonexistent", flags=1, mode=0),
            ev(EventType.CLOSE_X, 100, T0 + 5, res=0, fd=3),
        ]
    )


@pytest.fixture
def cap():
    with capture.open_events(stream(), cpu=1) as c:
        yield c


def test_iteration_header_and_params(cap):
    events = [e.copy(fields=("proc.name", "fd.name", "evt.res")) for e in cap]
    assert [e.type for e in events] == [
        EventType.EXECVE_X,
        EventType.OPENAT_X,
        EventType.READ_X,
        EventType.OPENAT_X,
        EventType.CLOSE_X,
    ]
    assert [e.num for e in events] == [1, 2, 3, 4, 5]
    assert [e.ts - T0 for e in events] == [1, 2, 3, 4, 5]
    assert {e.tid for e in events} == {100} and {e.cpu for e in events} == {1}
    assert [e.name for e in events] == ["execve", "openat", "read", "openat", "close"]
    assert events[1].params["name"] == "/etc/passwd"
    assert events[1].params["flags"] == 1 and events[1].params["ino"] == 4242
    assert events[2].params["data"] == b"hello"
    assert events[2].params.raw("size") == (4096).to_bytes(4, "little")
    assert events[1].res == 3 and events[3].res == -2 and events[2].res == 5
    assert list(events[4].params.items()) == [("res", 0), ("fd", 3)]
    assert [e["proc.name"] for e in events] == ["cat"] * 5
    # a failed open has no fd, but fd.name is the path it tried (as upstream)
    assert [e["fd.name"] for e in events] == [None, "/etc/passwd", "/etc/passwd", "/nonexistent", "/etc/passwd"]
    assert [e["evt.res"] for e in events] == ["SUCCESS", "SUCCESS", "SUCCESS", "ENOENT", "SUCCESS"]


def test_fields_are_typed(cap):
    e = cap.next()
    while e.type != EventType.READ_X:
        e = cap.next()
    assert e["thread.tid"] == 100 and isinstance(e["thread.tid"], int)
    assert e["evt.num"] == 3
    assert e["fd.num"] == 3
    assert e["evt.rawtime"] == T0 + 3
    assert e.format("%proc.name read %evt.arg.data from %fd.name") == "cat read hello from /etc/passwd"
    assert e.as_dict(["proc.name", "fd.num"]) == {"proc.name": "cat", "fd.num": 3}


def test_proc_cwd_has_upstream_trailing_slash(cap):
    e = cap.next()
    assert e.type == EventType.EXECVE_X
    assert e["proc.cwd"] == "/tmp/"


def test_default_line(cap):
    lines = [e.format() for e in cap]
    assert re.fullmatch(
        r"2 \d\d:\d\d:\d\d\.000000002 1 cat \(100\) openat fd=3\(<f>/etc/passwd\) dirfd=-100\(AT_FDCWD\)"
        r" name=/etc/passwd flags=1\(O_RDONLY\) mode=0 dev=803 ino=4242 ?",
        lines[1],
    ), lines[1]
    assert "res=-2(ENOENT)" not in lines[3] and "fd=-2(ENOENT)" in lines[3], lines[3]


def test_borrowed_events_expire_and_copies_do_not(cap):
    first = cap.next()
    kept = first.copy(fields=["proc.name"])
    assert first.name == "execve"
    cap.next()
    with pytest.raises(pyscap.BorrowedEventError, match="call Event.copy"):
        _ = first.name
    with pytest.raises(pyscap.BorrowedEventError):
        first["proc.name"]
    assert kept.name == "execve" and kept["proc.name"] == "cat" and kept.num == 1
    assert kept.params["comm"] == "cat"
    with pytest.raises(pyscap.Error, match="was not kept by copy"):
        kept["fd.name"]


def test_filter_applies_in_the_library():
    with capture.open_events(stream(), filter="fd.name=/etc/passwd and evt.type!=close") as c:
        assert [(e.num, e.name) for e in c] == [(2, "openat"), (3, "read")]
        st = c.stats()
        assert (st.returned, st.filtered) == (2, 3)


@pytest.mark.parametrize(
    "text,pos,message",
    [
        ("proc.name =", 11, "expected a value after '=' at position 11"),
        ("proc.nmae = cat", 0, "unknown field 'proc.nmae' (did you mean 'proc.name'?)"),
        ("(evt.type = open", 16, "at position 16"),
    ],
)
def test_bad_filters_raise_with_their_position(text, pos, message):
    with pytest.raises(pyscap.FilterError) as exc:
        capture.open_events(stream(), filter=text)
    assert exc.value.position == pos
    assert message in str(exc.value)


def test_batches_match_per_event_fields(cap):
    fields = ["evt.num", "proc.name", "fd.name", "evt.rawtime"]
    with capture.open_events(stream()) as c2:
        expected = [tuple(e[f] for f in fields) for e in c2]
    rows = [r for batch in cap.batches(fields, size=2) for r in batch]
    assert rows == expected


def test_columnar_batches():
    with capture.open_events(stream()) as c:
        cols = next(c.batches(["evt.num", "fd.name"], size=100, rows=False))
    assert cols == {
        "evt.num": [1, 2, 3, 4, 5],
        "fd.name": [None, "/etc/passwd", "/etc/passwd", "/nonexistent", "/etc/passwd"],
    }


def test_threads_and_fds_state():
    with capture.open_events(stream()) as c:
        for e in c:
            if e.type == EventType.READ_X:
                t = c.thread(100)
                assert (t.tid, t.pid, t.ptid, t.comm, t.exe, t.args, t.cwd) == (
                    100,
                    100,
                    1,
                    "cat",
                    "cat",
                    ["/etc/passwd"],
                    "/tmp",
                )
                assert t.fds[3].name == "/etc/passwd" and t.fds[3].type == "file" and t.fds[3].typechar == "f"
        assert 3 not in c.thread(100).fds
        assert c.thread(99999) is None


def test_dump_round_trip(tmp_path, cap):
    out = tmp_path / "out.scap"
    assert cap.dump_to(str(out)) == 5
    with capture.open_file(str(out)) as c:
        back = [e.raw for e in c]
    assert back == [codec.decode(x) and x for x in _split(stream())]


def _split(data: bytes):
    out, off = [], 0
    while off < len(data):
        n = int.from_bytes(data[off + 16 : off + 20], "little")
        out.append(data[off : off + n])
        off += n
    return out


def test_sniff_from_a_file(tmp_path):
    out = tmp_path / "s.scap"
    with capture.open_events(stream()) as c:
        c.dump_to(str(out))
    got = []
    capture.sniff(file=str(out), filter="evt.type=openat", prn=lambda e: got.append((e["fd.name"], e["evt.res"])))
    assert got == [("/etc/passwd", "SUCCESS"), ("/nonexistent", "ENOENT")]
    kept = capture.sniff(file=str(out), count=2)
    assert [e.name for e in kept] == ["execve", "openat"]


def test_closed_capture_and_missing_file_errors(tmp_path):
    c = capture.open_events(stream())
    c.close()
    with pytest.raises(pyscap.Error, match="the capture is closed"):
        c.next()
    with pytest.raises(pyscap.CaptureOpenError, match="no such file"):
        capture.open_file(str(tmp_path / "missing.scap"))
    bad = tmp_path / "bad.scap"
    bad.write_bytes(b"not a capture file at all")
    with pytest.raises(pyscap.CaptureFileError):
        capture.open_file(str(bad))


def test_reference_capture_ipv6_connection(captures_dir):
    with capture.open_file(
        str(captures_dir / "single_ipv6_conn.scap"),
        filter="evt.type in (bind, connect, accept) and thread.tid in (25886, 25888)",
    ) as c:
        got = [(e.name, e["thread.tid"], e["fd.name"]) for e in c]
    assert ("bind", 25886, "2001:db8::3:1234") in got
    assert ("accept", 25886, "2001:db8::4:54405->2001:db8::3:1234") in got
    assert ("connect", 25888, "2001:db8::4:54405->2001:db8::3:1234") in got
