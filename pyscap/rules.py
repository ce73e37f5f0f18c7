"""Falco rules over pyscap: rulesets evaluated in C (libsinsp's sinsp/ruleset.h) and Falco's
rules files (YAML), loaded here once; the per-event path stays in C.

    rs = pyscap.Ruleset.load(["falco_rules.yaml", "falco_rules.local.yaml"])
    with pyscap.open_live() as cap:
        for alert in cap.alerts(rs):
            print(alert.output)          # 16:05:21.312343811: Warning Sensitive file opened ...

    rs = pyscap.Ruleset()                # or built by hand
    rs.add_list("shells", ["bash", "sh"])
    rs.add_macro("spawned_process", "evt.type in (execve, execveat) and evt.dir=<")
    rs.add("Shell", "spawned_process and proc.name in (shells)", "shell %proc.name", "NOTICE")

Rules files follow Falco's format (docs/rules.md): rule, macro, list, condition, output, desc,
priority, tags, enabled, exceptions, append, override, source, required_engine_version,
required_plugin_versions, warn_evttypes, skip-if-unknown-filter; several files in order, each
overriding the previous ones. Errors and warnings name the file, the line of the item and the
item, as Falco's do: "rules.yaml:12: rule 'Read shadow': undefined macro 'foo' at position 7".
"""

import importlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from . import _native
from ._capi import CData
from .errors import Error, FilterError

if TYPE_CHECKING:
    from typing import Self

    from .capture import Capture, Event

ffi, sinsp = _native.ffi, _native.sinsp

ENGINE_VERSION = (0, 45, 0)
"""The version of Falco's rule engine whose rules files this loader reads (required_engine_version
up to it loads)."""

STATUS_OK, STATUS_TIMEOUT, STATUS_EOF = 0, 1, 2
_ALERT_TEXT, _ALERT_JSON = 0, 1
_FIRST = 1  # SINSP_RULESET_FIRST
_ERR_CONDITION, _ERR_OUTPUT = 1, 2  # enum sinsp_rule_error_where
_CONTAINER_INFO = "%container.info"

PathLike = str | os.PathLike[str]


class Priority(IntEnum):
    """Falco's priorities, most severe first (the lower the value, the more severe)."""

    EMERGENCY = 0
    ALERT = 1
    CRITICAL = 2
    ERROR = 3
    WARNING = 4
    NOTICE = 5
    INFORMATIONAL = 6
    DEBUG = 7

    @property
    def label(self) -> str:
        """The name as Falco prints it in alerts: "Warning", "Informational", ..."""
        return self.name.capitalize()

    @classmethod
    def parse(cls, value: "Priority | str | int") -> "Priority":
        """A priority from its name, case-insensitive (Falco's names; "info" too) or number."""
        if isinstance(value, Priority):
            return value
        if isinstance(value, int):
            return cls(value)
        v = value.strip().upper()
        if v == "INFO":
            return cls.INFORMATIONAL
        try:
            return cls[v]
        except KeyError:
            raise ValueError(f"invalid priority {value!r}") from None


@dataclass(frozen=True)
class LoadMessage:
    """An error or a warning of loading rules files: where (file, 1-based line of the item), what
    item ("rule", "macro", "list", "exception" of a rule, or "" for the file), and the message."""

    file: str
    line: int
    item: str
    name: str
    message: str
    warning: bool = False
    rule: str = ""  #: for an exception: its rule

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        if self.warning:
            where += "warning: "
        if self.item == "exception":
            where += f"rule '{self.rule}': exception '{self.name}': "
        elif self.item:
            where += f"{self.item} '{self.name}': "
        return where + self.message


class RulesError(Error):
    """Rules that do not load: `errors` and `warnings` are the LoadMessages."""

    def __init__(self, messages: Sequence[LoadMessage]) -> None:
        self.messages = list(messages)
        self.errors = [m for m in self.messages if not m.warning]
        self.warnings = [m for m in self.messages if m.warning]
        text = "\n".join(str(m) for m in self.errors) or "rules error"
        super().__init__(text, 22)


class RuleError(FilterError):
    """A rule, macro or list refused by the C ruleset. `where` is "condition", "output" or "rule";
    `position` the 0-based offset in the condition or output (-1 if none)."""

    def __init__(self, message: str, errno: int = 0, position: int = -1, where: str = "rule") -> None:
        super().__init__(message, errno, position)
        self.where = where


@dataclass(frozen=True)
class RuleInfo:
    """A rule of a Ruleset, with what its condition matches and how often it did."""

    id: int
    name: str
    priority: Priority
    enabled: bool  #: its flag
    active: bool  #: enabled and at least as severe as the ruleset's minimum priority
    tags: tuple[str, ...]
    evttypes: tuple[str, ...] | None  #: event types it is filed under; None: every type
    evttypes_except: tuple[str, ...]  #: for a condition on every type but these
    condition: str
    output: str
    desc: str
    source: str
    matches: int
    evaluated: int


@dataclass(frozen=True)
class RulesetStats:
    events: int  # events evaluated
    evaluated: int  # rule evaluations (only the rules of each event's type run)
    matches: int


@dataclass(frozen=True)
class Alert:
    """One rule matching one event, as Falco reports it."""

    rule: str
    priority: Priority
    time: int  #: event time, ns since the epoch
    output: str  #: "16:05:21.312343811: Warning Sensitive file opened ... (user=root ...)"
    output_fields: dict[str, Any]  #: {"fd.name": "/etc/shadow", "evt.time": 1700000000123456789, ...}
    tags: tuple[str, ...]
    hostname: str
    source: str
    json: str = field(repr=False)  #: Falco's JSON object of the alert


def _error() -> str:
    return _native.string(sinsp.sinsp_last_error())


def _strings(values: Iterable[str], what: str) -> tuple[CData, list[CData]]:
    keep = [ffi.new("char[]", _native.c_text(v, what, RuleError)) for v in values]
    return ffi.new("const char *[]", keep) if keep else ffi.NULL, keep


class Ruleset:
    """Rules evaluated in C, indexed by the event types their conditions can match. Build it with
    add_list(), add_macro() and add(), or with Ruleset.load() from Falco rules files; evaluate it
    with Capture.alerts(), Capture.loop(ruleset=...), match() or the CLI's --rules.

    The messages of the last load() are in `messages` (`errors`, `warnings`)."""

    def __init__(self, hostname: str | None = None) -> None:
        opts = ffi.new("struct sinsp_ruleset_opts *")
        opts.sz = ffi.sizeof("struct sinsp_ruleset_opts")
        keep = ffi.new("char[]", hostname.encode()) if hostname is not None else ffi.NULL
        opts.hostname = keep
        rs = sinsp.sinsp_ruleset__create(opts)
        if rs == ffi.NULL:
            raise Error(f"cannot create a ruleset: {_error()}", ffi.errno)
        self._rs: CData | None = rs
        self._lists: list[str] = []
        self._macros: list[str] = []
        self._rules: dict[int, tuple[str, Priority, tuple[str, ...], str]] = {}
        self.messages: list[LoadMessage] = []

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Free the ruleset (idempotent). Loops and captures using it must be closed first."""
        if self._rs is not None:
            rs, self._rs = self._rs, None
            sinsp.sinsp_ruleset__free(rs)

    def __enter__(self) -> "Self":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def _handle(self) -> CData:
        if self._rs is None:
            raise Error("the ruleset is closed")
        return self._rs

    # -- building ----------------------------------------------------------------------------------
    def add_list(self, name: str, items: Iterable[str]) -> None:
        """Define (or redefine) a list. An item naming an earlier list stands for its items; an
        item written as one quoted string ('"a b"') for its content."""
        values = [str(i) for i in items]
        arr, _keep = _strings(values, f"list '{name}': item")
        rc = sinsp.sinsp_ruleset__add_list(self._handle(), name.encode(), arr, len(values))
        if rc < 0:
            raise RuleError(f"list '{name}': {_error()}", -rc)
        self._lists.append(name)

    def add_macro(self, name: str, condition: str) -> None:
        """Define (or redefine) a macro: a condition a bare identifier stands for. It must parse;
        the rest is checked where a rule uses it."""
        pos = ffi.new("int *", -1)
        cond = _native.c_text(condition, f"macro '{name}': condition", RuleError)
        rc = sinsp.sinsp_ruleset__add_macro(self._handle(), _native.c_text(name, "macro name", RuleError), cond, pos)
        if rc < 0:
            raise RuleError(_error(), -rc, position=_native.char_position(cond, pos[0]), where="condition")
        self._macros.append(name)

    def add(
        self,
        name: str,
        condition: str,
        output: str = "",
        priority: Priority | str | int = Priority.WARNING,
        tags: Iterable[str] = (),
        enabled: bool = True,
        desc: str = "",
        source: str = "syscall",
    ) -> int:
        """Compile and add a rule; its id. RuleError (with .where and .position) when the
        condition or the output does not compile, the name is taken or the source is not
        "syscall"."""
        prio = Priority.parse(priority)
        o = ffi.new("struct sinsp_rule_opts *")
        o.sz = ffi.sizeof("struct sinsp_rule_opts")
        tag_list = list(tags)
        texts = [
            _native.c_text(s, f"rule '{name}': {what}", RuleError)
            for s, what in (
                (name, "name"),
                (condition, "condition"),
                (output, "output"),
                (desc, "desc"),
                (source, "source"),
            )
        ]
        keep = [ffi.new("char[]", b) for b in texts]
        o.name, o.condition, o.output, o.desc, o.source = keep
        o.priority = int(prio)
        tag_arr, _tkeep = _strings(tag_list, f"rule '{name}': tag")
        o.tags = tag_arr
        o.n_tags = len(tag_list)
        o.disabled = not enabled
        err = ffi.new("struct sinsp_rule_error *")
        err.sz = ffi.sizeof("struct sinsp_rule_error")
        rc = sinsp.sinsp_ruleset__add_rule(self._handle(), o, err)
        if rc < 0:
            where = {_ERR_CONDITION: "condition", _ERR_OUTPUT: "output"}.get(err.where, "rule")
            text = {_ERR_CONDITION: texts[1], _ERR_OUTPUT: texts[2]}.get(err.where, b"")
            raise RuleError(_error(), -rc, position=_native.char_position(text, err.pos), where=where)
        self._rules[rc] = (name, prio, tuple(sorted(set(tag_list))), source)
        return rc

    # -- loading -----------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        paths: PathLike | Iterable[PathLike],
        *,
        strict: bool = True,
        hostname: str | None = None,
        wait_names: float = 2.0,
    ) -> "Ruleset":
        """Load Falco rules files, in order (each may override the previous ones). With strict
        (the default) RulesError when any item does not load; otherwise the ruleset of the rules
        that did, with the errors in .errors. Warnings are in .warnings either way. Domain names
        compared with fd.*ip.name are resolved in the background: load() waits up to wait_names
        seconds for their first resolution."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        loader = _Loader()
        for p in paths:
            loader.read_file(os.fspath(p))
        return cls._from_loader(loader, strict, hostname, wait_names)

    @classmethod
    def from_yaml(
        cls,
        text: str,
        name: str = "<rules>",
        *,
        strict: bool = True,
        hostname: str | None = None,
        wait_names: float = 2.0,
    ) -> "Ruleset":
        """load() of one rules file's content (`name` is the file name messages give)."""
        loader = _Loader()
        loader.read_text(text, name)
        return cls._from_loader(loader, strict, hostname, wait_names)

    @classmethod
    def _from_loader(cls, loader: "_Loader", strict: bool, hostname: str | None, wait: float) -> "Ruleset":
        rs = cls(hostname=hostname)
        try:
            loader.compile(rs)
            rs.messages = loader.messages
            if strict and rs.errors:
                raise RulesError(rs.messages)
            if wait > 0:
                sinsp.sinsp_ruleset__wait_names(rs._handle(), int(wait * 1000))
        except BaseException:
            rs.close()
            raise
        return rs

    @property
    def errors(self) -> list[LoadMessage]:
        """The errors among `messages`."""
        return [m for m in self.messages if not m.warning]

    @property
    def warnings(self) -> list[LoadMessage]:
        """The warnings among `messages`."""
        return [m for m in self.messages if m.warning]

    # -- queries -----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return sinsp.sinsp_ruleset__count(self._handle())

    def __iter__(self) -> Iterator[RuleInfo]:
        return iter(self.rules())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) >= 0

    def __getitem__(self, key: str | int) -> RuleInfo:
        rid = key if isinstance(key, int) else self._find(key)
        if rid < 0 or rid >= len(self):
            raise KeyError(key)
        return self._info(rid)

    def _find(self, name: str) -> int:
        return sinsp.sinsp_ruleset__find(self._handle(), name.encode())

    def rules(self) -> list[RuleInfo]:
        """Every rule, in order."""
        return [self._info(i) for i in range(len(self))]

    def _info(self, rid: int) -> RuleInfo:
        info = ffi.new("struct sinsp_rule_info *")
        info.sz = ffi.sizeof("struct sinsp_rule_info")
        _native.check(sinsp.sinsp_ruleset__rule(self._handle(), rid, info), Error, "rule")
        s = _native.string
        names = s(info.evttypes)
        except_ = s(info.evttypes_except)
        return RuleInfo(
            id=rid,
            name=s(info.name),
            priority=Priority(info.priority),
            enabled=bool(info.enabled),
            active=bool(info.active),
            tags=tuple(s(info.tags[i]) for i in range(info.n_tags)),
            evttypes=None if info.all_evttypes else tuple(n for n in names.split(",") if n),
            evttypes_except=tuple(n for n in except_.split(",") if n),
            condition=s(info.condition),
            output=s(info.output),
            desc=s(info.desc),
            source=s(info.source),
            matches=info.n_matches,
            evaluated=info.n_evaluated,
        )

    def is_used(self, name: str, kind: str = "macro") -> bool:
        """Whether a macro or list ("macro"/"list") is used by a rule, or named by a macro or list."""
        rc = sinsp.sinsp_ruleset__is_used(self._handle(), name.encode(), 0 if kind == "macro" else 1)
        if rc < 0:
            raise KeyError(name)
        return rc == 1

    @property
    def stats(self) -> RulesetStats:
        """Counters: events evaluated, rule evaluations, matches."""
        st = ffi.new("struct sinsp_ruleset_stats *")
        st.sz = ffi.sizeof("struct sinsp_ruleset_stats")
        sinsp.sinsp_ruleset__stats(self._handle(), st)
        return RulesetStats(st.n_events, st.n_evaluated, st.n_matches)

    # -- enabling at run time ------------------------------------------------------------------------
    def enable(self, name: str | None = None, *, tag: str | None = None) -> int:
        """Enable the rules named `name` (exact, or an fnmatch pattern with * ? [), or with `tag`.
        The number of rules; KeyError when none matches."""
        return self._set(name, tag, True)

    def disable(self, name: str | None = None, *, tag: str | None = None) -> int:
        """Disable rules (as enable())."""
        return self._set(name, tag, False)

    def _set(self, name: str | None, tag: str | None, on: bool) -> int:
        if (name is None) == (tag is None):
            raise ValueError("give a rule name (or pattern) or a tag")
        rs = self._handle()
        if name is not None:
            rc = sinsp.sinsp_ruleset__enable(rs, name.encode(), on)
        else:
            assert tag is not None
            rc = sinsp.sinsp_ruleset__enable_tag(rs, tag.encode(), on)
        if rc < 0:
            raise KeyError(_error())
        return rc

    @property
    def min_priority(self) -> Priority:
        """Rules less severe than this are not evaluated (default DEBUG: all are)."""
        return self._min_priority

    @min_priority.setter
    def min_priority(self, value: Priority | str | int) -> None:
        p = Priority.parse(value)
        _native.check(sinsp.sinsp_ruleset__set_min_priority(self._handle(), int(p)), Error, "min_priority")
        self._min_priority = p

    _min_priority = Priority.DEBUG

    # -- evaluation --------------------------------------------------------------------------------
    def match(self, evt: "Event", first: bool = False) -> list[str]:
        """The names of the rules an event (borrowed, of a capture) matches, in rule order."""
        n = len(self)
        ids = ffi.new("uint32_t[]", max(n, 1))
        rc = sinsp.sinsp_ruleset__eval(self._handle(), evt._p(), _FIRST if first else 0, ids, n)
        if rc < 0:
            raise Error(_error(), -rc)
        return [self._rule_meta(ids[i])[0] for i in range(min(rc, n))]

    def alert(self, rule: str | int, evt: "Event", json: bool = False) -> str:
        """The alert line of a rule for an event (Falco's text line, or its JSON object)."""
        rid = rule if isinstance(rule, int) else self._find(rule)
        if rid < 0:
            raise KeyError(rule)
        s = sinsp.sinsp_ruleset__alert_str(self._handle(), rid, evt._p(), _ALERT_JSON if json else _ALERT_TEXT)
        if s == ffi.NULL:
            raise Error(_error(), ffi.errno)
        return ffi.string(s).decode("utf-8", "replace")

    def _rule_meta(self, rid: int) -> tuple[str, Priority, tuple[str, ...], str]:
        meta = self._rules.get(rid)
        if meta is None:
            info = self._info(rid)
            meta = self._rules[rid] = (info.name, info.priority, info.tags, info.source)
        return meta

    def _make_alert(self, rid: int, ptr: CData) -> Alert:
        s = sinsp.sinsp_ruleset__alert_str(self._handle(), rid, ptr, _ALERT_JSON)
        if s == ffi.NULL:
            raise Error(_error(), ffi.errno)
        text = ffi.string(s).decode("utf-8", "replace")
        obj = json.loads(text)
        name, prio, tags, source = self._rule_meta(rid)
        return Alert(
            rule=name,
            priority=prio,
            time=sinsp.sinsp_event__ts(ptr),
            output=obj["output"],
            output_fields=obj["output_fields"],
            tags=tags,
            hostname=obj["hostname"],
            source=source,
            json=text,
        )


def alerts(cap: "Capture", ruleset: Ruleset, first: bool = False, timeout: float | None = None) -> Iterator[Alert]:
    """The alerts of `ruleset` on the events of `cap` (Capture.alerts()): the events are read and
    evaluated in C, an Alert per matching rule (only the first with first=True). A file ends at
    its end, a live capture after stop(), the capture's timeout or `timeout` seconds."""
    insp = cap._handle()
    rs = ruleset._handle()
    n = max(len(ruleset), 1)
    ids = ffi.new("uint32_t[]", n)
    evt = ffi.new("const struct sinsp_event **")
    count = ffi.new("uint32_t *")
    flags = _FIRST if first else 0
    if timeout is None:
        timeout = cap._timeout
    deadline = None if timeout is None else time.monotonic() + timeout
    pause = 0.0002
    while True:
        if len(ruleset) > n:  # rules added meanwhile
            n = len(ruleset)
            ids = ffi.new("uint32_t[]", n)
        cap._gen += 1
        rc = sinsp.sinsp_ruleset__next(rs, insp, flags, evt, ids, n, count)
        if rc == STATUS_OK:
            pause = 0.0002
            for i in range(min(count[0], n)):
                yield ruleset._make_alert(ids[i], evt[0])
            if deadline is not None and time.monotonic() >= deadline:
                return
            continue
        if rc == STATUS_EOF:
            return
        if rc != STATUS_TIMEOUT:
            raise cap._read_error(rc)
        if cap._stopped or (deadline is not None and time.monotonic() >= deadline):
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.01)
        insp = cap._handle()


# ---- Falco's rules files ---------------------------------------------------------------------------

# Falco's messages (userspace/engine/rule_loading_messages.h)
WARNING_APPEND = (
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."
)
WARNING_ENABLED = (
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the "
    "'override' key (i.e. 'enabled: replace')."
)
ERROR_OVERRIDE_APPEND = (
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') "
    "under 'override' instead."
)
ERROR_NO_PREVIOUS_MACRO = "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists"
ERROR_NO_PREVIOUS_LIST = "List uses 'append' or 'override.items: append' but no list by that name already exists"
ERROR_NO_PREVIOUS_RULE_APPEND = "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"
ERROR_NO_PREVIOUS_RULE_REPLACE = (
    "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists"
)
RGX_IDENTIFIER = "([a-zA-Z]+[a-zA-Z0-9_]*)"
RGX_BARESTR = "([^()\"'[:space:]=,]+)"
_IDENTIFIER = re.compile(r"[a-zA-Z]+[a-zA-Z0-9_]*")
_BARESTR = re.compile(r"[^()\"'\s=,]+")
_NO_EVTTYPE = "Rule matches too many evt.type values. This has a significant performance penalty."
_CONTAINER_INFO_DEPRECATED = (
    "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin "
    "will automatically add required fields to the output message."
)

_RULE_APPENDABLE = ("condition", "output", "desc", "tags", "exceptions")
_RULE_REPLACEABLE = (
    "condition",
    "output",
    "desc",
    "priority",
    "tags",
    "exceptions",
    "enabled",
    "warn_evttypes",
    "skip-if-unknown-filter",
)
_RULE_KEYS = set(_RULE_REPLACEABLE) | {"rule", "source", "append", "override", "capture", "capture_duration"}
_MACRO_KEYS = {"macro", "condition", "append", "override"}
_LIST_KEYS = {"list", "items", "append", "override"}
# the comparison operators of the filter language (exceptions' comps)
_OPERATORS = {
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "contains",
    "icontains",
    "bcontains",
    "startswith",
    "bstartswith",
    "endswith",
    "glob",
    "iglob",
    "pmatch",
    "in",
    "intersects",
    "exists",
    "regex",
}
_LIST_OPERATORS = {"in", "intersects", "pmatch"}
_TRUE = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}
_FALSE = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_BARE_VALUE = re.compile(r"[^\s(),=\"']+")


class _Mark(Protocol):
    line: int


class _Node(Protocol):
    """A node of yaml.compose(): id "scalar" (value: str), "sequence" (value: list of nodes) or
    "mapping" (value: list of (key, value) node pairs)."""

    id: str
    tag: str
    value: Any
    start_mark: _Mark


def _yaml() -> Any:
    try:
        return importlib.import_module("yaml")
    except ImportError:
        raise Error("loading rules files needs PyYAML: pip install pyyaml") from None


@dataclass
class _Ctx:
    file: str
    line: int
    item: str = ""
    name: str = ""
    rule: str = ""


class _LoadError(Exception):
    def __init__(self, message: str, ctx: _Ctx) -> None:
        super().__init__(message)
        self.message = message
        self.ctx = ctx


def _fail(message: str, ctx: _Ctx) -> NoReturn:
    raise _LoadError(message, ctx)


@dataclass
class _Entry:
    """An exceptions' fields/comps/values entry: a string, or a list of entries."""

    item: str = ""
    items: list["_Entry"] | None = None

    @property
    def is_list(self) -> bool:
        return self.items is not None


@dataclass
class _ExceptionDef:
    name: str
    ctx: _Ctx
    fields: _Entry | None = None
    comps: _Entry | None = None
    values: list[_Entry] = field(default_factory=list)


@dataclass
class _ListDef:
    name: str
    items: list[str]
    ctx: _Ctx
    index: int


@dataclass
class _MacroDef:
    name: str
    cond: str
    ctx: _Ctx
    index: int


@dataclass
class _RuleDef:
    name: str
    ctx: _Ctx
    index: int = 0
    cond: str = ""
    output: str = ""
    desc: str = ""
    priority: Priority = Priority.DEBUG
    source: str = "syscall"
    enabled: bool = True
    tags: set[str] = field(default_factory=set)
    exceptions: list[_ExceptionDef] = field(default_factory=list)
    warn_evttypes: bool = True
    skip_if_unknown_filter: bool = False
    unknown_source: bool = False


@dataclass
class _Update:
    """The keys of an append/replace override (or a legacy append) of a rule: None when absent."""

    cond: str | None = None
    output: str | None = None
    desc: str | None = None
    tags: set[str] | None = None
    exceptions: list[_ExceptionDef] | None = None
    priority: Priority | None = None
    enabled: bool | None = None
    warn_evttypes: bool | None = None
    skip_if_unknown_filter: bool | None = None


def _parse_version(text: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text.strip())
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _quote_item(v: str) -> str:
    """A value as a filter token: as it is when it is quoted already or a bare word, else quoted."""
    if v[:1] in ('"', "'") or _BARE_VALUE.fullmatch(v):
        return v
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _paren_item(v: str) -> str:
    return v if v.startswith("(") else f"({v})"


def _field_defined(name: str) -> bool:
    return sinsp.sinsp_fields__check(name.encode()) == 0


class _Loader:
    """Falco's rule loader: a reader (YAML items -> definitions, in the order of the files) and a
    collector (definitions, appends and overrides), then compile() into a C ruleset."""

    def __init__(self) -> None:
        self.messages: list[LoadMessage] = []
        self.lists: dict[str, _ListDef] = {}
        self.macros: dict[str, _MacroDef] = {}
        self.rules: dict[str, _RuleDef] = {}
        self.index = 0
        self.files: list[str] = []  # in the order read: messages are sorted by file, then line

    # -- messages ------------------------------------------------------------------------------------
    def _message(self, ctx: _Ctx, message: str, warning: bool) -> None:
        self.messages.append(LoadMessage(ctx.file, ctx.line, ctx.item, ctx.name, message, warning, ctx.rule))

    def error(self, ctx: _Ctx, message: str) -> None:
        self._message(ctx, message, False)

    def warn(self, ctx: _Ctx, message: str) -> None:
        self._message(ctx, message, True)

    # -- reading -------------------------------------------------------------------------------------
    def read_file(self, path: str) -> None:
        if path not in self.files:
            self.files.append(path)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            self.error(_Ctx(path, 0), f"cannot read the rules file: {e.strerror or e}")
            return
        except UnicodeDecodeError as e:
            self.error(_Ctx(path, 0), f"not UTF-8 text: {e}")
            return
        self.read_text(text, path)

    def read_text(self, text: str, name: str) -> None:
        self.files.append(name)
        yaml = _yaml()
        loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
        ctx = _Ctx(name, 0)
        try:
            docs: list[_Node | None] = list(yaml.compose_all(text, Loader=loader))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problem = getattr(e, "problem", None) or str(e)
            self.error(_Ctx(name, line), f"invalid YAML: {problem}")
            return
        for doc in docs:
            if doc is None or (doc.id == "scalar" and doc.tag.endswith(":null")):
                continue
            if doc.id != "sequence":
                self.error(
                    _Ctx(name, doc.start_mark.line + 1),
                    "Rules content is not yaml array of objects"
                    if doc.id == "mapping"
                    else "Rules content is not yaml",
                )
                continue
            for item in doc.value:
                if item.id == "scalar" and item.tag.endswith(":null"):
                    continue
                try:
                    self.read_item(item, ctx)
                except _LoadError as e:
                    self.error(e.ctx, e.message)

    @staticmethod
    def _mapping(node: _Node) -> dict[str, _Node]:
        out: dict[str, _Node] = {}
        for k, v in node.value:
            if k.id == "scalar":
                out[str(k.value)] = v
        return out

    @staticmethod
    def _is_null(node: _Node) -> bool:
        return node.id == "scalar" and node.tag.endswith(":null")

    def _val(self, m: dict[str, _Node], key: str, ctx: _Ctx, optional: bool = False) -> str | None:
        node = m.get(key)
        if node is None:
            if optional:
                return None
            _fail(f"Item has no mapping for key '{key}'", ctx)
        if self._is_null(node):
            _fail(f"Mapping for key '{key}' is empty", ctx)
        if node.id != "scalar":
            _fail(f"Value for key '{key}' is not a scalar value", ctx)
        if node.value == "":
            _fail(f"Value for key '{key}' must be non-empty", ctx)
        return str(node.value)

    def _str(self, m: dict[str, _Node], key: str, ctx: _Ctx) -> str:
        v = self._val(m, key, ctx)
        assert v is not None
        return v

    def _bool(self, m: dict[str, _Node], key: str, ctx: _Ctx, optional: bool = True) -> bool | None:
        v = self._val(m, key, ctx, optional)
        if v is None:
            return None
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
        _fail(f"Can't decode YAML scalar value for key '{key}': {v!r} is not a boolean", ctx)

    def _seq(self, m: dict[str, _Node], key: str, ctx: _Ctx, optional: bool) -> list[str] | None:
        node = m.get(key)
        if node is None:
            if optional:
                return None
            _fail(f"Item has no mapping for key '{key}'", ctx)
        if node.id != "sequence":
            _fail(f"Value for key '{key}' is not a sequence", ctx)
        out = []
        for v in node.value:
            if v.id != "scalar":
                _fail(f"A value of key '{key}' is not scalar", ctx)
            out.append(str(v.value))
        return out

    def _priority(self, m: dict[str, _Node], ctx: _Ctx) -> Priority:
        text = self._str(m, "priority", ctx)
        try:
            return Priority.parse(text)
        except ValueError:
            _fail(f"Invalid priority '{text}'", ctx)

    def _item_ctx(self, node: _Node, parent: _Ctx, item: str = "", name: str = "") -> _Ctx:
        return _Ctx(parent.file, node.start_mark.line + 1, item, name)

    def read_item(self, node: _Node, parent: _Ctx) -> None:
        ctx = self._item_ctx(node, parent)
        if node.id != "mapping":
            _fail("Unexpected element type. Each element should be a yaml associative array.", ctx)
        m = self._mapping(node)
        if "required_engine_version" in m:
            self._read_engine_version(m, ctx)
        elif "required_plugin_versions" in m:
            self._read_plugin_versions(m["required_plugin_versions"], ctx)
        elif "list" in m:
            self._read_list(m, ctx)
        elif "macro" in m:
            self._read_macro(m, ctx)
        elif "rule" in m:
            self._read_rule(m, ctx)
        else:
            self.warn(ctx, "Unknown top level item")

    def _read_engine_version(self, m: dict[str, _Node], ctx: _Ctx) -> None:
        text = self._str(m, "required_engine_version", ctx)
        if text.isdigit():
            want: tuple[int, int, int] | None = (0, int(text), 0)
        else:
            want = _parse_version(text)
            if want is None:
                _fail(
                    f"Unable to parse engine version '{text}' as a semver string. Expected \"x.y.z\" semver format.",
                    ctx,
                )
        assert want is not None
        have = ENGINE_VERSION
        if want[0] != have[0] or want > have:
            _fail(
                "Rules require engine version {}, but engine version is {}".format(
                    ".".join(map(str, want)), ".".join(map(str, have))
                ),
                ctx,
            )

    def _read_plugin_versions(self, node: _Node, ctx: _Ctx) -> None:
        if node.id != "sequence":
            _fail("Value of required_plugin_versions must be a sequence", ctx)
        for plugin in node.value:
            pctx = self._item_ctx(plugin, ctx)
            if plugin.id != "mapping":
                _fail("Plugin version must be a mapping", pctx)
            pm = self._mapping(plugin)
            reqs = [(self._str(pm, "name", pctx), self._str(pm, "version", pctx))]
            alternatives = pm.get("alternatives")
            if alternatives is not None:
                if alternatives.id != "sequence":
                    _fail("Value of plugin version alternatives must be a sequence", pctx)
                for alt in alternatives.value:
                    actx = self._item_ctx(alt, ctx)
                    if alt.id != "mapping":
                        _fail("Plugin version alternative must be a mapping", actx)
                    am = self._mapping(alt)
                    reqs.append((self._str(am, "name", actx), self._str(am, "version", actx)))
            seen: set[str] = set()
            for name, version in reqs:
                if _parse_version(version) is None:
                    _fail(f"Invalid required version '{version}' for plugin '{name}'", pctx)
                if name in seen:
                    _fail(f"Defined multiple alternative version requirements for plugin '{name}'", pctx)
                seen.add(name)
            # pyscap loads no plugins: what their sources need is skipped (a rule of another
            # source is skipped with a warning), so a requirement is a warning, not an error
            wanted = " or ".join(f"'{n}' (>= {v})" for n, v in reqs)
            self.warn(pctx, f"plugin {wanted} is required by this rules file, but pyscap loads no plugins")

    def _check_keys(self, m: dict[str, _Node], allowed: set[str], ctx: _Ctx) -> None:
        for k in m:
            if k not in allowed:
                self.warn(ctx, f"Unknown key '{k}'")

    def _overrides(
        self, m: dict[str, _Node], appendable: Sequence[str], replaceable: Sequence[str], ctx: _Ctx
    ) -> tuple[set[str], set[str]]:
        node = m.get("override")
        if node is None:
            return set(), set()
        if node.id != "mapping":
            _fail("The 'override' key must be a mapping of keys to 'append' or 'replace'", ctx)
        append: set[str] = set()
        replace: set[str] = set()
        for k, v in node.value:
            key, op = str(k.value), str(v.value) if v.id == "scalar" else ""
            if op == "append":
                if key not in appendable:
                    _fail(f"Key '{key}' cannot be appended to, use 'replace' instead", ctx)
                append.add(key)
            elif op == "replace":
                if key not in replaceable:
                    _fail(f"Key '{key}' cannot be replaced", ctx)
                replace.add(key)
            else:
                allowed = " ".join(
                    o for o, ok in (("append", key in appendable), ("replace", key in replaceable)) if ok
                )
                _fail(f"Invalid override operation for key '{key}': '{op}'. Allowed values are: {allowed}", ctx)
        return append, replace

    def _read_list(self, m: dict[str, _Node], ctx: _Ctx) -> None:
        name = self._str(m, "list", ctx)
        ctx.item, ctx.name = "list", name
        if not _BARESTR.fullmatch(name):
            _fail("List has an invalid name. List names must match a regular expression: " + RGX_BARESTR, ctx)
        self._check_keys(m, _LIST_KEYS, ctx)
        items = self._seq(m, "items", ctx, optional=False)
        assert items is not None
        append = bool(self._bool(m, "append", ctx))
        if append:
            self.warn(ctx, WARNING_APPEND)
        o_append, o_replace = self._overrides(m, ("items",), ("items",), ctx)
        if append and (o_append or o_replace):
            _fail(ERROR_OVERRIDE_APPEND, ctx)
        if append or "items" in o_append:
            prev = self.lists.get(name)
            if prev is None:
                _fail(ERROR_NO_PREVIOUS_LIST, ctx)
            prev.items.extend(items)
            return
        prev = self.lists.get(name)
        self.lists[name] = _ListDef(name, items, ctx, prev.index if prev else self._next())

    def _read_macro(self, m: dict[str, _Node], ctx: _Ctx) -> None:
        name = self._str(m, "macro", ctx)
        ctx.item, ctx.name = "macro", name
        if not _IDENTIFIER.fullmatch(name):
            _fail("Macro has an invalid name. Macro names must match a regular expression: " + RGX_IDENTIFIER, ctx)
        self._check_keys(m, _MACRO_KEYS, ctx)
        cond = self._str(m, "condition", ctx)
        append = bool(self._bool(m, "append", ctx))
        if append:
            self.warn(ctx, WARNING_APPEND)
        o_append, o_replace = self._overrides(m, ("condition",), ("condition",), ctx)
        if append and (o_append or o_replace):
            _fail(ERROR_OVERRIDE_APPEND, ctx)
        if append or "condition" in o_append:
            prev = self.macros.get(name)
            if prev is None:
                _fail(ERROR_NO_PREVIOUS_MACRO, ctx)
            prev.cond += " " + cond
            return
        prev = self.macros.get(name)
        self.macros[name] = _MacroDef(name, cond, ctx, prev.index if prev else self._next())

    def _next(self) -> int:
        self.index += 1
        return self.index

    def _exceptions(self, m: dict[str, _Node], ctx: _Ctx, append: bool) -> list[_ExceptionDef]:
        node = m.get("exceptions")
        if node is None or self._is_null(node):
            return []
        if node.id != "sequence":
            _fail("Rule exceptions must be a sequence", ctx)
        out: list[_ExceptionDef] = []
        for ex in node.value:
            ectx = _Ctx(ctx.file, ex.start_mark.line + 1, "exception", "", ctx.name)
            if ex.id != "mapping":
                _fail("Rule exception must be a mapping", ectx)
            em = self._mapping(ex)
            ectx.name = self._str(em, "name", ectx)
            if any(e.name == ectx.name for e in out):
                _fail("Exceptions names in the same object must be unique", ectx)
            d = _ExceptionDef(ectx.name, ectx)
            d.fields = self._entry(em.get("fields"), "fields", ectx, optional=append)
            d.comps = self._entry(em.get("comps"), "comps", ectx, optional=True)
            values = em.get("values")
            if values is not None:
                if values.id != "sequence":
                    _fail("Rule exception values must be a sequence", ectx)
                for v in values.value:
                    e = self._entry(v, "values", ectx, optional=False)
                    assert e is not None
                    d.values.append(e)
            elif append:
                self.warn(ectx, "Overriding/appending exception with no values")
            out.append(d)
        return out

    def _entry(self, node: _Node | None, key: str, ctx: _Ctx, optional: bool) -> _Entry | None:
        if node is None:
            if optional:
                return None
            _fail(f"Item has no mapping for key '{key}'", ctx)
        if node.id == "scalar":
            if node.value == "":
                _fail(f"Value for key '{key}' must be non-empty", ctx)
            return _Entry(item=str(node.value))
        if node.id == "sequence":
            items = []
            for v in node.value:
                e = self._entry(v, key, ctx, optional=False)
                assert e is not None
                items.append(e)
            return _Entry(items=items)
        _fail(f"Value for key '{key}' must be a string or a sequence", ctx)

    def _validate_exception(self, ex: _ExceptionDef, check_fields: bool) -> None:
        """Falco's validation of an exception's fields and comps (comps default to '=' each for a
        list of fields, to 'in' for a single field)."""
        ctx = ex.ctx
        assert ex.fields is not None
        if ex.fields.is_list:
            assert ex.fields.items is not None
            if ex.comps is None:
                ex.comps = _Entry(items=[_Entry(item="=") for _ in ex.fields.items])
            if not ex.comps.is_list or len(ex.comps.items or []) != len(ex.fields.items):
                _fail("Fields and comps lists must have equal length", ctx)
            for c in ex.comps.items or []:
                if c.item not in _OPERATORS:
                    _fail(f"'{c.item}' is not a supported comparison operator", ctx)
            for f in ex.fields.items:
                if check_fields and (f.is_list or not _field_defined(f.item)):
                    _fail(f"'{f.item}' is not a supported filter field", ctx)
        else:
            if ex.comps is None:
                ex.comps = _Entry(item="in")
            if ex.comps.is_list:
                _fail("Fields and comps must both be strings", ctx)
            if ex.comps.item not in _LIST_OPERATORS:
                _fail("When fields is a single value, comps must be one of (in, pmatch, intersects)", ctx)
            if check_fields and not _field_defined(ex.fields.item):
                _fail(f"'{ex.fields.item}' is not a supported filter field", ctx)

    def _read_rule(self, m: dict[str, _Node], ctx: _Ctx) -> None:
        name = self._str(m, "rule", ctx)
        ctx.item, ctx.name = "rule", name
        self._check_keys(m, _RULE_KEYS, ctx)
        legacy_append = bool(self._bool(m, "append", ctx))
        if legacy_append:
            self.warn(ctx, WARNING_APPEND)
        o_append, o_replace = self._overrides(m, _RULE_APPENDABLE, _RULE_REPLACEABLE, ctx)
        if legacy_append and (o_append or o_replace):
            _fail(ERROR_OVERRIDE_APPEND, ctx)
        if o_append or o_replace:
            expected = {k for k in (*_RULE_APPENDABLE, *_RULE_REPLACEABLE) if k in m}
            for kind, keys in (("append", o_append), ("replace", o_replace)):
                if not keys:
                    continue
                u = _Update()
                for key in keys:
                    if key not in expected:
                        _fail(f"An {kind} override for '{key}' was specified but '{key}' is not defined", ctx)
                    expected.discard(key)
                    self._update_key(u, key, m, ctx)
                if kind == "append":
                    self._append_rule(name, u, ctx)
                else:
                    self._replace_rule(name, u, ctx)
            for key in sorted(expected):
                _fail(f"Unexpected key '{key}': no corresponding entry under 'override' is defined.", ctx)
            return
        if legacy_append:
            u = _Update()
            if "condition" in m:
                u.cond = self._str(m, "condition", ctx)
            if "exceptions" in m:
                u.exceptions = self._exceptions(m, ctx, append=True)
            self._append_rule(name, u, ctx)
            return
        if not any(k in m for k in ("condition", "output", "desc", "priority")):
            enabled = self._bool(m, "enabled", ctx, optional=False)
            self.warn(ctx, WARNING_ENABLED)
            prev = self.rules.get(name)
            if prev is None:
                _fail("Rule has 'enabled' key but no rule by that name already exists", ctx)
            prev.enabled = bool(enabled)
            return
        r = _RuleDef(name, ctx)
        r.cond = self._str(m, "condition", ctx)
        r.output = self._str(m, "output", ctx).strip()
        r.desc = self._str(m, "desc", ctx)
        r.priority = self._priority(m, ctx)
        r.source = self._val(m, "source", ctx, optional=True) or "syscall"
        r.enabled = self._bool(m, "enabled", ctx) is not False
        r.warn_evttypes = self._bool(m, "warn_evttypes", ctx) is not False
        r.skip_if_unknown_filter = bool(self._bool(m, "skip-if-unknown-filter", ctx))
        r.tags = set(self._seq(m, "tags", ctx, optional=True) or [])
        r.exceptions = self._exceptions(m, ctx, append=False)
        prev = self.rules.get(name)
        if prev is not None and prev.source != r.source:
            _fail("Rule has been re-defined with a different source", ctx)
        if r.source != "syscall":
            r.unknown_source = True
            self.warn(ctx, f"Unknown source {r.source}, skipping")
        for ex in r.exceptions:
            if ex.fields is None:
                _fail("Rule exception item must have fields property with a list of fields", ex.ctx)
            self._validate_exception(ex, check_fields=not r.unknown_source)
        r.index = prev.index if prev else self._next()
        self.rules[name] = r

    def _update_key(self, u: _Update, key: str, m: dict[str, _Node], ctx: _Ctx) -> None:
        if key == "condition":
            u.cond = self._str(m, key, ctx)
        elif key == "output":
            u.output = self._str(m, key, ctx).strip()
        elif key == "desc":
            u.desc = self._str(m, key, ctx)
        elif key == "tags":
            u.tags = set(self._seq(m, key, ctx, optional=False) or [])
        elif key == "exceptions":
            u.exceptions = self._exceptions(m, ctx, append=True)
        elif key == "priority":
            u.priority = self._priority(m, ctx)
        elif key == "enabled":
            u.enabled = self._bool(m, key, ctx, optional=False)
        elif key == "warn_evttypes":
            u.warn_evttypes = self._bool(m, key, ctx, optional=False)
        else:
            u.skip_if_unknown_filter = self._bool(m, key, ctx, optional=False)

    def _append_rule(self, name: str, u: _Update, ctx: _Ctx) -> None:
        prev = self.rules.get(name)
        if prev is None:
            _fail(ERROR_NO_PREVIOUS_RULE_APPEND, ctx)
        if u.cond:
            prev.cond += " " + u.cond
        if u.output:
            prev.output += " " + u.output
        if u.desc:
            prev.desc += " " + u.desc
        if u.tags is not None:
            prev.tags |= u.tags
        for ex in u.exceptions or []:
            old = next((e for e in prev.exceptions if e.name == ex.name), None)
            if old is None:
                if ex.fields is None:
                    _fail("Rule exception must have fields property with a list of fields", ex.ctx)
                if not ex.values:
                    _fail("Rule exception must have values property with a list of values", ex.ctx)
                self._validate_exception(ex, check_fields=not prev.unknown_source)
                prev.exceptions.append(ex)
            else:
                if ex.fields is not None:
                    _fail("Can not append exception fields to existing exception, only values", ex.ctx)
                if ex.comps is not None:
                    _fail("Can not append exception comps to existing exception, only values", ex.ctx)
                old.values.extend(ex.values)

    def _replace_rule(self, name: str, u: _Update, ctx: _Ctx) -> None:
        prev = self.rules.get(name)
        if prev is None:
            _fail(ERROR_NO_PREVIOUS_RULE_REPLACE, ctx)
        if u.cond is not None:
            prev.cond = u.cond
        if u.output is not None:
            prev.output = u.output
        if u.desc is not None:
            prev.desc = u.desc
        if u.tags is not None:
            prev.tags = set(u.tags)
        if u.exceptions is not None:
            for ex in u.exceptions:
                if ex.fields is None:
                    _fail("Rule exception must have fields property with a list of fields", ex.ctx)
                self._validate_exception(ex, check_fields=not prev.unknown_source)
            prev.exceptions = list(u.exceptions)
        if u.priority is not None:
            prev.priority = u.priority
        if u.enabled is not None:
            prev.enabled = u.enabled
        if u.warn_evttypes is not None:
            prev.warn_evttypes = u.warn_evttypes
        if u.skip_if_unknown_filter is not None:
            prev.skip_if_unknown_filter = u.skip_if_unknown_filter

    # -- compiling -----------------------------------------------------------------------------------
    @staticmethod
    def _exception_condition(ex: _ExceptionDef) -> str:
        """Falco's `(... or ...)` clause of an exception ("" when it has no values)."""
        assert ex.fields is not None and ex.comps is not None
        if not ex.fields.is_list:
            vals = []
            for v in ex.values:
                if v.is_list:
                    _fail("Expected values array to contain a list of strings", ex.ctx)
                vals.append(_quote_item(v.item))
            if not vals:
                return ""
            return f"({ex.fields.item} {ex.comps.item} ({', '.join(vals)}))"
        fields = ex.fields.items or []
        comps = ex.comps.items or []
        alts = []
        for v in ex.values:
            items = v.items if v.items is not None else [v]
            if len(items) != len(fields):
                _fail("Fields and values lists must have equal length", ex.ctx)
            checks = []
            for f, c, val in zip(fields, comps, items):
                if val.is_list:
                    text = "(" + ", ".join(_quote_item(i.item) for i in val.items or []) + ")"
                elif c.item in _LIST_OPERATORS:
                    text = _paren_item(val.item)
                else:
                    text = _quote_item(val.item)
                checks.append(f"{f.item} {c.item} {text}")
            alts.append("(" + " and ".join(checks) + ")")
        return "(" + " or ".join(alts) + ")" if alts else ""

    def compile(self, rs: Ruleset) -> None:
        for lst in sorted(self.lists.values(), key=lambda d: d.index):
            try:
                rs.add_list(lst.name, lst.items)
            except RuleError as e:
                self.error(lst.ctx, str(e))
        for mac in sorted(self.macros.values(), key=lambda d: d.index):
            try:
                rs.add_macro(mac.name, mac.cond)
            except RuleError as e:
                self.error(mac.ctx, str(e).split("\n", 1)[0])
        for r in sorted(self.rules.values(), key=lambda d: d.index):
            if not r.unknown_source:
                self._compile_rule(rs, r)
        for mac in self.macros.values():
            try:
                if not rs.is_used(mac.name, "macro"):
                    self.warn(mac.ctx, "Macro not referred to by any other rule/macro")
            except KeyError:
                pass
        for lst in self.lists.values():
            try:
                if not rs.is_used(lst.name, "list"):
                    self.warn(lst.ctx, "List not referred to by any other rule/macro")
            except KeyError:
                pass
        order = {f: i for i, f in reversed(list(enumerate(self.files)))}
        self.messages.sort(key=lambda m: (order.get(m.file, len(order)), m.line))

    def _compile_rule(self, rs: Ruleset, r: _RuleDef) -> None:
        cond = r.cond
        shift = 0
        if r.exceptions:
            clauses = []
            for ex in r.exceptions:
                try:
                    c = self._exception_condition(ex)
                except _LoadError as e:
                    self.error(e.ctx, e.message)
                    return
                if c:
                    clauses.append(c)
            cond = "(" + r.cond + ")" + "".join(" and not " + c for c in clauses)
            shift = 1
        output = r.output
        if _CONTAINER_INFO in output:
            self.warn(r.ctx, _CONTAINER_INFO_DEPRECATED)
            output = output.replace(_CONTAINER_INFO, "")
        try:
            rid = rs.add(r.name, cond, output, r.priority, sorted(r.tags), r.enabled, r.desc, r.source)
        except RuleError as e:
            msg = str(e).split("\n", 1)[0]
            if e.where == "condition":
                msg = self._shift_position(msg, e.position, shift, len(r.cond))
            elif e.where == "output":
                msg = "in the output: " + msg
            if r.skip_if_unknown_filter and "unknown field" in msg:
                self.warn(r.ctx, msg + " (skip-if-unknown-filter: the rule is skipped)")
            else:
                self.error(r.ctx, msg)
            return
        info = rs[rid]
        if r.warn_evttypes and (info.evttypes is None or len(info.evttypes) == 0 or self._n_types(rs, rid) > 100):
            self.warn(r.ctx, _NO_EVTTYPE)

    @staticmethod
    def _n_types(rs: Ruleset, rid: int) -> int:
        info = ffi.new("struct sinsp_rule_info *")
        info.sz = ffi.sizeof("struct sinsp_rule_info")
        sinsp.sinsp_ruleset__rule(rs._handle(), rid, info)
        return int(info.n_evttypes)

    @staticmethod
    def _shift_position(msg: str, pos: int, shift: int, cond_len: int) -> str:
        """The C error's trailing "at position N" in the rule's own condition (the compiled one
        starts with "(" when there are exceptions, which follow the condition)."""
        if not shift or pos < 0:
            return msg
        m = re.search(r" at position \d+$", msg)
        if not m:
            return msg
        head = msg[: m.start()]
        if pos - shift < cond_len:
            return f"{head} at position {max(pos - shift, 0)}"
        return f"{head} in the exceptions"
