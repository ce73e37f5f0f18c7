"""Driver tests on the real kernel (root + BTF): tests/drivers/driver_test, one pytest test per C case.

The C program runs every case in one process (`--run-all`): loading the probe costs seconds of
verifier time, so the cases share one capture and switch its syscall set at run time. Each case
still shows up (and fails) on its own here. Run one case alone with
`driver_test --engine bpf_core --run NAME`.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BUILD, helper, run

ENGINE = os.environ.get("PYSCAP_DRIVER_ENGINE", "bpf_core")


def _binary() -> Path | None:
    for p in BUILD.rglob("driver_test"):
        if p.is_file() and os.access(p, os.X_OK):
            return p
    return None


def _cases() -> list[str]:
    b = _binary()
    if b is None:
        return ["<driver_test not built>"]
    out = subprocess.run([str(b), "--list"], capture_output=True, text=True, timeout=30)
    return [line for line in out.stdout.splitlines() if line] or ["<no cases>"]


@pytest.fixture(scope="session")
def driver_results(build_dir, live_bpf):
    exe = helper(build_dir, "driver_test")
    res = run([exe, "--engine", ENGINE, "--run-all"], timeout=600)
    results = {}
    for line in res.stdout.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("PASS", "FAIL", "SKIP"):
            name, _, msg = rest.partition(": ")
            results[name] = (status, msg)
    return results, res


@pytest.mark.parametrize("case", _cases())
def test_driver(case, driver_results):
    results, res = driver_results
    if case not in results:
        pytest.fail(
            f"case {case} did not report (exit {res.returncode})\nstdout:\n{res.stdout[-3000:]}\n"
            f"stderr:\n{res.stderr[-3000:]}"
        )
    status, msg = results[case]
    if status == "SKIP":
        pytest.skip(msg)
    assert status == "PASS", msg


def test_not_root_is_eperm(build_dir, live_bpf):
    """Opening the engine as nobody without capabilities fails with EPERM and names them (the
    capability matrix: tests/test_privileges.py)."""
    exe = helper(build_dir, "driver_test")
    res = run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, "--engine", ENGINE, "--run", "generic"]
    )
    assert res.returncode == 1
    assert "live capture needs CAP_BPF and CAP_PERFMON" in res.stdout and "errno 1)" in res.stdout


ENTER_CASES = "open,creat,openat,openat2,tcp_socket_bind_listen_connect_accept4_sendto_recvfrom_shutdown"


TOCTOU_HOOKS = {
    "fentry": "fentry (__x64_sys_*)",
    "tracepoint": "the syscall tracepoints (syscalls/sys_enter_*)",
    "sys_enter": "the raw sys_enter tracepoint (every syscall enters it)",
}


def _verbose(exe, cases, hook=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("SCAP_BPF_CORE_")}
    e["DRIVER_TEST_VERBOSE"] = "1"
    if hook:
        e["SCAP_BPF_CORE_TOCTOU"] = hook
    return run([exe, "--engine", "bpf_core", "--run", cases], env=e, timeout=600)


@pytest.mark.skipif(ENGINE != "bpf_core", reason="bpf_core only")
def test_enter_events_hook_reported(build_dir, live_bpf):
    """The TOCTOU enter events go on fentry/__x64_sys_* where the kernel runs fentry programs,
    else on the syscalls' own tracepoints, and only as a last resort on the raw sys_enter
    dispatcher; the engine says which, and why not a better one. This VM's kernel refuses fentry
    (EPERM), so the default here is the tracepoints (the Debian 6.1 guest runs fentry:
    tests/test_kmod.py)."""
    exe = helper(build_dir, "driver_test")
    res = _verbose(exe, "generic,openat")
    assert res.returncode == 0, res.stdout + res.stderr[-3000:]
    err = res.stderr
    if f"TOCTOU enter events on {TOCTOU_HOOKS['fentry']}" not in err:
        assert f"TOCTOU enter events on {TOCTOU_HOOKS['tracepoint']}" in err, err[-3000:]
        assert re.search(r"bpf_core: no fentry \(.+\)", err), err[-3000:]


@pytest.mark.skipif(ENGINE != "bpf_core", reason="bpf_core only")
@pytest.mark.parametrize("hook", ["tracepoint", "sys_enter"])
def test_enter_events_on_each_hook(build_dir, live_bpf, hook):
    """Every parameter of the TOCTOU enter (and exit) events, with the hook forced."""
    exe = helper(build_dir, "driver_test")
    res = _verbose(exe, ENTER_CASES + ",exclude_self", hook=hook)
    assert f"TOCTOU enter events on {TOCTOU_HOOKS[hook]}" in res.stderr, res.stderr[-3000:]
    results = {n: s for s, n in re.findall(r"^(PASS|FAIL|SKIP) ([^:\s]+)", res.stdout, re.M)}
    assert sorted(results) == sorted((ENTER_CASES + ",exclude_self").split(",")), res.stdout
    assert res.returncode == 0 and set(results.values()) == {"PASS"}, res.stdout


@pytest.mark.skipif(ENGINE != "bpf_core", reason="bpf_core only")
def test_tracefs_is_mounted_when_missing(build_dir, live_bpf):
    """Without tracefs the syscall tracepoints cannot be attached: the engine mounts it on
    /sys/kernel/tracing and says so (this test unmounts it first, and leaves it mounted)."""
    tracing = "/sys/kernel/tracing"
    if os.path.exists(f"{tracing}/events"):
        r = subprocess.run(["umount", tracing], capture_output=True, text=True)
        assert r.returncode == 0, f"cannot unmount {tracing} for the test: {r.stderr}"
    exe = helper(build_dir, "driver_test")
    res = _verbose(exe, "openat", hook="tracepoint")
    assert "bpf_core: mounted tracefs on /sys/kernel/tracing" in res.stderr, res.stderr[-3000:]
    assert f"TOCTOU enter events on {TOCTOU_HOOKS['tracepoint']}" in res.stderr
    assert res.returncode == 0 and os.path.exists(f"{tracing}/events"), res.stdout


def test_static_libscap_has_every_engine(build_dir):
    """libscap.a links every live engine: capture.c opens them from one table (no weak symbol,
    which an archive would leave unresolved), so a program linked against the archive reaches
    each one by name, and an unknown name lists them."""
    exe = helper(build_dir, "static_engines")
    ldd = run(["ldd", exe])
    assert "libscap.so" not in ldd.stdout, ldd.stdout
    res = run([exe])
    assert res.returncode == 0, res.stderr
    said = dict(line.split(": ", 1) for line in res.stdout.splitlines())
    core = said["bpf_core"]
    assert core == "opened (bpf_core)" or core.split(": ", 1)[1].startswith(
        ("bpf_core: ", "this libscap was built without the CO-RE probe")
    ), core
    kmod = said["kmod"]
    assert kmod == "opened (kmod)" or kmod.split(": ", 1)[1].startswith(
        ("the pyscap kernel module is not loaded", "kmod: ")
    ), kmod
    assert said["no_such_engine"] == 'errno 2: unknown live engine "no_such_engine" (known: bpf_core, kmod)'
