"""pyscap's event schema: the one source of truth, and its loader.

`load()` returns the validated schema; schema/generate.py writes every generated file from it.
"""

from dataclasses import dataclass

from . import types as T
from .model import Event, SchemaError


@dataclass
class Schema:
    events: list[Event]  # index == id
    flag_tables: dict[str, list[tuple[str, int]]]
    ppm_sc: list[str]  # index == ppm_sc code
    x86_64: dict[int, tuple[str, int, str]]  # native nr -> (ppm_sc name, exit id or 0, flags)
    ia32: dict[int, tuple[int | None, str, str, bool]]  # ia32 nr -> (x86_64 twin, ppm_sc, conv, wide)
    socketcall: dict[int, tuple[int, int]]  # socketcall call -> (x86_64 nr, nargs)
    schema_version: tuple[int, int, int]
    api_version: tuple[int, int, int]
    docs: dict[str, str]

    def symbols(self) -> list[str]:
        """C symbol suffix of each event id: OPENAT_X for the newest version, OPENAT_1_X for older ones."""
        out = []
        for e in self.events:
            if e.unused:
                out.append(f"UNUSED_{e.id}")
                continue
            same = [x.id for x in self.events if x.name == e.name and x.id & 1 == e.id & 1 and not x.unused]
            base = e.name.upper()
            if e.id == max(same):
                out.append(f"{base}_{e.direction}")
            else:
                out.append(f"{base}_{sorted(same).index(e.id) + 1}_{e.direction}")
        return out

    def sc_code(self, name: str) -> int:
        return self.ppm_sc.index(name)


def _validate(s: Schema) -> None:
    for i, e in enumerate(s.events):
        if e.id != i:
            raise SchemaError(f"event ids must be dense and ordered: position {i} holds id {e.id}")
        if len(e.params) > T.MAX_PARAMS:
            raise SchemaError(f"event {e.id}: more than {T.MAX_PARAMS} parameters")
        if len(e.name) >= T.MAX_EVENT_NAME:
            raise SchemaError(f"event {e.id}: name too long")
        _ = e.category_value  # raises on unknown parts
        names = [p.name for p in e.params]
        if len(set(names)) != len(names) and not e.unused:
            raise SchemaError(f"event {e.id}: duplicate parameter names")
        for p in e.params:
            if p.table is not None and p.table not in s.flag_tables:
                raise SchemaError(f"event {e.id}: unknown flag table {p.table!r}")
            if p.dirfd is not None and not (0 <= p.dirfd < len(e.params) and e.params[p.dirfd].type == "FD"):
                raise SchemaError(f"event {e.id}: {p.name}@{p.dirfd} does not point at an FD parameter")
        if not e.unused and e.name not in s.docs:
            raise SchemaError(f"event {e.id}: no doc for {e.name!r} in schema/docs.py")
        if e.old and any(p.source for p in e.params):
            raise SchemaError(
                f"event {e.id}: an old version carries fill sources (the drivers produce only current events)"
            )
    named = [n for n in s.ppm_sc if n]
    if len(set(named)) != len(named):
        raise SchemaError("duplicate ppm_sc names")
    for nr, (sc, exit_id, flags) in s.x86_64.items():
        if sc not in s.ppm_sc:
            raise SchemaError(f"syscall {nr}: unknown ppm_sc {sc!r}")
        if exit_id and (exit_id >= len(s.events) or not exit_id & 1 or s.events[exit_id].unused):
            raise SchemaError(f"syscall {nr}: bad exit event {exit_id}")
        if bool(exit_id) != ("U" in flags.split()):
            raise SchemaError(f"syscall {nr}: flag U goes with a dedicated exit event")
    from . import fill

    fill.fillers(s)  # every produced event's sources read, and agree with the syscall table


def _ia32(x86_64: dict[int, tuple[str, int, str]], ppm_sc: list[str]):
    """The ia32 table: each ia32 nr's x86_64 twin (or None), its ppm_sc name ("" for none), conversion
    and struct width, from schema/syscalls_ia32.py."""
    from . import syscalls_ia32 as I

    by_name = {sc: nr for nr, (sc, _e, _f) in x86_64.items()}
    for name, conv in I.CONV.items():
        if name not in I.IA32_NAMES.values():
            raise SchemaError(f"ia32 conversion of unknown syscall {name!r}")
        if conv not in IA32_CONVS:
            raise SchemaError(f"ia32 {name}: unknown conversion {conv!r}")
    table = {}
    for nr, name in I.IA32_NAMES.items():
        twin_name = I.ALIASES.get(name, name)
        if name in I.ALIASES and twin_name not in by_name:
            raise SchemaError(f"ia32 {name}: alias of unknown x86_64 syscall {twin_name!r}")
        twin = by_name.get(twin_name)
        conv = I.CONV.get(name, "PLAIN")
        if name == "socketcall":
            twin = None
        if twin is not None:
            sc = x86_64[twin][0]
        else:
            sc = name if name in ppm_sc else ""
        table[nr] = (twin, sc, conv, name in I.WIDE)
    calls = {}
    for call, (name, nargs) in I.SOCKETCALL.items():
        if name not in by_name:
            raise SchemaError(f"socketcall {call}: unknown x86_64 syscall {name!r}")
        calls[call] = (by_name[name], nargs)
    return table, calls


# enum scap_ia32_conv (abi/scap_abi_syscalls_ia32.h), in value order.
IA32_CONVS = ("PLAIN", "SOCKETCALL", "MEM6", "MEM5", "MMAP2", "LLSEEK", "LOHI3", "LOHI1", "SEXT1", "CLONE", "UMOUNT")


def load() -> Schema:
    from . import docs, events, flags, syscalls

    s = Schema(
        list(events.EVENTS),
        flags.FLAG_TABLES,
        list(syscalls.PPM_SC),
        dict(syscalls.X86_64),
        *_ia32(syscalls.X86_64, list(syscalls.PPM_SC)),
        events.SCHEMA_VERSION,
        events.API_VERSION,
        docs.DOCS,
    )
    for e in s.events:
        if not e.unused:
            e.doc = s.docs.get(e.name, "")
    _validate(s)
    return s
