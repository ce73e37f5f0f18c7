"""pyscap: Linux system-call capture and inspection (libscap + libsinsp) for Python.

    >>> import pyscap
    >>> pyscap.__version__
"""

from ._version import __version__
from .errors import (BorrowedEventError, CaptureFileError, CaptureOpenError, EngineUnavailableError, Error,
                     EventError, FilterError, LibraryError, PermissionDeniedError, VersionMismatchError)
from .events import EVENTS, Category, EventFlag, EventInfo, EventType, ParamInfo, ParamType, PpmSc, event_info

__all__ = [
    "__version__", "Error", "LibraryError", "VersionMismatchError", "CaptureOpenError", "PermissionDeniedError",
    "EngineUnavailableError", "CaptureFileError", "EventError", "FilterError", "BorrowedEventError",
    "EVENTS", "Category", "EventFlag", "EventInfo", "EventType", "ParamInfo", "ParamType", "PpmSc", "event_info",
    "native_versions",
]


def native_versions() -> dict:
    """Versions of the loaded native libraries (loads them on first call)."""
    from . import _native
    return {"libscap": _native.string(_native.lib.scap_version_string()),
            "libsinsp": _native.string(_native.sinsp.sinsp_version_string())}
