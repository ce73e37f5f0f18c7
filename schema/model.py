"""The schema's data model and the parser of its compact notation (standard library only).

An event is declared in schema/events.py as

    ev(307, "openat", "FILE|SYSCALL", "C S cv",
       "fd:FD dirfd:FD name:FSRELPATH@1 flags:FLAGS32{open_flags} mode:UINT32/o dev:UINT32/x ino:UINT64")

- category: "<what>|<source>" (names in schema/types.py CATEGORIES and SOURCES), or "UNKNOWN";
- flags: space-separated short names (schema/types.py EVENT_FLAGS), "" for none;
- params: space-separated `name:TYPE`, optionally followed by `/fmt` (a print format other than the
  type's default, short names in PRINT_FORMATS), `@N` (FSRELPATH: index of its dirfd parameter),
  `{table}` (a flag table of schema/flags.py, for FLAGS*/ENUMFLAGS*/MODE parameters) and `=source`:
  how the drivers fill the parameter (events the drivers produce: the exit event of every syscall
  with a dedicated event, and the TOCTOU enter events). The source notation is schema/fill.py's;
  from it schema/generate.py writes both drivers' fillers (abi/scap_abi_fill.h).

`unused(N)` declares an unused slot of the table. Ids are explicit because they are the wire format.
"""

import re
from dataclasses import dataclass, field

from . import types as T

_FMT_BY_SHORT = {short: name for name, (_v, short) in T.PRINT_FORMATS.items()}
_FLAG_BY_SHORT = {short: name for name, (_v, short, _d) in T.EVENT_FLAGS.items()}
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*):(?P<type>[A-Z0-9_]+)"
    r"(?:/(?P<fmt>[a-z]+))?(?:@(?P<dirfd>\d+))?(?:\{(?P<table>[a-z0-9_]+)\})?(?:=(?P<source>\S+))?$"
)


class SchemaError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # PT name without prefix, e.g. "FSRELPATH"
    fmt: str  # PF name without prefix, e.g. "HEX"
    dirfd: int | None = None
    table: str | None = None
    source: str | None = None  # how the drivers fill it (schema/fill.py), None if they do not produce it

    @property
    def type_value(self) -> int:
        return T.PARAM_TYPES[self.type][0]

    @property
    def fmt_value(self) -> int:
        return T.PRINT_FORMATS[self.fmt][0]

    @property
    def fixed_size(self) -> int | None:
        return T.PARAM_TYPES[self.type][1]


@dataclass
class Event:
    id: int
    name: str
    category: str  # e.g. "FILE|SYSCALL"
    flags: tuple[str, ...]  # long flag names, e.g. ("CREATES_FD", "MODIFIES_STATE")
    params: list[Param] = field(default_factory=list)
    doc: str = ""

    @property
    def direction(self) -> str:
        return "X" if self.id & 1 else "E"

    @property
    def category_value(self) -> int:
        value = 0
        for part in self.category.split("|"):
            if part in T.CATEGORIES:
                value |= T.CATEGORIES[part]
            elif part in T.SOURCES:
                value |= T.SOURCES[part]
            else:
                raise SchemaError(f"event {self.id}: unknown category part {part!r}")
        return value

    @property
    def flags_value(self) -> int:
        return sum(T.EVENT_FLAGS[f][0] for f in self.flags)

    @property
    def unused(self) -> bool:
        return "UNUSED" in self.flags

    @property
    def old(self) -> bool:
        return "OLD_VERSION" in self.flags

    @property
    def large(self) -> bool:
        return "LARGE_PAYLOAD" in self.flags


def parse_param(text: str, event_id: int) -> Param:
    m = _PARAM_RE.match(text)
    if not m:
        raise SchemaError(f"event {event_id}: cannot parse parameter {text!r}")
    ptype = m["type"]
    if ptype not in T.PARAM_TYPES:
        raise SchemaError(f"event {event_id}: unknown parameter type {ptype!r}")
    fmt = T.PARAM_TYPES[ptype][2]
    if m["fmt"]:
        if m["fmt"] not in _FMT_BY_SHORT:
            raise SchemaError(f"event {event_id}: unknown print format {m['fmt']!r}")
        fmt = _FMT_BY_SHORT[m["fmt"]]
    dirfd = int(m["dirfd"]) if m["dirfd"] is not None else None
    if (dirfd is not None) != (ptype == "FSRELPATH"):
        raise SchemaError(f"event {event_id}: {text!r}: @dirfd goes with FSRELPATH, and only with it")
    return Param(m["name"], ptype, fmt, dirfd, m["table"], m["source"])


def make_event(event_id: int, name: str, category: str, flags: str, params: str, doc: str = "") -> Event:
    long_flags = []
    for short in flags.split():
        if short not in _FLAG_BY_SHORT:
            raise SchemaError(f"event {event_id}: unknown flag {short!r}")
        long_flags.append(_FLAG_BY_SHORT[short])
    plist = [parse_param(p, event_id) for p in params.split()]
    return Event(event_id, name, category, tuple(long_flags), plist, doc)


def param_notation(p: Param, source: bool = False) -> str:
    """The inverse of parse_param (used by the docs and by tests); the fill source only if asked."""
    s = f"{p.name}:{p.type}"
    if p.fmt != T.PARAM_TYPES[p.type][2]:
        s += "/" + T.PRINT_FORMATS[p.fmt][1]
    if p.dirfd is not None:
        s += f"@{p.dirfd}"
    if p.table:
        s += "{" + p.table + "}"
    if source and p.source:
        s += "=" + p.source
    return s


def unused(event_id: int, params: str = "") -> Event:
    """An unused slot: named "NA", no category, flag UNUSED (slot 269 keeps upstream's stray params)."""
    return Event(event_id, "NA", "UNKNOWN", ("UNUSED",), [parse_param(p, event_id) for p in params.split()])
