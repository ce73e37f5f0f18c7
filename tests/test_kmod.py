"""The kernel module (driver/) and libscap's kmod engine, tested in a throwaway Debian 6.1 guest.

This machine's kernel cannot load modules: tests/vm/pyscap-vm (tests/vm/README.md) boots Debian's
6.1 kernel under qemu (a few seconds), we build the module against its headers (cached by content
hash) and run static programs in it (tests/kmod/: the CO-RE probe's own driver test cases,
compiled against the kmod engine, and kmod_tool). Every guest run appends panic_on_warn=1, so
any WARN() fails. Without KVM (TCG), the guests that toggle tracepoints many times run on one
vCPU (see tcg_smp). PYSCAP_VM_RUNNER points the tests at another runner with the same interface.
"""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, helper, require, run

pytestmark = [pytest.mark.kmod, pytest.mark.slow]

RUNNER = Path(os.environ.get("PYSCAP_VM_RUNNER", ROOT / "tests" / "vm" / "pyscap-vm"))
CACHE = Path(os.environ.get("PYSCAP_KMOD_CACHE", Path.home() / ".cache" / "pyscap-kmod"))
DRIVER = ROOT / "driver"


@pytest.fixture(scope="session")
def vm_runner() -> Path:
    """The guest runner, set up: Debian's kernel, headers and busybox unpacked in its cache (a
    download of about 85 MB the first time). As root, the runner apt-installs the host tools it
    lacks (qemu-system-x86, cpio, ...); as another user they must be there already. (The fixture's
    name is the one tests/conftest.py's FIXTURE_MARKS maps to the kmod and root markers.)"""
    require(os.access(RUNNER, os.X_OK), f"guest runner {RUNNER} not found or not executable")
    require(
        shutil.which("qemu-system-x86_64") is not None or os.geteuid() == 0,
        "qemu-system-x86_64 is not installed, and only as root may the guest runner install it",
    )
    r = run([RUNNER, "setup"], timeout=1800)
    require(r.returncode == 0, f"{RUNNER.name} setup failed (rc {r.returncode}): {r.stderr[-800:]}")
    return RUNNER


@pytest.fixture(scope="session")
def kmod_ko(vm_runner) -> Path:
    """pyscap.ko for the guest kernel, built once per content of driver/ + abi/ (W=1, -Werror)."""
    kdir = run([vm_runner, "kdir"]).stdout.strip()
    release = run([vm_runner, "release"]).stdout.strip()
    h = hashlib.sha256(release.encode())
    for f in sorted(
        list(DRIVER.glob("*.[ch]")) + [DRIVER / "Kbuild", DRIVER / "Makefile"] + sorted((ROOT / "abi").glob("*.h"))
    ):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    out = CACHE / h.hexdigest()[:20]
    ko = out / "pyscap.ko"
    if not ko.exists():
        shutil.rmtree(out, ignore_errors=True)
        r = run(["make", "-C", DRIVER, f"KDIR={kdir}", f"BUILD_DIR={out}", "W=1", "PYSCAP_WERROR=1"], timeout=600)
        (out / "build.log").parent.mkdir(parents=True, exist_ok=True)
        (out / "build.log").write_text(r.stdout + r.stderr)
        assert r.returncode == 0, f"module build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return ko


@pytest.fixture(scope="session")
def guest_bins(build_dir):
    return {"driver_test": helper(build_dir, "kmod_driver_test"), "tool": helper(build_dir, "kmod_tool")}


@pytest.fixture(scope="session")
def accel(vm_runner) -> str:
    m = re.search(r"^accel:\s+(\w+)", run([vm_runner, "info"]).stdout, re.M)
    return m.group(1) if m else "tcg"


def tcg_smp(accel) -> int:
    """vCPUs for the guests that register and unregister tracepoints over and over. Under TCG two
    vCPUs livelock at static-branch sites the other vCPU is patching (soft lockups in do_exit and
    do_syscall_64 right after tracepoint_probe_register: a stale translated int3 that the kernel's
    int3 handler keeps rewinding to), and a fork's parent and child race on two vCPUs."""
    return 1 if accel == "tcg" else 2


def guest(vm_runner, script: str, files, timeout=240, panic_on_warn=True, smp=2):
    cmd = [vm_runner, "exec", "-q", "--timeout", str(timeout), "--smp", str(smp)]
    if panic_on_warn:
        cmd.append("--panic-on-warn")
    for f in files:  # a path, or (host path, name in the guest)
        cmd += ["--file", f"{f[0]}:/guest/{f[1]}" if isinstance(f, tuple) else str(f)]
    cmd += ["--", "sh", "-c", script]
    return run(cmd, timeout=timeout + 120)


def test_runner_exec_streams_files_outdir_and_status(vm_runner, tmp_path):
    """pyscap-vm exec end to end, in one boot: COMMAND runs as root in /guest on the kernel that
    `pyscap-vm release` names, with a --file copy beside it; its stdout and stderr come back apart,
    the guest's /out lands in --outdir, and COMMAND's exit status is the runner's."""
    release = run([vm_runner, "release"]).stdout.strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+-\d+-amd64", release), release
    (tmp_path / "note.txt").write_text("from the host\n")
    script = "uname -r; pwd; id -u; cat note.txt; echo to-stderr >&2; echo made-in-guest >/out/result; exit 7"
    r = run(
        [vm_runner, "exec", "-q", "--panic-on-warn", "--timeout", "120", "--file", tmp_path / "note.txt"]
        + ["--outdir", tmp_path / "out", "--", "sh", "-c", script],
        timeout=240,
    )
    assert r.returncode == 7, f"rc {r.returncode}\n{r.stdout}\n{r.stderr[-2000:]}"
    assert r.stdout.splitlines() == [release, "/guest", "0", "from the host"], r.stdout
    assert "to-stderr" in r.stderr.splitlines(), r.stderr[-2000:]  # (runner warnings may come too)
    assert (tmp_path / "out" / "result").read_text() == "made-in-guest\n"


def test_runner_timeout_is_exit_124(vm_runner):
    """--timeout bounds boot + COMMAND: a COMMAND that outlives it is killed with the guest, exit 124."""
    r = run([vm_runner, "exec", "-q", "--timeout", "8", "--", "sleep", "600"], timeout=120)
    assert r.returncode == 124, f"rc {r.returncode}\n{r.stdout}\n{r.stderr[-2000:]}"
    assert "timeout: guest still running after 8s" in r.stderr, r.stderr[-2000:]


def test_every_dedicated_syscall_has_both_drivers_programs():
    """Drift guard, no guest needed: both drivers' program tables come from one generated list
    (abi/scap_abi_progs.h: every syscall with a dedicated event in the schema's syscall table,
    and the TOCTOU ones), which the CO-RE probe's tail-call arrays and the module's filler table
    expand; the generated fillers are both drivers' (abi/scap_abi_fill.h), and each hand-written
    one (custom in the schema) exists in both: otherwise one driver would produce the generic
    event where the other produces the dedicated one."""
    progs = (ROOT / "abi" / "scap_abi_progs.h").read_text()
    exits = re.findall(r"X\((\d+), (\w+), SCAP_EVT_(\w+)\)", progs.split("SCAP_EXIT_SYSCALLS(X)")[1])
    table = (ROOT / "abi" / "scap_abi_syscalls_x86_64.h").read_text()
    events = {
        int(n): name
        for name, n in re.findall(r"SCAP_EVT_(\w+) = (\d+)", (ROOT / "abi" / "scap_abi_events.h").read_text())
    }
    dedicated = {
        int(nr): events[int(x)] for nr, f, x in re.findall(r"\[(\d+)\] = \{ (\d+), (\d+),", table) if int(f) & 1
    }
    assert len(dedicated) > 100 and {int(nr): ev for nr, _name, ev in exits} == dedicated
    for consumer in (ROOT / "bpf_core" / "programs" / "table.h", DRIVER / "probe.c"):
        text = consumer.read_text()
        assert "SCAP_EXIT_SYSCALLS(" in text and "SCAP_TOCTOU_SYSCALLS(" in text, consumer
    assert '#include "scap_abi_fill.h"' in (ROOT / "bpf_core" / "probe.bpf.c").read_text()
    assert '#include "scap_abi_fill.h"' in (DRIVER / "probe.c").read_text()
    fill = (ROOT / "abi" / "scap_abi_fill.h").read_text()
    generated = set(re.findall(r"^SCAP_FILLER_X\((\w+)\)", fill, re.M))
    hand = {name for _nr, name, _ev in exits} - generated
    assert hand == {"clone", "fork", "vfork", "clone3", "execve", "execveat"}, hand
    bpf = "".join(f.read_text() for f in (ROOT / "bpf_core" / "programs").glob("*.h"))
    kmod = "".join(f.read_text() for f in DRIVER.glob("*.c"))
    missing = [n for n in sorted(hand) if f"SC_EXIT({n})" not in bpf or f"void fill_{n}_x(" not in kmod]
    assert not missing, "hand-written fillers missing in a driver: " + ", ".join(missing)


def test_a_scratch_event_builds_into_the_module(vm_runner, tmp_path):
    """The kernel module, built (W=1, -Werror) from driver/ with the generated headers of a schema
    that has a scratch event (tests/test_schema.py: getpid with a dedicated exit event of standard
    parameters), has that event's filler in its table: a generated static function that nothing
    but the table refers to (unreferenced, it would fail the build as unused). The CO-RE probe's
    side: tests/test_schema.py::test_a_scratch_event_compiles_into_the_core_probe."""
    from test_schema import scratch_event_tree

    tree = scratch_event_tree(tmp_path / "tree")
    out = tmp_path / "build"
    (out / "abi").mkdir(parents=True)
    for f in DRIVER.iterdir():
        if f.suffix in (".c", ".h") or f.name in ("Kbuild", "Makefile"):
            shutil.copy(f, out / f.name)
    for h in (tree / "abi").glob("*.h"):
        shutil.copy(h, out / "abi" / h.name)
    kdir = run([vm_runner, "kdir"]).stdout.strip()
    r = run(["make", "-C", kdir, f"M={out}", "modules", "W=1", "PYSCAP_WERROR=1"], timeout=600)
    assert r.returncode == 0, f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    assert not [l for l in (r.stdout + r.stderr).splitlines() if "warning:" in l]
    syms = run(["nm", out / "pyscap.ko"]).stdout
    assert re.search(r"^[0-9a-f]+ t fill_getpid_x$", syms, re.M), syms[-2000:]


def test_module_builds_warning_free(kmod_ko):
    log = (kmod_ko.parent / "build.log").read_text()
    warnings = [l for l in log.splitlines() if "warning:" in l]
    assert not warnings, "\n".join(warnings)
    # modinfo: name, license and the tracepoint-only dependency set
    r = run(["modinfo", "-F", "license", kmod_ko])
    if r.returncode == 0:
        assert r.stdout.strip() == "GPL"
    # the build above is the dkms one (a copy of the sources + abi/, then make -C KDIR M=copy):
    # dkms.conf must name that module and the version the module reports
    conf = dict(re.findall(r'^(\w+(?:\[0\])?)="([^"]*)"', (DRIVER / "dkms.conf").read_text(), re.M))
    version = re.search(r'#define PYSCAP_DRIVER_VERSION "([^"]+)"', (DRIVER / "main.c").read_text()).group(1)
    assert conf["PACKAGE_NAME"] == conf["BUILT_MODULE_NAME[0]"] == kmod_ko.stem == "pyscap", conf
    assert conf["PACKAGE_VERSION"] == version, (conf, version)
    assert "M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build" in conf["MAKE[0]"], conf
    assert (kmod_ko.parent / "dkms.conf").exists() and (kmod_ko.parent / "abi" / "scap_abi.h").exists()


def test_driver_cases_under_kmod(vm_runner, kmod_ko, guest_bins, accel):
    """The CO-RE probe's driver test cases (tests/drivers/), run against engine "kmod"."""
    names = run([guest_bins["driver_test"], "--list"]).stdout.split()
    assert len(names) >= 20, names
    # the same name as the host build's program (the cases read comm and argv at run time)
    r = guest(
        vm_runner,
        "insmod pyscap.ko && ./driver_test --engine kmod --run-all; rc=$?; "
        "rmmod pyscap || rc=99; dmesg | grep -E 'pyscap: (leak|event)' && rc=98; exit $rc",
        [kmod_ko, (guest_bins["driver_test"], "driver_test")],
        smp=tcg_smp(accel),
    )
    results = {name: status for status, name in re.findall(r"^(PASS|FAIL|SKIP) ([^:\s]+)", r.stdout, re.M)}
    missing = [n for n in names if n not in results]
    failed = [l for l in r.stdout.splitlines() if l.startswith("FAIL")]
    assert not missing, f"cases without a result: {missing}\n{r.stdout}\n{r.stderr[-2000:]}"
    assert not failed, "\n".join(failed)
    assert r.returncode == 0, f"rc {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"


def test_kmod_errors_busy_and_unload(vm_runner, kmod_ko, guest_bins, accel):
    """Module not loaded -> ENOENT with the insmod hint; a second consumer -> EBUSY; a second capture
    in the consumer's own process -> refused, the first unharmed; rmmod while a consumer is attached
    is refused cleanly (module in use), and succeeds once it left."""
    script = r"""
./kmod_tool consume kmod 1 2>e0; echo "noload rc=$?"; cat e0
insmod pyscap.ko || exit 10
./kmod_tool consume kmod 60 >c1 2>&1 &
C=$!
n=0; while ! grep -q ready c1; do sleep 0.1; n=$((n+1)); [ $n -gt 100 ] && exit 11; done
./kmod_tool consume kmod 1 2>e1; echo "busy rc=$?"; cat e1
rmmod pyscap 2>e2; echo "rmmod-attached rc=$?"; cat e2
kill -TERM $C
wait $C; echo "consumer rc=$?"; cat c1
./kmod_tool twice 2>e3; echo "twice rc=$?"; cat e3
rmmod pyscap; echo "rmmod rc=$?"
dmesg | grep pyscap
"""
    # the consumer registers and unregisters the tracepoints: one vCPU under TCG (tcg_smp)
    r = guest(vm_runner, script, [kmod_ko, guest_bins["tool"]], smp=tcg_smp(accel))
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert re.search(
        r"noload rc=1\n.*the pyscap kernel module is not loaded \(modprobe pyscap / insmod "
        r"driver/pyscap.ko\)",
        out,
    ), out
    assert re.search(
        r"busy rc=1\n.*is busy: another process is capturing with the pyscap kernel module "
        r"\(one consumer at a time\) \(errno 16\)",
        out,
    ), out
    assert re.search(r"rmmod-attached rc=[1-9]", out), out
    # once the other consumer left: one process, two kmod captures: the second refused
    assert re.search(r"twice rc=0\n.*this process already has a kmod capture open \(one capture per process\)", out), (
        out
    )
    assert "first capture still delivers: yes" in out, out
    assert "consumer rc=0" in out, out
    m = re.search(r"delivered (\d+) dropped (\d+) generated (\d+)", out)
    assert m and int(m.group(1)) + int(m.group(2)) == int(m.group(3)) and int(m.group(3)) > 0, out
    assert "rmmod rc=0" in out, out
    assert "refused to pid" in out, out  # the driver says why it refused the second consumer


def test_kmod_bad_arguments_concurrent_opens_and_a_killed_consumer(vm_runner, kmod_ko, guest_bins, accel):
    """Issue 21's kmod faults, under panic_on_warn (an oops or a WARN fails the run): every bad
    ioctl argument and mmap gets its errno (kmod_tool badargs); a stopped capture's unread ring
    is counted as unread (kmod_tool undrained); four consumers opened at once:
    one captures, three are told the device is busy; a consumer SIGKILLed mid-read under a storm
    leaves the module usable (the next consumer's counts add up) and unloadable."""
    script = r"""
insmod pyscap.ko || exit 10
./kmod_tool badargs; echo "badargs rc=$?"
./kmod_tool undrained; echo "undrained rc=$?"
for i in 1 2 3 4; do ./kmod_tool consume kmod 3 >o$i 2>&1 & done
wait
for i in 1 2 3 4; do echo "open$i: $(grep -c 'is busy' o$i) busy, $(grep -c ready o$i) ready"; done
./kmod_tool storm 60 >/dev/null 2>&1 &
S=$!
./kmod_tool consume kmod 60 >c1 2>&1 &
C=$!
n=0; while ! grep -qs ready c1; do sleep 0.1; n=$((n+1)); [ $n -gt 100 ] && exit 11; done
sleep 1
kill -KILL $C; wait $C; echo "killed rc=$?"
./kmod_tool consume kmod 2 >c2 2>&1; echo "after rc=$?"; cat c2
kill $S; wait $S
rmmod pyscap; echo "rmmod rc=$?"
echo "kernel complaints: $(dmesg | grep -cE 'BUG: |WARNING: |Oops: |Call Trace')"
"""
    r = guest(vm_runner, script, [kmod_ko, guest_bins["tool"]], smp=tcg_smp(accel))
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "badargs: 0 wrong" in out and "badargs rc=0" in out, out
    # stopped with a full ring and not read: its events are unread, the rest dropped
    m = re.search(r"undrained: generated (\d+) delivered 0 dropped (\d+) unread (\d+)", out)
    assert m and int(m.group(1)) == int(m.group(2)) + int(m.group(3)) >= 500_000 and "undrained rc=0" in out, out
    assert len(re.findall(r"^[a-z_]+\(.*\)?.*: errno \d+$|^[a-z ]+: errno \d+$", out, re.M)) >= 20, out
    opens = re.findall(r"^open\d: (\d) busy, (\d) ready$", out, re.M)
    assert sorted(opens) == [("0", "1"), ("1", "0"), ("1", "0"), ("1", "0")], out
    assert "killed rc=137" in out, out
    assert "after rc=0" in out, out
    m = re.search(r"delivered (\d+) dropped (\d+) generated (\d+)", out[out.index("after rc=0") :])
    assert m and int(m.group(1)) + int(m.group(2)) == int(m.group(3)) > 0, out
    assert "rmmod rc=0" in out and "kernel complaints: 0" in out, out


def test_cross_driver_identical_parameters(vm_runner, kmod_ko, guest_bins):
    """One workload (about 120 syscalls with dedicated events, a thread, a forked child that execs),
    both drivers capturing at once: for every tid of the workload the two engines deliver the same
    event sequence with byte-identical parameters. Excluded: the header timestamp (each driver
    reads its own clock at its own instant) and clone's pidns_init_start_ts, a wall-clock time built
    on each engine's realtime-boottime offset, accepted within 10 ms (kmod_tool.c near_wallclock)."""
    r = guest(
        vm_runner, "insmod pyscap.ko && ./kmod_tool cross; rc=$?; rmmod pyscap; exit $rc", [kmod_ko, guest_bins["tool"]]
    )
    require(
        r.returncode != 77,
        "the CO-RE probe does not load in the guest (or kmod_tool was built without it): "
        + (r.stderr.strip().splitlines() or ["?"])[-1][:400],
    )
    diffs = [l for l in r.stdout.splitlines() if l.startswith("DIFF")]
    assert not diffs, "\n".join(diffs[:50])
    assert r.returncode == 0, f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    m = re.search(
        r"cross: 3 tids, kmod (\d+) events \(0 dropped\), bpf_core (\d+) events \(0 dropped\), "
        r"(\d+) same .*, 0 differences",
        r.stdout,
    )
    assert m and m.group(1) == m.group(2) == m.group(3), r.stdout[-3000:]
    types = set(re.findall(r"^SAME (\w+) ", r.stdout, re.M))
    assert len(types) >= 110, sorted(types)
    for t in (
        "execve",
        "clone3",
        "procexit",
        "connect",
        "accept4",
        "recvmsg",
        "openat2",
        "ppoll",
        "semop",
        "prctl",
        "ptrace",
        "socketpair",
        "mmap",
        "getdents64",
        "sendfile",
    ):
        assert t in types, (t, sorted(types))


def test_cross_driver_ia32_workload(vm_runner, kmod_ko, guest_bins, tmp_path):
    """A static 32-bit workload (tests/ia32/workload32.c: socketcall, mmap2, the old mmap, _llseek,
    pread64 with a split offset, compat iovecs and msghdr, old_timespec32, compat_rlimit, setuid32,
    fork, execve, the five TOCTOU syscalls' enter events) under both drivers at once in the 6.1
    guest: for its tid and its child's, the kmod delivers the CO-RE probe's events with
    byte-identical parameters (whose exact values tests/test_ia32_live.py asserts on this machine's
    kernel)."""
    from test_ia32_live import build_ia32

    w32, _ = build_ia32(tmp_path)
    r = guest(
        vm_runner,
        "insmod pyscap.ko && ./kmod_tool cross32 ./workload32; rc=$?; rmmod pyscap; exit $rc",
        [kmod_ko, guest_bins["tool"], w32],
    )
    require(
        r.returncode != 77,
        "the CO-RE probe does not load in the guest (or kmod_tool was built without it): "
        + (r.stderr.strip().splitlines() or ["?"])[-1][:400],
    )
    diffs = [l for l in r.stdout.splitlines() if l.startswith("DIFF")]
    assert not diffs, "\n".join(diffs[:50])
    assert r.returncode == 0, f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    m = re.search(
        r"cross32: 3 tids, kmod (\d+) events \(0 dropped\), bpf_core (\d+) events \(0 dropped\), (\d+) same", r.stdout
    )
    assert m and m.group(1) == m.group(2) == m.group(3), r.stdout[-3000:]
    counts = {}
    for t in re.findall(r"^SAME (\w+) ", r.stdout, re.M):
        counts[t] = counts.get(t, 0) + 1
    # enter + exit of the TOCTOU syscalls (connect: glibc's, socketcall's, the direct one)
    expect = {"openat": 2, "open": 2, "creat": 2, "openat2": 2, "connect": 6, "socket": 3, "sendmsg": 1}
    expect.update({"pread": 1, "readv": 1, "writev": 1, "nanosleep": 1, "setuid": 1, "lseek": 3})
    expect.update({"clone": 2, "execve": 2})
    for t, n in expect.items():
        assert counts.get(t, 0) >= n, (t, counts)
    assert counts.get("mmap", 0) >= 2 and counts.get("getrlimit", 0) >= 2, counts


def test_kmod_exclude_paths(vm_runner, kmod_ko, guest_bins):
    """exclude_paths in the module (tests/test_exclude_paths_live.py is the CO-RE probe's): the
    open, openat, openat2 and creat events of /tmp/kx, what is under it and /proc are dropped in the
    driver and counted in n_excluded; /tmp/kxy, /procx and a relative path come through."""
    r = guest(
        vm_runner,
        "insmod pyscap.ko && ./kmod_tool exclude kmod; rc=$?; rmmod pyscap; exit $rc",
        [kmod_ko, guest_bins["tool"]],
    )
    assert r.returncode == 0, f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    assert "exclude: kmod 22 delivered (want 22), 20 excluded (want 20)" in r.stdout, r.stdout


def test_load_unload_cycles_with_consumer_and_storm(vm_runner, kmod_ko, guest_bins, accel):
    """100 x (load, attach a consumer while a syscall storm runs in another process, consume until
    events arrive, unload refused while attached, detach: module refcount back to 0, unload), with
    panic_on_warn: no warning, oops, stall or lockup in dmesg, no leak. Leaks: the module counts its
    own allocations (\"pyscap: leak\" on a consumer's exit otherwise) and vmalloc use must not grow;
    the Debian kernel has no kmemleak. 64 KiB rings keep a cycle near 1 s under TCG."""
    script = r"""
./kmod_tool storm 900 >/dev/null &
S=$!
./kmod_tool cycles pyscap.ko 100 buffer_bytes=65536
rc=$?
kill $S
dmesg | grep -E 'WARNING|BUG|Oops|stall|lockup|pyscap: (leak|event)' && rc=15
exit $rc
"""
    r = guest(vm_runner, script, [kmod_ko, guest_bins["tool"]], timeout=400, smp=tcg_smp(accel))
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    m = re.search(r"cycles=100 vmalloc_kb (\d+) -> (\d+) slab_kb (\d+) -> (\d+)", out)
    assert m, out[-3000:]
    assert len(re.findall(r"^cycle \d+ events [1-9]\d* refcnt_attached [1-9]", out, re.M)) == 100, out[-3000:]
    # one leaked ring (64 KiB + its info page) per cycle would add 6.8 MB
    assert int(m.group(2)) - int(m.group(1)) < 256, out[-3000:]
    assert int(m.group(4)) - int(m.group(3)) < 4096, out[-3000:]


# the cases of the five TOCTOU enter events (every parameter checked), and a few that check the
# dispatcher's controls on the same capture
ENTER_CASES = (
    "generic,open,creat,openat,openat2,tcp_socket_bind_listen_connect_accept4_sendto_recvfrom_shutdown,"
    "exclude_self,ppm_sc_runtime,empty_wait"
)


TOCTOU_HOOKS = {
    "fentry": "fentry (__x64_sys_*)",
    "tracepoint": "the syscall tracepoints (syscalls/sys_enter_*)",
    "sys_enter": "the raw sys_enter tracepoint (every syscall enters it)",
}


@pytest.mark.parametrize("flavour", list(TOCTOU_HOOKS))
def test_core_probe_enter_flavours_in_guest(vm_runner, guest_bins, accel, flavour):
    """CO-RE on a second kernel (Debian 6.1), and every hook of the TOCTOU enter events. This
    VM's kernel refuses fentry programs (EPERM); the guest's kernel runs them, so by default the
    probe puts open, creat, openat, openat2 and connect on fentry/__x64_sys_* there (and says so);
    SCAP_BPF_CORE_TOCTOU picks the syscall tracepoints or the raw sys_enter dispatcher. The cases
    assert every parameter of the enter and exit events."""
    env = "" if flavour == "fentry" else f"SCAP_BPF_CORE_TOCTOU={flavour} "
    r = guest(
        vm_runner,
        f"{env}DRIVER_TEST_VERBOSE=1 ./driver_test --engine bpf_core --run {ENTER_CASES} 2>err; "
        "rc=$?; grep -E 'TOCTOU|fentry' err; exit $rc",
        [(guest_bins["driver_test"], "driver_test")],
        timeout=600,
        smp=tcg_smp(accel),
    )
    out = r.stdout
    assert f"TOCTOU enter events on {TOCTOU_HOOKS[flavour]}" in out, f"{out[-3000:]}\n{r.stderr[-2000:]}"
    results = {n: s for s, n in re.findall(r"^(PASS|FAIL|SKIP) ([^:\s]+)", out, re.M)}
    assert sorted(results) == sorted(ENTER_CASES.split(",")), out[-3000:]
    failed = [l for l in out.splitlines() if l.startswith("FAIL")]
    assert not failed, "\n".join(failed)
    assert r.returncode == 0, f"rc {r.returncode}\n{out[-2000:]}\n{r.stderr[-2000:]}"
