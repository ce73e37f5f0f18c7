"""Issue 21, least privilege: what pyscap does to the host it runs on. Paths from events are
never opened on the host: a capture of files and an executable that still exist here, read back
with every field a format can print (and the filters that test paths), makes the reader open,
stat, read or exec none of them -- watched by a live capture of the reader. Files pyscap
writes (-w, -z, rotated files, --alert-file) are not world-writable even under umask 000."""

import json
import os
import shutil
import stat
import subprocess
import sys
import time

import pyscap
from conftest import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# every syscall of the schema that takes a path or runs a file
PATH_SYSCALLS = [
    "open",
    "openat",
    "openat2",
    "creat",
    "stat",
    "lstat",
    "newfstatat",
    "statx",
    "access",
    "faccessat",
    "faccessat2",
    "readlink",
    "readlinkat",
    "execve",
    "execveat",
    "chdir",
    "truncate",
    "getxattr",
    "lgetxattr",
    "listxattr",
    "inotify_add_watch",
    "name_to_handle_at",
    "open_by_handle_at",
]


def every_printable_field() -> str:
    names = [
        f["name"]
        for f in pyscap.list_fields()
        if not f["flags"] & (2 | 4)  # SINSP_FIELD_ARG_REQUIRED, SINSP_FIELD_FILTER_ONLY
    ]
    return "*" + " ".join(f"%{n}" for n in names)


def known(names):
    codes = {sc.name.lower() for sc in pyscap.PpmSc}
    return [n for n in names if n in codes]


def test_paths_from_events_are_never_opened(live_bpf, tmp_path):
    trap = tmp_path / "trap"
    trap.mkdir()
    exe = trap / "trap-exe"
    shutil.copy("/bin/true", exe)
    data = trap / "data.txt"
    data.write_text("x")
    link = trap / "link"
    link.symlink_to(data)
    capture = tmp_path / "trap.scap"
    # 1. a capture of a process that opens, stats, reads a link to and runs files in trap/
    script = (
        f"import os; os.stat({str(data)!r}); open({str(data)!r}).read(); os.readlink({str(link)!r}); "
        f"os.access({str(exe)!r}, os.X_OK); os.execv({str(exe)!r}, [{str(exe)!r}])"
    )
    with pyscap.open_live(timeout=60) as cap, pyscap.Dumper(str(capture), cap) as dump:
        p = subprocess.Popen([sys.executable, "-c", script])
        p.wait(timeout=60)
        deadline = time.monotonic() + 10
        seen_exec = False
        for e in cap:
            dump.write(e)
            if e.get("proc.pid") == p.pid and e.name == "execve" and e.get("proc.exepath") == str(exe):
                seen_exec = True
            if (seen_exec and e.get("proc.pid") != p.pid) or time.monotonic() > deadline:
                break
    assert seen_exec
    with pyscap.open_file(str(capture), filter=f"fd.name startswith {trap}") as cap:
        assert sum(1 for _ in cap) >= 2  # the capture does name the trap's paths

    # 2. read it back with every field and path filters, under a live capture of the reader
    fmt = every_printable_field()
    filt = (
        f"fd.name startswith {trap} or proc.exepath startswith {trap} or evt.abspath startswith {trap} or evt.num > 0"
    )
    errf = tmp_path / "reader.err"
    watch_filter = f"proc.ppid={os.getpid()}"
    with (
        pyscap.open_live(
            syscalls=known(PATH_SYSCALLS) + ["sched_process_exit"], filter=watch_filter, timeout=120
        ) as watch,
        open(errf, "w") as ef,
    ):
        r = subprocess.Popen(
            [sys.executable, "-m", "pyscap", "-r", str(capture), "-p", fmt, filt],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=ef,
        )
        touched = []
        opened_capture = False
        deadline = time.monotonic() + 120
        for e in watch:
            if e.tid == r.pid or e.get("proc.pid") == r.pid:
                text = e.format("%evt.type %evt.args %fd.name %evt.abspath") or ""
                if str(trap) + "/" in text:
                    touched.append(text)
                opened_capture |= str(capture) in text
            if (e.name == "procexit" and e.tid == r.pid) or time.monotonic() > deadline:
                break
        r.wait(timeout=60)
    assert r.returncode == 0, errf.read_text()
    assert opened_capture, "the watch did not see the reader open its capture file"
    assert touched == [], touched


def umask0(argv, **kw):
    return subprocess.run(
        argv, env=ENV, capture_output=True, text=True, preexec_fn=lambda: os.umask(0), timeout=300, **kw
    )


def not_world_writable(path):
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert not mode & stat.S_IWOTH and not mode & stat.S_IWGRP, f"{path}: mode {mode:o}"
    return mode


def test_written_files_are_not_world_writable(captures_dir, tmp_path):
    src = captures_dir / "curl_google.scap"
    cli = [sys.executable, "-m", "pyscap", "-r", str(src)]
    assert umask0([*cli, "-w", str(tmp_path / "plain.scap")]).returncode == 0
    assert umask0([*cli, "-z", "-w", str(tmp_path / "gz.scap.gz")]).returncode == 0
    assert umask0([*cli, "-e", "200", "-w", str(tmp_path / "rot.scap")]).returncode == 0
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "- rule: any open\n  desc: d\n  condition: evt.type=openat\n  output: o %proc.name\n  priority: WARNING\n"
    )
    r = umask0([*cli, "--rules", str(rules), "--alert-file", str(tmp_path / "alerts.txt")])
    assert r.returncode == 0, r.stderr
    written = sorted(p for p in tmp_path.iterdir() if p.name != "r.yaml")
    assert len(written) >= 5, written  # plain, gz, at least two rotated files, alerts
    modes = {p.name: not_world_writable(p) for p in written}
    assert json.dumps(modes)  # every file checked
