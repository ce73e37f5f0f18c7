"""Low-level layer: loads libscap.so and libsinsp.so with cffi and maps C errors to exceptions.
Nothing here is public API; pyscap's public modules build on it.

The libraries are searched, in order, in $PYSCAP_LIB_DIR, next to this file (wheels and
installed packages carry them there), and in the CMake build tree ($PYSCAP_BUILD_DIR or
<repo>/build) for development. They are always opened in ABI mode first (which checks their
version); when the compiled cffi module (pyscap/_build_cffi.py) sits next to them, or in the
build tree's pyscap/ directory, calls then go through it instead (API mode, cheaper per call).
PYSCAP_FFI=abi forces ABI mode. `mode` says which one is in use. The static types of `ffi`, `lib`
and `sinsp` are the Protocols of pyscap/_capi.py.
"""

import importlib.machinery
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Literal

from cffi import FFI

from . import _version
from ._capi import CFFI, CData, ScapLib, SinspLib
from .errors import Error, LibraryError, VersionMismatchError

_HERE = Path(__file__).resolve().parent
_CDEFS = _HERE / "_cdefs"

ffi: CFFI = FFI()
ffi.cdef((_CDEFS / "scap_abi.h").read_text(), packed=True)
ffi.cdef((_CDEFS / "scap.h").read_text())
ffi.cdef((_CDEFS / "sinsp.h").read_text())


def _candidates() -> Iterator[tuple[Path, Path]]:
    env = os.environ.get("PYSCAP_LIB_DIR")
    if env:
        yield Path(env), Path(env)
    yield _HERE, _HERE
    build = Path(os.environ.get("PYSCAP_BUILD_DIR", _HERE.parent / "build"))
    yield build / "libscap", build / "libsinsp"


def library_paths() -> tuple[Path, Path]:
    """(libscap path, libsinsp path) of the first location that has both."""
    tried = []
    for scap_dir, sinsp_dir in _candidates():
        scap, sinsp = scap_dir / "libscap.so.0", sinsp_dir / "libsinsp.so.0"
        if scap.exists() and sinsp.exists():
            return scap, sinsp
        tried.append(str(scap_dir))
    raise LibraryError(
        "cannot find libscap.so.0 and libsinsp.so.0 (looked in: "
        + ", ".join(tried)
        + "); build them with `python3 setup.py build_native` or set PYSCAP_LIB_DIR"
    )


def _load() -> tuple[ScapLib, SinspLib]:
    scap_path, sinsp_path = library_paths()
    try:
        # libscap first: libsinsp's NEEDED entry then resolves to this very copy.
        scap = ffi.dlopen(str(scap_path), ffi.RTLD_NOW | ffi.RTLD_GLOBAL)
        sinsp = ffi.dlopen(str(sinsp_path), ffi.RTLD_NOW)
    except OSError as e:
        raise LibraryError(f"cannot load the native libraries from {scap_path.parent}: {e}") from None
    versions: dict[str, str] = {
        "libscap": ffi.string(scap.scap_version_string()).decode(),
        "libsinsp": ffi.string(sinsp.sinsp_version_string()).decode(),
    }
    for name, v in versions.items():
        if v != _version.__version__:
            raise VersionMismatchError(
                f"{name} at {scap_path.parent} is version {v}, the pyscap package is {_version.__version__}"
            )
    return scap, sinsp


def _compiled(scap_dir: Path) -> ModuleType | None:
    """The compiled cffi module next to the libraries or in the build tree, or None."""
    if os.environ.get("PYSCAP_FFI", "").lower() == "abi":
        return None
    dirs = [_HERE, scap_dir, scap_dir.parent / "pyscap"]
    for d in dirs:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = d / ("_pyscap_cffi" + suffix)
            if path.exists():
                spec = importlib.util.spec_from_file_location("pyscap._pyscap_cffi", path)
                if spec is None or spec.loader is None:  # not for a path with an extension suffix
                    continue
                mod = importlib.util.module_from_spec(spec)
                try:
                    spec.loader.exec_module(mod)
                except ImportError:
                    continue  # built for other headers or another interpreter: stay in ABI mode
                return mod
    return None


lib: ScapLib
sinsp: SinspLib
lib, sinsp = _load()
mode: Literal["abi", "api"] = "abi"
_api = _compiled(library_paths()[0].parent)
if _api is not None:
    ffi, lib, sinsp, mode = _api.ffi, _api.lib, _api.lib, "api"


def string(ptr: CData) -> str:
    """A C string owned by the library, as str ("" for NULL)."""
    return ffi.string(ptr).decode("utf-8", "replace") if ptr != ffi.NULL else ""


def last_error() -> str:
    return string(lib.scap_last_error())


def check(rc: int, exc_class: type[Error], context: str = "", **kw: int) -> int:
    """Raise exc_class with libscap's last message when rc is a negative errno; else return rc."""
    if rc < 0:
        msg = last_error()
        raise exc_class(f"{context}: {msg}" if context else msg, -rc, **kw)
    return rc
