"""The exception tree: every error pyscap raises derives from pyscap.Error."""

import errno as _errno


class Error(Exception):
    """Root of pyscap's exceptions. `errno` is the negative-errno code's magnitude, when there is one."""

    def __init__(self, message: str, errno: int = 0) -> None:
        super().__init__(message)
        self.errno = errno


class LibraryError(Error):
    """libscap.so or libsinsp.so cannot be found or loaded, or their versions do not match."""


class VersionMismatchError(LibraryError):
    """The native libraries' version differs from the Python package's."""


class CaptureOpenError(Error):
    """A capture (live engine or file) cannot be opened."""


class PermissionDeniedError(CaptureOpenError):
    """Live capture needs privileges this process lacks (root, CAP_BPF/CAP_PERFMON)."""


class EngineUnavailableError(CaptureOpenError):
    """The engine cannot run here: no BTF, no BPF, kernel too old, module not loaded."""


class CaptureFileError(Error):
    """A malformed or truncated capture file. `offset` is the byte offset of the damage, if known."""

    def __init__(self, message: str, errno: int = 0, offset: int = -1) -> None:
        super().__init__(message, errno)
        self.offset = offset


class EventError(Error):
    """A malformed event, or an event that cannot be encoded."""


class FilterError(Error):
    """A filter that does not compile. `position` is the 0-based character position of the problem."""

    def __init__(self, message: str, errno: int = 0, position: int = -1) -> None:
        super().__init__(message, errno)
        self.position = position


class FieldError(FilterError, KeyError):
    """A field name libsinsp does not know (evt["proc.nmae"], batches(["..."]))."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class BorrowedEventError(Error):
    """A borrowed event was used after its capture moved on: call Event.copy() to keep events."""


def from_errno(rc: int, message: str, default: type[Error] = Error, **kw: int) -> Error:
    """Map a negative errno from the C API to the most specific exception class (keyword arguments,
    offset= or position=, go to the class)."""
    code = -rc if rc < 0 else rc
    cls = default
    if default is CaptureOpenError:
        if code in (_errno.EPERM, _errno.EACCES):
            cls = PermissionDeniedError
        elif code in (_errno.ENOTSUP, _errno.ENOSYS, _errno.ENOENT, _errno.ENODEV):
            cls = EngineUnavailableError
    return cls(message, code, **kw)
