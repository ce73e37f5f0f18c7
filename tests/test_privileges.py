"""Least privilege (docs/privileges.md): live capture as `nobody` with only the capabilities it
needs, under setpriv; with fewer, an error that names the missing capability.

The C cases are tests/drivers/driver_test's (each performs its syscalls and checks every
parameter of its events); the Python case runs the CLI after dropping to nobody with the
capabilities kept (prctl(PR_SET_KEEPCAPS) + capset), since this interpreter may live under a
root-only /root.
"""

import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, helper, run

FULL = ["bpf", "perfmon", "sys_ptrace", "dac_read_search"]
HOOKS = {
    "tracepoint": "TOCTOU enter events on the syscall tracepoints (syscalls/sys_enter_*)",
    "sys_enter": "TOCTOU enter events on the raw sys_enter tracepoint (every syscall enters it)",
}


def as_nobody(caps, argv, env=None):
    c = ",".join(f"+{x}" for x in caps) if caps else "-all"
    pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", f"--inh-caps={c}"]
    if caps:
        pre.append(f"--ambient-caps={c}")
    return run([*pre, *argv], env=env, timeout=600, cwd="/tmp")


def driver(build_dir, caps, cases):
    env = {"PATH": "/usr/bin:/bin", "DRIVER_TEST_VERBOSE": "1"}
    exe = helper(build_dir, "driver_test")
    return as_nobody(caps, [exe, "--engine", "bpf_core", "--run", cases], env=env)


def partly_read(res):
    m = re.search(r"proc scan: (\d+) processes only partly read \(.*CAP_SYS_PTRACE", res.stderr)
    return int(m.group(1)) if m else 0


def results(res):
    return {n: s for s, n in re.findall(r"^(PASS|FAIL|SKIP) ([^:\s]+)", res.stdout, re.M)}


@pytest.fixture(scope="module")
def tracefs(live_bpf):
    """tracefs mounted (as root): its root-only directory is what CAP_DAC_READ_SEARCH opens."""
    subprocess.run(["mount", "-t", "tracefs", "tracefs", "/sys/kernel/tracing"], capture_output=True)
    r = run(["stat", "-c", "%a %U", "/sys/kernel/tracing"])
    assert r.stdout.split() == ["700", "root"], r.stdout


def test_minimal_capabilities_capture_everything(build_dir, tracefs):
    """CAP_BPF + CAP_PERFMON + CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH: the probe loads with the
    syscall tracepoints (tracefs read through CAP_DAC_READ_SEARCH), the /proc scan reads every
    process, and the events carry every parameter (the cases check them)."""
    res = driver(build_dir, FULL, "generic,openat,open,creat,exclude_self")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert set(results(res).values()) == {"PASS"} and len(results(res)) == 5, res.stdout
    assert HOOKS["tracepoint"] in res.stderr, res.stderr[-3000:]
    # CAP_SYS_PTRACE reads other users' processes: fewer are partly read than without it (a few
    # may stay unreadable: a process the kernel keeps from ptrace, such as a sandbox's init)
    less = driver(build_dir, ["bpf", "perfmon", "dac_read_search"], "generic")
    assert less.returncode == 0, less.stdout[-3000:]
    assert partly_read(res) < partly_read(less), (partly_read(res), partly_read(less))


def test_without_ptrace_and_dac_the_capture_runs_and_says_what_it_misses(build_dir, tracefs):
    """CAP_BPF + CAP_PERFMON alone: events are complete (the raw sys_enter hook carries the TOCTOU
    enter events), and the engine says the /proc scan could not read other users' processes."""
    res = driver(build_dir, ["bpf", "perfmon"], "generic,openat")
    assert res.returncode == 0 and set(results(res).values()) == {"PASS"}, res.stdout[-3000:]
    assert HOOKS["sys_enter"] in res.stderr, res.stderr[-3000:]
    assert partly_read(res) > 0, res.stderr[-3000:]


@pytest.mark.parametrize(
    "caps, missing",
    [([], "CAP_BPF and CAP_PERFMON"), (["bpf"], "CAP_PERFMON"), (["perfmon", "sys_ptrace"], "CAP_BPF")],
)
def test_too_few_capabilities_name_the_missing_one(build_dir, live_bpf, caps, missing):
    res = driver(build_dir, caps, "generic")
    assert res.returncode == 1, res.stdout
    out = res.stdout + res.stderr
    assert (
        "bpf_core: live capture needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN; root has them all): "
        f"the process lacks {missing} in its effective set" in out
    ), out[-3000:]
    assert "errno 1)" in res.stdout
    assert "too old" not in out and ">= 5.8" not in out and "ring buffer" not in out  # no kernel diagnosis


KEEPCAPS = textwrap.dedent("""
    import ctypes, os, sys
    import locale  # argparse imports it on first use, and this interpreter may live under /root (0700)
    import pyscap, pyscap.cli
    pyscap.open_file  # load the libraries as root
    CAPS = [int(c) for c in sys.argv[1].split(",")]
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(8, 1, 0, 0, 0) == 0  # PR_SET_KEEPCAPS: the permitted set survives setuid
    os.setgroups([]); os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534)
    class Hdr(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
    d = (Data * 2)()
    for c in CAPS:
        d[c // 32].effective |= 1 << (c % 32)
        d[c // 32].permitted |= 1 << (c % 32)
    assert libc.capset(ctypes.byref(Hdr(0x20080522, 0)), d) == 0, ctypes.get_errno()
    sys.exit(pyscap.cli.main(sys.argv[2:]))
""")

CAP_NUMBERS = {"sys_ptrace": 19, "dac_read_search": 2, "perfmon": 38, "bpf": 39}


def test_cli_as_nobody_with_the_capabilities(live_bpf, tracefs, tmp_path):
    """The CLI captures live as nobody with the four capabilities: a process of its own opens a
    file and the capture shows it, with the thread's user; the capture file it writes is not
    world-writable."""
    caps = ",".join(str(CAP_NUMBERS[c]) for c in FULL)
    out = tmp_path / "nobody.scap"
    tmp_path.chmod(0o777)
    marker = tmp_path / "pyscap-privileges-marker"
    flt = f"evt.type=openat and fd.name={marker} and evt.dir=<"
    child = f"import time, sys; time.sleep(3); open({str(marker)!r}, 'w').close(); time.sleep(0.5); sys.exit(0)"
    trigger = subprocess.Popen([sys.executable, "-c", child])
    try:
        r = subprocess.run(
            [sys.executable, "-c", KEEPCAPS, caps, "-n", "1", "-w", str(out), flt],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        trigger.wait(timeout=30)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (out.stat().st_mode & 0o002) == 0 and out.stat().st_uid == 65534
    rd = run([sys.executable, "-m", "pyscap", "-r", out, "-p", "%evt.type %fd.name %user.name %proc.pid"], cwd=ROOT)
    assert rd.returncode == 0, rd.stderr
    assert rd.stdout.split() == ["openat", str(marker), "root", str(trigger.pid)], rd.stdout


def test_cli_without_capabilities_says_what_it_needs(live_bpf):
    r = subprocess.run([sys.executable, "-c", KEEPCAPS, "19", "-n", "1"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 3 and r.stdout == "", r.stderr
    assert re.fullmatch(
        r"pyscap: no permission to capture live \(run as root, or with CAP_BPF and CAP_PERFMON: "
        r"docs/privileges\.md\): .*the process lacks CAP_BPF and CAP_PERFMON in its effective set.*\n",
        r.stderr,
    ), r.stderr
