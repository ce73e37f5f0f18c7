"""The command-line tool end to end (`python -m pyscap`, and the `pyscap` console script's entry
point): against Debian's sysdig 0.29.3 on the reference captures, -w/-r round trips, -z, -n, -M,
-j, -l, -L, -S, --stats, the progress line on a terminal, errors and exit codes.

Comparing with sysdig 0.29.3: its captures hold old enter+exit pairs, which pyscap converts to
current exit-only events unless --no-convert, so the comparisons use --no-convert. Known
differences, outside these comparisons:
- evt.outputtime: sysdig renders it as evt.time (its -t default), pyscap as nanoseconds.
- sysdig's default line is 0.29.3's (`%evt.outputtime ... %evt.dir %evt.type %evt.info`);
  pyscap's is current upstream's (`*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid)
  %evt.type %evt.args`). sysdig given pyscap's default with -p prints the same lines.
- procinfo events: hidden by both (libsinsp's internal events); sysdig's -n counts them, pyscap's
  does not. The comparisons also filter them out on both sides.
- -j: the same objects; sysdig sorts the keys, pyscap keeps the format's order.
- fields that differ: proc.cwd (0.29.3 prints an empty cwd after curl's execve; upstream ends
  it with '/'), fd.num of a failed open (sysdig -1, pyscap <NA>), evt.arg.fd (sysdig
  `<f>/etc/ld.so.cache`, pyscap `3(<f>/etc/ld.so.cache)` as in evt.args), fd.is_server of the
  client side of single_ipv6_conn's connection (sysdig true, pyscap false); proc.pname of curl's events
  (sysdig curl, pyscap bash); fd.name of old mmap exit events (sysdig: none, pyscap: the fd of
  the enter event); evt.rawarg.* and evt.arg.* of
  some events fail in sysdig 0.29.3 ("wrong event type 30").
"""

import gzip
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %evt.args"
SYSDIG_LINE = "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"


def pyscap(*args, timeout=300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pyscap", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        **kw,
    )


def sysdig_out(sysdig, *args) -> str:
    r = subprocess.run([sysdig, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


SYSDIG_DEFAULT = "%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"
COMPARISONS = [
    # sysdig 0.29.3's own default line (evt.time for evt.outputtime), every event, no filter
    ("curl_google.scap", SYSDIG_DEFAULT, ""),
    ("single_ipv6_conn.scap", SYSDIG_DEFAULT, ""),
    (
        "single_ipv6_conn.scap",
        "*%evt.num %proc.name %proc.pid %proc.ppid %proc.exe %proc.args %user.name",
        "evt.type != procinfo",
    ),
    ("curl_google.scap", DEFAULT, "evt.type != procinfo"),
    ("single_ipv6_conn.scap", DEFAULT, "evt.type != procinfo"),
    ("curl_google.scap", SYSDIG_LINE, "evt.type != procinfo"),
    ("single_ipv6_conn.scap", SYSDIG_LINE, "evt.type != procinfo"),
    (
        "curl_google.scap",
        "%evt.num %thread.tid %evt.type %fd.name %evt.res",
        "evt.type in (open, connect, accept, read, sendto, recvfrom) and evt.dir = <",
    ),
    (
        "single_ipv6_conn.scap",
        "%evt.num %thread.tid %evt.type %fd.name %evt.res",
        "evt.type in (open, connect, accept, read, write) and evt.dir = <",
    ),
    (
        "curl_google.scap",
        "%evt.num %fd.typechar %fd.sip %fd.sport %fd.cip %fd.cport %fd.l4proto %fd.is_server",
        "fd.type in (ipv4, ipv6)",
    ),
    (
        "curl_google.scap",
        "%evt.num %proc.name %proc.pid %proc.ppid %proc.exe %proc.args %user.name",
        "evt.type != procinfo and proc.name = curl",
    ),
    (
        "single_ipv6_conn.scap",
        "*%evt.num %evt.rawtime %evt.type %evt.rawres %evt.failed %fd.num %fd.name",
        "evt.failed = true",
    ),
    ("curl_google.scap", "%evt.num %evt.type %evt.arg.res %evt.info", "evt.type = close and evt.dir = <"),
    (
        "curl_google.scap",
        "%12evt.type|%8thread.tid|%fd.name",
        "fd.name contains /etc and evt.type in (open, read, close) and evt.dir = <",
    ),
]


@pytest.mark.parametrize("capture,fmt,filt", COMPARISONS)
def test_reading_matches_sysdig_line_for_line(sysdig, captures_dir, capture, fmt, filt):
    path = captures_dir / capture
    expected = sysdig_out(sysdig, "-r", path, "-p", fmt, *([filt] if filt else []))
    r = pyscap("--no-convert", "-r", path, "-p", fmt, *([filt] if filt else []))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert expected.count("\n") > 0
    assert r.stdout.splitlines() == expected.splitlines()


def test_default_line_is_upstreams_and_sysdig_prints_the_same(sysdig, captures_dir):
    path = captures_dir / "curl_google.scap"
    r = pyscap("--no-convert", "-r", path, "evt.type != procinfo")
    assert r.returncode == 0
    assert r.stdout == sysdig_out(sysdig, "-r", path, "-p", DEFAULT, "evt.type != procinfo")
    assert r.stdout.startswith("211 17:35:48.514632619 0 curl (17497) execve res=0 exe=curl args=-6.http")


def test_json_objects_match_sysdig(sysdig, captures_dir):
    path = captures_dir / "single_ipv6_conn.scap"
    fmt = "%evt.num %thread.tid %evt.type %fd.name %evt.rawres %fd.sport %evt.dir %evt.cpu"
    expected = [
        json.loads(x) for x in sysdig_out(sysdig, "-r", path, "-j", "-p", fmt, "evt.type != procinfo").splitlines()
    ]
    r = pyscap("--no-convert", "-r", path, "-j", "-p", fmt, "evt.type != procinfo")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    assert got == expected and len(got) == 7
    assert list(got[0]) == [
        "evt.num",
        "thread.tid",
        "evt.type",
        "fd.name",
        "evt.rawres",
        "fd.sport",
        "evt.dir",
        "evt.cpu",
    ]
    # -j alone: the default line's fields, typed
    r = pyscap("-r", path, "-j", "-n", 1, "evt.type != procinfo")
    got = json.loads(r.stdout)
    # a thread missing from the process list: upstream (and sysdig) print "<NA>" in JSON too
    assert got == {
        "evt.num": 848,
        "proc.name": "<NA>",
        "evt.time": "23:30:53.000939056",
        "evt.cpu": 1,
        "thread.tid": 25886,
        "evt.type": "socket",
        "evt.args": "fd=3(<6>) domain=10(AF_INET6) type=1 proto=6 flags=<NA> ",
    }


def test_write_then_read_round_trips(tmp_path, captures_dir):
    src = captures_dir / "curl_google.scap"
    fmt = "%evt.time %thread.tid %proc.name %evt.type %fd.name %evt.args"
    out = tmp_path / "curl.scap"
    r = pyscap("-r", src, "-w", out, "proc.name = curl")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""  # stderr is not a terminal: no progress
    assert out.read_bytes()[:4] == b"\n\r\r\n"  # pcapng section header, uncompressed
    direct = pyscap("-r", src, "-p", fmt, "proc.name = curl").stdout
    back = pyscap("-r", out, "-p", fmt).stdout
    assert back == direct and direct.count("\n") > 300
    # libsinsp's internal events (315 procinfo) are written too, as sysdig -w does
    import pyscap as api

    for f in (src, out):
        with api.open_file(str(f), internal_events=True, filter="evt.type = procinfo") as cap:
            assert sum(1 for _ in cap) == (315 if f == src else 0)
    everything = tmp_path / "all.scap"
    assert pyscap("-r", src, "-w", everything).returncode == 0
    with api.open_file(str(everything), internal_events=True, filter="evt.type = procinfo") as cap:
        assert sum(1 for _ in cap) == 315
    # evt.num restarts in the new file; the state (proc.name, fd.name) came with it
    assert pyscap("-r", out, "-n", 1, "-p", "%evt.num %proc.name").stdout == "1 curl\n"
    gz = tmp_path / "curl.scap.gz"
    r = pyscap("-r", src, "-w", gz, "-z", "proc.name = curl")
    assert r.returncode == 0 and gz.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz.read_bytes())[:4] == b"\n\r\r\n"
    assert pyscap("-r", gz, "-p", fmt).stdout == direct


def test_count_and_seconds(captures_dir):
    path = captures_dir / "single_ipv6_conn.scap"
    r = pyscap("-r", path, "-n", 3, "-p", "%evt.num", "evt.type != procinfo")
    assert r.stdout.split() == ["848", "849", "850"]
    assert pyscap("-r", path, "-n", 0).stdout == ""
    # -M: capture time from the first event shown (23:30:53.000939056); 3 s end at 23:30:56.000939056
    r = pyscap("-r", path, "-M", 3, "-p", "%evt.time", "evt.type != procinfo")
    times = r.stdout.split()
    every = pyscap("-r", path, "-p", "%evt.time", "evt.type != procinfo").stdout.split()
    assert times[0] == "23:30:53.000939056"
    assert times == [t for t in every if t <= "23:30:56.000939056"] and len(every) > len(times) >= 3


def test_field_and_event_lists():
    r = pyscap("-l")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    # sysdig's layout: a rule, the class and its description in a 30-column layout, a blank
    # line, one field per line (descriptions wrapped at 120 columns, continued at column 30)
    assert lines[:2] == ["-------------------------------", "Field Class:                  evt"]
    assert lines[2].startswith("Description:                  ") and lines[3] == ""
    assert "Field Class:                  fd" in lines and max(map(len, lines)) <= 120
    assert any(re.fullmatch(r"proc\.name {21}\S.* ", x) for x in lines)
    assert any(re.fullmatch(r"fd\.ip {25}\(FILTER ONLY\) \S.* ", x) for x in lines)
    # (a name of 30 or more characters has a line of its own)
    assert all(
        x == "" or x.startswith(("-----", "Field Class:", "Description:")) or x[29] == " " or " " not in x
        for x in lines
    )
    assert "proc.exe_ino.ctime_duration_proc_start" in lines
    import pyscap as api

    names = [f["name"] for f in api.list_fields()]
    assert sum(1 for x in lines if x.split(" ", 1)[0] in set(names)) == len(names)
    assert sum(1 for x in lines if x.startswith("Field Class:")) == len({f["class"] for f in api.list_fields()})
    md = pyscap("--list-markdown").stdout.splitlines()
    assert md[:6] == ["## Field Class: evt", "", md[2], "", "Name | Type | Description", ":----|:-----|:-----------"]
    assert "`fd.sport` | PORT | " + next(f["desc"] for f in api.list_fields() if f["name"] == "fd.sport") in md
    assert sum(1 for x in md if x.startswith("`")) == len(names)
    r = pyscap("-L")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert "< openat(FD fd, FD dirfd, FSRELPATH name, FLAGS32 flags, UINT32 mode, UINT32 dev, UINT64 ino)" in lines
    assert all(x[:2] in ("> ", "< ") for x in lines) and len(lines) > 150


def test_summary_counts_every_event_after_the_events(captures_dir):
    path = captures_dir / "single_ipv6_conn.scap"
    r = pyscap("--no-convert", "-r", path, "-S", "-p", "%evt.num", "evt.type != procinfo")
    lines = r.stdout.splitlines()
    i = lines.index("Event           #Calls")
    assert lines[i - 1] == lines[i + 1] == "-" * 22
    assert (
        lines[: i - 1]
        == pyscap("--no-convert", "-r", path, "-p", "%evt.num", "evt.type != procinfo").stdout.splitlines()
    )
    counts = {}
    for x in lines[i + 2 :]:
        m = re.fullmatch(r"([<>]) (\S+) +(\d+)", x)
        assert m and len(x.split(" ", 2)[1]) <= 15 or x[2:17].rstrip() == m.group(2), x
        counts[(m.group(1), m.group(2))] = int(m.group(3))
    assert counts == {
        (">", "socket"): 4,
        ("<", "socket"): 4,
        (">", "connect"): 3,
        ("<", "connect"): 3,
        (">", "bind"): 2,
        ("<", "bind"): 2,
        (">", "read"): 2,
        ("<", "read"): 2,
        (">", "listen"): 1,
        ("<", "listen"): 1,
        (">", "accept"): 1,
        ("<", "accept"): 1,
        (">", "write"): 1,
        ("<", "write"): 1,
    }
    assert [int(x.rsplit(" ", 1)[1]) for x in lines[i + 2 :]] == sorted(counts.values(), reverse=True)


def test_stats_go_to_stderr(captures_dir):
    path = captures_dir / "single_ipv6_conn.scap"
    r = pyscap("-r", path, "--stats", "-p", "%evt.num", "evt.type = connect")
    assert r.returncode == 0 and r.stdout.split() == ["1137", "1138", "1140", "1141", "1144", "1146"]
    assert r.stdout == pyscap("-r", path, "-p", "%evt.num", "evt.type = connect").stdout
    # the 1700 procinfo events are libsinsp's internal events: hidden before the filter (upstream)
    assert r.stderr == (
        "pyscap: events=1728 delivered=1717 returned=6 filtered=11 drops=0 (buffer=0 too_large=0) "
        "skipped=0 converted=16 internal=1700 unread=0 excluded=0\n"
    ), r.stderr


def test_progress_line_when_stderr_is_a_terminal(tmp_path, captures_dir):
    out = tmp_path / "p.scap"
    master, slave = pty.openpty()
    p = subprocess.Popen(
        [sys.executable, "-m", "pyscap", "-r", str(captures_dir / "curl_google.scap"), "-w", str(out)],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
    )
    os.close(slave)
    p.wait(timeout=300)
    data = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    assert p.returncode == 0 and p.stdout.read() == b""
    text = data.decode()
    import pyscap as api

    with api.open_file(str(out), internal_events=True) as cap:
        written = sum(1 for _ in cap)
    assert text.startswith("\rpyscap: ") and text.endswith(f"\rpyscap: {written} events written to {out}\r\n"), text
    assert written == 991  # the converted capture: every event, procinfo included


def test_errors_are_one_line_with_meaningful_exit_codes(tmp_path, captures_dir):
    path = captures_dir / "single_ipv6_conn.scap"
    cases = [
        (["--bogus"], 2, r"pyscap: unrecognized arguments: --bogus \(see pyscap --help\)"),
        (["-n", "x", "-r", path], 2, r"pyscap: argument -n/--numevents: invalid int value: 'x' \(see pyscap --help\)"),
        (["-n", "-3", "-r", path], 2, r"pyscap: -n needs a count >= 0"),
        (["-z", "-r", path], 2, r"pyscap: -z compresses the file written with -w: give -w FILE"),
        (["-r", path, "evt.type = = x"], 2, r"pyscap: bad filter: expected a value after '=' at position 11"),
        (
            ["-r", path, "proc.nmae = x"],
            2,
            r"pyscap: bad filter: unknown field 'proc.nmae' \(did you mean 'proc.name'\?\).*",
        ),
        (["-r", path, "-p", "%evt.nope"], 2, r"pyscap: bad format: .*unknown field 'evt.nope'.*"),
        (["-r", tmp_path / "missing.scap"], 3, r"pyscap: cannot open the capture: .*missing.scap: no such file"),
        (["-r", path, "-w", tmp_path / "no" / "dir.scap"], 1, r"pyscap: .*cannot write .*dir.scap.*"),
    ]
    for args, code, pattern in cases:
        r = pyscap(*args)
        assert r.returncode == code, (args, r.stderr)
        assert r.stdout == "" and r.stderr.endswith("\n") and r.stderr.count("\n") == 1, (args, r.stderr)
        assert re.fullmatch(pattern, r.stderr.rstrip("\n")), (args, r.stderr)


def test_missing_native_libraries(tmp_path, captures_dir):
    env = {**os.environ, "PYSCAP_LIB_DIR": str(tmp_path), "PYSCAP_BUILD_DIR": str(tmp_path)}
    if any(Path(ROOT / "pyscap").glob("libscap.so*")):
        pytest.skip("the libraries are installed inside the package directory")
    for args in (["-l"], ["-r", captures_dir / "curl_google.scap"]):
        r = pyscap(*args, env=env)
        assert r.returncode == 3 and r.stdout == "", r.stderr
        assert re.fullmatch(
            r"pyscap: (cannot open the capture: )?cannot find libscap.so.0 and libsinsp.so.0 "
            r"\(looked in: .*\); build them .*\n",
            r.stderr,
        ), r.stderr


def test_damaged_file_prints_the_good_events_then_fails(tmp_path, captures_dir):
    cut = tmp_path / "cut.scap"
    cut.write_bytes(gzip.decompress((captures_dir / "curl_google.scap").read_bytes())[:100000])
    r = pyscap("-r", cut, "-p", "%evt.num", "evt.type != procinfo")
    assert r.returncode == 1
    whole = pyscap("-r", captures_dir / "curl_google.scap", "-p", "%evt.num", "evt.type != procinfo").stdout.split()
    assert r.stdout.split() == [n for n in whole if int(n) <= 484] and len(r.stdout.split()) > 200
    assert re.fullmatch(r"pyscap: .*cut.scap: at byte offset 99992: .*truncated\?\)\n", r.stderr), r.stderr


def test_console_script_entry_point():
    setup = (ROOT / "setup.py").read_text()
    assert '"console_scripts": ["pyscap=pyscap.cli:main"]' in setup
    code = "import sys; from pyscap.cli import main; sys.argv = ['pyscap', '-V']; main()"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    import pyscap as api

    assert r.returncode == 0 and r.stdout == f"pyscap {api.__version__}\n"


def test_live_without_privileges(live_bpf):
    code = textwrap.dedent("""
        import os, sys
        import pyscap, pyscap.cli
        import locale  # argparse imports it on first use, and this interpreter may live under /root (0700)
        pyscap.open_file  # load the libraries as root, then drop privileges
        os.setgroups([]); os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534)
        pyscap.cli.main(["-n", "1"])
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 3 and r.stdout == ""
    assert re.fullmatch(
        r"pyscap: no permission to capture live \(run as root, or with CAP_BPF and CAP_PERFMON: "
        r"docs/privileges\.md\): .*\n",
        r.stderr,
    ), r.stderr


def test_live_snaplen(live_bpf, tmp_path):
    writer = tmp_path / "pyscapsnap"  # a comm of our own: filterable before the process exists
    writer.write_bytes(Path("/bin/echo").read_bytes())
    writer.chmod(0o755)
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pyscap",
            "-n",
            "1",
            "-s",
            "16",
            "-p",
            "%proc.name %evt.rawres %evt.arg.data",
            "proc.name = pyscapsnap and evt.type = write",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        subprocess.run([str(writer), "A" * 99], stdout=subprocess.DEVNULL)
        time.sleep(0.05)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out == "pyscapsnap 100 " + "A" * 16 + "\n"


@pytest.mark.slow
def test_live_write_count_and_ctrl_c(live_bpf, tmp_path):
    out = tmp_path / "live.scap"
    # an idle machine may make no getppid/write for minutes: a process of ours makes them
    busy = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, time\nfor _ in range(60000):\n    os.getppid(); os.write(2, b''); time.sleep(0.005)",
        ]
    )
    try:
        r = pyscap("-w", out, "-n", 20, "-s", 16, "--stats", "evt.type = getppid or evt.type = write", timeout=300)
    finally:
        busy.kill()
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"pyscap: events=\d+ delivered=\d+ returned=20 filtered=\d+ drops=0 .*\n", r.stderr)
    assert pyscap("-r", out, "-p", "%evt.num").stdout.split() == [str(i) for i in range(1, 21)]
    # Ctrl-C: the capture closes, the exit code is 130
    p = subprocess.Popen(
        [sys.executable, "-m", "pyscap", "-p", "%evt.num", "evt.type = getppid"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    time.sleep(20)  # opening the probe takes a few seconds on a loaded machine
    p.send_signal(signal.SIGINT)
    out_, err = p.communicate(timeout=60)
    assert p.returncode == 130 and err == "", err
    assert all(x.isdigit() for x in out_.split())
