#!/usr/bin/env python3
"""One command that measures pyscap against its peers and prints one markdown table.

    sudo python3 bench/run.py            # full run: median of 5 runs per figure (about 15 min)
    sudo python3 bench/run.py --quick    # CI smoke run: small sizes, 1 run, checks that it works
    python3 bench/run.py --help          # sizes, runs, CPUs, build directory

It builds what it needs (CMake into build-bench/: libscap, libsinsp, the CO-RE probe and the
bench/ programs), then measures, side by side in the same run:

1. syscall storm (bench/storm.c; getppid, 1-byte write to /dev/null, open+read+close): the
   workload's thread CPU time per syscall untraced, with an empty tp_btf/sys_exit program (the
   floor: bench/floor.bpf.c), with empty sys_enter + a sys_exit program that writes a 34-byte
   event into a BPF ring (the event floor: what the probe's design costs before its own work),
   with pyscap's CO-RE probe and a C consumer (bench/consume.c), with
   pyscap and a Python consumer on the batch path, and with bpftrace counting syscalls per CPU.
   ns added per syscall (paired with the untraced run of the same round), events/s delivered
   (events of the workload's thread / time from its first syscall to the delivery of its last
   event; bpftrace: syscalls counted on the workload's CPU / the workload's wall time), drops.
2. reading a capture file the benchmark writes itself (a live capture of the storm by
   `python3 -m pyscap -w`, only the storm's thread and its classic syscalls, so that sysdig
   0.29.3 reads it too): parse only, a filter printing its matches, text output, JSON output;
   `python3 -m pyscap -r` against `sysdig -r` on the same file; events/s.
3. Python iteration over that file (bench/py_iter.py's loops): Event objects alone, Event
   objects with 3 fields, the batch path (rows, columns); events/s.
4. rules on that file (bench/rules_eval.c): a ruleset of 124 Falco-style rules (sinsp/ruleset.h)
   evaluated on every event through its event-type index, the same conditions compiled as
   separate filters and run one by one on every event, and the inspector alone; events/s.

Workloads run on one CPU (--cpus, default 0), tracers, consumers and readers on another
(default 1). Every figure is the median of --runs runs with min and max. Nothing is asserted on
time; --quick asserts that every part ran and produced consistent counts.
"""

import argparse
import datetime
import json
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

WORKLOADS = {  # name: (label, events per syscall when traced)
    "getppid": ("getppid", 1.0),
    "write": ("write 1 B to /dev/null", 1.0),
    "orc": ("open+read+close", 4 / 3),  # openat enter+exit, read exit, close exit
}
TRACERS = ("untraced", "floor", "floor-event", "pyscap-c", "pyscap-w", "pyscap-wz", "pyscap-py", "bpftrace")
TRACER_LABEL = {
    "untraced": "untraced",
    "floor": "floor: empty tp_btf/sys_exit",
    "floor-event": "floor: empty sys_enter + 34-byte ring event on sys_exit",
    "pyscap-c": "pyscap CO-RE + C consumer",
    "pyscap-w": "`pyscap -w /dev/shm/…` (the CLI's C loop)",
    "pyscap-wz": "`pyscap -w -z /dev/shm/…` (writer on both CPUs: gzip runs in a thread of its own)",
    "pyscap-py": "pyscap CO-RE + Python batches",
    "bpftrace": "bpftrace, count per CPU",
}
WRITE_FILE = Path("/dev/shm/pyscap-bench-w.scap")
STATS_RE = re.compile(r"pyscap: events=(\d+) delivered=(\d+) returned=(\d+) filtered=\d+ drops=(\d+)")
BPFTRACE_PROG = 'BEGIN { printf("ready\\n"); } tracepoint:raw_syscalls:sys_exit { @[cpu] = count(); }'
PY_FIELDS = ("thread.tid", "evt.type", "fd.name")
FILE_FILTER = "evt.type in (getppid, write, openat, read, close)"
READS = (  # name, label, extra arguments (same for both tools)
    ("parse", "parse only (filter `evt.num=0`: no match, nothing printed)", ["evt.num=0"]),
    ("filter", "filter `evt.type=openat`, matches printed", ["evt.type=openat"]),
    ("text", "text output (default line)", []),
    ("json", "JSON output (`-j`)", ["-j"]),
)
ITERS = (  # py_iter.py function, label
    ("bare", "Event objects, no field"),
    ("per_event", "Event objects + 3 fields (evt.type, proc.name, fd.name)"),
    ("batch_rows", "batches, rows (3 fields)"),
    ("batch_cols", "batches, columns (3 fields)"),
    ("arrow", "Arrow RecordBatch (3 fields)"),
    ("numpy", "NumPy columns (3 fields)"),
)


class BenchError(Exception):
    pass


def log(msg: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# -- build ---------------------------------------------------------------------------------------


def build(build_dir: Path) -> None:
    jobs = str(os.cpu_count() or 2)
    if not (build_dir / "CMakeCache.txt").exists():
        log(f"configuring {build_dir}")
        subprocess.run(
            [
                "cmake",
                "-S",
                str(ROOT),
                "-B",
                str(build_dir),
                "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                "-DPYSCAP_BUILD_BPF=ON",
                "-DPYSCAP_BUILD_TESTS=OFF",
                "-DPYSCAP_WERROR=OFF",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    log(f"building in {build_dir}")
    r = subprocess.run(
        ["make", "-C", str(build_dir), "-j", jobs, "scap", "sinsp", "bench_storm", "bench_consume", "bench_floor"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if r.returncode:
        sys.stderr.write(r.stdout[-4000:])
        raise BenchError("build failed")


# -- processes -----------------------------------------------------------------------------------


class Ctx:
    def __init__(self, args):
        self.args = args
        self.build = Path(args.build_dir).resolve()
        self.wcpu, self.ccpu = args.cpus
        self.env = dict(
            os.environ,
            PYSCAP_BUILD_DIR=str(self.build),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        self.bpftrace = shutil.which("bpftrace")
        self.sysdig = shutil.which("sysdig")

    def exe(self, name: str) -> str:
        return str(self.build / "bench" / name)

    def on(self, cpu: int, argv):
        return ["taskset", "-c", str(cpu)] + list(argv)


def read_line(proc, what: str, timeout: float = 180.0) -> str:
    """The next line of proc's stdout (text mode), or BenchError after timeout / on exit."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BenchError(f"{what}: no output after {timeout:.0f} s")
        r, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
        if r:
            line = proc.stdout.readline()
            if not line:
                err = proc.stderr.read() if proc.stderr else ""
                raise BenchError(f"{what}: exited ({proc.wait()}): {err.strip()[-500:]}")
            return line


def wait_file(proc, path: Path, what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise BenchError(f"{what}: exited ({proc.returncode}): {proc.stderr.read().strip()[-500:]}")
        if time.monotonic() > deadline:
            raise BenchError(f"{what}: {path} not created after {timeout:.0f} s")
        time.sleep(0.02)


def wait_ready(proc, what: str) -> None:
    while True:
        line = read_line(proc, what)
        if "ready" in line:
            return


def kill(proc) -> None:
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


# -- 1. syscall storm ----------------------------------------------------------------------------


class Tracer:
    """A tracer process on the consumer CPU: start() returns once it is attached, stop() returns
    what it counted."""

    def __init__(self, ctx: Ctx, kind: str, tid: int):
        self.ctx, self.kind, self.tid, self.proc = ctx, kind, tid, None

    def start(self) -> None:
        c = self.ctx
        if self.kind == "floor":
            argv = [c.exe("bench_floor")]
        elif self.kind == "floor-event":
            argv = [c.exe("bench_floor"), "event-both"]
        elif self.kind == "pyscap-c":
            argv = [c.exe("bench_consume"), str(self.tid)]
        elif self.kind == "pyscap-py":
            argv = [sys.executable, str(Path(__file__).resolve()), "--_pyconsume", str(self.tid)]
        elif self.kind == "bpftrace":
            argv = [c.bpftrace, "-B", "line", "-e", BPFTRACE_PROG]
        elif self.kind in ("pyscap-w", "pyscap-wz"):
            WRITE_FILE.unlink(missing_ok=True)
            argv = [sys.executable, "-m", "pyscap", "-w", str(WRITE_FILE), "--stats", f"thread.tid={self.tid}"]
            if self.kind == "pyscap-wz":
                argv.insert(3, "-z")
        else:
            raise ValueError(self.kind)
        cpus = f"{c.wcpu},{c.ccpu}" if self.kind == "pyscap-wz" else str(c.ccpu)
        self.proc = subprocess.Popen(
            ["taskset", "-c", cpus, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=c.env
        )
        if self.kind in ("pyscap-w", "pyscap-wz"):
            wait_file(self.proc, WRITE_FILE, self.kind)  # the file exists once the capture runs
        else:
            wait_ready(self.proc, self.kind)

    def stop(self) -> dict:
        p = self.proc
        if self.kind in ("pyscap-w", "pyscap-wz"):
            p.send_signal(signal.SIGINT)  # stops, drains what the engine holds, closes the file
            _, err = p.communicate(timeout=300)
            m = STATS_RE.search(err)
            if p.returncode != 130 or not m:
                raise BenchError(f"{self.kind}: exit status {p.returncode}: {err.strip()[-500:]}")
            events, delivered, returned, drops = map(int, m.groups())
            return {"target": returned, "drops": drops, "generated": events, "bytes": WRITE_FILE.stat().st_size}
        # bpftrace 0.17 now and then misses a SIGINT (seen once in 75 runs): ask again
        for _attempt in range(3):
            p.send_signal(signal.SIGINT if self.kind == "bpftrace" else signal.SIGUSR1)
            try:
                out, err = p.communicate(timeout=30)
                break
            except subprocess.TimeoutExpired:
                log(f"{self.kind}: still running 30 s after the signal")
        else:
            kill(p)
            raise BenchError(f"{self.kind}: did not stop")
        if p.returncode:
            raise BenchError(f"{self.kind}: exit status {p.returncode}: {err.strip()[-500:]}")
        if self.kind == "bpftrace":
            counts = {int(k): int(v) for k, v in re.findall(r"@\[(\d+)\]:\s*(\d+)", out)}
            return {"per_cpu": counts}
        if self.kind == "floor":
            return {}
        return json.loads(out.strip().splitlines()[-1])

    def close(self) -> None:
        kill(self.proc)


def storm_once(ctx: Ctx, workload: str, iters: int, kind: str) -> dict:
    storm = subprocess.Popen(
        ctx.on(ctx.wcpu, [ctx.exe("bench_storm"), "--wait", workload, str(iters)]),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tracer = None
    try:
        pid = json.loads(read_line(storm, "bench_storm"))["pid"]
        if kind != "untraced":
            tracer = Tracer(ctx, kind, pid)
            tracer.start()
        storm.stdin.write("go\n")
        storm.stdin.flush()
        res = json.loads(read_line(storm, "bench_storm", timeout=600))
        storm.wait()
        res["tracer"] = tracer.stop() if tracer else {}
        return res
    finally:
        kill(storm)
        if tracer:
            tracer.close()


def storm_figures(ctx: Ctx, res: dict, kind: str) -> dict:
    """ns per syscall, events/s, drops of one run."""
    t = res["tracer"]
    out = {"ns": res["cpu_ns"] / res["syscalls"], "wall_s": res["wall_ns"] / 1e9}
    if kind in ("pyscap-w", "pyscap-wz"):
        # the writer reports no delivery times: with 0 drops it kept up with the storm, whose
        # rate is then the writer's (a lower bound of what it could sustain)
        out.update(target=t["target"], evs=t["target"] / out["wall_s"], drops=t["drops"], generated=t["generated"])
    elif kind in ("pyscap-c", "pyscap-py"):
        span = (max(t["last_ns"], res["start_ns"] + res["wall_ns"]) - res["start_ns"]) / 1e9
        out.update(
            target=t["target"],
            evs=t["target"] / span if t["target"] else 0.0,
            drops=t["drops"],
            generated=t["generated"],
        )
    elif kind == "floor-event":
        out.update(target=t["events"])  # ring records of every process, consumed
    elif kind == "bpftrace":
        n = t["per_cpu"].get(ctx.wcpu, 0)
        out.update(target=n, evs=n / out["wall_s"], drops=None)
    return out


def run_storms(ctx: Ctx, workloads, iters: dict, runs: int, results: dict) -> None:
    """Fills results {workload: {tracer: [figures per run]}}; every round runs each tracer once,
    in turn."""
    kinds = [k for k in TRACERS if k != "bpftrace" or ctx.bpftrace]
    results.update({w: {k: [] for k in kinds} for w in workloads})
    for r in range(runs):
        for w in workloads:
            for k in kinds:
                log(f"storm round {r + 1}/{runs}: {w} x {iters[w]}, {k}")
                for attempt in range(3):
                    try:
                        res = storm_once(ctx, w, iters[w], k)
                        break
                    except BenchError as e:
                        if attempt == 2:
                            raise
                        log(f"failed ({e}); again")
                results[w][k].append(storm_figures(ctx, res, k))


# -- 2. reading a capture file -------------------------------------------------------------------


def generate_file(ctx: Ctx, path: Path, events: int, pace: int) -> dict:
    """A live capture of the storm (mix workload, paced) written by pyscap's CLI."""
    if path.exists():
        path.unlink()
    # far more iterations than needed (6 events each): the storm is killed once the writer has its
    # events, and drops (the Python writer is slower than the storm) must not leave it short
    storm = subprocess.Popen(
        ctx.on(ctx.wcpu, [ctx.exe("bench_storm"), "--wait", "--pace", str(pace), "mix", str(events * 10)]),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = None
    try:
        pid = json.loads(read_line(storm, "bench_storm"))["pid"]
        filt = f"thread.tid={pid} and {FILE_FILTER}"
        writer = subprocess.Popen(
            ctx.on(ctx.ccpu, [sys.executable, "-m", "pyscap", "-w", str(path), "-n", str(events), "--stats", filt]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=ctx.env,
        )
        # the CLI creates the file once the live capture has started
        deadline = time.monotonic() + 180
        while not path.exists():
            if writer.poll() is not None:
                raise BenchError(f"pyscap -w: exited ({writer.returncode}): {writer.stderr.read().strip()[-500:]}")
            if time.monotonic() > deadline:
                raise BenchError("pyscap -w: the capture did not start")
            time.sleep(0.05)
        t0 = time.monotonic()
        storm.stdin.write("go\n")
        storm.stdin.flush()
        _, err = writer.communicate(timeout=1800)
        took = time.monotonic() - t0
        if writer.returncode:
            raise BenchError(f"pyscap -w: exit status {writer.returncode}: {err.strip()[-500:]}")
        m = re.search(r"drops=(\d+)", err)
        return {
            "events": events,
            "bytes": path.stat().st_size,
            "seconds": took,
            "drops": int(m.group(1)) if m else None,
        }
    finally:
        kill(storm)
        kill(writer)


STARTUP_SCRIPT = """
import json, os, subprocess, tempfile, time
import pyscap
LINK = os.path.join(tempfile.mkdtemp(), "bench-first")  # comm (proc.name) of the process it runs
os.symlink("/bin/sleep", LINK)
t0 = time.monotonic()
cap = pyscap.open_live(filter="proc.name=bench-first")
t1 = time.monotonic()
child = subprocess.Popen([LINK, "0.2"])
evt = cap.next(timeout=30)
t2 = time.monotonic()
child.wait()
cap.close()
os.unlink(LINK)
print(json.dumps({"open": t1 - t0, "first": t2 - t1 if evt is not None else None}))
"""


def startup(ctx: Ctx, runs: int) -> list:
    """The probe's start-up: open_live() (load and verify every program, attach, scan /proc),
    then the time until the first event of a process started right after it."""
    out = []
    for r in range(runs):
        log(f"start-up round {r + 1}/{runs}")
        p = subprocess.run(
            ctx.on(ctx.ccpu, [sys.executable, "-c", STARTUP_SCRIPT]), capture_output=True, text=True, env=ctx.env
        )
        if p.returncode:
            raise BenchError(f"start-up: {p.stderr.strip()[-500:]}")
        out.append(json.loads(p.stdout.strip().splitlines()[-1]))
    return out


def stop_check(ctx: Ctx) -> dict:
    """`kill -TERM` of `pyscap -w FILE` 3 s into a paced storm: the exit status, the events the
    writer handled, and how many of them the file holds (a complete file holds them all)."""
    path = Path("/dev/shm/pyscap-bench-term.scap")
    path.unlink(missing_ok=True)
    storm = subprocess.Popen(
        ctx.on(ctx.wcpu, [ctx.exe("bench_storm"), "--wait", "--pace", "20", "mix", "100000000"]),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = None
    try:
        pid = json.loads(read_line(storm, "bench_storm"))["pid"]
        filt = f"thread.tid={pid}"
        writer = subprocess.Popen(
            ctx.on(ctx.ccpu, [sys.executable, "-m", "pyscap", "-w", str(path), "--stats", filt]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=ctx.env,
        )
        wait_file(writer, path, "pyscap -w")
        storm.stdin.write("go\n")
        storm.stdin.flush()
        time.sleep(3)
        writer.send_signal(signal.SIGTERM)
        _, err = writer.communicate(timeout=300)
        m = STATS_RE.search(err)
        if not m:
            raise BenchError(f"pyscap -w after SIGTERM: exit status {writer.returncode}: {err.strip()[-500:]}")
        rc, n, rerr = count_lines(read_cmd(ctx, "pyscap", path, ["-p", "%evt.num", filt]), ctx.env)
        if rc:
            raise BenchError(f"pyscap -r {path}: exit status {rc}: {rerr}")
        return {"exit": writer.returncode, "returned": int(m.group(3)), "in_file": n}
    finally:
        kill(storm)
        kill(writer)
        path.unlink(missing_ok=True)


def read_cmd(ctx: Ctx, tool: str, path: Path, extra) -> list:
    if tool == "pyscap":
        argv = [sys.executable, "-m", "pyscap", "-r", str(path)] + list(extra)
    else:
        argv = [ctx.sysdig, "-r", str(path)] + list(extra)
    return ctx.on(ctx.ccpu, argv)


def timed(argv, env, stdout=subprocess.DEVNULL) -> dict:
    """Run argv; wall time and CPU time (user+sys of the process and its children)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode:
        raise BenchError(f"{' '.join(argv)}: exit status {p.returncode}: {err.strip()[-500:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime}


def count_lines(argv, env) -> tuple:
    p = subprocess.run(argv, capture_output=True, env=env)
    return p.returncode, p.stdout.count(b"\n"), p.stderr.decode(errors="replace").strip()[-300:]


def check_file(ctx: Ctx, path: Path, events: int) -> dict:
    """Both tools read the whole file and agree on the number of events and of openat events."""
    out = {}
    for tool in ("pyscap", "sysdig") if ctx.sysdig else ("pyscap",):
        for name, extra in (("all", []), ("openat", ["evt.type=openat"])):
            rc, n, err = count_lines(read_cmd(ctx, tool, path, extra), ctx.env)
            if rc:
                raise BenchError(f"{tool} -r {path} {' '.join(extra)}: exit status {rc}: {err}")
            out[(tool, name)] = n
    if out[("pyscap", "all")] != events:
        raise BenchError(f"pyscap reads {out[('pyscap', 'all')]} events from {path}, {events} were written")
    if ctx.sysdig:
        for name in ("all", "openat"):
            if out[("pyscap", name)] != out[("sysdig", name)]:
                raise BenchError(
                    f"{path}: pyscap and sysdig disagree on {name} events: "
                    f"{out[('pyscap', name)]} vs {out[('sysdig', name)]}"
                )
    return out


def run_reads(ctx: Ctx, path: Path, events: int, runs: int, results: dict) -> None:
    tools = ("pyscap", "sysdig") if ctx.sysdig else ("pyscap",)
    results.update({name: {t: [] for t in tools} for name, _, _ in READS})
    for r in range(runs):
        for name, _, extra in READS:
            for t in tools:
                log(f"read round {r + 1}/{runs}: {name}, {t}")
                m = timed(read_cmd(ctx, t, path, extra), ctx.env)
                results[name][t].append({"evs": events / m["wall"], "evs_cpu": events / m["cpu"] if m["cpu"] else 0})


# -- 3. Python iteration -------------------------------------------------------------------------


RULES_N = 124  # rules of bench/rules_eval.c's ruleset
RULES_MODES = (
    ("inspector only", "inspector alone (no rules)"),
    ("ruleset", f"ruleset of {RULES_N} Falco-style rules (event-type index, C)"),
    ("one by one", f"the same {RULES_N} conditions as filters, one by one"),
)


def run_rules(ctx: Ctx, path: Path, runs: int, results: dict) -> None:
    """bench/rules_eval on the capture file: its three modes per run (events/s by wall and by CPU
    time, rule evaluations per event, matches; the program checks that both rule modes match the
    same events)."""
    if not ctx.args.no_build:
        r = subprocess.run(["make", "-C", str(ctx.build), "rules_eval"], capture_output=True, text=True)
        if r.returncode:
            raise BenchError(f"building rules_eval: {r.stdout[-2000:]}{r.stderr[-2000:]}")
    results.update({mode: [] for mode, _ in RULES_MODES})
    pattern = re.compile(
        r"^(?P<mode>.+?)\s+(?P<rules>\d+) rules\s+(?P<n>\d+) events\s+(?P<m>\d+) matches\s+(?P<cpu>[\d.]+) M events/s "
        r"\(CPU\)\s+(?P<wall>[\d.]+) M events/s \(wall\)\s+(?P<ev>[\d.]+) evaluations/event$"
    )
    for r in range(runs):
        log(f"rules round {r + 1}/{runs}: {RULES_N} rules on {path.name}")
        p = subprocess.run(
            ctx.on(ctx.ccpu, [ctx.exe("rules_eval"), str(path), str(RULES_N)]), capture_output=True, text=True
        )
        if p.returncode:
            raise BenchError(f"rules_eval: {p.stderr.strip()[-500:]}")
        for line, (mode, _) in zip(p.stdout.strip().splitlines(), RULES_MODES):
            m = pattern.match(line)
            if not m:
                raise BenchError(f"rules_eval printed {line!r}")
            results[mode].append(
                {
                    "n": int(m["n"]),
                    "matches": int(m["m"]),
                    "evs": float(m["wall"]) * 1e6,
                    "evs_cpu": float(m["cpu"]) * 1e6,
                    "evals": float(m["ev"]),
                }
            )


def rules_rows(rules: dict) -> list:
    """The table rows of run_rules()."""
    rows = []
    ref = med([r["evs"] for r in rules.get("one by one", [])]) if rules.get("one by one") else 0
    for mode, label in RULES_MODES:
        runs = rules.get(mode)
        if not runs:
            continue
        evs = fmt_range([r["evs"] for r in runs], fmt_rate)
        cpu = fmt_rate(med([r["evs_cpu"] for r in runs]))
        extra = []
        if mode != "inspector only":
            extra.append(f"{med([r['evals'] for r in runs]):.1f} rule evaluations/event, {runs[0]['matches']} matches")
        if mode == "ruleset" and ref:
            extra.append(f"{fmt_ratio(med([r['evs'] for r in runs]), ref)} one by one")
        ratio = "; ".join(extra) or "—"
        rows.append(f"| rules on the same file: {label} | pyscap (C) | — | {evs} | {cpu} | — | {ratio} |")
    return rows


def run_iteration(ctx: Ctx, path: Path, runs: int, results: dict) -> None:
    results.update({name: [] for name, _ in ITERS})
    for r in range(runs):
        for name, _ in ITERS:
            log(f"python iteration round {r + 1}/{runs}: {name}")
            p = subprocess.run(
                ctx.on(ctx.ccpu, [sys.executable, str(Path(__file__).resolve()), "--_pyiter", name, str(path)]),
                capture_output=True,
                text=True,
                env=ctx.env,
            )
            if p.returncode:
                raise BenchError(f"python iteration {name}: {p.stderr.strip()[-500:]}")
            m = json.loads(p.stdout.strip().splitlines()[-1])
            results[name].append({"n": m["n"], "evs": m["n"] / m["wall"], "evs_cpu": m["n"] / m["cpu"]})


# -- helpers run in child processes --------------------------------------------------------------


def _pyconsume(tid: int) -> None:
    """The Python consumer: live capture, batches of 3 fields, events of `tid` counted."""
    from pyscap import capture

    cap = capture.open_live()
    signal.signal(signal.SIGUSR1, lambda *_: cap.stop())
    print(json.dumps({"ready": 1}), flush=True)
    mine = total = last = 0
    for cols in cap.batches(PY_FIELDS, size=4096, rows=False):
        tids = cols["thread.tid"]
        total += len(tids)
        c = tids.count(tid)
        if c:
            mine += c
            last = time.monotonic_ns()
    st = cap.stats()
    print(
        json.dumps({"target": mine, "last_ns": last, "delivered": total, "generated": st.events, "drops": st.drops}),
        flush=True,
    )
    cap.close()


def _pyiter(name: str, path: str) -> None:
    sys.path.insert(0, str(BENCH))
    import py_iter

    fn = {
        "bare": py_iter.bare,
        "per_event": py_iter.per_event,
        "batch_rows": lambda p: py_iter.batch(p, True),
        "batch_cols": lambda p: py_iter.batch(p, False),
        "arrow": py_iter.arrow,
        "numpy": py_iter.numpy_cols,
    }[name]
    n, wall, cpu, _last = fn(path)
    print(json.dumps({"n": n, "wall": wall, "cpu": cpu}))


# -- table -------------------------------------------------------------------------------------


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_rate(x) -> str:
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    return f"{x / 1e3:.0f} k"


def fmt_range(xs, f, unit="") -> str:
    if not xs:
        return "—"
    if len(xs) == 1:
        return f"{f(xs[0])}{unit}"
    return f"{f(med(xs))}{unit} ({f(min(xs))}–{f(max(xs))})"


def fmt_ratio(a, b) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def table(ctx: Ctx, storms: dict, reads: dict, iters: dict, fileinfo: dict) -> str:
    rows = [
        "| benchmark | tool | ns added per syscall, median (min–max) | events/s, median (min–max) | "
        "events/s by CPU time, median | drops, median (max) | ratio (medians) |",
        "|---|---|---|---|---|---|---|",
    ]
    for w, by in storms.items():
        if not by["untraced"]:
            continue
        label = f"storm: {WORKLOADS[w][0]}"
        base = by["untraced"]
        added = {}
        for k, runs in by.items():
            if k == "untraced":
                continue
            added[k] = [r["ns"] - b["ns"] for r, b in zip(runs, base)]
        for k, runs in by.items():
            if not runs:
                continue
            if k == "untraced":
                ns = fmt_range([r["ns"] for r in runs], lambda x: f"{x:.0f}", " ns") + " per syscall, untraced"
                rows.append(f"| {label} | {TRACER_LABEL[k]} | {ns} | — | — | — | — |")
                continue
            ns = fmt_range(added[k], lambda x: f"{x:+.0f}", " ns")
            evs = "—"
            drops = "—"
            ratio = []
            if k in ("pyscap-c", "pyscap-w", "pyscap-wz", "pyscap-py", "bpftrace"):
                evs = fmt_range([r["evs"] for r in runs], fmt_rate)
                if k == "bpftrace":
                    evs += " (counted in kernel)"
            if k in ("pyscap-c", "pyscap-w", "pyscap-wz", "pyscap-py"):
                d = [r["drops"] for r in runs]
                gen = med([r["generated"] for r in runs])
                drops = f"{med(d):.0f} ({max(d)})"
                if gen:
                    drops += f" = {100 * med(d) / gen:.1f} % of {fmt_rate(gen)} generated"
            if k not in ("floor", "floor-event") and "floor" in added:
                ratio.append(f"added ns: {fmt_ratio(med(added[k]), med(added['floor']))} floor")
            if k in ("pyscap-c", "pyscap-w", "pyscap-wz", "pyscap-py") and "floor-event" in added:
                ratio.append(f"{fmt_ratio(med(added[k]), med(added['floor-event']))} event floor")
            if k in ("pyscap-c", "pyscap-w", "pyscap-wz", "pyscap-py") and "bpftrace" in added:
                ratio.append(f"{fmt_ratio(med(added[k]), med(added['bpftrace']))} bpftrace")
            if k in ("pyscap-w", "pyscap-wz", "pyscap-py") and "pyscap-c" in by:
                ratio.append(
                    "events/s: "
                    + fmt_ratio(med([r["evs"] for r in runs]), med([r["evs"] for r in by["pyscap-c"]]))
                    + " C consumer"
                )
            rows.append(f"| {label} | {TRACER_LABEL[k]} | {ns} | {evs} | — | {drops} | {'; '.join(ratio) or '—'} |")
    if reads:
        fl = f"{fileinfo['events'] / 1e6:g} M-event file"
        for name, label, _ in READS:
            by = reads[name]
            for t, runs in by.items():
                if not runs:
                    continue
                evs = fmt_range([r["evs"] for r in runs], fmt_rate)
                cpu = fmt_rate(med([r["evs_cpu"] for r in runs]))
                ratio = "—"
                if t == "pyscap" and by.get("sysdig"):
                    ratio = (
                        f"{fmt_ratio(med([r['evs'] for r in runs]), med([r['evs'] for r in by['sysdig']]))} "
                        f"sysdig (CPU time: {fmt_ratio(med([r['evs_cpu'] for r in runs]), med([r['evs_cpu'] for r in by['sysdig']]))})"
                    )
                tool = "`python3 -m pyscap -r`" if t == "pyscap" else "`sysdig -r` 0.29.3"
                rows.append(f"| read {fl}: {label} | {tool} | — | {evs} | {cpu} | — | {ratio} |")
    if fileinfo.get("startup"):
        opens = [s["open"] * 1e3 for s in fileinfo["startup"]]
        firsts = [s["first"] * 1e3 for s in fileinfo["startup"] if s["first"] is not None]
        rows.append(
            f"| probe start-up: `pyscap.open_live()` (load + verify every program, attach, /proc scan) | pyscap | — | "
            f"{fmt_range(opens, lambda x: f'{x:.0f}', ' ms')} | — | — | then the first event of a new process: "
            f"{fmt_range(firsts, lambda x: f'{x:.0f}', ' ms')} |"
        )
    if "stop" in fileinfo:
        s = fileinfo["stop"]
        rows.append(
            f"| `kill -TERM` of `pyscap -w FILE` 3 s into a storm | pyscap | — | — | — | — | "
            f"{s['in_file']} of the {s['returned']} events it handled are in the file; exit status {s['exit']} |"
        )
    if iters:
        ref = med([r["evs"] for r in iters.get("per_event", [])])
        for name, label in ITERS:
            runs = iters.get(name)
            if not runs:
                continue
            evs = fmt_range([r["evs"] for r in runs], fmt_rate)
            cpu = fmt_rate(med([r["evs_cpu"] for r in runs]))
            ratio = (
                f"{fmt_ratio(med([r['evs'] for r in runs]), ref)} per-event + 3 fields" if name != "per_event" else "—"
            )
            rows.append(f"| Python iteration, same file | {label} | — | {evs} | {cpu} | — | {ratio} |")
    return "\n".join(rows)


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    u = platform.uname()
    load = os.getloadavg()
    return (
        f"{u.system} {u.release} {u.machine}, {os.cpu_count()} CPUs ({cpu}); load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


# -- main ----------------------------------------------------------------------------------------


def ensure_tracefs() -> None:
    if not os.path.isdir("/sys/kernel/tracing/events/raw_syscalls"):
        log("mounting tracefs on /sys/kernel/tracing (bpftrace needs it)")
        subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"], check=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    ap.add_argument("--quick", action="store_true", help="CI smoke run: small sizes, 1 run, getppid only")
    ap.add_argument("--runs", type=int, help="runs per figure (default 5; --quick: 1)")
    ap.add_argument("--events", type=int, help="events in the capture file (default 2000000; --quick: 20000)")
    ap.add_argument(
        "--iters",
        type=int,
        help="storm iterations of getppid and write (open+read+close: a fifth; default 1000000; --quick: 20000)",
    )
    ap.add_argument(
        "--pace",
        type=int,
        default=0,
        help="capture file: storm iterations between 1 ms sleeps (0: none; the writer keeps up)",
    )
    ap.add_argument("--cpus", default="0,1", help="WORKLOAD_CPU,CONSUMER_CPU (default 0,1)")
    ap.add_argument("--build-dir", default=str(ROOT / "build-bench"))
    ap.add_argument("--file", help="where to write the capture file (default: BUILD_DIR/bench/storm.scap)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: storm, read, iter, rules")
    ap.add_argument("--no-build", action="store_true", help="use the build directory as it is")
    ap.add_argument("--_pyconsume", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_pyiter", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._pyconsume is not None:
        _pyconsume(args._pyconsume)
        return 0
    if args._pyiter:
        _pyiter(*args._pyiter)
        return 0

    args.cpus = [int(c) for c in args.cpus.split(",")]
    if len(args.cpus) != 2 or args.cpus[0] == args.cpus[1]:
        ap.error("--cpus needs two different CPUs")
    runs = args.runs or (1 if args.quick else 5)
    events = args.events or (20000 if args.quick else 2_000_000)
    n = args.iters or (20000 if args.quick else 1_000_000)
    workloads = ["getppid"] if args.quick else list(WORKLOADS)
    iters = {"getppid": n, "write": n, "orc": max(1, n // 5)}
    skip = set(filter(None, args.skip.split(",")))
    if os.geteuid() != 0:
        sys.stderr.write("bench/run.py: live captures need root\n")
        return 2

    ctx = Ctx(args)
    started = datetime.datetime.now(datetime.UTC)
    load0 = os.getloadavg()
    if not args.no_build:
        build(ctx.build)
    os.sched_setaffinity(0, {ctx.ccpu})  # from here on, this process stays off the workload's CPU
    if ctx.bpftrace:
        ensure_tracefs()
    else:
        log("bpftrace is not installed: its rows are left out (apt-get install -y bpftrace)")
    if not ctx.sysdig:
        log("sysdig is not installed: the reading rows have no peer")

    errors = []
    storms = {}
    if "storm" not in skip:
        try:
            run_storms(ctx, workloads, iters, runs, storms)
        except BenchError as e:
            errors.append(f"storm: {e}")

    path = Path(args.file) if args.file else ctx.build / "bench" / "storm.scap"
    reads, its, fileinfo = {}, {}, {"events": events}
    rules: dict = {}
    if not {"read", "iter", "rules"} <= skip:
        try:
            log(f"writing the capture file {path}: {events} events")
            fileinfo = generate_file(ctx, path, events, args.pace)
            check = check_file(ctx, path, events)
            fileinfo["openat"] = check[("pyscap", "openat")]
            fileinfo["sysdig_events"] = check.get(("sysdig", "all"))
            if "read" not in skip:
                run_reads(ctx, path, events, runs, reads)
            if "iter" not in skip:
                run_iteration(ctx, path, runs, its)
        except BenchError as e:
            errors.append(f"capture file: {e}")
        if "rules" not in skip and path.exists():
            try:
                run_rules(ctx, path, runs, rules)
            except BenchError as e:
                errors.append(f"rules: {e}")

    if "storm" not in skip:
        try:
            fileinfo["startup"] = startup(ctx, runs)
        except BenchError as e:
            errors.append(f"start-up: {e}")
        try:
            log("kill -TERM of pyscap -w after 3 s")
            fileinfo["stop"] = stop_check(ctx)
        except BenchError as e:
            errors.append(f"stop check: {e}")

    tbl = table(ctx, storms, reads, its, fileinfo)
    if rules:
        tbl += "\n" + "\n".join(rules_rows(rules))
    load1 = os.getloadavg()
    print(
        f"pyscap benchmarks, {started:%Y-%m-%d %H:%M} UTC, {'quick' if args.quick else 'full'} mode, "
        f"{runs} run{'s' if runs > 1 else ''} per figure"
    )
    print(f"machine: {machine()} (load at start {load0[0]:.2f})")
    print(
        f"workload on CPU {ctx.wcpu}, tracers/consumers/readers on CPU {ctx.ccpu}; storm iterations: "
        + ", ".join(f"{w} {iters[w]}" for w in workloads)
    )
    if "bytes" in fileinfo:
        print(
            f"capture file: {fileinfo['events']} events ({fileinfo.get('openat', '?')} openat), "
            f"{fileinfo['bytes'] / 1e6:.0f} MB, written by `python3 -m pyscap -w` in {fileinfo['seconds']:.1f} s "
            f"with {fileinfo['drops']} drops; sysdig reads "
            f"{fileinfo.get('sysdig_events') if fileinfo.get('sysdig_events') is not None else '(not installed)'} events"
        )
    print()
    print(tbl)
    print()
    print(f"load average at the end: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    for e in errors:
        print(f"FAILED, rows missing: {e}")
    if errors:
        return 1

    if args.quick:
        quick_checks(storms, reads, its, events, iters)
        if "rules" not in skip:
            assert rules and all(len(rules[m]) == runs for m, _ in RULES_MODES), rules
        print("quick mode: every part ran; counts consistent (no timing asserted)")
    return 0


def quick_checks(storms, reads, its, events, iters) -> None:
    for w, by in storms.items():
        for k, runs in by.items():
            assert runs, f"{w}/{k}: no run"
            for r in runs:
                assert r["ns"] > 0, (w, k, r)
                if k == "pyscap-c":
                    # every syscall of the workload was delivered (no drops expected at this size)
                    assert r["target"] + r["drops"] >= iters[w] * WORKLOADS[w][1], (w, k, r)
                    assert r["target"] > 0, (w, k, r)
                if k == "pyscap-py":
                    assert r["target"] > 0, (w, k, r)
                if k == "floor-event":
                    assert r["target"] >= iters[w], (w, k, r)
                if k == "bpftrace":
                    assert r["target"] >= iters[w], (w, k, r)
    for name, by in reads.items():
        for t, runs in by.items():
            assert runs and all(r["evs"] > 0 for r in runs), (name, t)
    for name, runs in its.items():
        assert runs and all(r["n"] == events for r in runs), (name, runs)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        sys.stderr.write(f"bench/run.py: {e}\n")
        sys.exit(1)
