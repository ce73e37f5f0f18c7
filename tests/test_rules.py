"""Rulesets and Falco's rules files (pyscap.Ruleset, docs/rules.md) on files: every construct of
the format (tests/data/rules/constructs.yaml), overrides across files, Falco's errors and warnings
with their file, line and item, the event-type index, alerts in text and JSON, the C loop and the
CLI (--rules, --validate, --list-rules)."""

import json
import os
import subprocess
import sys
import time

import pytest

import pyscap
from conftest import CAPTURES, DATA, ROOT
from pyscap import Priority, RuleError, RulesError, Ruleset

RULES = DATA / "rules"
CURL = str(CAPTURES / "curl_google.scap")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def rel(name):
    """A rules file as the tests name it (messages give the path as given)."""
    return os.path.relpath(RULES / name, ROOT)


def cli(*args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run([sys.executable, "-m", "pyscap", *map(str, args)], env=ENV, cwd=ROOT, **kw)


def local_time(ts):
    """evt.time: local HH:MM:SS.nnnnnnnnn, the prefix of Falco's text alerts."""
    return time.strftime("%H:%M:%S", time.localtime(ts // 10**9)) + f".{ts % 10**9:09d}"


def load(*names, **kw):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return Ruleset.load([rel(n) for n in names], **kw)
    finally:
        os.chdir(cwd)


def alerts_of(rs, path=CURL, **kw):
    with pyscap.open_file(path) as cap:
        return list(cap.alerts(rs, **kw))


def times(filter_text, path=CURL):
    """The timestamps of the events a plain filter (no macros) matches: the independent check."""
    with pyscap.open_file(path, filter=filter_text) as cap:
        return [e.ts for e in cap]


# ---- every construct ----------------------------------------------------------------------------------


def test_constructs_load_with_falcos_warnings():
    rs = load("constructs.yaml")
    c = rel("constructs.yaml")
    assert [str(m) for m in rs.messages] == [
        f"{c}:6: warning: plugin 'json' (>= 0.7.0) or 'k8saudit' (>= 0.1.0) is required by this rules file, but "
        "pyscap loads no plugins",
        f"{c}:72: warning: rule 'Any curl event': Rule matches too many evt.type values. This has a significant "
        "performance penalty.",
        f"{c}:85: warning: rule 'Field of another version': unknown field 'fd.some_new_field' at position 20 "
        "(skip-if-unknown-filter: the rule is skipped)",
        f"{c}:92: warning: rule 'Cloudtrail rule': Unknown source aws_cloudtrail, skipping",
        f"{c}:99: warning: rule 'Sockets': Unknown key 'severity'",
        f"{c}:107: warning: Unknown top level item",
    ]
    assert rs.errors == [] and all(m.warning for m in rs.warnings)
    m = rs.warnings[1]
    assert (m.file, m.line, m.item, m.name) == (c, 72, "rule", "Any curl event")


def test_constructs_rules_priorities_tags_and_event_types():
    rs = load("constructs.yaml")
    got = [(r.name, r.priority, r.enabled, r.tags, r.evttypes, r.evttypes_except, r.source) for r in rs]
    opens = ("open", "openat", "openat2")
    assert got == [
        ("Curl reads etc", Priority.WARNING, True, ("filesystem", "resolver"), opens, (), "syscall"),
        ("Curl connects over IPv6", Priority.NOTICE, True, ("network",), ("connect",), (), "syscall"),
        ("Library loads", Priority.INFORMATIONAL, True, (), opens, (), "syscall"),
        ("Processes started", Priority.INFORMATIONAL, False, (), ("execve",), (), "syscall"),
        ("Any curl event", Priority.DEBUG, True, (), None, (), "syscall"),
        ("Quiet catch-all", Priority.EMERGENCY, True, (), None, (), "syscall"),
        ("Sockets", Priority.ERROR, True, ("network",), ("socket",), (), "syscall"),
    ]
    # exceptions become `and not (...)` clauses: a list of fields compares each (default '='),
    # a single field takes the values as a list (default 'in'), list values and list comps
    assert rs["Curl connects over IPv6"].condition == (
        "(evt.type = connect and evt.dir = < and fd.typechar = 6) and not (fd.sport in (53))"
    )
    assert rs["Library loads"].condition == (
        "(open_read and fd.name endswith .so.2) and not ((proc.name = curl and fd.name startswith "
        "/lib/x86_64-linux-gnu/libnss_) or (proc.name = curl and fd.name startswith "
        "/usr/lib/x86_64-linux-gnu/libgssapi)) and not ((fd.directory pmatch (/usr/lib/x86_64-linux-gnu/sasl) "
        "and proc.name in (curl, wget)))"
    )
    assert rs["Curl reads etc"].desc == "curl reads one of the resolver's files below /etc"
    assert "Field of another version" not in rs and "Cloudtrail rule" not in rs and len(rs) == 7


def test_constructs_alerts_match_the_plain_filters():
    rs = load("constructs.yaml")
    got: dict[str, list[int]] = {}
    for a in alerts_of(rs):
        got.setdefault(a.rule, []).append(a.time)
    open_read = "evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0"
    expected = {
        "Curl reads etc": times(
            f"{open_read} and proc.name = curl and fd.name in (/etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf, "
            "/etc/host.conf)"
        ),
        "Curl connects over IPv6": times("evt.type = connect and evt.dir = < and fd.typechar = 6 and fd.sport != 53"),
        "Library loads": times(
            f"{open_read} and fd.name endswith .so.2 and not fd.name startswith /lib/x86_64-linux-gnu/libnss_ "
            "and not fd.name startswith /usr/lib/x86_64-linux-gnu/libgssapi and not fd.directory pmatch "
            "(/usr/lib/x86_64-linux-gnu/sasl)"
        ),
        "Any curl event": times("proc.name = curl and evt.num < 300"),
        "Sockets": times("evt.type = socket and proc.name != bash"),
    }
    assert got == expected
    assert [len(v) for v in got.values()] == [89, 6, 5, 5, 1]


def test_alert_text_and_falcos_json():
    rs = load("constructs.yaml", hostname="testhost")
    a = next(a for a in alerts_of(rs) if a.rule == "Curl reads etc")
    ts = 1534527348518967709
    out = (
        f"{local_time(ts)}: Warning curl read /etc/nsswitch.conf (parent=bash gparent=sshd "
        "flags=4097(O_RDONLY|O_CLOEXEC) user=ubuntu uid=1000 container=host)"
    )
    fields = {
        "container.id": "host",
        "evt.arg.flags": "4097(O_RDONLY|O_CLOEXEC)",
        "evt.time": ts,
        "fd.name": "/etc/nsswitch.conf",
        "proc.aname[2]": "sshd",
        "proc.pname": "bash",
        "user.name": "ubuntu",
        "user.uid": 1000,
    }
    assert (a.rule, a.priority, a.time, a.output, a.output_fields) == (
        "Curl reads etc",
        Priority.WARNING,
        ts,
        out,
        fields,
    )
    assert (a.tags, a.hostname, a.source) == (("filesystem", "resolver"), "testhost", "syscall")
    # Falco's JSON object: keys sorted, time in RFC 3339 UTC with ns, the text line as output
    obj = json.loads(a.json)
    assert list(obj) == ["hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time"]
    assert obj == {
        "hostname": "testhost",
        "output": out,
        "output_fields": fields,
        "priority": "Warning",
        "rule": "Curl reads etc",
        "source": "syscall",
        "tags": ["filesystem", "resolver"],
        "time": "2018-08-17T17:35:48.518967709Z",
    }
    assert list(obj["output_fields"]) == sorted(fields)
    # a missing field prints <NA> in the text and null in output_fields
    c = next(a for a in alerts_of(rs) if a.rule == "Curl connects over IPv6")
    assert c.output.endswith(
        "Notice curl connected to 2607:f8b0:4004:802::2004 port 80 "
        "(2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80) name=<NA>"
    )
    assert c.output_fields["fd.sip.name"] is None and c.output_fields["fd.sport"] == 80


def test_enable_disable_and_minimum_priority_at_run_time():
    rs = load("constructs.yaml")

    def counts():
        out: dict[str, int] = {}
        for a in alerts_of(rs):
            out[a.rule] = out.get(a.rule, 0) + 1
        return out

    base = counts()
    assert "Processes started" not in base
    assert rs.enable("Processes started") == 1
    started = [a for a in alerts_of(rs) if a.rule == "Processes started"]
    assert [a.output.split(" ", 1)[1] for a in started] == ["Informational started curl -6 http://www.google.com"]
    assert rs.disable(tag="network") == 2  # "Curl connects over IPv6" and "Sockets"
    assert set(counts()) == {"Curl reads etc", "Library loads", "Any curl event", "Processes started"}
    assert rs.disable("Curl *") == 2 and rs.enable(tag="network") == 2
    rs.min_priority = "warning"  # Emergency .. Warning only
    assert set(counts()) == {"Sockets"} and rs.min_priority is Priority.WARNING
    assert not rs["Curl connects over IPv6"].active and rs["Curl connects over IPv6"].enabled
    rs.min_priority = Priority.DEBUG
    rs.enable("*")
    assert counts() == {**base, "Processes started": 1}
    with pytest.raises(KeyError, match="no rule matches 'Nope'"):
        rs.disable("Nope")
    with pytest.raises(KeyError, match="no rule has the tag 'nope'"):
        rs.enable(tag="nope")
    with pytest.raises(ValueError):
        rs.enable()
    with pytest.raises(ValueError, match="invalid priority 'LOUD'"):
        rs.min_priority = "LOUD"


def test_first_match_and_all_matches():
    rs = Ruleset()
    rs.add("Opens", "evt.type = open and evt.dir = <", "open %fd.name", "NOTICE")
    rs.add("Curl opens", "evt.type = open and proc.name = curl", "curl opens %fd.name", "WARNING")
    every = alerts_of(rs)
    first = alerts_of(rs, first=True)
    opens = len(times("evt.type = open and evt.dir = <"))
    assert sum(a.rule == "Opens" for a in every) == opens
    assert len(every) == opens + len(times("evt.type = open and proc.name = curl"))
    # first: the first matching rule in order, one alert per event
    assert [a.rule for a in first].count("Opens") == opens
    assert len(first) == len({a.time for a in every})


# ---- overrides, appends, several files ----------------------------------------------------------------


def test_overrides_appends_and_redefinitions_across_files():
    rs = load("override_base.yaml", "override_local.yaml")
    loc = rel("override_local.yaml")
    assert [str(m) for m in rs.messages] == [
        f"{loc}:44: warning: rule 'Connects': The standalone 'enabled' key usage is deprecated. The correct approach "
        "requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
        f"{loc}:47: warning: rule 'Old style': 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: "
        "append') under 'override' instead.",
        f"{loc}:51: warning: list 'curl_files': 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: "
        "append') under 'override' instead.",
    ]
    got = {r.name: (r.priority, r.enabled, r.tags, r.desc, r.output, r.condition) for r in rs}
    assert got == {
        "Curl opens": (
            Priority.WARNING,
            True,
            ("files", "resolver"),
            "curl opens a resolver file",
            "curl opened %fd.name (by %proc.name)",
            "(opened and is_curl and fd.name in (curl_files) and not fd.name = /etc/nsswitch.conf) and not "
            "((fd.name = /etc/hosts.allow) or (fd.name = /etc/resolv.conf)) and not ((proc.pname = sshd and "
            "fd.name = /etc/hosts))",
        ),
        "Libraries": (
            Priority.INFORMATIONAL,
            False,
            (),
            "libraries",
            "library %fd.name",
            "opened and fd.directory in (library_dirs)",
        ),
        "Connects": (Priority.INFORMATIONAL, False, (), "connections", "connect %fd.name", "evt.type = connect"),
        "Old style": (
            Priority.DEBUG,
            True,
            (),
            "rules that the legacy keys change",
            "close %fd.name",
            "evt.type = close and fd.name startswith /etc",
        ),
    }
    # the macros and lists as the last file left them: opened gained `and fd.typechar = f`,
    # curl_files every appended item, library_dirs the replaced one
    opens = [a.output.split(": ", 1)[1] for a in alerts_of(rs) if a.rule == "Curl opens"]
    assert opens == ["Warning curl opened /etc/host.conf (by curl)", "Warning curl opened /etc/hosts (by curl)"]
    rs.enable("Libraries")
    libs = {a.output.split("library ", 1)[1] for a in alerts_of(rs) if a.rule == "Libraries"}
    assert libs and all(p.startswith("/usr/lib/x86_64-linux-gnu/") for p in libs)
    closes = [a for a in alerts_of(rs) if a.rule == "Old style"]
    assert [a.time for a in closes] == times("evt.type = close and fd.name startswith /etc")


def test_later_files_redefine_what_earlier_rules_use(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(
        "- macro: target\n  condition: fd.name = /etc/hosts\n"
        "- rule: Target\n  desc: d\n  condition: evt.type = open and target\n  output: o %fd.name\n  priority: INFO\n"
    )
    b.write_text("- macro: target\n  condition: fd.name = /etc/host.conf\n")
    with Ruleset.load([a]) as one, Ruleset.load([a, b]) as two:
        assert [x.output.split("o ", 1)[1] for x in alerts_of(one)] == ["/etc/hosts"]
        assert [x.output.split("o ", 1)[1] for x in alerts_of(two)] == ["/etc/host.conf"]


# ---- errors ---------------------------------------------------------------------------------------------


def test_errors_name_the_file_line_item_and_position():
    rs = load("errors.yaml", strict=False)
    e = rel("errors.yaml")
    assert [str(m) for m in rs.messages] == [
        f"{e}:2: warning: macro 'shell_procs': Macro not referred to by any other rule/macro",
        f"{e}:5: rule 'Read shadow': undefined macro 'foo' at position 18",
        f"{e}:11: rule 'Undefined list': undefined list 'shells' at position 33",
        f"{e}:23: rule 'Macro cycle': in macro 'loop_a' (in macro 'loop_b' (macro 'loop_a' refers to itself at "
        "position 17) at position 20) at position 0",
        f"{e}:29: rule 'Container field': unknown field 'container.image.flavor' (did you mean 'container.image.tag'?) "
        "at position 22",
        f"{e}:35: rule 'Output field': in the output: unknown field 'proc.nmae' (did you mean 'proc.name'?) at "
        "position 9",
        f"{e}:41: rule 'Bad syntax': expected ')' at position 34 to close the '(' at position 20",
        f"{e}:47: rule 'Bad priority': Invalid priority 'LOUD'",
        f"{e}:53: rule 'No output': Item has no mapping for key 'output'",
        f"{e}:58: macro '1bad-name': Macro has an invalid name. Macro names must match a regular expression: "
        "([a-zA-Z]+[a-zA-Z0-9_]*)",
        f"{e}:61: macro 'broken_macro': expected a value after '=' at position 11",
        f"{e}:64: rule 'Missing rule': Rule uses 'append' or 'override.<key>: append' but no rule by that name "
        "already exists",
        f"{e}:69: rule 'Replace missing': An 'override.<key>: replace' to a rule was requested but no rule by that "
        "name already exists",
        f"{e}:74: warning: list 'missing_list': 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: "
        "append') under 'override' instead.",
        f"{e}:74: list 'missing_list': List uses 'append' or 'override.items: append' but no list by that name "
        "already exists",
        f"{e}:78: rule 'Bad override key': Key 'priority' cannot be appended to, use 'replace' instead",
        f"{e}:83: rule 'Read shadow': Unexpected key 'output': no corresponding entry under 'override' is defined.",
        f"{e}:95: rule 'Bad exception': exception 'lengths': Fields and comps lists must have equal length",
        f"{e}:107: rule 'Bad comparison': exception 'comps': 'like' is not a supported comparison operator",
        f"{e}:119: rule 'Bad exception field': exception 'fields': 'proc.nombre' is not a supported filter field",
        f"{e}:130: rule 'Bad values': exception 'values': Fields and values lists must have equal length",
        f"{e}:144: rule 'Twice the same exception': exception 'same': Exceptions names in the same object must be "
        "unique",
        f"{e}:148: Rules require engine version 0.99.0, but engine version is 0.45.0",
        f"{e}:150: Unable to parse engine version 'not-a-version' as a semver string. Expected \"x.y.z\" semver "
        "format.",
        f"{e}:152: Unexpected element type. Each element should be a yaml associative array.",
    ]
    # the rules that did compile are there; strict loading refuses the file
    assert [r.name for r in rs] == []
    with pytest.raises(RulesError) as ei:
        load("errors.yaml")
    assert str(ei.value).split("\n")[0] == f"{e}:5: rule 'Read shadow': undefined macro 'foo' at position 18"
    assert len(ei.value.errors) == 23 and len(ei.value.warnings) == 2


def test_yaml_errors_and_files_that_are_not_rules():
    rs = load("bad_yaml.yaml", "not_a_sequence.yaml", strict=False)
    assert [str(m) for m in rs.messages] == [
        f"{rel('bad_yaml.yaml')}:8: invalid YAML: did not find expected ',' or ']'",
        f"{rel('not_a_sequence.yaml')}:1: Rules content is not yaml array of objects",
    ]
    rs = Ruleset.load(["/no/such/rules.yaml"], strict=False)
    assert [str(m) for m in rs.messages] == [
        "/no/such/rules.yaml: cannot read the rules file: No such file or directory"
    ]


def test_upstream_rules_load_as_upstream_writes_them_and_a_local_file_tunes_them():
    """The four upstream rules as upstream writes them load (their macros name container fields:
    container.image.repository of libsinsp/fields/container.cpp); the local file tunes them as a Falco
    user does (its macros replace upstream's, the disabled outbound rule is enabled)."""
    up = rel("falco_upstream.yaml")
    rs = load("falco_upstream.yaml")
    assert rs.errors == []
    assert [(r.name, r.enabled) for r in rs] == [
        ("Read sensitive file untrusted", True),
        ("Run shell untrusted", True),
        ("Write below etc", True),
        ("Unexpected outbound connection destination", False),
    ]
    assert rs.is_used("user_read_sensitive_file_containers", "macro")
    info = (
        "warning: rule '{}': %container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. "
        "The container plugin will automatically add required fields to the output message."
    )
    rs = load("falco_upstream.yaml", "falco_local.yaml")
    assert [str(m) for m in rs.messages if "container.info" in m.message] == [
        f"{up}:230: " + info.format("Read sensitive file untrusted"),
        f"{up}:405: " + info.format("Run shell untrusted"),
        f"{up}:942: " + info.format("Unexpected outbound connection destination"),
    ]
    assert rs.errors == []
    assert [(r.name, r.priority, r.enabled, r.evttypes) for r in rs] == [
        ("Read sensitive file untrusted", Priority.WARNING, True, ("open", "openat", "openat2")),
        ("Run shell untrusted", Priority.NOTICE, True, ("execve", "execveat")),
        ("Write below etc", Priority.ERROR, True, ("open", "openat", "openat2")),
        ("Unexpected outbound connection destination", Priority.NOTICE, True, ("connect", "sendmsg", "sendto")),
    ]
    # the lists that name other lists were expanded: the shell rule's parents include nginx
    assert rs.is_used("http_server_binaries", "list") and rs.is_used("protected_shell_spawner", "macro")


# ---- the event-type index ---------------------------------------------------------------------------------

INDEX_CASES = [
    ("evt.type = openat", ("openat",), ()),
    ("evt.type in (open, openat)", ("open", "openat"), ()),
    ("evt.type = open or evt.type = close", ("close", "open"), ()),
    ("evt.type = open and proc.name = cat", ("open",), ()),
    ("evt.type = open and evt.type = close", (), ()),
    ("(evt.type = open or evt.type = close) and not evt.type = close", ("open",), ()),
    ("proc.name = cat", None, ()),
    ("evt.type exists", None, ()),
    ("not evt.type exists", (), ()),
    # a negation is pushed down to the checks (De Morgan), as upstream's resolver does
    ("not (evt.type = open and proc.name = cat)", None, ()),
    ("not (evt.type = open or proc.name = cat)", "all but", ("open",)),
    ("not evt.type in (open, read)", "all but", ("open", "read")),
    ("evt.type != open", "all but", ("open",)),
    ("not not evt.type = open", ("open",), ()),
    ("evt.type startswith open", None, ()),  # only =, !=, in narrow
    ("opens and not reads", ("open", "openat"), ()),
    ("evt.type in (file_events)", ("close", "open"), ()),
    ("evt.type in open_events", ("open", "openat"), ()),
]


@pytest.mark.parametrize("cond,types,except_", INDEX_CASES)
def test_rules_are_filed_under_the_event_types_their_condition_can_match(cond, types, except_):
    rs = Ruleset()
    rs.add_list("file_events", ["open", "close"])
    rs.add_list("open_events", ["open", "openat"])
    rs.add_macro("opens", "evt.type in (open_events)")
    rs.add_macro("reads", "evt.type = read")
    rs.add("R", cond)
    info = rs["R"]
    if types == "all but":
        assert info.evttypes_except == except_ and info.evttypes is not None
        assert not set(except_) & set(info.evttypes) and "close" in info.evttypes
    else:
        assert (info.evttypes, info.evttypes_except) == (types, except_)


def test_a_rule_is_only_evaluated_on_the_events_of_its_types():
    rs = Ruleset()
    rs.add("On openat", "evt.type = openat and proc.name = curl")
    rs.add("On open", "evt.type = open and proc.name = curl")
    rs.add("Not narrowed", "proc.name = nobody")
    rs.add("Disabled", "evt.type = read", enabled=False)
    alerts_of(rs)
    n_open = len(times("evt.type = open"))
    with pyscap.open_file(CURL) as cap:
        n_events = sum(1 for _ in cap)
    assert [(r.name, r.evaluated) for r in rs] == [
        ("On openat", 0),
        ("On open", n_open),
        ("Not narrowed", n_events),
        ("Disabled", 0),
    ]
    assert rs.stats.events == n_events and rs.stats.evaluated == n_open + n_events
    assert rs["On open"].matches == len(times("evt.type = open and proc.name = curl")) == rs.stats.matches


# ---- the Python API ------------------------------------------------------------------------------------


def test_ruleset_api_errors_positions_and_helpers():
    rs = Ruleset(hostname="h")
    rs.add_list("shells", ["bash", '"sh"', "'dash'"])  # a quoted item stands for its content
    rs.add_list("more", ["shells", "zsh"])
    rs.add_macro("shell", "proc.name in (more)")
    with pytest.raises(RuleError) as e:
        rs.add_macro("bad", "proc.name = ")
    assert (e.value.position, e.value.where) == (12, "condition")
    with pytest.raises(RuleError) as e:
        rs.add("Undefined", "shell and nothere")
    assert (str(e.value).split("\n")[0], e.value.position) == ("undefined macro 'nothere' at position 10", 10)
    with pytest.raises(RuleError) as e:
        rs.add("Output", "shell", "%fd.nam")
    assert (str(e.value), e.value.position, e.value.where) == (
        "unknown field 'fd.nam' (did you mean 'fd.name'?) at position 1",
        1,
        "output",
    )
    assert rs.add("Shell", "evt.type = execve and shell", "shell %proc.name", "notice", ["b", "a", "b"]) == 0
    with pytest.raises(RuleError, match="rule 'Shell' is already defined"):
        rs.add("Shell", "evt.type = execve")
    with pytest.raises(RuleError, match="unknown source 'k8s_audit'"):
        rs.add("K8s", "evt.type = execve", source="k8s_audit")
    assert len(rs) == 1 and "Shell" in rs and rs[0].tags == ("a", "b") and rs["Shell"].priority == Priority.NOTICE
    assert rs.is_used("shells", "list") and rs.is_used("more", "list") and rs.is_used("shell")
    with pytest.raises(KeyError):
        rs.is_used("nope")
    assert [Priority.parse(p) for p in ("EMERGENCY", "alert", "Critical", "error", "WARNING", "notice")] == list(
        Priority
    )[:6]
    assert Priority.parse("info") is Priority.parse("INFORMATIONAL") is Priority.INFORMATIONAL
    assert [p.label for p in Priority] == [
        "Emergency",
        "Alert",
        "Critical",
        "Error",
        "Warning",
        "Notice",
        "Informational",
        "Debug",
    ]
    # match() and alert() on a borrowed event
    rs2 = Ruleset(hostname="h")
    rs2.add("Execve", "evt.type = execve and evt.dir = <", "exec %proc.exe by %proc.pname", "INFO")
    with pyscap.open_file(CURL, filter="evt.type = execve") as cap:
        evt = cap.next()
        assert evt is not None and rs2.match(evt) == ["Execve"]
        line = rs2.alert("Execve", evt)
        assert line == f"{local_time(evt.ts)}: Informational exec curl by bash"
        assert json.loads(rs2.alert(0, evt, json=True))["output"] == line
    rs2.close()
    with pytest.raises(pyscap.Error, match="closed"):
        len(rs2)


def test_new_core_fields_of_real_rules(tmp_path):
    """Fields upstream rules use that pyscap added for them: evt.hostname (the capture's machine),
    proc.exe_ino.ctime_duration_*, fd.*ip.name (filters compare the names they resolve)."""
    rs = Ruleset()
    rs.add(
        "Fields",
        "evt.type = execve and evt.dir = <",
        "%evt.hostname %proc.exe_ino.ctime_duration_proc_start %proc.exe_ino.ctime_duration_pidns_start",
    )
    rs.add("Names", "evt.type = connect and fd.sip.name in (localhost)", "%fd.sip.name")
    a = alerts_of(rs)
    assert [x.output_fields for x in a] == [
        {
            "evt.hostname": "ip-10-0-0-79",
            "evt.time": a[0].time,
            "proc.exe_ino.ctime_duration_pidns_start": None,  # a 2018 capture has no inode times
            "proc.exe_ino.ctime_duration_proc_start": None,
        }
    ]
    names = {f["name"] for f in pyscap.list_fields()}
    assert {"fd.sip.name", "fd.cip.name", "fd.lip.name", "fd.rip.name", "evt.hostname"} <= names


# ---- the C loop and the CLI --------------------------------------------------------------------------------


def test_loop_writes_the_alerts_in_c(tmp_path):
    rs = load("constructs.yaml", hostname="testhost")
    want = alerts_of(rs)
    for as_json in (False, True):
        path = tmp_path / f"alerts{int(as_json)}.txt"
        with (
            open(path, "w") as f,
            pyscap.open_file(CURL) as cap,
            cap.loop(ruleset=rs, alert_out=f, alerts_json=as_json) as lp,
        ):
            assert lp.run_to_end() == "done"
            st = lp.stats
        lines = path.read_text().splitlines()
        assert lines == [a.json if as_json else a.output for a in want]
        assert (st.alerts, st.events, st.lines) == (len(want), 676, 0)
    # alerts and event lines to one file keep their order: each alert after its event's line
    path = tmp_path / "both.txt"
    with open(path, "w") as f, pyscap.open_file(CURL) as cap:
        with cap.loop(ruleset=rs, alert_out=f, format="EVENT %evt.rawtime", out=f, first_match=True) as lp:
            lp.run_to_end()
    lines = path.read_text().splitlines()
    first = {}
    for a in want:
        first.setdefault(a.time, a.output)
    events = [int(line.split()[1]) for line in lines if line.startswith("EVENT ")]
    assert len(events) == 676 and [line for line in lines if not line.startswith("EVENT ")] == list(first.values())
    for i, line in enumerate(lines):
        if line.startswith("EVENT ") and int(line.split()[1]) in first:
            assert lines[i + 1] == first[int(line.split()[1])]


def test_cli_validate_list_and_alerts(tmp_path):
    c, e = rel("constructs.yaml"), rel("errors.yaml")
    r = cli("--rules", c, "--validate")
    assert (r.returncode, r.stdout) == (0, f"{c}: Ok\n")
    assert r.stderr.splitlines()[0].startswith(f"{c}:6: warning: plugin 'json'") and len(r.stderr.splitlines()) == 6
    r = cli("--rules", c, "--rules", e, "--validate")
    assert (r.returncode, r.stdout) == (1, f"{c}: Ok\n{e}: Invalid\n")
    assert f"{e}:5: rule 'Read shadow': undefined macro 'foo' at position 18" in r.stderr.splitlines()
    r = cli("--rules", c, "--list-rules")
    assert r.returncode == 0 and r.stdout == (
        "Curl reads etc\tWarning\topen,openat,openat2\n"
        "Curl connects over IPv6\tNotice\tconnect\n"
        "Library loads\tInformational\topen,openat,openat2\n"
        "Processes started\tInformational\texecve\t(disabled)\n"
        "Any curl event\tDebug\tall\n"
        "Quiet catch-all\tEmergency\tall\n"
        "Sockets\tError\tsocket\n"
    )
    # alerts of a file: Falco's rule_matching first (the default) or all, text or JSON
    with Ruleset.load([RULES / "constructs.yaml"]) as rs:
        every = alerts_of(rs)
        first = alerts_of(rs, first=True)
    r = cli("--rules", c, "-r", CURL)
    assert r.returncode == 0 and r.stdout.splitlines() == [a.output for a in first]
    r = cli("--rules", c, "-r", CURL, "-j", "--rule-matching", "all")
    got = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["rule"], o["output"], o["output_fields"]) for o in got] == [
        (a.rule, a.output, a.output_fields) for a in every
    ]
    out = tmp_path / "alerts.log"
    r = cli("--rules", c, "-r", CURL, "--alert-file", out, "--min-priority", "notice", "--disable-rule", "Sockets")
    assert (r.returncode, r.stdout) == (0, "")
    assert out.read_text().splitlines() == [
        a.output for a in first if a.rule in ("Curl reads etc", "Curl connects over IPv6")
    ]
    r = cli("--rules", c, "-r", CURL, "--disable-tag", "network")
    prios = {line.split(": ")[1].split()[0] for line in r.stdout.splitlines()}
    assert r.returncode == 0 and prios == {"Debug", "Informational", "Warning"}  # no Notice nor Error rule
    with pyscap.open_file(CURL) as cap:
        first250 = {e.ts for _, e in zip(range(250), cap)}
    r = cli("--rules", c, "-r", CURL, "-n", 250)
    assert r.returncode == 0 and r.stdout.splitlines() == [a.output for a in first if a.time in first250]


def test_cli_usage_errors():
    c = rel("constructs.yaml")
    r = cli("--validate")
    assert (r.returncode, r.stderr) == (
        2,
        "pyscap: --validate and --list-rules check the files given with --rules FILE\n",
    )
    r = cli("--rules", c, "-r", CURL, "-p", "%evt.num")
    assert r.returncode == 2 and "with --rules the output is the alerts" in r.stderr
    r = cli("--rules", rel("errors.yaml"), "-r", CURL)
    assert r.returncode == 2 and r.stdout == ""
    assert (
        r.stderr.splitlines()[0] == f"{rel('errors.yaml')}:5: rule 'Read shadow': undefined macro 'foo' at position 18"
    )
    assert r.stderr.splitlines()[-1] == "pyscap: the rules do not load (--validate shows the warnings too)"
    r = cli("--rules", c, "-r", CURL, "--min-priority", "LOUD")
    assert (r.returncode, r.stderr) == (2, "pyscap: invalid priority 'LOUD'\n")
    r = cli("--rules", c, "-r", CURL, "--disable-rule", "Nope")
    assert (r.returncode, r.stderr) == (2, "pyscap: no rule matches 'Nope'\n")


INBOUND = """
- macro: inbound
  condition: >
    ((evt.type in (accept,accept4,listen) or
      (evt.type in (recvfrom,recvmsg) and
       fd.l4proto != tcp and fd.connected=false and fd.name_changed=true)) and
     (fd.typechar = 4 or fd.typechar = 6) and
     (fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8") and
     (evt.rawres >= 0 or evt.res = EINPROGRESS))

- list: allowed_inbound_source_ipaddrs
  items: ['"127.0.0.1"']

- list: allowed_inbound_source_networks
  items: ['"127.0.0.1/8"', '"10.0.0.0/8"']

- list: allowed_inbound_source_domains
  items: [google.com]

- rule: Unexpected inbound connection source
  desc: >
    Detect any inbound connection from a source outside of an allowed set of ips, networks, or domain names.
  condition: >
    inbound
    and not ((fd.cip in (allowed_inbound_source_ipaddrs)) or
             (fd.cnet in (allowed_inbound_source_networks)) or
             (fd.cip.name in (allowed_inbound_source_domains)))
  enabled: false
  output: Disallowed inbound connection source | connection=%fd.name lport=%fd.lport rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty
  priority: NOTICE
  tags: [maturity_sandbox, host, container, network, mitre_command_and_control, TA0011]
"""


def test_upstream_inbound_rule_on_the_ipv6_capture():
    """Upstream's "Unexpected inbound connection source" (falco-sandbox_rules.yaml, disabled there)
    on single_ipv6_conn.scap: the server's listen and its accept of 2001:db8::4 are inbound. The
    server started before the capture: its thread is known by its tid only (comm "<NA>", as
    upstream names such threads; Falco's proc_name_exists macro is for them)."""
    with Ruleset.from_yaml(INBOUND, "inbound.yaml") as rs:
        assert rs.messages == [] and not rs["Unexpected inbound connection source"].enabled
        rs.enable("Unexpected inbound connection source")
        got = alerts_of(rs, str(CAPTURES / "single_ipv6_conn.scap"))
    assert [a.output.split(": ", 1)[1] for a in got] == [
        "Notice Disallowed inbound connection source | connection=2001:db8::3:1234 lport=1234 rport=<NA> fd_type=ipv6 "
        "fd_proto=tcp evt_type=listen user=<NA> user_uid=4294967295 user_loginuid=-1 process=<NA> proc_exepath= "
        "parent=<NA> command=<NA> terminal=0",
        "Notice Disallowed inbound connection source | connection=2001:db8::4:54405->2001:db8::3:1234 lport=1234 "
        "rport=54405 fd_type=ipv6 fd_proto=tcp evt_type=accept user=<NA> user_uid=4294967295 user_loginuid=-1 "
        "process=<NA> proc_exepath= parent=<NA> command=<NA> terminal=0",
    ]
