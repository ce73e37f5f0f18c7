"""Columns of a batch of events: libsinsp's extractor (sinsp/format.h, struct sinsp_column) into
Python lists (Capture.batches), pyarrow arrays (Capture.arrow_batches, Capture.to_arrow) and NumPy
arrays (Capture.numpy_batches).

A value is the one evt[field] gives: int for INT64, UINT64, PORT, ABSTIME and RELTIME fields, bool
for BOOL, float for DOUBLE, str for the rest (and for list fields) as outputs render it, decoded
as UTF-8 with invalid bytes replaced (U+FFFD), None (a null) where the field is not available.

The extractor reuses its buffers at its next run: every conversion copies what it keeps. String
columns come either as offsets into one data buffer (what Arrow's string layout is) or
dictionary-encoded (sinsp_extractor__set_dict: a code per row, 0 for missing, and each distinct
value once), which lets Python build each distinct str once per batch and fill the rows with a
C-level gather; batches() and numpy_batches() ask for the dictionary form.

pyarrow and NumPy are optional: imported on first use; MissingDependencyError says what to install.
"""

import gc
import importlib
from operator import itemgetter
from typing import Any, TypeAlias

from ._native import ffi
from .errors import Error

CData: TypeAlias = Any
FieldValue: TypeAlias = int | bool | float | str | None  # = capture.FieldValue
ArrowArray: TypeAlias = Any  # pyarrow.Array (pyarrow has no type information)
ArrowRecordBatch: TypeAlias = Any  # pyarrow.RecordBatch
ArrowTable: TypeAlias = Any  # pyarrow.Table
NDArray: TypeAlias = Any  # numpy.ndarray (imported lazily: typed as Any here)

# enum sinsp_column_type (sinsp/format.h)
SINSP_COL_INT64, SINSP_COL_UINT64, SINSP_COL_DOUBLE, SINSP_COL_STRING = range(4)

_MISSING_AS_NONE = {0: None}.get  # map(_MISSING_AS_NONE, present, values): None where present is 0
_INT32_MAX = 2**31 - 1


class MissingDependencyError(Error, ImportError):
    """An optional package a method needs (pyarrow, numpy) is not installed."""


def require(module: str, what: str) -> Any:
    """Import an optional dependency, or raise MissingDependencyError naming the method."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingDependencyError(f"{what} needs {module}: pip install {module}") from e


def _decode(raw: bytes, offs: list[int]) -> list[FieldValue]:
    """The values raw[offs[i]:offs[i + 1]] as str, as evt[field] decodes them."""
    ends = iter(offs)
    next(ends)
    if raw.isascii():
        data = raw.decode("ascii")
        return [data[a:b] for a, b in zip(offs, ends)]
    return [raw[a:b].decode("utf-8", "replace") for a, b in zip(offs, ends)]


def _dictionary(col: CData) -> list[FieldValue]:
    """A dictionary-encoded string column's table: None (code 0), then its distinct values."""
    offs: list[int] = ffi.unpack(col.dict_offsets, col.ndict + 1)
    table: list[FieldValue] = [None]
    table += _decode(ffi.buffer(col.dict_data, offs[-1])[:], offs)
    return table


def _present(col: CData) -> bytes:
    present: bytes = ffi.buffer(col.present, col.n)[:]
    return present


def to_list(col: CData, is_bool: bool = False) -> list[FieldValue]:
    """A column as a list of Python values (None where missing)."""
    n = col.n
    t = col.type
    vals: list[FieldValue]
    if t == SINSP_COL_STRING:
        if col.codes != ffi.NULL:
            nd = col.ndict
            if nd == 0:
                return [None] * n
            table = _dictionary(col)
            if nd == 1 and b"\0" not in _present(col):
                return [table[1]] * n
            codes: list[int] = ffi.unpack(col.codes, n)
            return list(itemgetter(*codes)(table)) if n > 1 else [table[codes[0]]]
        offs: list[int] = ffi.unpack(col.offsets, n + 1)
        vals = _decode(ffi.buffer(col.data, offs[-1])[:], offs)
    elif t == SINSP_COL_INT64:
        vals = ffi.unpack(col.i64, n)
        if is_bool:
            vals = list(map(bool, vals))
    elif t == SINSP_COL_UINT64:
        vals = ffi.unpack(col.u64, n)
    else:
        vals = ffi.unpack(col.f64, n)
    present = _present(col)
    if b"\0" not in present:
        return vals
    return list(map(_MISSING_AS_NONE, present, vals))


def rows(cols: list[list[FieldValue]]) -> list[tuple[FieldValue, ...]]:
    """Columns into a list of row tuples."""
    if not gc.isenabled():
        return list(zip(*cols))
    # The cyclic GC would scan these tuples (of str, int, None) while they are made: ~40 % of the
    # time. No Python code runs during list(zip()): the pause is seen by nobody, and the first
    # collection after it untracks them.
    gc.disable()
    try:
        return list(zip(*cols))
    finally:
        gc.enable()


# -- pyarrow -------------------------------------------------------------------------------------

_ARROW_TYPES = {SINSP_COL_INT64: "int64", SINSP_COL_UINT64: "uint64", SINSP_COL_DOUBLE: "float64"}
_ITEM_SIZE = {SINSP_COL_INT64: 8, SINSP_COL_UINT64: 8, SINSP_COL_DOUBLE: 8}
_VALUES = {SINSP_COL_INT64: "i64", SINSP_COL_UINT64: "u64", SINSP_COL_DOUBLE: "f64"}


def arrow_type(pa: Any, col_type: int, is_bool: bool = False) -> Any:
    """The pyarrow type to_arrow() gives a column of this sinsp_column_type."""
    if col_type == SINSP_COL_STRING:
        return pa.string()
    return pa.bool_() if is_bool and col_type == SINSP_COL_INT64 else getattr(pa, _ARROW_TYPES[col_type])()


def to_arrow(pa: Any, col: CData, is_bool: bool = False) -> ArrowArray:
    """A column as a pyarrow array: int64, uint64, float64, bool or string (large_string if the
    batch's strings of this column pass 2 GiB), nulls where missing. The buffers are copies."""
    n = col.n
    t = col.type
    present = _present(col)
    if b"\0" in present:
        nulls = n - present.count(1)
        # the presence bytes (0/1) cast to bool: Arrow's bit-packed, LSB-first validity bitmap
        validity = pa.Array.from_buffers(pa.uint8(), n, [None, pa.py_buffer(present)]).cast(pa.bool_()).buffers()[1]
    else:
        nulls, validity = 0, None
    if t != SINSP_COL_STRING:
        buf = pa.py_buffer(ffi.buffer(getattr(col, _VALUES[t]), _ITEM_SIZE[t] * n)[:])
        arr = pa.Array.from_buffers(getattr(pa, _ARROW_TYPES[t])(), n, [validity, buf], null_count=nulls)
        return arr.cast(pa.bool_()) if is_bool and t == SINSP_COL_INT64 else arr
    if col.codes != ffi.NULL:  # dictionary-encoded (not what arrow_batches() asks for)
        return pa.array(to_list(col), type=pa.string())
    end = col.offsets[n]
    if end > _INT32_MAX:  # Arrow's string offsets are int32
        return pa.array(to_list(col), type=pa.large_string())
    raw: bytes = ffi.buffer(col.data, end)[:]
    offsets = pa.py_buffer(ffi.buffer(col.offsets, 4 * (n + 1))[:])  # uint32 < 2**31: the same bytes as int32
    arr = pa.Array.from_buffers(pa.string(), n, [validity, offsets, pa.py_buffer(raw)], null_count=nulls)
    if not raw.isascii():
        try:
            arr.validate(full=True)  # every value valid UTF-8 (checked value by value)
        except pa.ArrowInvalid:
            return pa.array(to_list(col), type=pa.string())  # decoded with replacement, as evt[field]
    return arr


# -- NumPy ---------------------------------------------------------------------------------------

_NUMPY_TYPES = {SINSP_COL_INT64: "int64", SINSP_COL_UINT64: "uint64", SINSP_COL_DOUBLE: "float64"}


def to_numpy(np: Any, col: CData, is_bool: bool = False) -> NDArray:
    """A column as a NumPy array: int64, uint64, float64 or bool; a numpy.ma.MaskedArray of them
    (mask True where missing, 0/False under the mask) when some rows lack the field; strings as an
    object array of str with None where missing. The arrays are copies."""
    n = col.n
    t = col.type
    if t == SINSP_COL_STRING:
        if col.codes == ffi.NULL:
            out = np.empty(n, dtype=object)
            out[:] = to_list(col)
            return out
        table = np.empty(col.ndict + 1, dtype=object)
        table[:] = _dictionary(col)
        codes = np.frombuffer(ffi.buffer(col.codes, 4 * n), dtype=np.uint32)
        return table[codes]  # a gather: a new array
    vals = np.frombuffer(ffi.buffer(getattr(col, _VALUES[t]), _ITEM_SIZE[t] * n), dtype=_NUMPY_TYPES[t])
    vals = vals != 0 if is_bool and t == SINSP_COL_INT64 else vals.copy()
    present = np.frombuffer(ffi.buffer(col.present, n), dtype=np.uint8)
    if present.all():
        return vals
    return np.ma.MaskedArray(vals, mask=present == 0)
