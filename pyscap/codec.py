"""Encode and decode wire events through libscap's codec, and convert parameter bytes to and
from Python values by parameter type."""

import ipaddress
import struct
from collections.abc import Sequence
from typing import TypeAlias

from . import _native
from .errors import EventError
from .events import EVENTS, ParamType

ffi, lib = _native.ffi, _native.lib

HEADER = struct.Struct("<QQIHI")  # ts, tid, len, type, nparams: 26 bytes
MAX_PARAMS = 32

Header: TypeAlias = tuple[int, int, int, int, int]
"""A wire event header: (ts, tid, len, type, nparams)."""
ParamValue: TypeAlias = int | float | str | bytes | ipaddress.IPv4Address | ipaddress.IPv6Address
"""A parameter as a Python value: int, float (DOUBLE), str (strings and paths), an ipaddress object
(IPV4ADDR, IPV6ADDR) or bytes (everything else); None stands for an empty parameter."""
PackableValue: TypeAlias = ParamValue | bytearray | memoryview
"""What pack_value() takes: a ParamValue or another bytes-like object."""

_INT_FORMATS = {
    ParamType.INT8: "<b",
    ParamType.INT16: "<h",
    ParamType.INT32: "<i",
    ParamType.INT64: "<q",
    ParamType.UINT8: "<B",
    ParamType.UINT16: "<H",
    ParamType.UINT32: "<I",
    ParamType.UINT64: "<Q",
    ParamType.ERRNO: "<q",
    ParamType.FD: "<q",
    ParamType.PID: "<q",
    ParamType.SYSCALLID: "<H",
    ParamType.SIGTYPE: "<B",
    ParamType.RELTIME: "<Q",
    ParamType.ABSTIME: "<Q",
    ParamType.PORT: "<H",
    ParamType.L4PROTO: "<B",
    ParamType.SOCKFAMILY: "<B",
    ParamType.BOOL: "<I",
    ParamType.FLAGS8: "<B",
    ParamType.FLAGS16: "<H",
    ParamType.FLAGS32: "<I",
    ParamType.UID: "<I",
    ParamType.GID: "<I",
    ParamType.SIGSET: "<I",
    ParamType.MODE: "<I",
    ParamType.ENUMFLAGS8: "<B",
    ParamType.ENUMFLAGS16: "<H",
    ParamType.ENUMFLAGS32: "<I",
    ParamType.FD32: "<i",
    ParamType.PID32: "<i",
}
_STRING_TYPES = {ParamType.CHARBUF, ParamType.FSPATH, ParamType.FSRELPATH}


def encode(event_type: int, params: Sequence[bytes], ts: int = 0, tid: int = 0) -> bytes:
    """One wire event from raw parameter bytes (b"" = empty parameter)."""
    n = len(params)
    if n > MAX_PARAMS:
        raise EventError(f"{n} parameters exceed the maximum of {MAX_PARAMS}")
    keep = [ffi.from_buffer(p) if p else ffi.NULL for p in params]
    cparams = ffi.new("struct scap_param[]", max(n, 1))
    for i, p in enumerate(params):
        cparams[i].data = keep[i]
        cparams[i].len = len(p)
    size = ffi.new("size_t *")
    rc = lib.scap_event_encode(ffi.NULL, 0, size, ts, tid, event_type, n, cparams)
    if rc < 0 and size[0] == 0:
        _native.check(rc, EventError)
    buf = ffi.new("uint8_t[]", size[0])
    _native.check(lib.scap_event_encode(buf, size[0], size, ts, tid, event_type, n, cparams), EventError)
    return bytes(ffi.buffer(buf, size[0]))


def decode(data: bytes) -> tuple[Header, list[bytes]]:
    """Validate one wire event: ((ts, tid, len, type, nparams), [parameter bytes])."""
    cparams = ffi.new("struct scap_param[]", MAX_PARAMS)
    n = ffi.new("uint32_t *")
    buf = ffi.from_buffer(data)
    _native.check(lib.scap_event_decode(buf, len(data), cparams, MAX_PARAMS, n), EventError)
    hdr: Header = HEADER.unpack_from(data)
    base = int(ffi.cast("uintptr_t", buf))
    out = []
    for i in range(min(n[0], MAX_PARAMS)):
        off = int(ffi.cast("uintptr_t", cparams[i].data)) - base if cparams[i].len else 0
        out.append(bytes(data[off : off + cparams[i].len]))
    return hdr, out


def pack_value(ptype: ParamType, value: PackableValue | None) -> bytes:
    """Python value -> parameter bytes for a parameter type (None -> empty)."""
    if value is None:
        return b""
    if ptype in _INT_FORMATS:
        return struct.pack(_INT_FORMATS[ptype], value)
    if ptype == ParamType.DOUBLE:
        return struct.pack("<d", value)
    if ptype in _STRING_TYPES:
        return value.encode() + b"\0" if isinstance(value, str) else _bytes(value) + b"\0"
    if ptype == ParamType.IPV4ADDR:
        return ipaddress.IPv4Address(value).packed
    if ptype == ParamType.IPV6ADDR:
        return ipaddress.IPv6Address(value).packed
    return _bytes(value)  # BYTEBUF, SOCKADDR, SOCKTUPLE, FDLIST, DYN, ...: raw bytes


def _bytes(value: PackableValue) -> bytes:
    """bytes(value), with bytes()'s TypeError for the values that have no raw bytes."""
    if isinstance(value, str):
        raise TypeError("string argument without an encoding")
    if isinstance(value, (float, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        raise TypeError(f"cannot convert '{type(value).__name__}' object to bytes")
    return bytes(value)


def unpack_value(ptype: ParamType, data: bytes) -> ParamValue | None:
    """Parameter bytes -> Python value (None for an empty parameter). Variable-length types other
    than strings come back as bytes; integers with a wrong size come back as raw bytes."""
    if not data:
        return None
    fmt = _INT_FORMATS.get(ptype)
    if fmt:
        if len(data) != struct.calcsize(fmt):
            return bytes(data)
        n: int = struct.unpack(fmt, data)[0]
        return n
    if ptype == ParamType.DOUBLE and len(data) == 8:
        d: float = struct.unpack("<d", data)[0]
        return d
    if ptype in _STRING_TYPES:
        return data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
    if ptype == ParamType.IPV4ADDR and len(data) == 4:
        return ipaddress.IPv4Address(data)
    if ptype == ParamType.IPV6ADDR and len(data) == 16:
        return ipaddress.IPv6Address(data)
    return bytes(data)


def encode_values(event_type: int, values: Sequence[PackableValue | None], ts: int = 0, tid: int = 0) -> bytes:
    """One wire event from Python values, typed by the schema's parameter list."""
    info = EVENTS[event_type]
    if len(values) > len(info.params):
        raise EventError(f"{info.name} ({event_type}) has {len(info.params)} parameters, {len(values)} given")
    raw = [pack_value(p.type, v) for p, v in zip(info.params, values)]
    return encode(event_type, raw, ts, tid)
