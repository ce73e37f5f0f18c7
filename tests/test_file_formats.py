"""Every block type and version of the .scap format, built byte by byte here and read back."""

import gzip
import json
import struct

import pytest

from conftest import helper, run

SHB, MI = 0x0A0D0D0A, 0x201
PL = {1: 0x202, 2: 0x207, 3: 0x209, 4: 0x210, 5: 0x211, 6: 0x212, 7: 0x213, 8: 0x214, 9: 0x215}
PL_LEGACY = {1: 0x8000ABCD, 2: 0x8013ABCD, 3: 0x8014ABCD}


def block(t, body):
    pad = (-len(body)) % 4
    n = 12 + len(body) + pad
    return struct.pack("<II", t, n) + body + b"\0" * pad + struct.pack("<I", n)


def shb(minor=2, options=b""):
    return block(SHB, struct.pack("<IHHq", 0x1A2B3C4D, 1, minor, -1) + options)


def s16(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack("<H", len(b)) + b


def mi(btype=MI, host=b"oldhost"):
    return block(btype, struct.pack("<IQQ128sQQQQ", 2, 1 << 30, 32768, host, 1500000000000000000, 0, 0, 0))


def ev2(t, tid, ts, params, cpu=0, flags=None, btype=None):
    body = b"".join(struct.pack("<H", len(p)) for p in params) + b"".join(params)
    ev = struct.pack("<QQIHI", ts, tid, 26 + len(body), t, len(params)) + body
    if flags is None:
        return block(btype or 0x216, struct.pack("<H", cpu) + ev)
    return block(btype or 0x217, struct.pack("<HI", cpu, flags) + ev)


def ev1(t, tid, ts, params, cpu=0, flags=None, btype=0x204, extra_len=0):
    """A v1 event: 22-byte header without nparams."""
    body = b"".join(struct.pack("<H", len(p)) for p in params) + b"".join(params)
    ev = struct.pack("<QQIH", ts, tid, 22 + len(body) + extra_len, t) + body
    head = struct.pack("<H", cpu) if flags is None else struct.pack("<HI", cpu, flags)
    return block(btype, head + ev)


THREAD = dict(
    tid=42,
    pid=40,
    ptid=1,
    sid=7,
    vpgid=8,
    comm="worker",
    exe="/bin/w",
    exepath="/usr/bin/w",
    args=b"a\0b\0",
    cwd="/srv",
    fdlimit=4096,
    flags=0x8000,
    uid=1000,
    gid=100,
    vmsize=11,
    vmrss=12,
    vmswap=13,
    pfmajor=14,
    pfminor=15,
    env=b"X=1\0",
    vtid=2,
    vpid=3,
    cgroups=b"cpu=/a\0",
    root="/r",
)


def pl_entry(v, t, tail=b""):
    b = struct.pack("<QQQ", t["tid"], t["pid"], t["ptid"])
    if v >= 6:
        b += struct.pack("<Q", t["sid"])
    if v >= 8:
        b += struct.pack("<Q", t["vpgid"])
    b += s16(t["comm"]) + s16(t["exe"])
    if v >= 7:
        b += s16(t["exepath"])
    b += s16(t["args"]) + s16(t["cwd"]) + struct.pack("<QIII", t["fdlimit"], t["flags"], t["uid"], t["gid"])
    if v >= 2:
        b += struct.pack("<IIIQQ", t["vmsize"], t["vmrss"], t["vmswap"], t["pfmajor"], t["pfminor"])
    if v >= 3:
        b += s16(t["env"])
    if v >= 4:
        b += struct.pack("<qq", t["vtid"], t["vpid"]) + s16(t["cgroups"])
    if v >= 5:
        b += s16(t["root"])
    if v == 9:
        b += tail
        return struct.pack("<I", 4 + len(b)) + b
    return b


def expected_thread(v, t):
    e = {
        "tid": t["tid"],
        "pid": t["pid"],
        "ptid": t["ptid"],
        "sid": t["sid"] if v >= 6 else 0,
        "vpgid": t["vpgid"] if v >= 8 else 0,
        "comm": t["comm"],
        "exe": t["exe"],
        "exepath": t["exepath"] if v >= 7 else "",
        "args": t["args"].decode(),
        "cwd": t["cwd"],
        "fdlimit": t["fdlimit"],
        "flags": t["flags"],
        "uid": t["uid"],
        "gid": t["gid"],
        "vmsize_kb": t["vmsize"] if v >= 2 else 0,
        "vmrss_kb": t["vmrss"] if v >= 2 else 0,
        "vmswap_kb": t["vmswap"] if v >= 2 else 0,
        "pfmajor": t["pfmajor"] if v >= 2 else 0,
        "pfminor": t["pfminor"] if v >= 2 else 0,
        "env": t["env"].decode() if v >= 3 else "",
        "vtid": t["vtid"] if v >= 4 else 0,
        "vpid": t["vpid"] if v >= 4 else 0,
        "cgroups": t["cgroups"].decode() if v >= 4 else "",
        "root": t["root"] if v >= 5 else "",
    }
    return e


def read(build_dir, tmp_path, data, *flags, name="f.scap"):
    p = tmp_path / name
    p.write_bytes(data)
    r = run([helper(build_dir, "scap_read_dump"), *flags, p])
    return r.returncode, [json.loads(l) for l in r.stdout.splitlines()]


def kind(lines, k):
    return [l[k] for l in lines if k in l]


ONE_EVENT = ev2(1, 42, 100, [struct.pack("<H", 75), struct.pack("<H", 10)])


@pytest.mark.parametrize("v,legacy", [(v, False) for v in range(1, 10)] + [(1, True), (2, True), (3, True)])
def test_process_list_versions(build_dir, tmp_path, v, legacy):
    t2 = dict(THREAD, tid=43, comm="w2", args=b"")
    btype = PL_LEGACY[v] if legacy else PL[v]
    data = shb(minor=0) + block(btype, pl_entry(v, THREAD) + pl_entry(v, t2)) + ONE_EVENT
    rc, lines = read(build_dir, tmp_path, data, "--meta")
    assert rc == 0, lines
    threads = kind(lines, "thread")
    assert len(threads) == 2
    for got, want in zip(threads, (THREAD, t2)):
        exp = expected_thread(v, want)
        assert {k: got[k] for k in exp} == exp
        assert (got["tty"], got["loginuid"], got["pgid"], got["fds"]) == (0, 0, 0, [])


def test_process_list_v9_trailing_fields(build_dir, tmp_path):
    full = (
        struct.pack("<QII", 123456789, 34816, 1000)
        + b"\x01"
        + struct.pack("<QQQ", 1, 2, 3)
        + b"\x01"
        + struct.pack("<QQQ", 99, 1111, 2222)
        + b"\x01\x01"
        + struct.pack("<q", 77)
    )
    pre010 = struct.pack("<I", 500) + b"\x01" + struct.pack("<QQQ", 4, 5, 6)  # 29 bytes: no pidns/tty
    future = full + b"\xab" * 12  # a newer producer's unknown tail is skipped
    data = (
        shb()
        + block(
            PL[9],
            pl_entry(9, THREAD, full)
            + pl_entry(9, dict(THREAD, tid=2), pre010)
            + pl_entry(9, dict(THREAD, tid=3), future)
            + pl_entry(9, dict(THREAD, tid=4)),
        )
        + ONE_EVENT
    )
    rc, lines = read(build_dir, tmp_path, data, "--meta")
    assert rc == 0, lines
    th = kind(lines, "thread")
    keys = [
        "pidns_init_start_ts",
        "tty",
        "loginuid",
        "exe_writable",
        "cap_inheritable",
        "cap_permitted",
        "cap_effective",
        "exe_upper_layer",
        "exe_ino",
        "exe_ino_ctime",
        "exe_ino_mtime",
        "exe_from_memfd",
        "exe_lower_layer",
        "pgid",
    ]
    assert [th[0][k] for k in keys] == [123456789, 34816, 1000, 1, 1, 2, 3, 1, 99, 1111, 2222, 1, 1, 77]
    assert [th[1][k] for k in keys] == [0, 0, 500, 1, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0]
    assert [th[2][k] for k in keys] == [th[0][k] for k in keys]
    assert [th[3][k] for k in keys] == [0] * 14
    assert [t["tid"] for t in th] == [42, 2, 3, 4]


def fd_entries(v2):
    def e(fd, ino, typ, data, tail=b""):
        b = struct.pack("<qQB", fd, ino, typ) + data + tail
        return struct.pack("<I", 4 + len(b)) + b if v2 else b

    out = [
        e(3, 10, 3, bytes([10, 0, 0, 1]) + bytes([10, 0, 0, 2]) + struct.pack("<HHB", 1234, 80, 2)),
        e(4, 11, 5, bytes([0, 0, 0, 0]) + struct.pack("<HB", 8080, 2)),
        e(5, 12, 4, bytes(range(16)) + bytes(range(16, 32)) + struct.pack("<HHB", 5, 6, 3)),
        e(6, 13, 6, bytes(range(16)) + struct.pack("<HB", 443, 2)),
        e(7, 14, 8, struct.pack("<QQ", 0xAAAA, 0xBBBB) + s16("/run/s")),
        e(8, 15, 16, struct.pack("<I", 3) + s16("/etc/hosts") + (struct.pack("<I", 0x803) if v2 else b"")),
        e(9, 16, 1, s16("/var/log/x")),
        e(10, 17, 12, s16("")),
    ]
    if v2:
        out.append(e(11, 18, 99, b"whatever"))
        out.append(e(12, 19, 2, s16("/tmp"), tail=b"FUTURE"))
    return b"".join(out)


@pytest.mark.parametrize("v2", [False, True])
def test_fd_lists(build_dir, tmp_path, v2):
    btype = 0x218 if v2 else 0x203
    data = (
        shb()
        + block(PL[5], pl_entry(5, THREAD))
        + block(btype, struct.pack("<Q", 42) + fd_entries(v2))
        + block(btype, struct.pack("<Q", 777) + fd_entries(v2)[:0])
        + ONE_EVENT
    )
    rc, lines = read(build_dir, tmp_path, data, "--meta")
    assert rc == 0, lines
    th = kind(lines, "thread")
    assert [t["tid"] for t in th] == [42, 777]  # an fd list for an unknown thread gets a bare thread
    fds = [
        (
            f["fd"],
            f["ino"],
            f["type"],
            f["name"],
            f["sip"],
            f["dip"],
            f["sport"],
            f["dport"],
            f["l4proto"],
            f["open_flags"],
            f["dev"],
            f["unix_source"],
            f["unix_dest"],
        )
        for f in th[0]["fds"]
    ]
    z = "00" * 16
    want = [
        (3, 10, 3, "", "0a000001" + "00" * 12, "0a000002" + "00" * 12, 1234, 80, 2, 0, 0, 0, 0),
        (4, 11, 5, "", z, z, 8080, 0, 2, 0, 0, 0, 0),
        (5, 12, 4, "", bytes(range(16)).hex(), bytes(range(16, 32)).hex(), 5, 6, 3, 0, 0, 0, 0),
        (6, 13, 6, "", bytes(range(16)).hex(), z, 443, 0, 2, 0, 0, 0, 0),
        (7, 14, 8, "/run/s", z, z, 0, 0, 0, 0, 0, 0xAAAA, 0xBBBB),
        (8, 15, 16, "/etc/hosts", z, z, 0, 0, 0, 3, 0x803 if v2 else 0, 0, 0),
        (9, 16, 1, "/var/log/x", z, z, 0, 0, 0, 0, 0, 0, 0),
        (10, 17, 12, "", z, z, 0, 0, 0, 0, 0, 0, 0),
    ]
    if v2:
        want += [
            (11, 18, 10, "unknown-type:[99]", z, z, 0, 0, 0, 0, 0, 0, 0),
            (12, 19, 2, "/tmp", z, z, 0, 0, 0, 0, 0, 0, 0),
        ]
    assert fds == want
    assert th[1]["fds"] == []


def test_interface_and_user_lists(build_dir, tmp_path):
    il1 = (
        struct.pack("<HH", 1, 2)
        + bytes([127, 0, 0, 1, 255, 0, 0, 0, 127, 255, 255, 255])
        + struct.pack("<Q", 100)
        + b"lo"
        + struct.pack("<HH", 3, 4)
        + bytes([10, 0, 0, 5, 255, 255, 255, 0, 10, 0, 0, 255])
        + b"eth0"
        + struct.pack("<HH", 2, 2)
        + bytes(16)
        + bytes([255] * 16)
        + bytes(16)
        + struct.pack("<Q", 7)
        + b"lo"
        + struct.pack("<HH", 4, 3)
        + bytes([0xFE, 0x80] + [0] * 14)
        + bytes(32)
        + b"wl0"
    )
    ul1 = (
        b"\0"
        + struct.pack("<II", 0, 0)
        + s16("root")
        + s16("/root")
        + s16("/bin/sh")
        + b"\1"
        + struct.pack("<I", 4)
        + s16("adm")
        + b"\0"
        + struct.pack("<II", 1000, 1000)
        + s16("me")
        + s16("/home/me")
        + s16("/bin/zsh")
    )
    data = shb(minor=0) + mi(0x8002ABCD) + block(0x8011ABCD, il1) + block(0x8012ABCD, ul1) + ONE_EVENT
    rc, lines = read(build_dir, tmp_path, data, "--meta")
    assert rc == 0, lines
    assert kind(lines, "mi")[0] == {
        "num_cpus": 2,
        "memory_size_bytes": 1 << 30,
        "max_pid": 32768,
        "hostname": "oldhost",
        "boot_ts_epoch": 1500000000000000000,
        "flags": 0,
    }
    assert [(i["type"], i["name"], i["addr"], i["netmask"], i["linkspeed"]) for i in kind(lines, "iface")] == [
        (1, "lo", "7f000001", "ff000000", 100),
        (1, "eth0", "0a000005", "ffffff00", 0),
        (2, "lo", "00" * 16, "ff" * 16, 7),
        (2, "wl0", "fe80" + "00" * 14, "00" * 16, 0),
    ]
    assert kind(lines, "user") == [
        {"uid": 0, "gid": 0, "name": "root", "homedir": "/root", "shell": "/bin/sh"},
        {"uid": 1000, "gid": 1000, "name": "me", "homedir": "/home/me", "shell": "/bin/zsh"},
    ]
    assert kind(lines, "group") == [{"gid": 4, "name": "adm"}]

    def il2(typ, addrs, speed, name):
        body = struct.pack("<HH", typ, len(name)) + addrs + struct.pack("<Q", speed) + name
        return struct.pack("<I", len(body)) + body  # IL_V2 entry length excludes itself

    def ul2(body):
        return struct.pack("<I", 4 + len(body)) + body

    data = (
        shb()
        + block(0x219, il2(1, bytes([1, 2, 3, 4]) * 3, 10, b"e0") + il2(2, bytes(48), 20, b"e1"))
        + block(
            0x220,
            ul2(b"\1" + struct.pack("<I", 9) + s16("g9"))
            + ul2(b"\0" + struct.pack("<II", 5, 6) + s16("u5") + s16("/h") + s16("/s") + b"tail"),
        )
        + ONE_EVENT
    )
    rc, lines = read(build_dir, tmp_path, data, "--meta")
    assert rc == 0, lines
    assert [(i["type"], i["name"], i["bcast"], i["linkspeed"]) for i in kind(lines, "iface")] == [
        (1, "e0", "01020304", 10),
        (2, "e1", "00" * 16, 20),
    ]
    assert kind(lines, "user") == [{"uid": 5, "gid": 6, "name": "u5", "homedir": "/h", "shell": "/s"}]
    assert kind(lines, "group") == [{"gid": 9, "name": "g9"}]


def test_v1_event_blocks(build_dir, tmp_path):
    fd, name, flags, mode = struct.pack("<q", 3), b"/etc/x\0", struct.pack("<I", 1), struct.pack("<I", 0)
    data = (
        shb(minor=0)
        + ev1(3, 42, 100, [fd, name, flags, mode])
        + ev1(3, 42, 101, [fd, name, flags, mode], btype=0x8010ABCD, cpu=1)
        + ev1(3, 42, 102, [fd, name, flags, mode], btype=0x208, flags=1, cpu=2)
        + ev1(280, 42, 103, [b"id\0", b"hello\0"], extra_len=3)
        + ev1(2, 42, 104, [])
    )
    rc, lines = read(build_dir, tmp_path, data, "--no-convert")
    assert rc == 0, lines
    evs = [l for l in lines if "ev" in l]
    assert [(e["ts"], e["cpu"], e["flags"], e["type"], e["n"], e["len"]) for e in evs] == [
        (100, 0, 0, 3, 4, 26 + 8 + 23),
        (101, 1, 0, 3, 4, 57),
        (102, 2, 1, 3, 4, 57),
        (103, 0, 0, 280, 2, 39),
        (104, 0, 0, 2, 0, 26),
    ]
    assert evs[0]["p"] == [fd.hex(), name.hex(), flags.hex(), mode.hex()]
    assert evs[3]["p"] == [b"id\0".hex(), b"hello\0".hex()]
    # Converted: open X gets its 6 current parameters, the empty open E its 3.
    rc, lines = read(build_dir, tmp_path, data)
    evs = [l for l in lines if "ev" in l]
    assert [(e["type"], e["n"]) for e in evs] == [(3, 6), (3, 6), (3, 6), (280, 2), (2, 3)]
    assert evs[0]["p"] == [fd.hex(), name.hex(), flags.hex(), mode.hex(), "", ""]
    assert lines[-1]["n_converted"] == 4


def test_bad_v1_event(build_dir, tmp_path):
    # 5 bytes in the event that no parameter length accounts for
    ev = struct.pack("<QQIH", 100, 42, 22 + 2 + 8 + 5, 3) + struct.pack("<H", 8) + struct.pack("<q", -1) + b"zzzzz"
    data = shb(minor=0) + block(0x204, struct.pack("<H", 0) + ev)
    rc, lines = read(build_dir, tmp_path, data, "--no-convert")
    assert rc == 1
    assert lines[-1]["err"] == (
        "at byte offset 38: expected a v1 event (type 3) whose parameter lengths add up to its length 37"
    )


def test_unknown_blocks_and_event_types(build_dir, tmp_path):
    data = (
        shb()
        + block(0x7777, b"future metadata")
        + mi()
        + ONE_EVENT
        + block(0x7778, b"x" * 9)
        + ev2(999, 1, 101, [b"abc"])
        + ev2(17, 1, 102, [])
        + ev2(1, 1, 103, [b"\1\0", b"\2\0"])
    )
    for mode, (delivered, skipped) in (([], (2, 2)), (["--no-convert"], (3, 1))):
        rc, lines = read(build_dir, tmp_path, data, *mode)
        assert rc == 0, lines
        evs = [l for l in lines if "ev" in l]
        assert len(evs) == delivered and evs[-1]["ts"] == 103
        assert (lines[-1]["n_evts"], lines[-1]["n_skipped"]) == (4, skipped)


def test_section_header_options(build_dir, tmp_path):
    comment = b"a comment!"
    opts = struct.pack("<HH", 1, len(comment)) + comment + b"\0\0" + struct.pack("<HH", 0, 0)
    rc, lines = read(build_dir, tmp_path, shb(minor=0, options=opts) + mi() + ONE_EVENT, "--meta")
    assert rc == 0 and kind(lines, "mi")[0]["hostname"] == "oldhost"
    assert len([l for l in lines if "ev" in l]) == 1


def test_concatenated_files(build_dir, tmp_path):
    a = shb() + mi(host=b"first") + block(PL[9], pl_entry(9, THREAD)) + ONE_EVENT + ev2(1, 42, 200, [b"\1\0", b"\2\0"])
    b = (
        shb()
        + mi(host=b"second")
        + block(PL[9], pl_entry(9, dict(THREAD, tid=77)))
        + ev2(1, 77, 300, [b"\1\0", b"\2\0"])
    )
    for data in (a + b, gzip.compress(a) + gzip.compress(b)):
        rc, lines = read(build_dir, tmp_path, data, "--meta", "--meta-end")
        assert rc == 0, lines
        assert [l["ts"] for l in lines if "ev" in l] == [100, 200, 300]
        assert [m["hostname"] for m in kind(lines, "mi")] == ["first", "second"]
        assert [t["tid"] for t in kind(lines, "thread")] == [42, 77]  # the new section replaced the table


def test_metadata_only_and_damaged_metadata(build_dir, tmp_path):
    rc, lines = read(build_dir, tmp_path, shb() + mi())
    assert rc == 0 and lines[-1]["end"] == "eof" and lines[-1]["n_evts"] == 0
    bad = bytearray(shb() + block(PL[9], pl_entry(9, THREAD)) + ONE_EVENT)
    bad[28 + 8] = 0xFF  # PL_V9 entry length
    rc, lines = read(build_dir, tmp_path, bytes(bad))
    assert rc == 2
    assert "at byte offset 36: expected a process entry length between 44 and" in lines[0]["open_error"]
    bad = bytearray(shb() + block(0x218, struct.pack("<Q", 1) + fd_entries(True)) + ONE_EVENT)
    bad[28 + 16 + 4 + 16] = 200  # first fd entry's type byte -> unknown: fine in v2
    rc, lines = read(build_dir, tmp_path, bytes(bad), "--meta")
    assert rc == 0 and kind(lines, "thread")[0]["fds"][0]["name"] == "unknown-type:[200]"
    bad = bytearray(shb() + block(0x203, struct.pack("<Q", 1) + fd_entries(False)) + ONE_EVENT)
    bad[28 + 16 + 16] = 200
    rc, lines = read(build_dir, tmp_path, bytes(bad), "--meta")
    assert rc == 2 and "at byte offset 60: expected an fd type below 22, found 200" in lines[0]["open_error"]
