"""Writing .scap files: byte-identical round trips, hypothesis event streams, gzip, tshark."""

import gzip
import json
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import helper, run

LARGE_PAYLOAD = 2048
UNUSED = 64
OLD = 512


def read_dump(build_dir, path, *flags):
    r = run([helper(build_dir, "scap_read_dump"), *flags, path])
    return r.returncode, [json.loads(l) for l in r.stdout.splitlines()]


def rewrite(build_dir, src, dst, *flags):
    r = run([helper(build_dir, "scap_rewrite"), *flags, src, dst])
    assert r.returncode == 0, r.stderr
    return int(r.stdout.split()[1])


@pytest.fixture(scope="module")
def table(build_dir):
    r = run([helper(build_dir, "scap_read_dump"), "--table"])
    return {t["id"]: t for t in map(json.loads, r.stdout.splitlines())}


@pytest.mark.parametrize("name", ["curl_google.scap", "single_ipv6_conn.scap"])
@pytest.mark.parametrize("mode", [[], ["--no-convert"]])
def test_rewrite_is_stable_and_lossless(build_dir, captures_dir, tmp_path, name, mode):
    a, b = tmp_path / "a.scap", tmp_path / "b.scap"
    n = rewrite(build_dir, captures_dir / name, a, *mode)
    assert rewrite(build_dir, a, b, *mode) == n
    assert a.read_bytes() == b.read_bytes()
    # Same metadata and events as the original.
    _, orig = read_dump(build_dir, captures_dir / name, "--meta", *mode)
    _, ours = read_dump(build_dir, a, "--meta", *mode)
    assert orig[:-1] == ours[:-1]
    # Our file holds the events as delivered: nothing left to convert or merge.
    assert (ours[-1]["end"], ours[-1]["n_evts"], ours[-1]["n_delivered"], ours[-1]["n_converted"]) == ("eof", n, n, 0)


def test_gzip_output_reads_the_same(build_dir, captures_dir, tmp_path):
    plain, gz = tmp_path / "p.scap", tmp_path / "g.scap"
    rewrite(build_dir, captures_dir / "single_ipv6_conn.scap", plain, "--no-convert")
    rewrite(build_dir, captures_dir / "single_ipv6_conn.scap", gz, "--no-convert", "--gzip")
    assert gz.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz.read_bytes()) == plain.read_bytes()
    assert len(gz.read_bytes()) < len(plain.read_bytes()) // 3


def test_written_layout(build_dir, captures_dir, tmp_path):
    """SHB v1.2, MI, IL_V2, UL_V2, PL_V9, one FDL_V2 per thread, then EV_V2 blocks with padding and trailers."""
    out = tmp_path / "o.scap"
    n = rewrite(build_dir, captures_dir / "single_ipv6_conn.scap", out, "--no-convert")
    data = out.read_bytes()
    pos, types = 0, []
    while pos < len(data):
        t, ln = struct.unpack_from("<II", data, pos)
        assert ln % 4 == 0 and struct.unpack_from("<I", data, pos + ln - 4)[0] == ln
        if t == 0x216:
            evlen = struct.unpack_from("<I", data, pos + 10 + 16)[0]
            pad = (4 - (2 + evlen) % 4) % 4
            assert ln == 12 + 2 + evlen + pad
            assert data[pos + 10 + evlen : pos + 10 + evlen + pad] == b"\0" * pad
        types.append(t)
        pos += ln
    assert struct.unpack_from("<IHHq", data, 8) == (0x1A2B3C4D, 1, 2, -1)
    assert types[:5] == [0x0A0D0D0A, 0x201, 0x219, 0x220, 0x215]
    assert types[5 : 5 + 154] == [0x218] * 154
    assert types[5 + 154 :] == [0x216] * n and n == 1728


def test_tshark_reads_our_files(build_dir, captures_dir, tmp_path, tshark):
    for name, mode, n in [("curl_google.scap", [], 991), ("single_ipv6_conn.scap", ["--no-convert"], 1728)]:
        out = tmp_path / name
        assert rewrite(build_dir, captures_dir / name, out, *mode) == n
        r = run([tshark, "-r", out])
        assert r.returncode == 0, r.stderr
        assert len(r.stdout.splitlines()) == n
        assert "Sysdig Event" in r.stdout
    # EVF blocks are frames too; Wireshark does not know the *_LARGE block types (newer than its
    # sysdig support) and skips them: 4 events -> 3 frames.
    recs = b"".join(
        struct.pack("<HI", cpu, flags) + ev
        for cpu, flags, ev in [
            (0, 0, encode(7, 1, 1, [b"\0" * 8, b"x", b"\0" * 8, b"\0" * 4], False)),
            (0, 1, encode(3, 1, 2, [b"\0" * 8, b"/a\0", b"", b"", b"", b""], False)),
            (0, 0, encode(322, 1, 3, [b"\1\0\0\0", b"data"], True)),
            (0, 0, encode(1, 1, 4, [b"\1\0", b"\2\0"], False)),
        ]
    )
    out = tmp_path / "mixed.scap"
    assert run([helper(build_dir, "scap_write_events"), out], input=recs, text=False).returncode == 0
    r = run([tshark, "-r", out])
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 3


def test_demo_platform_round_trip(build_dir, tmp_path):
    """A platform built with the public add API comes back field by field."""
    out = tmp_path / "demo.scap"
    r = run([helper(build_dir, "scap_write_events"), "--demo-platform", out], input="")
    assert r.returncode == 0, r.stderr
    rc, lines = read_dump(build_dir, out, "--meta")
    assert rc == 0
    assert lines[0]["mi"] == {
        "num_cpus": 4,
        "memory_size_bytes": 8 << 30,
        "max_pid": 4194304,
        "hostname": "demo-host",
        "boot_ts_epoch": 1700000000000000000,
        "flags": 0,
    }
    ifaces = [l["iface"] for l in lines if "iface" in l]
    assert ifaces == [
        {"type": 1, "name": "lo", "addr": "7f000001", "netmask": "ff000000", "bcast": "00000000", "linkspeed": 0},
        {"type": 2, "name": "lo", "addr": "0" * 31 + "1", "netmask": "0" * 32, "bcast": "0" * 32, "linkspeed": 1000},
    ]
    assert [l["user"] for l in lines if "user" in l] == [
        {"uid": 0, "gid": 0, "name": "root", "homedir": "/root", "shell": "/bin/sh"}
    ]
    assert [l["group"] for l in lines if "group" in l] == [{"gid": 0, "name": "root"}]
    threads = [l["thread"] for l in lines if "thread" in l]
    assert [(t["tid"], t["comm"]) for t in threads] == [(100, "demo"), (101, "demo-worker")]
    t = threads[0]
    assert (
        t["args"],
        t["env"],
        t["cgroups"],
        t["tty"],
        t["loginuid"],
        t["cap_effective"],
        t["exe_ino"],
        t["pgid"],
        t["exepath"],
    ) == ("-x\u0000file\u0000", "HOME=/root\u0000", "cpu=/\u0000", 34816, 1000, 0x1FF, 77, 100, "/usr/bin/demo")
    fds = [
        (
            f["fd"],
            f["type"],
            f["name"],
            f["open_flags"],
            f["dev"],
            f["sip"][:8],
            f["dip"][:8],
            f["sport"],
            f["dport"],
            f["l4proto"],
            f["unix_source"],
            f["unix_dest"],
        )
        for f in t["fds"]
    ]
    assert fds == [
        (3, 16, "/etc/passwd", 1, 0x803, "00000000", "00000000", 0, 0, 0, 0, 0),
        (4, 3, "", 0, 0, "0a000001", "0a000002", 40000, 80, 2, 0, 0),
        (5, 6, "", 0, 0, "20010db8", "00000000", 8080, 0, 2, 0, 0),
        (6, 8, "/run/demo.sock", 0, 0, "00000000", "00000000", 0, 0, 0, 0xFFFF1, 0xFFFF2),
    ]
    assert threads[1]["fds"] == []
    assert lines[-1]["end"] == "eof" and lines[-1]["n_evts"] == 0


# ---------------------------------------------------------------------------------------------- hypothesis


def encode(ev_type, tid, ts, params, large):
    slot = "<I" if large else "<H"
    lens = b"".join(struct.pack(slot, len(p)) for p in params)
    body = lens + b"".join(params)
    return struct.pack("<QQIHI", ts, tid, 26 + len(body), ev_type, len(params)) + body


@st.composite
def event_stream(draw, table):
    current = sorted(t for t, e in table.items() if not e["flags"] & (UNUSED | OLD))
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for _ in range(n):
        t = draw(st.sampled_from(current))
        info = table[t]
        params = []
        for size in info["sizes"]:
            if size:
                params.append(draw(st.sampled_from([b"", None])) or draw(st.binary(min_size=size, max_size=size)))
            else:
                params.append(draw(st.binary(max_size=300)))
        ev = encode(
            t,
            draw(st.integers(0, 2**64 - 1)),
            draw(st.integers(0, 2**64 - 1)),
            params,
            bool(info["flags"] & LARGE_PAYLOAD),
        )
        out.append((draw(st.integers(0, 0xFFFF)), draw(st.sampled_from([0, 1])), ev))
    return out


@pytest.mark.parametrize("compress", [[], ["--gzip"]])
def test_event_streams_round_trip(build_dir, tmp_path_factory, table, compress):
    writer = helper(build_dir, "scap_write_events")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(stream=event_stream(table))
    def check(stream):
        out = tmp_path_factory.mktemp("h") / "s.scap"
        records = b"".join(struct.pack("<HI", cpu, flags) + ev for cpu, flags, ev in stream)
        r = run([writer, *compress, out], input=records, text=False)
        assert r.returncode == 0, r.stderr
        for mode in ([], ["--no-convert"]):
            rc, lines = read_dump(build_dir, out, *mode)
            assert rc == 0, lines[-1]
            evs = [l for l in lines if "ev" in l]
            assert len(evs) == len(stream)
            for got, (cpu, flags, ev) in zip(evs, stream):
                ts, tid, ln, t, n = struct.unpack_from("<QQIHI", ev)
                assert (got["ts"], got["tid"], got["len"], got["type"], got["n"], got["cpu"], got["flags"]) == (
                    ts,
                    tid,
                    ln,
                    t,
                    n,
                    cpu,
                    flags,
                )
                large = bool(table[t]["flags"] & LARGE_PAYLOAD)
                slot, fmt = (4, "<I") if large else (2, "<H")
                off, params = 26 + slot * n, []
                for i in range(n):
                    plen = struct.unpack_from(fmt, ev, 26 + slot * i)[0]
                    params.append(ev[off : off + plen].hex())
                    off += plen
                assert got["p"] == params
            assert lines[-1]["n_converted"] == 0

    check()


def test_dumper_rejects_malformed_events(build_dir, tmp_path):
    bad = struct.pack("<QQIHI", 1, 2, 30, 3, 1) + struct.pack("<H", 200) + b"ab"  # param overruns len
    r = run(
        [helper(build_dir, "scap_write_events"), tmp_path / "x.scap"], input=struct.pack("<HI", 0, 0) + bad, text=False
    )
    assert r.returncode == 2
    assert b"invalid event" in r.stderr and b"overruns length 30" in r.stderr
