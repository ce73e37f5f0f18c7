"""The event schema for Python: event types, parameter types, flags and syscall codes as enums,
built from the generated pyscap/_schema.py (whose source of truth is schema/)."""

import enum
from dataclasses import dataclass

from . import _schema

EventType = enum.IntEnum("EventType", {sym: i for i, (sym, *_rest) in enumerate(_schema.EVENTS)})
EventType.__doc__ = "Event ids of the wire format: OPENAT_X is the current openat exit event, OPENAT_1_X an older one."

ParamType = enum.IntEnum("ParamType", {name: v for name, (v, _size) in _schema.PARAM_TYPES.items()})
ParamType.__doc__ = "Parameter types (PT_*) of the wire format."

PrintFormat = enum.IntEnum("PrintFormat", dict(_schema.PRINT_FORMATS))
EventFlag = enum.IntFlag("EventFlag", dict(_schema.EVENT_FLAGS))
Category = enum.IntEnum("Category", dict(_schema.CATEGORIES))
Source = enum.IntFlag("Source", dict(_schema.SOURCES))

PpmSc = enum.IntEnum("PpmSc", {(name.upper() or f"UNUSED_{code}"): code for code, name in enumerate(_schema.PPM_SC)})
PpmSc.__doc__ = "System-independent syscall and tracepoint codes (ppm_sc)."

FLAG_TABLES: dict[str, tuple[tuple[str, int], ...]] = _schema.FLAG_TABLES
_SOURCE_MASK = sum(_schema.SOURCES.values())


@dataclass(frozen=True)
class ParamInfo:
    name: str
    type: ParamType
    format: PrintFormat
    dirfd: int | None  # FSRELPATH: index of its dirfd parameter
    flags: str | None  # name of the flag table in FLAG_TABLES

    @property
    def size(self) -> int | None:
        """Fixed size in bytes, or None for variable-length types."""
        return _schema.PARAM_TYPES[self.type.name][1]


@dataclass(frozen=True)
class EventInfo:
    id: int
    name: str
    category: Category
    source: Source
    flags: EventFlag
    params: tuple[ParamInfo, ...]

    @property
    def is_enter(self) -> bool:
        return not self.id & 1

    @property
    def large(self) -> bool:
        return bool(self.flags & EventFlag.LARGE_PAYLOAD)

    @property
    def unused(self) -> bool:
        return bool(self.flags & EventFlag.UNUSED)


def _build():
    out = []
    for i, (_sym, name, category, flags, params) in enumerate(_schema.EVENTS):
        plist = tuple(ParamInfo(n, ParamType[t], PrintFormat[f], d, tbl) for n, t, f, d, tbl in params)
        out.append(
            EventInfo(
                i, name, Category(category & ~_SOURCE_MASK), Source(category & _SOURCE_MASK), EventFlag(flags), plist
            )
        )
    return tuple(out)


EVENTS: tuple[EventInfo, ...] = _build()


def event_info(event_type: int) -> EventInfo:
    """The schema entry of an event id (IndexError if unknown)."""
    if not 0 <= event_type < len(EVENTS):
        raise IndexError(f"unknown event type {event_type}")
    return EVENTS[event_type]


def syscall_event(native_nr: int) -> tuple[PpmSc, EventType]:
    """x86_64 syscall number -> (ppm_sc code, exit event type); KeyError if unknown."""
    code, exit_id, _flags = _schema.SYSCALLS_X86_64[native_nr]
    return PpmSc(code), EventType(exit_id if exit_id else EventType.SYSCALL_X)
