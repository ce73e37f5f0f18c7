#!/usr/bin/env python3
"""Events/s iterated in Python: per-event Event objects with 3 fields read, and the batch paths
with the same 3 fields (extracted in C: lists of rows or columns, pyarrow RecordBatches, NumPy
arrays), on a synthetic 2 M-event capture file.

    PYSCAP_BUILD_DIR=build python3 bench/py_iter.py [--events N] [--file PATH] [--repeat R]

The file is generated once (kept at --file; regenerated when its event count differs): 64
threads, each introduced by an execve, then a repeating mix of openat / read / write / close
exits with 32-byte buffers and a generic syscall exit, on 4 cpus. Prints wall and CPU
(process_time) rates for each path; the best of --repeat runs. Nothing is asserted. The Arrow
and NumPy rows need pyarrow and numpy (requirements-dev.txt); without them they say so.
"""

import argparse
import os
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyscap import capture, codec, columns
from pyscap.events import EVENTS, EventType

FIELDS = ("evt.type", "proc.name", "fd.name")
T0 = 1_764_000_000_000_000_000
NTHREADS = 64


def _ev(etype: int, _tid: int, **values) -> bytes:
    names = [p.name for p in EVENTS[etype].params]
    return codec.encode_values(etype, [values.get(n) for n in names], ts=0, tid=_tid)


def _templates():
    """Per thread: the execve, then the repeating cycle of events (wire bytes with ts=0)."""
    execs, cycles = [], []
    for i in range(NTHREADS):
        tid = 1000 + i
        comm = f"worker{i % 8}"
        execs.append(
            _ev(
                EventType.EXECVE_X,
                tid,
                res=0,
                exe=f"/usr/bin/{comm}",
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
        path = f"/var/lib/app/{i}/data.bin"
        cycles.append(
            [
                _ev(EventType.OPENAT_X, tid, fd=5, dirfd=-100, name=path, flags=1, mode=0, dev=0x803, ino=1000 + i),
                _ev(EventType.READ_X, tid, res=32, data=bytes(range(32)), fd=5, size=4096),
                _ev(EventType.WRITE_X, tid, res=32, data=b"x" * 32, fd=5, size=32),
                _ev(EventType.READ_X, tid, res=32, data=bytes(range(32, 64)), fd=5, size=4096),
                _ev(EventType.CLOSE_X, tid, res=0, fd=5),
                _ev(EventType.SYSCALL_X, tid, id=39, nativeID=39),
            ]
        )
    return execs, cycles


def _with_ts(raw: bytes, ts: int) -> bytes:
    return struct.pack("<Q", ts) + raw[8:]


def generate(path: str, n: int) -> None:
    execs, cycles = _templates()
    ts = T0
    written = 0
    with capture.Dumper(path) as d:
        for i, e in enumerate(execs):
            d.write(_with_ts(e, ts), cpu=i % 4)
            ts += 1000
            written += 1
        i = 0
        while written < n:
            t = i % NTHREADS
            for e in cycles[t]:
                if written >= n:
                    break
                d.write(_with_ts(e, ts), cpu=t % 4)
                ts += 1000
                written += 1
            i += 1


def count_events(path: str) -> int:
    n = 0
    with capture.open_file(path) as c:
        for b in c.batches(["evt.num"], size=65536):
            n += len(b)
    return n


def per_event(path: str):
    n = 0
    a = b = c = None
    with capture.open_file(path) as cap:
        w, p = time.perf_counter(), time.process_time()
        for evt in cap:
            a, b, c = evt["evt.type"], evt["proc.name"], evt["fd.name"]
            n += 1
        return n, time.perf_counter() - w, time.process_time() - p, (a, b, c)


def batch(path: str, rows: bool):
    n = 0
    last = None
    with capture.open_file(path) as cap:
        w, p = time.perf_counter(), time.process_time()
        for chunk in cap.batches(FIELDS, size=8192, rows=rows):
            if rows:
                for _a, _b, _c in chunk:  # touch every value, as a consumer would
                    pass
                n += len(chunk)
                last = chunk[-1]
            else:
                n += len(chunk[FIELDS[0]])
                last = tuple(chunk[f][-1] for f in FIELDS)
        return n, time.perf_counter() - w, time.process_time() - p, last


def arrow(path: str):
    """Capture.arrow_batches(): pyarrow.RecordBatch objects (the buffers copied, no Python value
    per row). The import of pyarrow (a one-time ~0.3 s) is not timed."""
    columns.require("pyarrow", "arrow_batches()")
    n = 0
    last = None
    with capture.open_file(path) as cap:
        w, p = time.perf_counter(), time.process_time()
        for rb in cap.arrow_batches(FIELDS, size=65536):
            n += rb.num_rows
            last = rb
        wall, cpu = time.perf_counter() - w, time.process_time() - p
    return n, wall, cpu, None if last is None else tuple(c[-1].as_py() for c in last.columns)


def numpy_cols(path: str):
    """Capture.numpy_batches(): {field: numpy array} (strings as object arrays of str). The import
    of numpy is not timed."""
    columns.require("numpy", "numpy_batches()")
    n = 0
    last = None
    with capture.open_file(path) as cap:
        w, p = time.perf_counter(), time.process_time()
        for cols in cap.numpy_batches(FIELDS, size=65536):
            n += len(cols[FIELDS[0]])
            last = cols
        wall, cpu = time.perf_counter() - w, time.process_time() - p
    return n, wall, cpu, None if last is None else tuple(last[f][-1] for f in FIELDS)


def c_floor(path: str):
    """sinsp_extractor__run alone (the events read, parsed and the 3 fields extracted in C), no
    Python values: the floor under the batch path."""
    from pyscap import _native

    ffi, sinsp = _native.ffi, _native.sinsp
    names = [ffi.new("char[]", f.encode()) for f in FIELDS]
    x = sinsp.sinsp_extractor__create(ffi.new("const char *[]", names), len(FIELDS))
    n = ffi.new("uint32_t *")
    total = 0
    try:
        with capture.open_file(path) as cap:
            w, p = time.perf_counter(), time.process_time()
            while True:
                rc = sinsp.sinsp_extractor__run(x, cap._insp, 8192, n)
                if rc < 0:
                    raise RuntimeError(f"extractor: {rc}")
                if n[0] == 0:
                    break
                total += n[0]
            return total, time.perf_counter() - w, time.process_time() - p, None
    finally:
        sinsp.sinsp_extractor__free(x)


def bare(path: str):
    n = 0
    with capture.open_file(path) as cap:
        w, p = time.perf_counter(), time.process_time()
        for _ in cap:
            n += 1
        return n, time.perf_counter() - w, time.process_time() - p, None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--file", default="/tmp/pyscap-py-iter.scap")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    if not os.path.exists(args.file) or count_events(args.file) != args.events:
        t = time.perf_counter()
        generate(args.file, args.events)
        print(
            f"generated {args.file}: {args.events} events, {os.path.getsize(args.file) / 1e6:.0f} MB "
            f"in {time.perf_counter() - t:.1f} s"
        )
    from pyscap import _native

    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cpus; cffi {_native.mode} mode; "
        f"fields {', '.join(FIELDS)}"
    )
    for name, fn in (
        ("C only: extractor, no Python values", c_floor),
        ("iterate only (Event objects, no field)", bare),
        ("per-event Event + 3 fields", per_event),
        ("batch rows (list of tuples)", lambda p: batch(p, True)),
        ("batch columns (dict of lists)", lambda p: batch(p, False)),
        ("Arrow RecordBatch (3 fields)", arrow),
        ("NumPy columns (3 fields)", numpy_cols),
    ):
        best = None
        try:
            for _ in range(args.repeat):
                n, wall, cpu, last = fn(args.file)
                if best is None or cpu < best[2]:
                    best = (n, wall, cpu, last)
        except ImportError as e:  # pyscap.MissingDependencyError: no pyarrow / numpy
            print(f"{name:<40} skipped: {e}")
            continue
        n, wall, cpu, last = best
        print(
            f"{name:<40} {n} events  wall {wall:6.2f} s = {n / wall / 1e3:7.0f} k ev/s   "
            f"cpu {cpu:6.2f} s = {n / cpu / 1e3:7.0f} k ev/s   last={last}"
        )


if __name__ == "__main__":
    main()
