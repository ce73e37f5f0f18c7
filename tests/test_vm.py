"""tests/vm/pyscap-vm without a guest: its decisions, tested on the script itself.

Sourced, the script defines its functions and runs nothing, so a function runs here against fake
tools on PATH. The guest side (exec, setup from the Debian archive) is in tests/test_kmod.py.
"""

import os
import stat
from pathlib import Path

import pytest

from conftest import ROOT, run

RUNNER = ROOT / "tests" / "vm" / "pyscap-vm"

# apt-cache as apt 2.6 answers `show PKG=VERSION`: the stanza when the archive has PKG in
# VERSION; no output and exit 0 when PKG exists in other versions only; exit 100 for an unknown
# PKG. Every call is logged to $FAKE_LOG.
FAKE_APT_CACHE = r"""#!/bin/sh
echo "$*" >>"$FAKE_LOG"
[ "$1" = show ] || exit 2
case "$FAKE_ANSWER" in
stanza) v=${2#*=}; printf 'Package: %s\nVersion: %s\nArchitecture: amd64\n\n' "${2%%=*}" "$v" ;;
other) printf 'Package: %s\nVersion: 6.1.0-1\n\n' "${2%%=*}" ;;
empty) ;;
unknown) echo "E: No packages found" >&2; exit 100 ;;
esac
exit 0
"""


def source_and_call(tmp_path: Path, call: str, answer: str):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "apt-cache"
    fake.write_text(FAKE_APT_CACHE)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        FAKE_ANSWER=answer,
        FAKE_LOG=str(tmp_path / "log"),
        PYSCAP_VM_CACHE=str(tmp_path / "cache"),
    )
    r = run(["bash", "-c", f'. "$1" && {call}', "bash", RUNNER], env=env, timeout=30)
    log = (tmp_path / "log").read_text().splitlines() if (tmp_path / "log").exists() else []
    return r, log


@pytest.mark.parametrize(
    "answer, picked",
    [
        ("stanza", "linux-kbuild-6.1=6.1.192-2"),  # the exact version exists: take it
        ("empty", "linux-kbuild-6.1"),  # exit 0, nothing printed: the archive's candidate
        ("other", "linux-kbuild-6.1"),  # a stanza, but of another version
        ("unknown", "linux-kbuild-6.1"),  # exit 100
    ],
)
def test_kbuild_exact_version_or_candidate(tmp_path, answer, picked):
    """linux-kbuild-X.Y in the image's exact version when the archive has it, else unversioned. An
    archive may lack that version (Debian security had linux-kbuild-6.1 6.1.192-3 only, beside the
    6.1.192-2 image of 6.1.0-56), and then apt-cache still exits 0: the runner must read the
    answer, or `apt-get download linux-kbuild-6.1=6.1.192-2` fails the whole setup."""
    r, log = source_and_call(tmp_path, "pick_kbuild linux-kbuild-6.1 6.1.192-2", answer)
    assert r.returncode == 0, r.stderr
    assert r.stdout == picked + "\n", (r.stdout, r.stderr)
    assert log == ["show linux-kbuild-6.1=6.1.192-2"]


def test_sourcing_runs_nothing(tmp_path):
    """Sourcing only defines: no subcommand runs (no usage text, no cache dir, no apt call)."""
    r, log = source_and_call(tmp_path, "declare -F pick_kbuild setup cmd_exec main", "empty")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["pick_kbuild", "setup", "cmd_exec", "main"] and r.stderr == ""
    assert log == [] and not (tmp_path / "cache").exists()


@pytest.mark.parametrize("uid, no_install", [("0", "0"), ("0", "1"), ("1000", "0")])
def test_missing_host_tools_installed_only_as_root(tmp_path, uid, no_install):
    """What lets tests/test_kmod.py run on a machine without qemu: as root the runner apt-installs
    the packages of the tools it lacks; otherwise (or with PYSCAP_VM_NO_INSTALL=1) it names them
    and stops with 125. Here PATH holds only fakes: apt-get logs, id answers the uid."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fakes = {
        "apt-get": '#!/bin/sh\necho "apt-get $*" >>"$FAKE_LOG"\n',
        "id": f"#!/bin/sh\necho {uid}\n",
    }
    for name, text in fakes.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    (bin_dir / "env").symlink_to("/usr/bin/env")
    env = dict(os.environ, PATH=str(bin_dir), FAKE_LOG=str(tmp_path / "log"), PYSCAP_VM_NO_INSTALL=no_install)
    r = run(
        ["/bin/bash", "-c", '. "$1" && need_tools qemu-system-x86_64 cpio env && echo ok', "bash", RUNNER],
        env=env,
        timeout=30,
    )
    log = (tmp_path / "log").read_text().splitlines() if (tmp_path / "log").exists() else []
    if uid == "0" and no_install == "0":
        assert r.returncode == 0 and r.stdout == "ok\n", r.stderr
        assert log == ["apt-get install -y -qq --no-install-recommends qemu-system-x86 cpio"]
    else:
        assert r.returncode == 125 and log == [], (r.returncode, log)
        assert (
            "missing host tools: qemu-system-x86_64 cpio (install: apt-get install qemu-system-x86 cpio)" in r.stderr
        ), r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["exec", "--timeout"], "exec option --timeout needs a value"),
        (["exec", "--file"], "exec option --file needs a value"),
        (["exec", "--timeout=0", "--", "true"], "bad --timeout '0'"),
        (["exec", "--smp", "two", "--", "true"], "bad --smp 'two'"),
        (["exec", "--accel=xen", "--", "true"], "bad --accel 'xen'"),
        (["exec", "--dmesg=1", "--", "true"], "exec option --dmesg takes no value"),
        (["exec", "--bogus", "--", "true"], "unknown exec option: --bogus"),
        (["exec", "-q"], "exec: no COMMAND given"),
        (["frobnicate"], "unknown subcommand 'frobnicate'"),
    ],
)
def test_usage_errors_exit_125_before_setup(tmp_path, args, message):
    """A bad command line is an infrastructure failure (125), found before setup touches the
    cache or apt (an option without its value once looped for ever)."""
    env = dict(os.environ, PYSCAP_VM_CACHE=str(tmp_path / "cache"))
    r = run([RUNNER, *args], env=env, timeout=30)
    assert r.returncode == 125, (r.returncode, r.stderr)
    assert f"pyscap-vm: error: {message}" in r.stderr, r.stderr
    assert not (tmp_path / "cache").exists()


def test_help_is_the_header():
    r = run([RUNNER, "help"], timeout=30)
    assert r.returncode == 0 and r.stdout.startswith("pyscap-vm - "), r.stdout[:200]
    for sub in ("setup", "kdir", "release", "info", "exec", "selftest", "clean"):
        assert f"  pyscap-vm {sub}" in r.stdout, sub
    assert "set -uo" not in r.stdout
