"""Damaged .scap files never crash the reader (run under ASan/UBSan) and lose no complete event."""

import gzip
import json
import struct

import pytest

from conftest import helper, run


def enc(t, tid, ts, params, large=False):
    slot = "<I" if large else "<H"
    body = b"".join(struct.pack(slot, len(p)) for p in params) + b"".join(params)
    return struct.pack("<QQIHI", ts, tid, 26 + len(body), t, len(params)) + body


def records(evs):
    return b"".join(struct.pack("<HI", cpu, flags) + ev for cpu, flags, ev in evs)


SMALL_STREAM = [
    (0, 0, enc(7, 100, 1000, [struct.pack("<q", 5), b"hello", struct.pack("<q", 3), struct.pack("<I", 5)])),
    (
        1,
        1,
        enc(3, 100, 1001, [struct.pack("<q", 3), b"/etc/x\0", struct.pack("<I", 1), b"", b"", struct.pack("<Q", 7)]),
    ),
    (2, 0, enc(322, 101, 1002, [struct.pack("<I", 9), b"x" * 100], large=True)),
    (3, 0, enc(1, 101, 1003, [struct.pack("<H", 75), struct.pack("<H", 10)])),
    (0, 0, enc(22, 100, 1004, [struct.pack("<q", 3), b"\x02\x7f\x00\x00\x01\x50\x00"])),
]


@pytest.fixture(scope="module")
def small_file(asan_build_dir, tmp_path_factory):
    """A small file we wrote: demo platform (threads, fds, interfaces, users) + 5 events incl. EVF and LARGE."""
    out = tmp_path_factory.mktemp("small") / "small.scap"
    r = run(
        [helper(asan_build_dir, "scap_write_events"), "--demo-platform", out], input=records(SMALL_STREAM), text=False
    )
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size == 1564
    return out


@pytest.fixture(scope="module")
def plain_captures(captures_dir, tmp_path_factory):
    d = tmp_path_factory.mktemp("plain")
    out = {}
    for name in ("curl_google.scap", "single_ipv6_conn.scap"):
        out[name] = d / name
        out[name].write_bytes(gzip.decompress((captures_dir / name).read_bytes()))
    return out


def robust(build, *args):
    r = run([helper(build, "scap_robust"), *args], timeout=170)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.strip()


def test_truncation_at_every_byte(asan_build_dir, small_file):
    assert robust(asan_build_dir, "--truncate", small_file) == "truncate: 1565 cases, 0 failures"


def test_truncation_of_old_format_capture(asan_build_dir, plain_captures):
    # v1 event blocks, PL_V5, FDL/IL/UL v1: every 211th length, and the full file.
    assert (
        robust(asan_build_dir, "--truncate", plain_captures["curl_google.scap"], "211")
        == "truncate: 694 cases, 0 failures"
    )


def test_random_byte_flips(asan_build_dir, small_file, plain_captures):
    assert robust(asan_build_dir, "--flip", small_file, "1500", "7") == "flip: 1500 cases, 0 failures"
    assert (
        robust(asan_build_dir, "--flip", plain_captures["curl_google.scap"], "150", "11")
        == "flip: 150 cases, 0 failures"
    )
    assert (
        robust(asan_build_dir, "--flip", plain_captures["single_ipv6_conn.scap"], "150", "13")
        == "flip: 150 cases, 0 failures"
    )


def read_dump(build, path, *flags):
    r = run([helper(build, "scap_read_dump"), *flags, path])
    return r.returncode, [json.loads(l) for l in r.stdout.splitlines()]


def test_truncated_gzip_delivers_a_prefix(asan_build_dir, captures_dir, tmp_path):
    full = (captures_dir / "curl_google.scap").read_bytes()
    _, ref = read_dump(asan_build_dir, captures_dir / "curl_google.scap", "--no-convert")
    ref = [l for l in ref if "ev" in l]
    seen_counts = []
    for cut in range(2000, len(full), 1733):
        p = tmp_path / f"cut{cut}.scap"
        p.write_bytes(full[:cut])
        rc, lines = read_dump(asan_build_dir, p, "--no-convert")
        evs = [l for l in lines if "ev" in l]
        assert evs == ref[: len(evs)]
        last = lines[-1]
        if "open_error" in last:
            assert rc == 2 and "byte offset" in last["open_error"]
        else:
            assert rc == 1 and last["end"] == "error" and "byte offset" in last["err"], last
        seen_counts.append(len(evs))
    # Cuts inside the metadata fail at open; later cuts keep every event decompressed before them.
    assert seen_counts == [0, 0, 0, 0, 93, 293, 472, 658, 842, 1025, 1188, 1373]


def test_error_messages(build_dir, tmp_path, small_file):
    data = small_file.read_bytes()
    cases = {
        "empty.scap": (b"", "at byte offset 0: expected a section header block, the file is empty"),
        "text.scap": (
            b"hello world, not a capture\n",
            "at byte offset 0: expected a section header block (type 0x0a0d0d0a), found type 0x6c6c6568",
        ),
        "magic.scap": (
            data[:8] + b"\x00\x00\x00\x00" + data[12:],
            "at byte offset 8: expected the section magic 0x1a2b3c4d, found 0x00000000",
        ),
        "major.scap": (
            data[:12] + b"\x02\x00" + data[14:],
            "at byte offset 12: expected file format major version 1, found 2",
        ),
    }
    for name, (content, msg) in cases.items():
        p = tmp_path / name
        p.write_bytes(content)
        rc, lines = read_dump(build_dir, p)
        assert rc == 2 and msg in lines[0]["open_error"], (name, lines)
    # Cut inside the last event block: 4 events, then the offset and what was expected.
    p = tmp_path / "cut.scap"
    p.write_bytes(data[:-10])
    rc, lines = read_dump(build_dir, p, "--no-convert")
    assert rc == 1 and len([l for l in lines if "ev" in l]) == 4
    last_block = len(data) - 60
    assert lines[-1]["err"] == (
        f"at byte offset {last_block}: expected a block of 60 bytes (type 0x216), "
        f"the file ends after 50 bytes (truncated?)"
    )
    # A parameter length that overruns its event.
    bad = bytearray(data)
    bad[last_block + 10 + 26] = 0xFF  # first length slot of the last event
    p.write_bytes(bytes(bad))
    rc, lines = read_dump(build_dir, p, "--no-convert")
    assert rc == 1 and len([l for l in lines if "ev" in l]) == 4
    assert lines[-1]["err"].startswith(
        f"at byte offset {last_block + 10}: expected the parameters of event type 22 to fit in its length 45"
    )
    # A trailer that does not repeat the length.
    bad = bytearray(data)
    bad[-1] = 0x7F
    p.write_bytes(bytes(bad))
    rc, lines = read_dump(build_dir, p, "--no-convert")
    assert lines[-1]["err"] == (
        f"at byte offset {len(data) - 4}: expected the block trailer to repeat the length "
        f"60 (block type 0x216), found 2130706492"
    )


def test_simulated_crash(build_dir, tmp_path):
    """A writer that dies after flushing 60 of 100 events leaves a file that reads up to the flush."""
    stream = [
        (
            i % 4,
            0,
            enc(
                9,
                200 + i % 3,
                5000 + i,
                [struct.pack("<q", 4), b"d" * (i % 50), struct.pack("<q", 1), struct.pack("<I", 4)],
            ),
        )
        for i in range(100)
    ]
    for compress, want_end in (([], "eof"), (["--gzip"], "error")):
        out = tmp_path / f"crash{len(compress)}.scap"
        r = run(
            [helper(build_dir, "scap_write_events"), *compress, "--crash-after", "60", out],
            input=records(stream),
            text=False,
        )
        assert r.returncode == 0 and r.stdout == b"events 100\n"
        rc, lines = read_dump(build_dir, out, "--no-convert")
        evs = [l for l in lines if "ev" in l]
        assert len(evs) == 60 and [e["ts"] for e in evs] == list(range(5000, 5060))
        assert lines[-1]["end"] == want_end
        if want_end == "error":
            assert "the gzip stream ends early" in lines[-1]["err"]


def test_gzip_byte_flips(asan_build_dir, captures_dir, tmp_path):
    """Damaged compressed data: every event inflated before the damage is delivered, then a clear error."""
    import random

    src = captures_dir / "single_ipv6_conn.scap"
    data = src.read_bytes()
    _, ref = read_dump(asan_build_dir, src, "--no-convert")
    ref = [l for l in ref if "ev" in l]
    rng = random.Random(3)
    outcomes = {"eof": 0, "error": 0, "open_error": 0}
    for k in range(25):
        b = bytearray(data)
        off = len(data) - 6 if k == 0 else rng.randrange(len(data))  # k == 0: the CRC of the trailer
        b[off] ^= 1 << rng.randrange(8)
        p = tmp_path / f"flip{k}.scap"
        p.write_bytes(bytes(b))
        rc, lines = read_dump(asan_build_dir, p, "--no-convert")
        assert rc in (0, 1, 2), lines[-1:]
        evs = [l for l in lines if "ev" in l]
        last = lines[-1]
        if "open_error" in last:
            outcomes["open_error"] += 1
            assert "byte offset" in last["open_error"]
            continue
        outcomes[last["end"]] += 1
        if last["end"] == "error":
            assert "byte offset" in last["err"]
        if k == 0:  # only the checksum is wrong: all events, then the gzip error at the end
            assert evs == ref
            assert last["err"].startswith("at byte offset 251008: expected a block header: gzip: incorrect data check")
        if last["end"] == "eof":
            # A clean end means zlib verified the checksum: the flip hit an unchecked header field.
            assert evs == ref
    assert outcomes["error"] + outcomes["open_error"] >= 20
