#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the repository's own data (nothing is downloaded).

    python3 fuzz/make_corpus.py OUT        # writes OUT/<target>/<sha1 of the seed>

- fuzz_scap_file: the reference captures whole (tests/data/captures/*.scap, gzip as stored), and
  small files cut from them and from pyscap/data/sample.scap: the section header, machine info,
  interface and user lists as they are, the process list and fd lists reduced to the threads of a
  window of consecutive event blocks, then those blocks (plain; a few also gzip-compressed).
- fuzz_event_decode: the events of those captures (v1 events rebuilt with nparams, as the reader
  does), a few of each type, and one event with empty parameters for every type of the table.
- fuzz_convert: windows of consecutive events written as fuzz_convert.c's records (type, ctl,
  nparams, then each parameter's length byte and bytes), the old captures' also as v1 blocks.
- fuzz_filter / fuzz_format: the string constants of the tests that look like filters / formats,
  plus examples with macro and list definitions.
- py_fuzz: some of the above and the rules files of tests/data/rules/, each behind the byte that
  tells py_fuzz.py what it is.

The block and event layouts are parsed here from docs/upstream-facts.md §1 and §4 (not through
the libraries under test); the event table comes from pyscap/_schema.py, loaded as a plain module.
"""

import argparse
import ast
import gzip
import hashlib
import importlib.util
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = sorted((ROOT / "tests" / "data" / "captures").glob("*.scap"))
SAMPLE = ROOT / "pyscap" / "data" / "sample.scap"

BT_SHB = 0x0A0D0D0A
PL_VERSIONS = {0x202: 1, 0x8000ABCD: 1, 0x207: 2, 0x8013ABCD: 2, 0x209: 3, 0x8014ABCD: 3}
PL_VERSIONS.update({0x210 + i: 4 + i for i in range(6)})  # 0x210 V4 .. 0x215 V9
FDL = {0x203, 0x8001ABCD, 0x218}
EV_V1 = {0x204, 0x8010ABCD}
EVF_V1 = {0x208}
EV_V2 = {0x216, 0x221}
EVF_V2 = {0x217, 0x222}
LARGE_PAYLOAD = 2048


def load_schema():
    spec = importlib.util.spec_from_file_location("pyscap_schema", ROOT / "pyscap" / "_schema.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SCHEMA = load_schema()
# per event id: (nparams, large payload)
TABLE = [(len(e[4]), bool(e[3] & LARGE_PAYLOAD)) for e in SCHEMA.EVENTS]


def read_capture(path):
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def blocks(data):
    """(type, whole block bytes) for every block."""
    off = 0
    out = []
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if blen < 12 or off + blen > len(data):
            break
        out.append((btype, data[off : off + blen]))
        off += blen
    return out


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pl_entries(btype, body):
    """Split a process-list body into (tid, pid, ptid, entry bytes)."""
    v = PL_VERSIONS[btype]
    out = []
    off = 0
    while len(body) - off >= 4:
        start = off
        if v == 9:
            (elen,) = struct.unpack_from("<I", body, off)
            if elen < 44 or off + elen > len(body):
                break
            tid, pid, ptid = struct.unpack_from("<QQQ", body, off + 4)
            off += elen
        else:
            if off + 24 > len(body):
                break
            tid, pid, ptid = struct.unpack_from("<QQQ", body, off)
            off += 24 + 8 * ((v >= 6) + (v >= 8))

            def skip_str():
                nonlocal off
                (n,) = struct.unpack_from("<H", body, off)
                off += 2 + n

            try:
                skip_str()  # comm
                skip_str()  # exe
                if v >= 7:
                    skip_str()  # exepath
                skip_str()  # args
                skip_str()  # cwd
                off += 8 + 4 * 3  # fdlimit, flags, uid, gid
                if v >= 2:
                    off += 4 * 3 + 8 * 2  # vmsize, vmrss, vmswap, pfmajor, pfminor
                if v >= 3:
                    skip_str()  # env
                if v >= 4:
                    off += 16  # vtid, vpid
                    skip_str()  # cgroups
                if v >= 5:
                    skip_str()  # root
            except struct.error:
                break
            if off > len(body):
                break
        out.append((tid, pid, ptid, body[start:off]))
    return out


def v1_to_v2(ev):
    """A v1 event (22-byte header, no nparams) as a current one, nparams inferred from the table
    the way the reader does it (the largest count whose length slots account for the length)."""
    if len(ev) < 22:
        return None
    ts, tid, length, etype = struct.unpack_from("<QQIH", ev)
    if etype >= len(TABLE) or length > len(ev):
        return None
    for n in range(TABLE[etype][0], -1, -1):
        if 22 + 2 * n > length:
            continue
        lens = struct.unpack_from("<%dH" % n, ev, 22)
        if 22 + 2 * n + sum(lens) == length:
            return struct.pack("<QQIHI", ts, tid, length + 4, etype, n) + ev[22:length]
    return None


def block_event(btype, blk):
    """The event of an event block, as a current event, or None."""
    body = blk[8:-4]
    if btype in EV_V1 | EVF_V1:
        return v1_to_v2(body[2 if btype in EV_V1 else 6 :])
    if btype in EV_V2 | EVF_V2:
        ev = body[2 if btype in EV_V2 else 6 :]
        if len(ev) >= 26:
            (length,) = struct.unpack_from("<I", ev, 16)
            return ev[:length]
    return None


def split_event(ev):
    """(ts, tid, type, [params]) of a current event."""
    ts, tid, length, etype, n = struct.unpack_from("<QQIHI", ev)
    slot = 4 if etype < len(TABLE) and TABLE[etype][1] else 2
    lens = struct.unpack_from("<%d%s" % (n, "I" if slot == 4 else "H"), ev, 26)
    off = 26 + slot * n
    params = []
    for l in lens:
        params.append(ev[off : off + l])
        off += l
    return ts, tid, etype, params


def slim_files(data, window=16, nwindows=6):
    """Small .scap files: the metadata of a window's threads, then the window's event blocks."""
    bl = blocks(data)
    meta = [(t, b) for t, b in bl if t not in EV_V1 | EVF_V1 | EV_V2 | EVF_V2]
    events = [(t, b) for t, b in bl if t in EV_V1 | EVF_V1 | EV_V2 | EVF_V2]
    out = []
    if not events:
        return out
    step = max(1, (len(events) - window) // max(1, nwindows - 1))
    for start in range(0, max(1, len(events) - window + 1), step)[:nwindows]:
        win = events[start : start + window]
        tids = set()
        for t, b in win:
            ev = block_event(t, b)
            if ev:
                tids.add(struct.unpack_from("<Q", ev, 8)[0])
        parts = []
        for t, b in meta:
            if t in PL_VERSIONS:
                entries = pl_entries(t, b[8:-4])
                keep = set(tids)
                for tid, pid, ptid, _ in entries:
                    if tid in tids:
                        keep |= {pid, ptid}
                parts.append(block(t, b"".join(e for tid, _, _, e in entries if tid in keep)))
            elif t in FDL:
                if struct.unpack_from("<Q", b, 8)[0] in tids:
                    parts.append(b)
            else:
                parts.append(b)
        out.append(b"".join(parts) + b"".join(b for _, b in win))
    return out


def all_events(data):
    return [e for e in (block_event(t, b) for t, b in blocks(data)) if e]


def record(etype, params, tid_index, ctl_extra=0):
    """One fuzz_convert.c record."""
    out = struct.pack("<HBB", etype, (tid_index & 3) | ctl_extra, min(len(params), 32))
    for p in params[:32]:
        if not p:
            out += b"\xff"
        else:
            p = p[:254]
            out += bytes([len(p)]) + p
    return out


def convert_seeds(data, old, window=24, nwindows=8):
    evs = all_events(data)
    out = []
    if not evs:
        return out
    step = max(1, (len(evs) - window) // max(1, nwindows - 1))
    for start in range(0, max(1, len(evs) - window + 1), step)[:nwindows]:
        tids = {}
        recs = []
        for ev in evs[start : start + window]:
            _, tid, etype, params = split_event(ev)
            idx = tids.setdefault(tid, min(len(tids), 3))
            recs.append((etype, params, idx))
        out.append(b"".join(record(t, p, i) for t, p, i in recs))
        if old:  # the same events in v1 blocks, as the 2018 captures store them
            out.append(b"".join(record(t, p, i, 4) for t, p, i in recs))
    return out


def decode_seeds(captures):
    per_type = {}
    for data in captures:
        for ev in all_events(data):
            etype = struct.unpack_from("<H", ev, 20)[0]
            per_type.setdefault(etype, [])
            if len(per_type[etype]) < 3 and ev not in per_type[etype]:
                per_type[etype].append(ev)
    out = [e for evs in per_type.values() for e in evs]
    for etype, (n, large) in enumerate(TABLE):  # every type, empty parameters
        slot = b"\0\0\0\0" if large else b"\0\0"
        out.append(struct.pack("<QQIHI", 1, 2, 26 + len(slot) * n, etype, n) + slot * n)
    return out


FIELD = re.compile(r"\b(evt|proc|thread|fd|user|group|container|fs\.path|fdlist|syscall)\.[a-z_]")
TEST_FILES = [
    "tests/test_filter_parse.py",
    "tests/test_filter_eval.py",
    "tests/test_filter_capi.py",
    "tests/filter/filter_ref.py",
    "tests/test_sinsp_fields.py",
    "tests/test_sinsp_captures.py",
    "tests/test_sinsp_files.py",
    "tests/test_sinsp_lib.py",
    "tests/test_sinsp_net.py",
    "tests/test_sinsp_process.py",
    "tests/test_pyscap_api.py",
    "tests/test_pyscap_surface.py",
    "tests/test_cli.py",
    "tests/test_loop.py",
    "README.md",
]


def test_strings():
    """The string (and bytes) constants of the test files; for README.md, its inline code."""
    out = set()
    for rel in TEST_FILES:
        path = ROOT / rel
        if not path.exists():
            continue
        text = path.read_text(errors="replace")
        if rel.endswith(".md"):
            out.update(re.findall(r'"([^"\n]{3,300})"', text))
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
                v = node.value if isinstance(node.value, str) else node.value.decode("utf-8", "replace")
                if 3 <= len(v) <= 600:
                    out.add(v)
    return sorted(out)


FILTER_EXTRAS = [
    "spawned_process and shell_procs",
    "open_write and fd.name in (sensitive_files)",
    "outbound and not proc.name in (shell_binaries)",
    "never_true or always_true",
    "proc.name = oneof shell_binaries",
    "fd.name pmatch (sensitive_dirs) and evt.type = openat",
    "mine and proc.pid > 0\0m:mine=proc.name in (mylist)\0l:mylist=bash,curl,sh",
    "a\0m:a=b\0m:b=a",
    "proc.name in (l1)\0l:l1=\0l:l2=x,y",
    'tolower(proc.name) = bash and len(fd.name) > 3 and basename(fd.name) glob "*.so*"',
    "fd.sip = 2001:db8::3 or fd.snet = 10.0.0.0/8 or fd.sport in (80, 443)",
    'evt.buffer bcontains 68656c6c6f or evt.arg.data icontains "GET /"',
    'proc.cmdline regex ".*curl.*" and proc.aname[2] exists',
    "val(proc.pid) = val(thread.tid) and proc.env[HOME] startswith /",
]
FORMAT_EXTRAS = [
    "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %evt.args",
    "%10proc.name %-5evt.num %proc.aname[2] %proc.env[HOME] %evt.arg.fd %evt.rawarg.res",
    "*%fd.name %fd.sip:%fd.sport -> %fd.cip:%fd.cport %fd.l4proto %evt.buffer",
    "%% literal %%%proc.name%% %evt.type.is.open %thread.cgroup.cpu",
    "%user.name %group.name %container.id %fs.path.name %fdlist.names",
]


def write_seeds(outdir, seeds):
    outdir.mkdir(parents=True, exist_ok=True)
    names = set()
    for s in seeds:
        if isinstance(s, str):
            s = s.encode()
        name = hashlib.sha1(s).hexdigest()
        if name not in names:
            names.add(name)
            (outdir / name).write_bytes(s)
    return len(names)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="where OUT/<target>/ folders go")
    args = ap.parse_args(argv)

    captures = {p: read_capture(p) for p in CAPTURES}
    sample = read_capture(SAMPLE) if SAMPLE.exists() else b""
    every = [*captures.values(), sample] if sample else list(captures.values())

    files = [p.read_bytes() for p in CAPTURES]  # whole, as stored (gzip)
    for data in every:
        slim = slim_files(data)
        files += slim
        files += [gzip.compress(s, mtime=0) for s in slim[:2]]
    counts = {"fuzz_scap_file": write_seeds(args.out / "fuzz_scap_file", files)}

    counts["fuzz_event_decode"] = write_seeds(args.out / "fuzz_event_decode", decode_seeds(every))

    conv = []
    for data in captures.values():
        conv += convert_seeds(data, old=True)
    if sample:
        conv += convert_seeds(sample, old=False, nwindows=4)
    counts["fuzz_convert"] = write_seeds(args.out / "fuzz_convert", conv)

    strings = test_strings()
    filters = [s for s in strings if FIELD.search(s) and "%" not in s and "\n" not in s]
    formats = [s for s in strings if re.search(r"%[-*0-9]*[a-z]", s) and "\n" not in s]
    counts["fuzz_filter"] = write_seeds(args.out / "fuzz_filter", filters + FILTER_EXTRAS)
    counts["fuzz_format"] = write_seeds(args.out / "fuzz_format", formats + FORMAT_EXTRAS)

    # py_fuzz: a first byte for the kind, then a small file, a filter or a format
    small = [f for f in files if len(f) <= 8192 and f[:2] != b"\x1f\x8b"][:12]
    py = [b"\0" + f for f in small]
    py += [b"\1" + s.encode() for s in (filters[:60] + FILTER_EXTRAS) if "\0" not in s]
    py += [b"\2" + s.encode() for s in formats[:40] + FORMAT_EXTRAS]
    # the rules files of the tests, whole (those that load and those that do not)
    py += [b"\3" + p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "rules").glob("*.yaml"))]
    counts["py_fuzz"] = write_seeds(args.out / "py_fuzz", py)
    for target, n in counts.items():
        print(f"corpus: {target}: {n} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
