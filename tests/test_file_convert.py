"""The converter: old event layouts come out in the current exit-only layout."""

import json
import struct

from conftest import helper, run


def enc(t, tid, ts, params):
    body = b"".join(struct.pack("<H", len(p)) for p in params) + b"".join(params)
    return struct.pack("<QQIHI", ts, tid, 26 + len(body), t, len(params)) + body


def q(v):
    return struct.pack("<q", v)


def i(v):
    return struct.pack("<I", v)


def convert(build_dir, tmp_path, evs, *flags):
    out = tmp_path / "c.scap"
    recs = b"".join(struct.pack("<HI", 0, 0) + e for e in evs)
    r = run([helper(build_dir, "scap_write_events"), out], input=recs, text=False)
    assert r.returncode == 0, r.stderr
    r = run([helper(build_dir, "scap_read_dump"), *flags, out])
    assert r.returncode == 0, r.stdout
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    return [l for l in lines if "ev" in l], lines[-1]


def short(evs):
    return [(e["ts"], e["tid"], e["type"], e["p"]) for e in evs]


def test_enter_merged_into_short_exit(build_dir, tmp_path):
    evs, end = convert(
        build_dir,
        tmp_path,
        [
            enc(6, 10, 1, [q(3), i(100)]),  # old read E
            enc(6, 11, 2, [q(9), i(999)]),  # another thread's enter
            enc(7, 10, 3, [q(5), b"hello"]),  # 2022 read X: res, data
            enc(7, 12, 4, [q(-11), b""]),  # an exit without enter: fd/size stay empty
            enc(7, 11, 5, [q(0), b""]),
        ],
    )
    assert short(evs) == [
        (3, 10, 7, [q(5).hex(), b"hello".hex(), q(3).hex(), i(100).hex()]),
        (4, 12, 7, [q(-11).hex(), "", "", ""]),
        (5, 11, 7, [q(0).hex(), "", q(9).hex(), i(999).hex()]),
    ]
    assert (end["n_evts"], end["n_delivered"], end["n_converted"], end["n_skipped"]) == (5, 3, 3, 0)


def test_no_convert_delivers_everything_as_stored(build_dir, tmp_path):
    stream = [enc(6, 10, 1, [q(3), i(100)]), enc(7, 10, 3, [q(5), b"hello"]), enc(16, 10, 4, []), enc(17, 10, 5, [])]
    evs, end = convert(build_dir, tmp_path, stream, "--no-convert")
    assert [(e["type"], e["n"]) for e in evs] == [(6, 2), (7, 2), (16, 0), (17, 0)]
    assert (end["n_converted"], end["n_skipped"]) == (0, 0)


def test_toctou_enter_kept_and_merged(build_dir, tmp_path):
    addr = b"\x02\x7f\x00\x00\x01\x50\x00"
    tup = b"\x02" + bytes([10, 0, 0, 1]) + struct.pack("<H", 5555) + bytes([10, 0, 0, 2]) + struct.pack("<H", 80)
    evs, end = convert(
        build_dir,
        tmp_path,
        [
            enc(22, 10, 1, [q(4), addr]),  # connect E (current, TOCTOU): delivered as is
            enc(23, 10, 2, [q(0), tup]),  # 2022 connect X: res, tuple
            enc(22, 10, 3, [q(5)]),  # 2018 connect E with only fd: padded
            enc(23, 10, 4, [q(-2), tup, q(5), addr]),  # a current connect X: unchanged
        ],
    )
    assert short(evs) == [
        (1, 10, 22, [q(4).hex(), addr.hex()]),
        (2, 10, 23, [q(0).hex(), tup.hex(), q(4).hex(), addr.hex()]),
        (3, 10, 22, [q(5).hex(), ""]),
        (4, 10, 23, [q(-2).hex(), tup.hex(), q(5).hex(), addr.hex()]),
    ]
    assert end["n_converted"] == 2


def test_old_versions_rewritten(build_dir, tmp_path):
    clone_old = [q(77), b"sh\0", b"-c\0", q(10), q(10), q(1), b"/\0", q(1024), i(0x8000), i(1000), i(1001)]
    evs, end = convert(
        build_dir,
        tmp_path,
        [
            enc(16, 10, 1, []),  # PROCEXIT_1_E -> procexit (186)
            enc(15, 10, 2, clone_old),  # CLONE_1_X -> clone X (223), by name
            enc(0, 10, 3, [struct.pack("<H", 75), struct.pack("<H", 10)]),  # GENERIC_E stored
            enc(1, 10, 4, [struct.pack("<H", 75)]),  # 1-param GENERIC_X gets nativeID
            enc(296, 10, 5, [q(5)]),  # BPF_1_E: cmd
            enc(297, 10, 6, [b"\x00" + q(7)]),  # BPF_1_X: res_or_fd = fd 7
            enc(228, 10, 7, [b"abc123\0", i(2), b'web"1\0', b"nginx:1\0"]),  # CONTAINER_1_E -> JSON
            enc(146, 10, 8, [q(99)]),  # SWITCH_1_E -> switch (152)
            enc(17, 10, 9, []),  # unused slot: dropped
            enc(7, 10, 10, [q(1), b"x", q(3), i(1), b"extra"]),  # more params than the table: unchanged
        ],
    )
    assert [(e["ts"], e["type"], e["n"]) for e in evs] == [
        (1, 186, 5),
        (2, 223, 21),
        (4, 1, 2),
        (6, 369, 2),
        (7, 324, 1),
        (8, 152, 6),
        (10, 7, 5),
    ]
    assert evs[0]["p"] == [""] * 5
    clone = evs[1]["p"]
    assert clone[:8] == [p.hex() for p in clone_old[:8]]
    assert clone[8:13] == [""] * 5  # page faults and vm sizes: not in the old version
    assert (clone[15], clone[16], clone[17]) == (i(0x8000).hex(), i(1000).hex(), i(1001).hex())
    assert evs[2]["p"] == [struct.pack("<H", 75).hex(), struct.pack("<H", 10).hex()]
    assert evs[3]["p"] == [q(7).hex(), i(5).hex()]
    assert (
        bytes.fromhex(evs[4]["p"][0]) == b'{"container":{"id":"abc123","type":2,"name":"web\\"1","image":"nginx:1"}}\0'
    )
    assert evs[5]["p"] == [q(99).hex()] + [""] * 5
    assert (end["n_evts"], end["n_delivered"], end["n_converted"], end["n_skipped"]) == (10, 7, 6, 1)


def test_enter_of_another_syscall_is_not_merged(build_dir, tmp_path):
    evs, _ = convert(
        build_dir,
        tmp_path,
        [
            enc(6, 10, 1, [q(3), i(100)]),  # read E ...
            enc(9, 10, 2, [q(4), b"w"]),  # ... then a write X of the same thread: not filled from it
            enc(7, 10, 3, [q(1), b"r"]),  # the read X still finds its enter
        ],
    )
    assert short(evs) == [
        (2, 10, 9, [q(4).hex(), b"w".hex(), "", ""]),
        (3, 10, 7, [q(1).hex(), b"r".hex(), q(3).hex(), i(100).hex()]),
    ]


def test_any_old_stream_converts_to_current_layouts(build_dir, tmp_path_factory):
    """Property: whatever mix of old and current events comes in, what comes out is current events
    (or TOCTOU enters, or the old ids that have no current version) with exactly the table's
    parameters, each fixed-size parameter either empty or of its exact size."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    r = run([helper(build_dir, "scap_read_dump"), "--table"])
    table = {t["id"]: t for t in map(json.loads, r.stdout.splitlines())}
    usable = sorted(t for t, e in table.items() if not e["flags"] & 64 and not e["flags"] & 2048)
    no_current = {
        t
        for t, e in table.items()
        if e["flags"] & 512 and not any(not o["flags"] & (512 | 64) and o["name"] == e["name"] for o in table.values())
    }

    @st.composite
    def stream(draw):
        evs = []
        for _ in range(draw(st.integers(1, 30))):
            t = draw(st.sampled_from(usable))
            sizes = table[t]["sizes"]
            n = draw(st.integers(0, len(sizes)))  # old producers wrote fewer parameters
            params = []
            for size in sizes[:n]:
                if size and draw(st.booleans()):
                    params.append(draw(st.binary(min_size=size, max_size=size)))
                else:
                    params.append(draw(st.binary(max_size=40)) if not size else b"")
            evs.append(enc(t, draw(st.sampled_from([1, 2, 3])), len(evs), params))
        return evs

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(evs=stream())
    def check(evs):
        out, end = convert(build_dir, tmp_path_factory.mktemp("p"), evs)
        assert end["n_evts"] == len(evs)
        for e in out:
            info = table[e["type"]]
            if e["type"] in no_current:
                continue
            assert not info["flags"] & 512, e
            assert e["n"] >= len(info["sizes"]), e
            for p, size in zip(e["p"], info["sizes"]):
                assert size == 0 or len(p) in (0, 2 * size), (e, size)
        assert len(out) + end["n_skipped"] <= len(evs)

    check()
