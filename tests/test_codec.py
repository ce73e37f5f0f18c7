"""libscap's event codec: hypothesis round trips over every schema event, bounds checks, and a
garbage-input run of the decoder under ASan/UBSan."""

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pyscap
from pyscap import codec
from pyscap.events import EVENTS, ParamType

USED = [e for e in EVENTS if not e.unused]

_INT_RANGES = {
    1: (-(1 << 7), (1 << 7) - 1),
    2: (-(1 << 15), (1 << 15) - 1),
    4: (-(1 << 31), (1 << 31) - 1),
    8: (-(1 << 63), (1 << 63) - 1),
}


def value_strategy(p):
    """Raw bytes for one parameter: empty, or a valid value of the parameter's type."""
    t, size = p.type, p.size
    if t in (ParamType.CHARBUF, ParamType.FSPATH, ParamType.FSRELPATH):
        body = st.binary(max_size=300).map(lambda b: b.replace(b"\0", b"x") + b"\0")
    elif size:
        body = st.binary(min_size=size, max_size=size)
    else:  # BYTEBUF, SOCKADDR, SOCKTUPLE, FDLIST, DYN, arrays: any bytes
        body = st.binary(max_size=2000)
    return st.one_of(st.just(b""), body)


@st.composite
def events(draw, info=None):
    if info is None:
        info = draw(st.sampled_from(USED))
    params = [draw(value_strategy(p)) for p in info.params]
    ts = draw(st.integers(0, (1 << 64) - 1))
    tid = draw(st.integers(0, (1 << 64) - 1))
    return info, ts, tid, params


@pytest.mark.parametrize("info", USED, ids=lambda i: f"{i.id}-{i.name}")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_every_event(info, data):
    _info, ts, tid, params = data.draw(events(info))
    wire = codec.encode(info.id, params, ts=ts, tid=tid)
    slot = 4 if info.large else 2
    assert len(wire) == 26 + slot * len(params) + sum(map(len, params))
    hdr, got = codec.decode(wire)
    assert hdr == (ts, tid, len(wire), info.id, len(params))
    assert got == params
    # the layout is the documented one: header, length slots, payloads in order
    fmt = "<" + ("I" if info.large else "H") * len(params)
    assert list(struct.unpack_from(fmt, wire, 26)) == [len(p) for p in params]
    assert wire[26 + slot * len(params) :] == b"".join(params)


@settings(max_examples=300, deadline=None)
@given(events())
def test_typed_values_round_trip(ev):
    info, ts, tid, params = ev
    for p, raw in zip(info.params, params):
        value = codec.unpack_value(p.type, raw)
        if raw and p.type not in (ParamType.CHARBUF, ParamType.FSPATH, ParamType.FSRELPATH):
            assert codec.pack_value(p.type, value) == raw


def test_known_event_bytes():
    """openat exit, byte by byte (wire format: docs/upstream-facts.md §1.1-1.2)."""
    wire = codec.encode_values(pyscap.EventType.OPENAT_X, [3, -100, "/etc/passwd", 1, 0, 0x803, 1234], ts=5, tid=7)
    assert wire.hex() == (
        "0500000000000000"
        "0700000000000000"
        "58000000"
        "3301"
        "07000000"
        "0800"
        "0800"
        "0c00"
        "0400"
        "0400"
        "0400"
        "0800"
        "0300000000000000"
        "9cffffffffffffff"
        "2f6574632f70617373776400"
        "01000000"
        "00000000"
        "03080000"
        "d204000000000000"
    )


def test_large_payload_events_use_u32_slots():
    big = b"j" * 70000
    wire = codec.encode_values(pyscap.EventType.CONTAINER_E, [big.decode()])
    assert struct.unpack_from("<I", wire, 26)[0] == 70001
    assert codec.decode(wire)[1] == [big + b"\0"]


def test_empty_event_and_empty_params():
    wire = codec.encode(pyscap.EventType.CLOSE_X, [b"", b""])
    assert codec.decode(wire) == ((0, 0, 30, 5, 2), [b"", b""])


@pytest.mark.parametrize(
    "etype,params,message",
    [
        (5, [b"\1\2\3", b""], "event close (5): parameter res is 8 bytes, not 3"),
        (9, [b"", b"x" * 70000], "event write (9): parameter 1 is 70000 bytes, more than a u16 slot holds"),
    ],
)
def test_encode_rejects_bad_lengths(etype, params, message):
    with pytest.raises(pyscap.EventError) as exc:
        codec.encode(etype, params)
    assert message in str(exc.value)


def test_encode_rejects_unknown_and_unused_types():
    with pytest.raises(pyscap.EventError, match="cannot encode unknown or unused event type 17"):
        codec.encode(17, [])
    with pytest.raises(pyscap.EventError, match="cannot encode unknown or unused event type 454"):
        codec.encode(454, [])
    with pytest.raises(pyscap.EventError, match="33 parameters exceed"):
        codec.encode(pyscap.EventType.CLOSE_X, [b""] * 33)


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda w: w[:25], "event header needs 26 bytes, 25 available"),
        (lambda w: w[:-1], "event length 46 exceeds the 45 bytes available"),
        (lambda w: w[:16] + struct.pack("<I", 20) + w[20:], "event length 20 is shorter than the 26-byte header"),
        (lambda w: w[:20] + struct.pack("<H", 999) + w[22:], "unknown event type 999"),
        (lambda w: w[:22] + struct.pack("<I", 12) + w[26:], "event type 5: 12 length slots do not fit in length 46"),
        (
            lambda w: w[:26] + struct.pack("<H", 9) + w[28:],
            "event type 5: parameter 1 (8 bytes at offset 39) overruns length 46",
        ),
    ],
)
def test_decode_bounds_checks(mutate, message):
    wire = codec.encode_values(pyscap.EventType.CLOSE_X, [0, 3])
    assert len(wire) == 46
    with pytest.raises(pyscap.EventError) as exc:
        codec.decode(mutate(wire))
    assert message in str(exc.value)


@settings(max_examples=400, deadline=None)
@given(st.binary(min_size=0, max_size=200))
def test_decode_never_crashes_on_garbage(data):
    try:
        hdr, params = codec.decode(data)
    except pyscap.EventError:
        return
    assert hdr[2] <= len(data)
    assert sum(map(len, params)) <= hdr[2]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), min_size=1, max_size=8), st.integers(0, 10_000), st.binary(max_size=8))
def test_decoder_under_sanitizers(asan_build_dir, evs, cut, flip):
    """Streams of valid events, cut short and byte-flipped, through the ASan/UBSan decoder binary:
    every complete event before the damage decodes, the damage gives an error with its offset."""
    from conftest import helper, run

    stream = b"".join(codec.encode(i.id, p, ts, tid) for i, ts, tid, p in evs)
    cut = min(cut, len(stream))
    damaged = bytearray(stream[:cut])
    for k, b in enumerate(flip):
        if damaged:
            damaged[(k * 7919 + b) % len(damaged)] ^= b or 1
    r = run([helper(asan_build_dir, "scap_decode_check")], input=bytes(damaged), text=False)
    out = r.stdout.decode()
    assert r.returncode in (0, 1), r.stderr.decode()[-2000:]
    assert b"Sanitizer" not in r.stderr and b"runtime error" not in r.stderr, r.stderr.decode()[-2000:]
    if not flip:
        # only truncation: the complete events come out, then an error at the first partial one
        ends, off = [], 0
        for i, ts, tid, p in evs:
            off += len(codec.encode(i.id, p, ts, tid))
            ends.append(off)
        complete = sum(1 for e in ends if e <= cut)
        lines = out.splitlines()
        assert sum(1 for line in lines if line.startswith("ok ")) == complete
        if cut in [0] + ends:
            assert r.returncode == 0
        else:
            assert lines[-1].startswith(f"error {([0] + ends)[complete]} ")
