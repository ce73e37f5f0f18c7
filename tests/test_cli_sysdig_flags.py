"""More of sysdig's flags (issue 19): -q (no events printed: the summary and statistics still),
-U / --suppress-comm (a process's events left out, counted as suppressed), --libs-version, and
--page-faults (live: page fault events, which the default set leaves out)."""

import os
import re
import subprocess
import sys
import time

import pytest
from test_cli import pyscap

from conftest import CAPTURES, ROOT
from pyscap import _schema, open_file

CURL = CAPTURES / "curl_google.scap"


def test_quiet_prints_no_event_but_the_summary_and_stats():
    loud = pyscap("-r", CURL, "-S", "--stats")
    quiet = pyscap("-r", CURL, "-q", "-S", "--stats")
    assert loud.returncode == quiet.returncode == 0
    summary = loud.stdout[loud.stdout.index("----------------------\nEvent") :]
    assert quiet.stdout == summary and len(loud.stdout.splitlines()) > len(summary.splitlines()) + 600
    assert quiet.stderr == loud.stderr and "returned=676" in quiet.stderr
    assert pyscap("-r", CURL, "-q").stdout == ""


def test_suppress_comm():
    every = pyscap("-r", CURL, "-p", "%proc.name", "--stats")
    kept = pyscap("-r", CURL, "-p", "*%proc.name %evt.type", "-U", "curl", "-U", "nosuch", "--stats")
    assert every.returncode == kept.returncode == 0
    assert every.stdout.count("curl\n") > 600
    # the curl threads' events are gone but their exits (state cleanup, delivered as upstream does)
    assert sorted(set(kept.stdout.splitlines())) == ["<NA> procexit"], kept.stdout
    assert "returned=2 " in kept.stderr, kept.stderr


def test_libs_version():
    r = pyscap("--libs-version")
    import pyscap as p

    v = p.native_versions()
    schema = ".".join(map(str, _schema.SCHEMA_VERSION))
    api = ".".join(map(str, _schema.API_VERSION))
    assert r.returncode == 0 and r.stdout == (
        f"libscap {v['libscap']}\nlibsinsp {v['libsinsp']}\nevent schema {schema}\ndriver API {api}\n"
    )


def faulting_child() -> subprocess.Popen:
    # touches 64 MiB of fresh memory, page by page, for a few seconds
    code = "import time\nfor _ in range(30):\n    b = bytearray(64 << 20)\n    b[::4096] = b'x' * (len(b) // 4096)\n    time.sleep(0.1)\n"
    return subprocess.Popen([sys.executable, "-c", code])


@pytest.mark.parametrize("flag", [True, False])
def test_page_faults_live(live_bpf, flag):
    child = faulting_child()
    try:
        time.sleep(0.2)
        argv = ["-M", "2", "-p", "%evt.type %proc.pid", f"proc.pid={child.pid}"]
        r = pyscap(*(["--page-faults"] if flag else []), *argv)
    finally:
        child.kill()
        child.wait()
    assert r.returncode == 0, r.stderr
    faults = [line for line in r.stdout.splitlines() if line.startswith("page_fault ")]
    if flag:
        assert len(faults) > 1000, r.stdout[-2000:]  # 16,384 pages per round
        assert all(line == f"page_fault {child.pid}" for line in faults)
    else:
        assert faults == [] and r.stdout.count(f" {child.pid}\n") > 10  # its syscalls only


@pytest.mark.oracle
def test_verbose_prints_whole_buffers_and_a_summary(sysdig):
    """-v: argument lists and buffers are not cut at 80 characters (execve's env of 2,000), and
    sysdig's summary goes to stderr at the end."""
    fmt = ["-p", "%evt.num %evt.type %evt.args"]
    theirs = subprocess.run(
        [sysdig, "-r", str(CURL), "-v", *fmt, "evt.type=execve or evt.type=read"],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = pyscap("-r", CURL, "--no-convert", "-v", *fmt, "evt.type=execve or evt.type=read")
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout
    assert max(map(len, ours.stdout.splitlines())) > 2000
    short = pyscap("-r", CURL, "--no-convert", *fmt, "evt.type=execve")
    assert max(map(len, short.stdout.splitlines())) < 600  # cut without -v
    summary = r"Driver Events:0\nDriver Drops:0\nSuppressed by Comm:0\nElapsed time: \d+\.\d{3}, Captured Events: (\d+), [\d.]+ eps\n"
    m, n = re.fullmatch(summary, theirs.stderr), re.fullmatch(summary, ours.stderr)
    assert m and n and m.group(1) == n.group(1) == str(len(ours.stdout.splitlines())), (theirs.stderr, ours.stderr)


# --- -R: ports as service names ------------------------------------------------------------------

SOCKETS = "fd.type in (ipv4,ipv6) or evt.type in (connect,sendto,recvfrom)"


def _lines(argv: list[str]) -> list[str]:
    r = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


@pytest.mark.oracle
@pytest.mark.parametrize("resolve", [False, True], ids=["numbers", "-R"])
def test_resolve_ports_is_sysdigs(sysdig, resolve):
    """-R: the services database's names for ports in socket fd names and in tuple / address
    arguments, as sysdig 0.29.3 prints them (the DNS and HTTP connections of curl_google.scap);
    without it, numbers."""
    flags = ["-R"] if resolve else []
    fmt = ["-p", "%evt.num %fd.name %evt.args", SOCKETS]
    capture = str(ROOT / "tests" / "data" / "captures" / "curl_google.scap")
    theirs = _lines([sysdig, "-r", capture, *flags, *fmt])
    ours = _lines([sys.executable, "-m", "pyscap", "-r", capture, "--no-convert", *flags, *fmt])
    assert ours == theirs
    names = [line for line in ours if ":domain" in line or ":http" in line]
    assert (len(names) == 20) if resolve else (names == [])
    assert len([line for line in ours if "->" in line]) == 22


def test_no_port_names_flag():
    """-N (early sysdig's "don't convert port numbers to names"; sysdig 0.29.3 has no -N): numbers,
    and the last of -R and -N counts."""
    capture = str(ROOT / "tests" / "data" / "captures" / "curl_google.scap")
    run = lambda *flags: _lines([sys.executable, "-m", "pyscap", "-r", capture, *flags, "-p", "%fd.name", SOCKETS])  # noqa: E731
    numbers, names = run(), run("-R")
    assert numbers != names and any(":domain" in line for line in names)
    assert run("-N") == run("-R", "-N") == numbers and run("-N", "-R") == names


def test_resolve_ports_from_the_python_api():
    """Capture.set_port_resolution(): fd.name and the tuple argument name the service; the port
    fields stay numbers."""
    capture = ROOT / "tests" / "data" / "captures" / "curl_google.scap"
    rows = []
    for resolve in (True, False):
        with open_file(str(capture), filter="evt.type=connect and evt.dir=< and fd.type=ipv6") as cap:
            cap.set_port_resolution(resolve)
            rows.append(
                [(e["fd.name"].rsplit(":", 1)[1], e["fd.sport"], e["evt.arg.tuple"].rsplit(":", 1)[1]) for e in cap]
            )
    assert rows == [[("domain", 53, "domain"), ("http", 80, "http")], [("53", 53, "53"), ("80", 80, "80")]]


@pytest.mark.oracle
def test_progress_flag_prints_percent_as_sysdig(sysdig, tmp_path):
    """-P on a file: the share of the file read, in percent with two decimals, each update after a
    carriage return, ending with 100.00 and a newline, as sysdig 0.29.3 ends it; stdout unchanged."""
    capture = str(ROOT / "tests" / "data" / "captures" / "curl_google.scap")
    # bytes, not text: universal newlines would turn the carriage returns into newlines
    ours = subprocess.run(
        [sys.executable, "-m", "pyscap", "-r", capture, "-P", "-p", "%evt.num", "evt.type=open"],
        capture_output=True,
        cwd=ROOT,
    )
    plain = _lines([sys.executable, "-m", "pyscap", "-r", capture, "-p", "%evt.num", "evt.type=open"])
    assert ours.returncode == 0 and ours.stdout.decode().splitlines() == plain and plain
    err = ours.stderr.decode()
    assert re.fullmatch(r"(\r\d{1,3}\.\d\d)*\r100\.00\n", err), repr(err)
    theirs = subprocess.run([sysdig, "-r", capture, "-P", "-q"], capture_output=True)
    assert theirs.stderr.endswith(b"\r100.00\n"), theirs.stderr


def test_progress_api_on_files(tmp_path):
    """Capture.progress: 0..100, never decreasing while a file is read, 100 at its end, for a
    plain and a gzip file; None for a synthetic capture (no file)."""
    import gzip
    import shutil

    gz = ROOT / "tests" / "data" / "captures" / "curl_google.scap"  # stored gzip-compressed
    plain = tmp_path / "plain.scap"
    with gzip.open(gz, "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    for path in (plain, gz):
        with open_file(str(path)) as cap:
            seen = [cap.progress]
            for _ in cap:
                seen.append(cap.progress)
            seen.append(cap.progress)
        assert all(p is not None and 0.0 <= p <= 100.0 for p in seen), seen[:5]
        assert seen == sorted(seen) and seen[-1] == 100.0, (path, seen[:3], seen[-3:])
    from pyscap import open_events

    with open_events(b"") as cap:
        assert cap.progress is None
