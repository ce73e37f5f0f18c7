"""Columnar batches (pyscap/columns.py): Capture.arrow_batches(), to_arrow() and numpy_batches()
give, value for value and null for null, what evt[field] gives per event, for fields of every
column type (int64, uint64, bool, double, string with non-ASCII and invalid UTF-8, values missing
on some events); batches() (rows and columns, over the dictionary-encoded string columns) still
gives the per-event values; without pyarrow or numpy the methods say what to install."""

import importlib.util
import sys

import pytest

import pyscap
from conftest import CAPTURES, require
from pyscap import _native, capture, codec, columns
from pyscap.events import EVENTS, EventType

CURL = str(CAPTURES / "curl_google.scap")

# field -> (Arrow type name, NumPy dtype) of its column
TYPES = {
    "evt.num": ("uint64", "uint64"),  # UINT64
    "thread.tid": ("int64", "int64"),  # INT64
    "evt.rawres": ("int64", "int64"),  # INT64, missing on some events
    "fd.num": ("int64", "int64"),  # INT64, missing on some events
    "evt.failed": ("bool", "bool"),  # BOOL, missing on some events
    "fd.is_server": ("bool", "bool"),  # BOOL
    "fd.sport": ("uint64", "uint64"),  # PORT, mostly missing
    "evt.rawtime": ("uint64", "uint64"),  # ABSTIME
    "evt.deltatime": ("uint64", "uint64"),  # RELTIME
    "proc.fdusage": ("double", "float64"),  # DOUBLE (the one field of that type)
    "evt.type": ("string", "object"),
    "proc.name": ("string", "object"),
    "fd.name": ("string", "object"),  # missing on some events
    "evt.arg.name": ("string", "object"),  # missing on most events
    "evt.arg.data": ("string", "object"),  # rendered buffers
    "evt.args": ("string", "object"),
}
CURL_FIELDS = list(TYPES)
SYNTH_FIELDS = [
    "evt.num",
    "thread.tid",
    "evt.rawres",
    "fd.num",
    "evt.failed",
    "proc.fdusage",
    "evt.type",
    "proc.name",
    "fd.name",
    "evt.arg.name",
    "evt.arg.data",
]


def pyarrow():
    require(importlib.util.find_spec("pyarrow") is not None, "pyarrow is not installed (requirements-dev.txt)")
    import pyarrow as pa

    return pa


def numpy():
    require(importlib.util.find_spec("numpy") is not None, "numpy is not installed (requirements-dev.txt)")
    import numpy as np

    return np


def ev(etype, _tid, ts, **values):
    names = [p.name for p in EVENTS[etype].params]
    return codec.encode_values(etype, [values.get(n) for n in names], ts=ts, tid=_tid)


def synthetic() -> bytes:
    """Two threads whose comms are the two halves of one UTF-8 character (each value invalid on
    its own, their concatenation valid), paths with non-ASCII and invalid bytes, a failed read,
    and generic syscall exits that have no fd (missing fd.name, fd.num, evt.failed, evt.rawres)."""
    out = []
    ts = 1_700_000_000_000_000_000
    for tid, comm in ((100, b"x\xc3"), (101, b"\xa9y")):
        out.append(
            ev(
                EventType.EXECVE_X,
                tid,
                ts,
                res=0,
                exe="/usr/bin/tëst",
                args=b"-v\0",
                tid=tid,
                pid=tid,
                ptid=1,
                cwd="/srv",
                comm=comm,
                uid=1000,
                gid=1000,
            )
        )
        ts += 1000
    names = ["/etc/passwd", "/tmp/é", b"/tmp/\xff\xfe", b"/tmp/a\xc3", b"\xa9b", "rel", "/tmp/日本"]
    for j, name in enumerate(names):
        tid = 100 + j % 2
        out.append(ev(EventType.OPENAT_X, tid, ts, fd=3 + j, dirfd=-100, name=name, flags=1, mode=0, dev=0, ino=j))
        data = b"\xff\x00z" if j == 3 else b"ab\xc3\xa9"
        out.append(ev(EventType.READ_X, tid, ts + 1, res=-2 if j == 2 else 4, data=data, fd=3 + j, size=4))
        out.append(ev(EventType.SYSCALL_X, tid, ts + 2, id=39, nativeID=39))
        ts += 1000
    return b"".join(out)


def open_source(source):
    return pyscap.open_file(CURL) if source == "curl" else pyscap.open_events(synthetic())


def per_event(source, fields):
    with open_source(source) as cap:
        return dict(zip(fields, zip(*[[e[f] for f in fields] for e in cap])))


def typed(values):
    """(type, value) pairs: True == 1 in Python, a column must give the same type too."""
    return [(type(v), v) for v in values]


def exact(field, values):
    """evt[field] of a DOUBLE field parses its rendering (upstream's "%.1f"); the columns give the
    exact value: round it the same way to compare."""
    if TYPES.get(field, ("",))[0] != "double":
        return values
    return [None if v is None else float(f"{v:.1f}") for v in values]


FIELDS = {"curl": CURL_FIELDS, "synthetic": SYNTH_FIELDS}


@pytest.mark.parametrize("source", ["curl", "synthetic"])
@pytest.mark.parametrize("size", [1, 7, 65536])
def test_arrow_batches_equal_per_event_values(source, size):
    pa = pyarrow()
    fields = FIELDS[source]
    want = per_event(source, fields)
    with open_source(source) as cap:
        batches = list(cap.arrow_batches(fields, size=size))  # kept across runs: copies
    assert all(b.num_rows <= size for b in batches)
    assert sum(b.num_rows for b in batches) == len(want[fields[0]])
    for b in batches:
        assert b.schema.names == fields
        assert [str(t) for t in b.schema.types] == [TYPES[f][0] for f in fields]
    table = pa.Table.from_batches(batches)
    for f in fields:
        got = table.column(f).to_pylist()
        assert typed(exact(f, got)) == typed(want[f]), f
        assert table.column(f).null_count == want[f].count(None), f
    table.validate(full=True)


@pytest.mark.parametrize("source", ["curl", "synthetic"])
def test_to_arrow_is_the_batches_concatenated(source):
    pyarrow()
    fields = FIELDS[source]
    want = per_event(source, fields)
    with open_source(source) as cap:
        t = cap.to_arrow(fields, size=50)
    assert t.num_rows == len(want[fields[0]]) and t.column_names == fields
    for f in fields:
        assert typed(exact(f, t.column(f).to_pylist())) == typed(want[f]), f


def test_to_arrow_of_no_event_has_the_columns_types():
    pyarrow()
    with pyscap.open_file(CURL, filter="evt.num = 0") as cap:
        t = cap.to_arrow(CURL_FIELDS)
    assert t.num_rows == 0 and t.column_names == CURL_FIELDS
    assert [str(x) for x in t.schema.types] == [TYPES[f][0] for f in CURL_FIELDS]


@pytest.mark.parametrize("source", ["curl", "synthetic"])
@pytest.mark.parametrize("size", [1, 7, 65536])
def test_numpy_batches_equal_per_event_values(source, size):
    np = numpy()
    fields = FIELDS[source]
    want = per_event(source, fields)
    with open_source(source) as cap:
        batches = list(cap.numpy_batches(fields, size=size))
    got = {f: [] for f in fields}
    for b in batches:
        assert list(b) == fields
        for f in fields:
            a = b[f]
            assert a.dtype == np.dtype(TYPES[f][1]), f
            mask = np.ma.getmaskarray(a)
            if TYPES[f][1] == "object":  # None where missing, no mask
                assert not isinstance(a, np.ma.MaskedArray) and not mask.any()
            else:  # a MaskedArray exactly when some rows lack the field, 0 under the mask
                assert isinstance(a, np.ma.MaskedArray) == bool(mask.any()), f
                assert not np.ma.getdata(a)[mask].any()
            got[f] += a.tolist()  # Python values; None where masked
    for f in fields:
        assert typed(exact(f, got[f])) == typed(want[f]), f


def test_numpy_columns_feed_numpy_operations():
    np = numpy()
    with pyscap.open_file(CURL) as cap:
        cols = next(cap.numpy_batches(["thread.tid", "fd.num", "evt.type"]))
    tids = [e.tid for e in pyscap.open_file(CURL)]
    assert type(cols["thread.tid"]) is np.ndarray and cols["thread.tid"].sum() == sum(tids)
    fdnum = cols["fd.num"]
    assert fdnum.count() == sum(e["fd.num"] is not None for e in pyscap.open_file(CURL))
    assert (cols["evt.type"] == "openat").sum() == sum(e.name == "openat" for e in pyscap.open_file(CURL))


@pytest.mark.parametrize("source", ["curl", "synthetic"])
@pytest.mark.parametrize("size", [1, 2, 5, 65536])
def test_batches_rows_and_columns_equal_per_event_values(source, size):
    fields = FIELDS[source]
    want = per_event(source, fields)
    rows_want = list(zip(*[want[f] for f in fields]))
    with open_source(source) as cap:
        rows = [r for b in cap.batches(fields, size=size) for r in b]
    assert [typed(exact_row(fields, r)) for r in rows] == [typed(r) for r in rows_want]
    with open_source(source) as cap:
        cols = list(cap.batches(fields, size=size, rows=False))
    for f in fields:
        got = [v for c in cols for v in c[f]]
        assert typed(exact(f, got)) == typed(want[f]), f


def exact_row(fields, row):
    return tuple(exact(f, [v])[0] for f, v in zip(fields, row))


def test_batches_dictionary_corner_cases():
    # one distinct value for a whole batch (proc.name), none (fd.name of generic exits), a batch
    # of one row, a value repeated after other values
    fields = ["proc.name", "fd.name", "evt.type"]
    want = per_event("synthetic", fields)
    with pyscap.open_events(synthetic(), filter="evt.type = syscall") as cap:
        cols = next(cap.batches(fields, rows=False))
    assert cols["fd.name"] == [None] * 7 and cols["evt.type"] == ["syscall"] * 7
    with pyscap.open_events(synthetic(), filter="thread.tid = 100") as cap:
        cols = next(cap.batches(fields, rows=False))
    assert set(cols["proc.name"]) == {"x\ufffd"}
    with pyscap.open_events(synthetic()) as cap:
        assert [r for b in cap.batches(fields, size=1) for r in b] == list(zip(*[want[f] for f in fields]))


def test_string_values_replace_invalid_utf8_as_evt_does():
    with pyscap.open_events(synthetic()) as cap:
        cols = next(cap.batches(["proc.name", "fd.name"], rows=False))
    assert cols["proc.name"][:2] == ["x\ufffd", "\ufffdy"]
    assert "/tmp/\ufffd\ufffd" in cols["fd.name"] and "/tmp/日本" in cols["fd.name"]


def test_missing_pyarrow_or_numpy_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pyscap.open_file(CURL) as cap:
        for call, module in (
            (lambda: cap.arrow_batches(["evt.num"]), "arrow_batches() needs pyarrow: pip install pyarrow"),
            (lambda: cap.to_arrow(["evt.num"]), "to_arrow() needs pyarrow: pip install pyarrow"),
            (lambda: cap.numpy_batches(["evt.num"]), "numpy_batches() needs numpy: pip install numpy"),
        ):
            with pytest.raises(columns.MissingDependencyError) as exc:
                call()  # at the call, before any event is read
            assert str(exc.value) == module
            assert isinstance(exc.value, pyscap.Error) and isinstance(exc.value, ImportError)
        assert pyscap.MissingDependencyError is columns.MissingDependencyError
        assert len(next(cap.batches(["evt.num"]))) == 676  # nothing was read


def test_bad_arguments():
    pyarrow()
    numpy()
    with pyscap.open_file(CURL) as cap:
        for method in (cap.arrow_batches, cap.numpy_batches):
            with pytest.raises(ValueError, match="at least one field"):
                next(method([]))
            with pytest.raises(ValueError, match="size must be at least 1"):
                next(method(["evt.num"], size=0))
            with pytest.raises(pyscap.FieldError):
                next(method(["proc.nmae"]))
        with pytest.raises(ValueError, match="size must be at least 1"):
            next(cap.batches(["evt.num"], size=0))


def test_extractor_dictionary_c_api():
    ffi, sinsp = _native.ffi, _native.sinsp
    names = [ffi.new("char[]", f.encode()) for f in ("evt.num", "proc.name")]
    x = sinsp.sinsp_extractor__create(ffi.new("const char *[]", names), 2)
    assert x != ffi.NULL
    try:
        assert sinsp.sinsp_extractor__set_dict(x, 0, 1) < 0  # not a string column
        assert sinsp.sinsp_extractor__set_dict(x, 2, 1) < 0  # no such column
        n = ffi.new("uint32_t *")
        col = capture._opts("sinsp_column")
        with pyscap.open_file(CURL) as cap:
            assert sinsp.sinsp_extractor__run(x, cap._insp, 10, n) == 0 and n[0] == 10
            assert sinsp.sinsp_extractor__column(x, 1, col) == 0
            assert col.codes == ffi.NULL and col.offsets != ffi.NULL
            assert sinsp.sinsp_extractor__set_dict(x, 1, 1) == 0
            assert sinsp.sinsp_extractor__column(x, 1, col) == 0 and col.n == 0  # the run dropped
            assert sinsp.sinsp_extractor__run(x, cap._insp, 10, n) == 0 and n[0] == 10
            assert sinsp.sinsp_extractor__column(x, 1, col) == 0
            assert col.offsets == ffi.NULL and col.n == 10 and col.ndict == 1
            assert ffi.unpack(col.codes, 10) == [1] * 10
            assert ffi.unpack(col.dict_offsets, 2) == [0, 4]
            assert ffi.buffer(col.dict_data, 4)[:] == b"curl"
    finally:
        sinsp.sinsp_extractor__free(x)
