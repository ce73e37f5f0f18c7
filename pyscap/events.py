"""The event schema for Python: event types, parameter types, flags and syscall codes as enums
(generated into pyscap/_schema.py, whose source of truth is schema/), and the schema entry of
every event id."""

from dataclasses import dataclass

from . import _schema
from ._schema import Category as Category
from ._schema import EventFlag as EventFlag
from ._schema import EventType as EventType
from ._schema import ParamType as ParamType
from ._schema import PpmSc as PpmSc
from ._schema import PrintFormat as PrintFormat
from ._schema import Source as Source

FLAG_TABLES: dict[str, tuple[tuple[str, int], ...]] = _schema.FLAG_TABLES
_SOURCE_MASK = sum(Source)


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of an event in the schema."""

    name: str
    type: ParamType
    format: PrintFormat
    dirfd: int | None  #: FSRELPATH: index of its dirfd parameter
    flags: str | None  #: name of the flag table in FLAG_TABLES

    @property
    def size(self) -> int | None:
        """Fixed size in bytes, or None for variable-length types."""
        return _schema.PARAM_TYPES[self.type.name][1]


@dataclass(frozen=True)
class EventInfo:
    """The schema entry of one event id (EVENTS[id]): name, category, flags, parameters."""

    id: int
    name: str
    category: Category
    source: Source
    flags: EventFlag
    params: tuple[ParamInfo, ...]

    @property
    def is_enter(self) -> bool:
        """True for an enter event (even id), False for an exit event."""
        return not self.id & 1

    @property
    def large(self) -> bool:
        """True when the event's parameter lengths are u32 (EventFlag.LARGE_PAYLOAD), not u16."""
        return bool(self.flags & EventFlag.LARGE_PAYLOAD)

    @property
    def unused(self) -> bool:
        """True for an unused slot of the event table (named "NA", EventFlag.UNUSED)."""
        return bool(self.flags & EventFlag.UNUSED)


def _build() -> tuple[EventInfo, ...]:
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
