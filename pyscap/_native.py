"""Low-level layer: loads libscap.so and libsinsp.so with cffi and maps C errors to exceptions.
Nothing here is public API; pyscap's public modules build on it.

The libraries are searched, in order, in $PYSCAP_LIB_DIR, next to this file (wheels carry them
there), in the CMake build tree ($PYSCAP_BUILD_DIR or <repo>/build) for development, and in the
system's library directories (the distribution packages: libpyscap0 installs them into /usr/lib
or /usr/lib/<multiarch>, the Python package into dist-packages). They are loaded first (with
ctypes: their versions are checked before anything calls them); when the compiled cffi module (pyscap/_build_cffi.py) sits next to
them, or in the build tree's pyscap/ directory, calls go through it (API mode: cheaper per call,
and nothing to parse at import), else through cffi's ABI mode, which parses pyscap/_cdefs/ at
import. PYSCAP_FFI=abi forces ABI mode. `mode` says which one is in use. The static types of
`ffi`, `lib` and `sinsp` are the Protocols of pyscap/_capi.py.
"""

import ctypes
import errno as _errno
import importlib.machinery
import importlib.util
import os
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Literal

from . import _version
from ._capi import CFFI, CData, ScapLib, SinspLib
from .errors import Error, FilterError, LibraryError, VersionMismatchError

_HERE = Path(__file__).resolve().parent
_CDEFS = _HERE / "_cdefs"


def _candidates() -> Iterator[tuple[Path, Path]]:
    env = os.environ.get("PYSCAP_LIB_DIR")
    if env:
        yield Path(env), Path(env)
    yield _HERE, _HERE
    build = Path(os.environ.get("PYSCAP_BUILD_DIR", _HERE.parent / "build"))
    yield build / "libscap", build / "libsinsp"
    multiarch = sysconfig.get_config_var("MULTIARCH")
    system = [f"/usr/lib/{multiarch}"] if multiarch else []
    system += [sysconfig.get_config_var("LIBDIR") or "/usr/lib", "/usr/lib64", "/usr/lib"]
    for d in dict.fromkeys(Path(p) for p in system):  # in order, each once
        yield d, d


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


def _preload() -> tuple[Path, Path]:
    """Load both libraries (libscap first, globally: libsinsp's NEEDED entry and the compiled
    module's then resolve to this very copy) and check their versions; their paths."""
    scap_path, sinsp_path = library_paths()
    try:
        scap = ctypes.CDLL(str(scap_path), mode=os.RTLD_NOW | os.RTLD_GLOBAL)
        sinsp = ctypes.CDLL(str(sinsp_path), mode=os.RTLD_NOW)
    except OSError as e:
        raise LibraryError(f"cannot load the native libraries from {scap_path.parent}: {e}") from None
    for name, fn in (("libscap", scap.scap_version_string), ("libsinsp", sinsp.sinsp_version_string)):
        fn.restype = ctypes.c_char_p
        v = fn().decode()
        if v != _version.__version__:
            raise VersionMismatchError(
                f"{name} at {scap_path.parent} is version {v}, the pyscap package is {_version.__version__}"
            )
    return scap_path, sinsp_path


def _abi(scap_path: Path, sinsp_path: Path) -> tuple[CFFI, ScapLib, SinspLib]:
    from cffi import FFI

    abi: CFFI = FFI()
    abi.cdef((_CDEFS / "scap_abi.h").read_text(), packed=True)
    abi.cdef((_CDEFS / "scap.h").read_text())
    abi.cdef((_CDEFS / "sinsp.h").read_text())
    try:
        scap = abi.dlopen(str(scap_path), abi.RTLD_NOW | abi.RTLD_GLOBAL)
        sinsp = abi.dlopen(str(sinsp_path), abi.RTLD_NOW)
    except OSError as e:
        raise LibraryError(f"cannot load the native libraries from {scap_path.parent}: {e}") from None
    return abi, scap, sinsp


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
                try:  # an extension module is loaded by module_from_spec already
                    mod = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(mod)
                except ImportError as e:
                    if d == _HERE:  # the installed package's own module: a broken install
                        raise LibraryError(
                            f"cannot load pyscap's compiled cffi module {path}: {e} "
                            "(reinstall pyscap, or set PYSCAP_FFI=abi to use cffi's ABI mode)"
                        ) from None
                    continue  # a build tree's, for other headers or another interpreter: ABI mode
                return mod
    return None


ffi: CFFI
lib: ScapLib
sinsp: SinspLib
mode: Literal["abi", "api"]
_scap_path, _sinsp_path = _preload()
_api = _compiled(_scap_path.parent)
if _api is not None:
    ffi, lib, sinsp, mode = _api.ffi, _api.lib, _api.lib, "api"
else:
    ffi, lib, sinsp = _abi(_scap_path, _sinsp_path)
    mode = "abi"


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


def c_text(text: str | bytes, what: str, exc: type[FilterError] = FilterError) -> bytes:
    """A filter, format or field name as the bytes of a C string. str is encoded as UTF-8, and
    bytes that were not UTF-8 on the command line (held by Python as surrogate escapes) go through
    as the bytes they were, as sysdig takes them; a lone surrogate that stands for no byte is
    refused. So is a NUL inside: C would stop there and compile only what comes before it. exc
    gets the message and the 0-based character position."""
    if isinstance(text, str):
        try:
            b = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as e:
            raise exc(
                f"{what}: character {text[e.start]!r} at position {e.start} is not text (a lone surrogate)",
                _errno.EINVAL,
                position=e.start,
            ) from None
    else:
        b = bytes(text)
    nul = b.find(b"\0")
    if nul >= 0:
        pos = char_position(b, nul)
        raise exc(f"{what}: a NUL character at position {pos}", _errno.EINVAL, position=pos)
    return b


def char_position(b: bytes, offset: int) -> int:
    """The character position in b's text of the C library's 0-based byte offset (-1 stays -1)."""
    if offset <= 0:
        return offset
    return len(b[:offset].decode("utf-8", "surrogateescape"))
