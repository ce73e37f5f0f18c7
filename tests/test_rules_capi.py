"""The ruleset C API (sinsp/ruleset.h): tests/filter/rules_check drives it from a script in the
normal and the ASan/UBSan build (the outputs must be the same, and right), and cffi calls it
directly for the argument checks, the errors and the buffer semantics."""

import errno
import json

import pytest

import pyscap
from conftest import CAPTURES, helper, run
from pyscap import _native

ffi, lib = _native.ffi, _native.sinsp
CURL = str(CAPTURES / "curl_google.scap")

SCRIPT = [
    ["list", "shells", "bash", "sh", '"curl"'],
    ["list", "more", "shells", "zsh"],  # an earlier list's name: its items
    ["macro", "opened", "evt.type in (open, openat)"],
    ["macro", "bad", "proc.name ="],
    ["macro", "loop1", "loop2"],
    ["macro", "loop2", "loop1"],
    [
        "rule",
        "Shell opens",
        "4",
        "opened and proc.name in (more)",
        "%proc.name opened %fd.name (%proc.aname[2])",
        "b,a",
    ],
    ["rule", "Cycle", "2", "loop1", "x"],
    ["rule", "Undefined", "2", "opened and nowhere", "x"],
    ["rule", "Bad output", "2", "opened", "%fd.nme"],
    ["rule", "Bad priority", "9", "opened", "x"],
    ["rule", "Not open", "3", "not evt.type in (open, read) and proc.name = curl", "x %fd.sip.name %evt.hostname"],
    ["rule", "Disabled", "1", "evt.type = connect", "connect %fd.name", "", "disabled"],
    ["rule", "Shell opens", "1", "evt.type = open", "dup"],
    ["info"],
    ["used", "list", "shells"],
    ["used", "list", "more"],
    ["used", "macro", "opened"],
    ["used", "macro", "loop1"],
    ["used", "macro", "nope"],
    ["eval", CURL, "json"],
    ["enable", "Dis*", "1"],
    ["tag", "a", "0"],
    ["minprio", "2"],
    ["eval", CURL, "first"],
    ["info"],
    ["id", "0", "1"],
    ["minprio", "7"],
    ["next", CURL],
    ["loop", CURL, "text", "{out}"],
]


def script(tmp_path, out):
    path = tmp_path / "script.txt"
    path.write_text("".join("\t".join(f.format(out=out) for f in line) + "\n" for line in SCRIPT))
    return path


@pytest.fixture(scope="module", params=["release", "asan"])
def checker(request):
    build = request.getfixturevalue("build_dir" if request.param == "release" else "asan_build_dir")
    return helper(build, "rules_check")


def test_ruleset_c_api_from_a_script(checker, tmp_path):
    out = tmp_path / "loop.txt"
    r = run([checker, script(tmp_path, out)])
    assert r.returncode == 0 and r.stderr == "", r.stderr
    lines = r.stdout.splitlines()
    head = lines[:14]
    assert head == [
        "list shells 0",
        "list more 0",
        "macro opened 0 pos=-1",
        "macro bad -22 pos=11: expected a value after '=' at position 11",
        "macro loop1 0 pos=-1",
        "macro loop2 0 pos=-1",
        "rule Shell opens id=0",
        "rule Cycle error -22 where=1 pos=0: in macro 'loop1' (in macro 'loop2' (macro 'loop1' refers to itself at "
        "position 0) at position 0) at position 0",
        "rule Undefined error -22 where=1 pos=11: undefined macro 'nowhere' at position 11",
        "rule Bad output error -22 where=2 pos=1: unknown field 'fd.nme' (did you mean 'fd.name'?) at position 1",
        "rule Bad priority error -22 where=3 pos=-1: rule 'Bad priority': invalid priority 9",
        "rule Not open id=1",
        "rule Disabled id=2",
        "rule Shell opens error -17 where=3 pos=-1: rule 'Shell opens' is already defined",
    ]
    infos = [line for line in lines if line.startswith("info ")]
    assert infos[0] == (
        "info 0 Shell opens prio=Warning enabled=1 active=1 all=0 n=6 types=open,openat except= tags=a,b "
        "matches=0 evaluated=0"
    )
    assert infos[1].startswith("info 1 Not open prio=Error enabled=1 active=1 all=0 n=450 types=NA,accept,")
    assert infos[1].endswith(" except=open,read tags= matches=0 evaluated=0") and ",openat," in infos[1]
    assert infos[2] == (
        "info 2 Disabled prio=Alert enabled=0 active=0 all=0 n=2 types=connect except= tags= matches=0 evaluated=0"
    )
    assert lines[17:22] == [
        "used list shells 1",
        "used list more 1",
        "used macro opened 1",
        "used macro loop1 1",
        "used macro nope -2",
    ]
    # the first eval: every match of both active rules, with Falco's JSON alerts
    end = lines.index("eval end rc=2")
    matches = [line.split(" ", 2) for line in lines[22:end]]
    with pyscap.open_file(CURL, filter="evt.type = open and proc.name in (bash, sh, curl, zsh)") as cap:
        opens = [e.num for e in cap]
    with pyscap.open_file(CURL, filter="not evt.type in (open, read) and proc.name = curl") as cap:
        others = [e.num for e in cap]
    assert sorted(int(n) for n, rid, _ in matches if rid == "0") == opens
    assert sorted(int(n) for n, rid, _ in matches if rid == "1") == others
    first = json.loads(next(a for _, rid, a in matches if rid == "0"))
    assert first["hostname"] == "testhost" and first["rule"] == "Shell opens" and first["tags"] == ["a", "b"]
    assert first["output_fields"]["proc.aname[2]"] == "sshd"
    with pyscap.open_file(CURL, filter="evt.type in (open, read)") as cap:
        n_open_read = sum(1 for _ in cap)
    with pyscap.open_file(CURL, filter="evt.type = open") as cap:
        n_open = sum(1 for _ in cap)
    evaluated = n_open + 676 - n_open_read  # "Shell opens" on the opens, "Not open" on all but opens and reads
    assert lines[end + 1] == f"stats events=676 evaluated={evaluated} matches={len(opens) + len(others)}"
    # enable by pattern, disable by tag, a minimum priority (Critical): "Shell opens" is off by its tag, "Not
    # open" (Error) is less severe than Critical, "Disabled" (Alert) alone runs, first match only
    assert lines[end + 2 : end + 5] == ["enable Dis* 1", "tag a 1", "minprio 2 0"]
    end2 = lines.index("eval end rc=2", end + 1)
    connects = lines[end + 5 : end2]
    with pyscap.open_file(CURL, filter="evt.type = connect") as cap:
        assert [int(line.split()[0]) for line in connects] == [e.num for e in cap]
    assert all(line.split()[1] == "2" and " Alert connect " in line for line in connects)
    rest = lines[end2 + 2 :]
    assert rest[3:6] == ["id 0 1", "minprio 7 0", rest[5]] and rest[5].startswith("next ")
    nexts = [line for line in rest if line.startswith("next ") and line != "next end rc=2"]
    assert len(nexts) == len(set(opens) | set(others) | {int(line.split()[0]) for line in connects})
    loop = next(line for line in rest if line.startswith("loop "))
    alerts = out.read_text().splitlines()
    matched = sum(len(line.split()) - 2 for line in nexts)  # rule ids after "next NUM"
    assert loop == f"loop rc=2 events=676 alerts={len(alerts)} close=0" and len(alerts) == matched > len(nexts)
    assert rest[-1] == "null -22 -2 -22 -22"


def test_both_builds_print_the_same(build_dir, asan_build_dir, tmp_path):
    a = run([helper(build_dir, "rules_check"), script(tmp_path, tmp_path / "a.txt")])
    b = run([helper(asan_build_dir, "rules_check"), script(tmp_path, tmp_path / "b.txt")])
    assert a.stdout == b.stdout and b.returncode == 0 and b.stderr == ""
    assert (tmp_path / "a.txt").read_text() == (tmp_path / "b.txt").read_text()


def opts(**kw):
    o = ffi.new("struct sinsp_rule_opts *")
    o.sz = ffi.sizeof("struct sinsp_rule_opts")
    keep = []
    for k, v in kw.items():
        if isinstance(v, str):
            v = ffi.new("char[]", v.encode())
            keep.append(v)
        setattr(o, k, v)
    return o, keep


def test_c_api_errors_and_buffers():
    rs = lib.sinsp_ruleset__create(ffi.NULL)
    assert rs != ffi.NULL
    try:
        o, _k = opts(name="R", condition="evt.type = execve", output="exec %proc.name", source="k8s_audit")
        assert lib.sinsp_ruleset__add_rule(rs, o, ffi.NULL) == -errno.ENOTSUP
        assert "unknown source 'k8s_audit'" in _native.string(lib.sinsp_last_error())
        o, _k = opts(name="R", condition="evt.type = execve", output="exec %proc.name", priority=3)
        assert lib.sinsp_ruleset__add_rule(rs, o, ffi.NULL) == 0
        o, _k = opts(name="", condition="x")
        assert lib.sinsp_ruleset__add_rule(rs, o, ffi.NULL) == -errno.EINVAL
        assert lib.sinsp_ruleset__add_rule(rs, ffi.NULL, ffi.NULL) == -errno.EINVAL
        assert lib.sinsp_ruleset__find(rs, b"R") == 0 and lib.sinsp_ruleset__find(rs, b"S") == -errno.ENOENT
        assert lib.sinsp_ruleset__enable(rs, b"[", True) == -errno.ENOENT
        assert lib.sinsp_ruleset__enable_id(rs, 5, True) == -errno.ENOENT
        assert lib.sinsp_ruleset__set_min_priority(rs, 8) == -errno.EINVAL
        assert lib.sinsp_ruleset__add_list(rs, b"", ffi.NULL, 0) == -errno.EINVAL
        assert lib.sinsp_ruleset__wait_names(rs, 0) >= 0
        assert [_native.string(lib.sinsp_priority_name(i)) for i in range(8)] == [p.label for p in pyscap.Priority]
        assert lib.sinsp_priority_name(8) == ffi.NULL
        assert [lib.sinsp_priority_from_name(n) for n in (b"WARNING", b"info", b"Informational", b"x")] == [
            4,
            6,
            6,
            -errno.ENOENT,
        ]
        # alerts as snprintf: the full length, a truncated and terminated copy
        with pyscap.open_file(CURL, filter="evt.type = execve") as cap:
            evt = cap.next()
            assert evt is not None
            buf = ffi.new("char[8]")
            n = lib.sinsp_ruleset__alert(rs, 0, evt._p(), 0, buf, 8)
            full = _native.string(lib.sinsp_ruleset__alert_str(rs, 0, evt._p(), 0))
            assert n == len(full) and full.endswith(": Error exec curl") and ffi.string(buf).decode() == full[:7]
            assert lib.sinsp_ruleset__alert(rs, 1, evt._p(), 0, buf, 8) == -errno.ENOENT
            assert lib.sinsp_ruleset__alert(rs, 0, evt._p(), 2, buf, 8) == -errno.EINVAL
            ids = ffi.new("uint32_t[1]")
            assert lib.sinsp_ruleset__eval(rs, evt._p(), 0, ids, 1) == 1 and ids[0] == 0
            assert lib.sinsp_ruleset__eval(rs, evt._p(), 0, ffi.NULL, 0) == 1  # counted, not stored
            assert lib.sinsp_ruleset__eval(rs, evt._p(), 0, ffi.NULL, 1) == -errno.EINVAL
    finally:
        lib.sinsp_ruleset__free(rs)


def test_loop_options_for_rules_are_checked():
    rs = pyscap.Ruleset()
    rs.add("R", "evt.type = execve")
    with pyscap.open_file(CURL) as cap:
        with pytest.raises(pyscap.Error, match="a ruleset needs an alert_fd"):
            cap.loop(ruleset=rs, alert_out=-1)
