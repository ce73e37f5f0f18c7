"""Falco's rules live (root, bpf_core): the four upstream rules of tests/data/rules/
falco_upstream.yaml, tuned by falco_local.yaml as a Falco user would, fire on the actions they
describe, performed here: cat reads /etc/shadow, a shell starts below a parent named nginx, a
process writes a file below /etc (removed at once), a process connects to a TCP port of this
machine; a rule on fd.sip.name matches the domain name of a connection. Each alert, its priority
and every output field are checked exactly (the values the kernel and /proc give)."""

import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

import pyscap
from conftest import DATA, ROOT
from pyscap import Priority, Ruleset

RULES = DATA / "rules"
PY = sys.executable
PY_EXE = os.path.realpath(sys.executable)
COMM = os.path.basename(sys.executable)[:15]  # the comm of a process exec'd from sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    comm = text[text.index("(") + 1 : text.rindex(")")]
    rest = text[text.rindex(")") + 2 :].split()
    return comm, int(rest[1]), int(rest[4])  # comm, ppid, tty_nr


def ancestors(pid, n):
    """The comms of pid and its ancestors (pid first), None past the first process: the field
    extracts nothing there (null in output_fields, <NA> in the text), as upstream's does."""
    out = []
    while len(out) < n:
        if pid <= 0:
            out.append(None)
            continue
        comm, ppid, _ = proc_stat(pid)
        out.append(comm)
        pid = ppid
    return out


def cmdline(pid):
    """proc.cmdline of a process: its comm, then argv[1:]."""
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        argv = f.read().split(b"\0")[:-1]
    return " ".join([proc_stat(pid)[0], *(a.decode() for a in argv[1:])])


def loginuid():
    with open("/proc/self/loginuid") as f:
        v = int(f.read())
    return -1 if v == 0xFFFFFFFF else v


def outbound_address():
    """A local IPv4 address that Falco's `outbound` macro counts as outbound (not 127/8, not
    RFC 1918): one of this machine's, or 198.51.100.7 added to lo for the test (None then)."""
    r = subprocess.run(["ip", "-j", "-4", "addr"], capture_output=True, text=True)
    private = [ipaddress.ip_network(n) for n in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
    if r.returncode == 0:
        for iface in json.loads(r.stdout):
            for a in iface.get("addr_info", []):
                ip = ipaddress.ip_address(a["local"])
                if not any(ip in n for n in private):
                    return str(ip), None
    subprocess.run(["ip", "addr", "add", "198.51.100.7/32", "dev", "lo"], check=True)
    return "198.51.100.7", "198.51.100.7/32"


@pytest.fixture
def ruleset():
    rs = Ruleset.load([RULES / "falco_upstream.yaml", RULES / "falco_local.yaml", RULES / "live.yaml"], hostname="h")
    yield rs
    rs.close()


def collect(cap, rs, want, timeout=20.0):
    """The alerts of cap until every (rule, marker) of want has one whose output holds the marker."""
    got = {}
    deadline = time.monotonic() + timeout
    for a in cap.alerts(rs, timeout=timeout):
        for key in want:
            rule, marker = key
            if key not in got and a.rule == rule and marker in a.output:
                got[key] = a
        if len(got) == len(want) or time.monotonic() > deadline:
            break
    missing = [k for k in want if k not in got]
    assert not missing, f"no alert for {missing} (capture: {cap.stats()})"
    return got


def test_upstream_rules_fire_on_the_actions_they_describe(live_bpf, ruleset):
    me = os.getpid()
    chain = ancestors(me, 8)  # this process, its parent, ...
    tty = proc_stat(me)[2]
    luid = loginuid()
    work = tempfile.mkdtemp(prefix="pyscap-rules-")
    nginx = os.path.join(work, "nginx")
    os.symlink(PY, nginx)
    etc_file = f"/etc/pyscap-rules-test-{me}"
    addr, added = outbound_address()
    srv = socket.socket()
    srv.bind((addr, 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    lo = socket.socket()
    lo.bind(("127.0.0.1", 0))
    lo.listen(4)
    lo_port = lo.getsockname()[1]
    shell_code = "import subprocess; subprocess.run(['sh', '-c', 'exit 0'])"
    write_code = f"import os; open({etc_file!r}, 'w').write('x'); os.unlink({etc_file!r})"
    connect_code = (
        f"import socket; s = socket.create_connection(({addr!r}, {port})); print(s.getsockname()[1]); s.close(); "
        f"s = socket.create_connection(('127.0.0.1', {lo_port})); print(s.getsockname()[1]); s.close()"
    )
    try:
        with pyscap.open_live(exclude_self=False, buffer_size=16 << 20) as cap:
            subprocess.run(["cat", "/etc/shadow"], stdout=subprocess.DEVNULL, check=True)
            subprocess.run([nginx, "-c", shell_code], check=True)
            subprocess.run([PY, "-c", write_code], check=True)
            r = subprocess.run([PY, "-c", connect_code], capture_output=True, text=True, check=True)
            cport, lo_cport = (int(x) for x in r.stdout.split())
            got = collect(
                cap,
                ruleset,
                [
                    ("Read sensitive file untrusted", "command=cat /etc/shadow"),
                    ("Run shell untrusted", "command=sh -c exit 0"),
                    ("Write below etc", f"file={etc_file}"),
                    ("Unexpected outbound connection destination", f"->{addr}:{port}"),
                    ("Connect by domain name", f"->127.0.0.1:{lo_port}"),
                ],
            )
    finally:
        srv.close()
        lo.close()
        shutil.rmtree(work, ignore_errors=True)
        if added:
            subprocess.run(["ip", "addr", "del", added, "dev", "lo"])
    assert not os.path.exists(etc_file)
    base = {"user.name": "root", "user.uid": 0, "user.loginuid": luid, "proc.tty": tty}

    a = got[("Read sensitive file untrusted", "command=cat /etc/shadow")]
    fields = {
        **base,
        "evt.arg.flags": "1(O_RDONLY)",
        "evt.type": "openat",
        "fd.name": "/etc/shadow",
        "proc.aname[2]": chain[1],
        "proc.aname[3]": chain[2],
        "proc.aname[4]": chain[3],
        "proc.cmdline": "cat /etc/shadow",
        "proc.exepath": os.path.realpath(shutil.which("cat")),
        "proc.name": "cat",
        "proc.pname": chain[0],
        "evt.time": a.time,
    }
    text = (
        "Sensitive file opened for reading by non-trusted program (file=/etc/shadow gparent={proc.aname[2]} "
        "ggparent={proc.aname[3]} gggparent={proc.aname[4]} evt_type=openat user=root user_uid=0 "
        "user_loginuid={user.loginuid} process=cat proc_exepath={proc.exepath} parent={proc.pname} "
        "command=cat /etc/shadow terminal={proc.tty} exe_flags=1(O_RDONLY) )"
    )
    check(a, "Warning", Priority.WARNING, text, fields)
    assert a.tags == ("T1555", "container", "filesystem", "host", "maturity_stable", "mitre_credential_access")

    a = got[("Run shell untrusted", "command=sh -c exit 0")]
    dash = os.path.realpath(shutil.which("sh"))
    flags = "1(EXE_WRITABLE)" if os.access(dash, os.W_OK) else "0"
    fields = {
        **base,
        "evt.arg.flags": flags,
        "evt.type": "execve",
        "proc.aname[2]": chain[0],
        "proc.aname[3]": chain[1],
        "proc.aname[4]": chain[2],
        "proc.aname[5]": chain[3],
        "proc.aname[6]": chain[4],
        "proc.aname[7]": chain[5],
        "proc.cmdline": "sh -c exit 0",
        "proc.exepath": dash,
        "proc.name": "sh",
        "proc.pcmdline": f"nginx -c {shell_code}",
        "proc.pexe": nginx,
        "proc.pexepath": PY_EXE,
        "proc.pname": "nginx",
        "evt.time": a.time,
    }
    text = (
        "Shell spawned by untrusted binary (parent_exe={proc.pexe} parent_exepath={proc.pexepath} "
        "pcmdline={proc.pcmdline} gparent={proc.aname[2]} ggparent={proc.aname[3]} aname[4]={proc.aname[4]} "
        "aname[5]={proc.aname[5]} aname[6]={proc.aname[6]} aname[7]={proc.aname[7]} evt_type=execve user=root "
        "user_uid=0 user_loginuid={user.loginuid} process=sh proc_exepath={proc.exepath} parent=nginx "
        "command=sh -c exit 0 terminal={proc.tty} exe_flags={evt.arg.flags} )"
    )
    check(a, "Notice", Priority.NOTICE, text, fields)

    a = got[("Write below etc", f"file={etc_file}")]
    fields = {
        **base,
        "evt.type": "openat",
        "fd.name": etc_file,
        "proc.aname[2]": chain[1],
        "proc.aname[3]": chain[2],
        "proc.aname[4]": chain[3],
        "proc.cmdline": f"{COMM} -c {write_code}",
        "proc.exepath": PY_EXE,
        "proc.name": COMM,
        "proc.pcmdline": cmdline(me),
        "proc.pname": chain[0],
        "evt.time": a.time,
    }
    text = (
        "File below /etc opened for writing | file={fd.name} pcmdline={proc.pcmdline} gparent={proc.aname[2]} "
        "ggparent={proc.aname[3]} gggparent={proc.aname[4]} evt_type=openat user=root user_uid=0 "
        "user_loginuid={user.loginuid} process={proc.name} proc_exepath={proc.exepath} parent={proc.pname} "
        "command={proc.cmdline} terminal={proc.tty}"
    )
    check(a, "Error", Priority.ERROR, text, fields)

    a = got[("Unexpected outbound connection destination", f"->{addr}:{port}")]
    fields = {
        **base,
        "evt.arg.flags": None,
        "evt.type": "connect",
        "fd.lport": cport,
        "fd.name": f"{addr}:{cport}->{addr}:{port}",
        "fd.rport": port,
        "fd.type": "ipv4",
        "proc.cmdline": f"{COMM} -c {connect_code}",
        "proc.exepath": PY_EXE,
        "proc.name": COMM,
        "proc.pname": chain[0],
        "evt.time": a.time,
    }
    text = (
        "Disallowed outbound connection destination (connection={fd.name} lport={fd.lport} rport={fd.rport} "
        "fd_type=ipv4 fd_proto=fd.l4proto evt_type=connect user=root user_uid=0 user_loginuid={user.loginuid} "
        "process={proc.name} proc_exepath={proc.exepath} parent={proc.pname} command={proc.cmdline} "
        "terminal={proc.tty} exe_flags=<NA> )"
    )
    check(a, "Notice", Priority.NOTICE, text, fields)

    a = got[("Connect by domain name", f"->127.0.0.1:{lo_port}")]
    fields = {
        "fd.name": f"127.0.0.1:{lo_cport}->127.0.0.1:{lo_port}",
        "fd.sip.name": "localhost",
        "proc.name": COMM,
        "evt.time": a.time,
    }
    check(a, "Informational", Priority.INFORMATIONAL, "connection to {fd.sip.name} ({fd.name}) by {proc.name}", fields)


def check(a, label, priority, text, fields):
    """An alert: its priority, its output (text with the fields' values) and output_fields."""
    values = {k: ("<NA>" if v is None else v) for k, v in fields.items()}
    line = text
    for k, v in values.items():
        line = line.replace("{" + k + "}", str(v))
    stamp = time.strftime("%H:%M:%S", time.localtime(a.time // 10**9)) + f".{a.time % 10**9:09d}"
    assert a.priority == priority
    assert a.output == f"{stamp}: {label} {line}"
    assert a.output_fields == fields
    obj = json.loads(a.json)
    assert (obj["priority"], obj["rule"], obj["hostname"], obj["source"]) == (label, a.rule, "h", "syscall")
    assert obj["output_fields"] == fields and obj["output"] == a.output


def test_cli_alerts_live_in_json(live_bpf, tmp_path):
    """pyscap --rules on a live capture: the C loop writes Falco's JSON alerts (unbuffered: each
    at once) to the alert file; SIGINT stops it cleanly."""
    out = tmp_path / "alerts.json"
    argv = [PY, "-m", "pyscap", "--rules", RULES / "falco_upstream.yaml", "--rules", RULES / "falco_local.yaml"]
    argv += ["-j", "--unbuffered", "--alert-file", out]
    p = subprocess.Popen(argv, env=ENV, stderr=subprocess.PIPE, text=True)
    mine = []
    try:
        # the alert file is opened once the capture runs
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.05)
        subprocess.run(["cat", "/etc/shadow", "-"], input="x", text=True, stdout=subprocess.DEVNULL, check=True)
        while not mine and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.1)
            lines = out.read_text().splitlines() if out.exists() else []
            mine = [a for a in map(json.loads, lines) if a["output_fields"].get("proc.cmdline") == "cat /etc/shadow -"]
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=60) == 128 + signal.SIGINT, p.stderr.read() if p.stderr else ""
    finally:
        if p.poll() is None:
            p.kill()
    assert mine, "the CLI wrote no alert for the cat"
    a = mine[0]
    assert (a["rule"], a["priority"], a["source"]) == ("Read sensitive file untrusted", "Warning", "syscall")
    assert a["output_fields"]["fd.name"] == "/etc/shadow" and a["output_fields"]["proc.name"] == "cat"
    assert a["hostname"] == socket.gethostname() and a["time"].endswith("Z")
