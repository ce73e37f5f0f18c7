"""Reading .scap files: the three reference captures, against Debian's sysdig 0.29.3 as an oracle."""

import ipaddress
import json
import re
import struct

import pytest

from conftest import helper, run

CAPTURES = ["curl_google.scap", "curl_google_comments.scap", "single_ipv6_conn.scap"]


def read_dump(build_dir, path, *flags):
    r = run([helper(build_dir, "scap_read_dump"), *flags, path])
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    return r.returncode, lines


def events(lines):
    return [l for l in lines if "ev" in l]


def end(lines):
    return lines[-1]


def meta(lines, kind):
    return [l[kind] for l in lines if kind in l]


def i64(h):
    return struct.unpack("<q", bytes.fromhex(h))[0]


def u32(h):
    return struct.unpack("<I", bytes.fromhex(h))[0]


def cstr(h):
    return bytes.fromhex(h).rstrip(b"\0").decode()


def sockaddr(h):
    b = bytes.fromhex(h)
    if b[0] == 10:
        return f"{ipaddress.IPv6Address(b[1:17])}:{struct.unpack('<H', b[17:19])[0]}"
    if b[0] == 2:
        return f"{ipaddress.IPv4Address(b[1:5])}:{struct.unpack('<H', b[5:7])[0]}"
    raise AssertionError(f"family {b[0]}")


def socktuple(h):
    """Rendered like sysdig: src->dst, or for unix sockets `hex(A)->hex(B) path`."""
    b = bytes.fromhex(h)
    if b[0] == 10:
        s, sp = ipaddress.IPv6Address(b[1:17]), struct.unpack("<H", b[17:19])[0]
        d, dp = ipaddress.IPv6Address(b[19:35]), struct.unpack("<H", b[35:37])[0]
        return f"{s}:{sp}->{d}:{dp}"
    if b[0] == 1:
        a, c = struct.unpack("<QQ", b[1:17])
        path = b[17:].rstrip(b"\0").decode()
        return f"{a:x}->{c:x} {path}"
    raise AssertionError(f"family {b[0]}")


def sysdig_lines(sysdig, path, fmt, filt=None):
    cmd = [sysdig, "-r", path, "-p", fmt]
    if filt:
        cmd.append(filt)
    r = run(cmd)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


@pytest.mark.parametrize(
    "name,n,ncpu_evts",
    [
        ("curl_google.scap", 1536, {0: 1536}),
        ("curl_google_comments.scap", 1536, {0: 1536}),
        ("single_ipv6_conn.scap", 1728, None),
    ],
)
def test_reads_completely_without_conversion(build_dir, captures_dir, name, n, ncpu_evts):
    rc, lines = read_dump(build_dir, captures_dir / name, "--no-convert")
    assert rc == 0
    e = end(lines)
    assert (e["end"], e["n_evts"], e["n_delivered"], e["n_skipped"], e["n_converted"]) == ("eof", n, n, 0, 0)
    evs = events(lines)
    assert len(evs) == n
    assert all(evs[i]["ts"] <= evs[i + 1]["ts"] for i in range(n - 1))
    if ncpu_evts:
        assert {0: sum(1 for x in evs if x["cpu"] == 0)} == ncpu_evts


def test_conversion_counts(build_dir, captures_dir):
    rc, lines = read_dump(build_dir, captures_dir / "curl_google.scap")
    e = end(lines)
    # 545 old enter events are merged into their exits; 647 events were rewritten.
    assert (rc, e["n_evts"], e["n_delivered"], e["n_converted"], e["n_skipped"]) == (0, 1536, 991, 647, 0)
    rc, lines = read_dump(build_dir, captures_dir / "single_ipv6_conn.scap")
    e = end(lines)
    assert (rc, e["n_evts"], e["n_delivered"], e["n_converted"], e["n_skipped"]) == (0, 1728, 1717, 16, 0)
    # Only current event versions and the TOCTOU enter events remain.
    rc, lines = read_dump(build_dir, captures_dir / "curl_google.scap", "--table")
    table = {t["id"]: t for t in lines}
    for cap in ("curl_google.scap", "single_ipv6_conn.scap"):
        _, lines = read_dump(build_dir, captures_dir / cap)
        for ev in events(lines):
            flags = table[ev["type"]]["flags"]
            assert not flags & 512, ev  # OLD_VERSION
            assert ev["type"] & 1 or ev["name"] in ("open", "connect", "switch", "procexit", "procinfo"), ev
            assert ev["n"] == len(table[ev["type"]]["sizes"]), ev
            for p, size in zip(ev["p"], table[ev["type"]]["sizes"]):
                assert size == 0 or len(p) in (0, 2 * size), ev


def test_comments_capture_reads_like_the_plain_one(build_dir, captures_dir):
    for flags in ([], ["--no-convert"]):
        rc1, a = read_dump(build_dir, captures_dir / "curl_google.scap", "--meta", *flags)
        rc2, b = read_dump(build_dir, captures_dir / "curl_google_comments.scap", "--meta", *flags)
        assert rc1 == rc2 == 0
        assert len(a) == len(b) > 1536 - 545
        assert a == b


def test_metadata(build_dir, captures_dir):
    _, lines = read_dump(build_dir, captures_dir / "curl_google.scap", "--meta", "--no-events")
    mi = meta(lines, "mi")[0]
    assert mi == {
        "num_cpus": 1,
        "memory_size_bytes": 1038864384,
        "max_pid": 0,
        "hostname": "ip-10-0-0-79",
        "boot_ts_epoch": 0,
        "flags": 0,
    }
    ifaces = meta(lines, "iface")
    assert [i["type"] for i in ifaces] == [1, 1, 2, 2, 2]
    assert (ifaces[0]["name"], ifaces[0]["addr"], ifaces[0]["netmask"]) == ("lo", "7f000001", "ff000000")
    assert (ifaces[1]["name"], ifaces[1]["addr"]) == ("eth0", "0a00004f")
    assert (len(meta(lines, "user")), len(meta(lines, "group"))) == (31, 55)
    assert meta(lines, "user")[0] == {"uid": 0, "gid": 0, "name": "root", "homedir": "/root", "shell": "/bin/bash"}
    threads = meta(lines, "thread")
    assert len(threads) == 54
    assert sum(len(t["fds"]) for t in threads) == 316
    bash = [t for t in threads if t["tid"] == 3200][0]
    assert (bash["comm"], bash["pid"], bash["cwd"]) == ("bash", 3200, "/home/ubuntu")

    _, lines = read_dump(build_dir, captures_dir / "single_ipv6_conn.scap", "--meta", "--no-events")
    mi = meta(lines, "mi")[0]
    assert (mi["num_cpus"], mi["hostname"]) == (2, "ubuntu")
    assert len(meta(lines, "iface")) == 13
    assert (len(meta(lines, "user")), len(meta(lines, "group"))) == (42, 72)
    threads = meta(lines, "thread")
    assert len(threads) == 154
    assert sum(len(t["fds"]) for t in threads) == 564
    init = threads[0]
    assert (
        init["tid"],
        init["comm"],
        init["exe"],
        init["exepath"],
        init["sid"],
        init["vpgid"],
        init["fdlimit"],
        init["vmsize_kb"],
        init["vmrss_kb"],
    ) == (1, "systemd", "/sbin/init", "/lib/systemd/systemd", 1, 1, 1048576, 37888, 5964)
    assert init["cgroups"].startswith("rdma=/\u0000freezer=/\u0000pids=/init.scope\u0000")
    assert [(f["fd"], f["type"], f["name"]) for f in init["fds"][:4]] == [
        (0, 16, "/dev/null"),
        (1, 16, "/dev/null"),
        (2, 16, "/dev/null"),
        (3, 16, "/dev/kmsg"),
    ]


def test_event_list_matches_sysdig(build_dir, captures_dir, sysdig):
    """Every event sysdig shows (it hides procinfo) has our number, time, cpu, thread, direction and type."""
    for name in ("curl_google.scap", "single_ipv6_conn.scap"):
        path = captures_dir / name
        theirs = sysdig_lines(sysdig, path, "%evt.num %evt.rawtime %evt.cpu %thread.tid %evt.dir %evt.type")
        _, lines = read_dump(build_dir, path, "--no-convert")
        ours = []
        for ev in events(lines):
            if ev["name"] == "procinfo":
                continue
            tname = ev.get("sc", ev["name"]).lower() if ev["name"] == "syscall" else ev["name"]
            d = "<" if ev["type"] & 1 else ">"
            ours.append(f"{ev['ev']} {ev['ts']} {ev['cpu']} {ev['tid']} {d} {tname}")
        assert len(ours) == len(theirs) == {"curl_google.scap": 1221, "single_ipv6_conn.scap": 28}[name]
        assert ours == theirs


def test_process_table_matches_sysdig(build_dir, captures_dir, sysdig):
    """sysdig's ps chisel (state at the end of the capture) lists the same threads for the file's process table."""
    path = captures_dir / "curl_google.scap"
    r = run([sysdig, "-r", path, "-c", "ps"])
    assert r.returncode == 0
    rows = {}
    for line in r.stdout.splitlines()[1:]:
        f = line.split()
        rows[int(f[0])] = (int(f[1]), int(f[5]), f[6])
    _, lines = read_dump(build_dir, path, "--meta", "--no-events")
    ours = {t["tid"]: (t["pid"], t["fdlimit"], t["comm"]) for t in meta(lines, "thread")}
    common = set(rows) & set(ours)
    assert len(common) >= 50
    for tid in common:
        assert rows[tid] == ours[tid], tid
    assert rows[1] == (1, 1048576, "systemd")


def test_ipv6_bind_connect_accept(build_dir, captures_dir, sysdig):
    path = captures_dir / "single_ipv6_conn.scap"
    _, lines = read_dump(build_dir, path)
    evs = events(lines)
    binds = [(e["tid"], i64(e["p"][0]), sockaddr(e["p"][1]), i64(e["p"][2])) for e in evs if e["name"] == "bind"]
    assert binds == [(25886, 0, "2001:db8::3:1234", 3), (25888, 0, "2001:db8::4:0", 3)]
    acc = [e for e in evs if e["name"] == "accept"]
    assert len(acc) == 1 and acc[0]["type"] == 247
    assert (i64(acc[0]["p"][0]), socktuple(acc[0]["p"][1])) == (4, "2001:db8::4:54405->2001:db8::3:1234")
    conns = [
        (i64(e["p"][0]), socktuple(e["p"][1]), i64(e["p"][2]))
        for e in evs
        if e["name"] == "connect" and e["type"] == 23
    ]
    assert conns == [
        (-2, "0->ffff94dc817b9400 /var/run/nscd/socket", 3),
        (-2, "0->ffff94dc817b9400 /var/run/nscd/socket", 3),
        (-115, "2001:db8::4:54405->2001:db8::3:1234", 3),
    ]
    # The same values as sysdig prints.
    theirs = sysdig_lines(
        sysdig, path, "%evt.dir %evt.type %evt.args", "evt.type=bind or evt.type=connect or evt.type=accept"
    )
    t_binds = [re.search(r"addr=(\S+)", l).group(1) for l in theirs if l.startswith("< bind")]
    t_tuples = [
        re.search(r"tuple=(.+?)( queuepct|\s*$)", l).group(1).strip()
        for l in theirs
        if l.startswith(("< connect", "< accept"))
    ]
    assert t_binds == [b[2] for b in binds]
    assert sorted(t_tuples) == sorted([c[1] for c in conns] + ["2001:db8::4:54405->2001:db8::3:1234"])


def test_enter_params_merged_into_exits(build_dir, captures_dir, sysdig):
    """Converted read exits carry the fd and size of their old enter events, as sysdig shows them."""
    path = captures_dir / "curl_google.scap"
    theirs = sysdig_lines(sysdig, path, "%evt.dir %evt.args", "evt.type=read")
    t_enter = [re.match(r"> fd=(-?\d+)\S* size=(\d+)", l).groups() for l in theirs if l.startswith(">")]
    t_res = [int(re.match(r"< res=(-?\d+)", l).group(1)) for l in theirs if l.startswith("<")]
    _, lines = read_dump(build_dir, path)
    reads = [e for e in events(lines) if e["name"] == "read"]
    assert len(reads) == len(t_enter) == len(t_res) == 50
    assert [(str(i64(e["p"][2])), str(u32(e["p"][3]))) for e in reads] == t_enter
    assert [i64(e["p"][0]) for e in reads] == t_res


def test_old_execve_and_clone_converted(build_dir, captures_dir, sysdig):
    path = captures_dir / "curl_google.scap"
    _, lines = read_dump(build_dir, path)
    evs = events(lines)
    ex = [e for e in evs if e["name"] == "execve"]
    assert len(ex) == 1 and ex[0]["type"] == 293 and ex[0]["n"] == 31
    p = ex[0]["p"]
    assert (i64(p[0]), cstr(p[1]), bytes.fromhex(p[2]), i64(p[3]), i64(p[4]), i64(p[5]), cstr(p[6]), i64(p[7])) == (
        0,
        "curl",
        b"-6\0http://www.google.com\0",
        17497,
        17497,
        3200,
        "/home/ubuntu",
        1024,
    )
    assert cstr(p[13]) == "curl"
    assert all(x == "" for x in p[20:])  # parameters the 2018 producer did not have are empty
    their = sysdig_lines(sysdig, path, "%evt.args", "evt.type=execve")[0]
    assert "pgft_min=34 vm_size=508 vm_rss=4 vm_swap=0" in their
    assert (i64(p[9]), u32(p[10]), u32(p[11]), u32(p[12])) == (34, 508, 4, 0)
    clones = [e for e in evs if e["name"] == "clone"]
    assert [(c["type"], c["n"], c["tid"], i64(c["p"][0])) for c in clones] == [
        (223, 21, 17497, 17498),
        (223, 21, 17498, 0),
    ]
    exits = [e for e in evs if e["name"] == "procexit"]
    assert [(e["type"], e["n"], e["tid"]) for e in exits] == [(186, 5, 17498), (186, 5, 17497)]
    generic = [e for e in evs if e["name"] == "syscall"]
    assert all(e["n"] == 2 and len(e["p"][1]) == 4 for e in generic)
    mprot = [e for e in generic if e["sc"] == "mprotect"]
    assert len(mprot) == 78 and all(struct.unpack("<H", bytes.fromhex(e["p"][1]))[0] == 10 for e in mprot)


@pytest.mark.parametrize("mode", [[], ["--no-convert"]])
def test_next_batch_delivers_the_same_events(build_dir, asan_build_dir, captures_dir, mode):
    """next_batch() hands out events that all stay valid until the next call (checked under ASan too)."""
    for name in ("curl_google.scap", "single_ipv6_conn.scap"):
        rc, one = read_dump(build_dir, captures_dir / name, *mode)
        assert rc == 0
        for build, size in ((build_dir, "1"), (build_dir, "7"), (asan_build_dir, "256")):
            rc, batched = read_dump(build, captures_dir / name, *mode, "--batch", size)
            assert rc == 0
            assert batched == one


SIGNED_TYPES = {1, 2, 3, 4, 11, 14, 15, 47, 48}  # INT8..INT64, ERRNO, FD, PID, FD32, PID32


def test_integer_params_match_sysdig(build_dir, captures_dir, sysdig):
    """Every integer parameter sysdig prints for an event has the value we decode at that position.

    sysdig renders `fd=3(<f>/etc/x)`, `res=-2(ENOENT)`, `res=7FA69774E000` (hex formats): the leading
    number is compared, read as decimal or hexadecimal."""
    _, tab = read_dump(build_dir, captures_dir / "curl_google.scap", "--table")
    table = {t["id"]: t for t in tab}
    for name, want in (("curl_google.scap", 2046), ("single_ipv6_conn.scap", 42)):
        path = captures_dir / name
        _, lines = read_dump(build_dir, path, "--no-convert")
        ours = {}
        for ev in events(lines):
            vals = {}
            info = table[ev["type"]]
            for k, h in enumerate(ev["p"][: len(info["params"])]):
                pname, ptype, _ = info["params"][k]
                if info["sizes"][k] and len(h) == 2 * info["sizes"][k]:
                    vals[pname] = int.from_bytes(bytes.fromhex(h), "little", signed=ptype in SIGNED_TYPES)
            ours[ev["ev"]] = vals
        compared, mismatches = 0, []
        for line in sysdig_lines(sysdig, path, "%evt.num %evt.args"):
            num, _, rest = line.partition(" ")
            for part in re.split(r" (?=[A-Za-z_]+=)", rest.strip()):
                key, _, value = part.partition("=")
                m = re.match(r"-?[0-9A-Fa-f]+", value)
                if key not in ours[int(num)] or not m:
                    continue
                cands = {int(m.group(0), 16)}
                if re.fullmatch(r"-?\d+", m.group(0)):
                    cands.add(int(m.group(0)))
                val = ours[int(num)][key]
                if val in cands or val % 2**64 in cands:
                    compared += 1
                else:
                    mismatches.append((num, key, value, val))
        assert mismatches == []
        assert compared == want


def test_string_params_match_sysdig(build_dir, captures_dir, sysdig):
    """Every CHARBUF/FSPATH parameter sysdig prints (e.g. open names, execve exe/cwd/comm) is ours."""
    _, tab = read_dump(build_dir, captures_dir / "curl_google.scap", "--table")
    table = {t["id"]: t for t in tab}
    path = captures_dir / "curl_google.scap"
    _, lines = read_dump(build_dir, path, "--no-convert")
    ours = {}
    for ev in events(lines):
        info = table[ev["type"]]
        ours[ev["ev"]] = {
            info["params"][k][0]: bytes.fromhex(h).rstrip(b"\0").decode("latin-1")
            for k, h in enumerate(ev["p"][: len(info["params"])])
            if info["params"][k][1] in (9, 17)
        }
    compared, mismatches = 0, []
    for line in sysdig_lines(sysdig, path, "%evt.num %evt.args"):
        num, _, rest = line.partition(" ")
        for part in re.split(r" (?=[A-Za-z_]+=)", rest.strip()):
            key, _, value = part.partition("=")
            if key not in ours[int(num)]:
                continue
            mine = ours[int(num)][key]
            if mine == value or (value.endswith("...") and mine.startswith(value[:-3])):
                compared += 1
            else:
                mismatches.append((num, key, value, mine))
    assert mismatches == []
    assert compared == 97
