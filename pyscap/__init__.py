"""pyscap: Linux system-call capture and inspection (libscap + libsinsp) for Python.

    import pyscap
    with pyscap.open_file("trace.scap", filter="evt.type=openat") as cap:
        for evt in cap:
            print(evt.num, evt["proc.name"], evt["fd.name"])

    pyscap.sniff(filter="proc.name=curl", prn=lambda e: print(e.format()), count=10)   # live, root

Errors derive from pyscap.Error; see pyscap.errors for the tree.
"""

from typing import TYPE_CHECKING

from ._version import __version__
from .errors import (
    BorrowedEventError,
    CaptureFileError,
    CaptureOpenError,
    EngineUnavailableError,
    Error,
    EventError,
    FieldError,
    FilterError,
    LibraryError,
    PermissionDeniedError,
    VersionMismatchError,
)
from .events import EVENTS, Category, EventFlag, EventInfo, EventType, ParamInfo, ParamType, PpmSc, event_info

if TYPE_CHECKING:  # at run time, __getattr__ below imports them on first use
    from .capture import DEFAULT_FORMAT as DEFAULT_FORMAT
    from .capture import (
        Capture,
        DetachedEvent,
        Dumper,
        Event,
        Fd,
        Stats,
        Thread,
        list_fields,
        open_events,
        open_file,
        open_live,
        sniff,
    )
    from .columns import MissingDependencyError
    from .rules import Alert, LoadMessage, Priority, RuleError, RuleInfo, RulesError, Ruleset

__all__ = [
    "__version__",
    "Error",
    "LibraryError",
    "VersionMismatchError",
    "CaptureOpenError",
    "PermissionDeniedError",
    "EngineUnavailableError",
    "CaptureFileError",
    "EventError",
    "FilterError",
    "FieldError",
    "BorrowedEventError",
    "MissingDependencyError",
    "EVENTS",
    "Category",
    "EventFlag",
    "EventInfo",
    "EventType",
    "ParamInfo",
    "ParamType",
    "PpmSc",
    "event_info",
    "native_versions",
    "open_file",
    "open_live",
    "open_events",
    "sniff",
    "Capture",
    "Event",
    "DetachedEvent",
    "Dumper",
    "Stats",
    "Thread",
    "Fd",
    "list_fields",
    "Ruleset",
    "Alert",
    "Priority",
    "RuleInfo",
    "RuleError",
    "RulesError",
    "LoadMessage",
]

_RULES_NAMES = {"Ruleset", "Alert", "Priority", "RuleInfo", "RuleError", "RulesError", "LoadMessage"}

_CAPTURE_NAMES = {
    "open_file",
    "open_live",
    "open_events",
    "sniff",
    "Capture",
    "Event",
    "DetachedEvent",
    "Dumper",
    "Stats",
    "Thread",
    "Fd",
    "list_fields",
    "DEFAULT_FORMAT",
}


def __getattr__(name: str) -> object:
    # pyscap.open_live & co. load the native libraries on first use, not at `import pyscap`
    if name in _CAPTURE_NAMES:
        from . import capture

        return getattr(capture, name)
    if name in _RULES_NAMES:  # pyscap.rules loads the native libraries too
        from . import rules

        return getattr(rules, name)
    if name == "MissingDependencyError":  # pyscap.columns loads the native libraries too
        from . import columns

        return columns.MissingDependencyError
    raise AttributeError(f"module 'pyscap' has no attribute {name!r}")


def native_versions() -> dict[str, str]:
    """Versions of the loaded native libraries (loads them on first call)."""
    from . import _native

    return {
        "libscap": _native.string(_native.lib.scap_version_string()),
        "libsinsp": _native.string(_native.sinsp.sinsp_version_string()),
    }
