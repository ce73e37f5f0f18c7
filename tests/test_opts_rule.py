"""One rule for every size-prefixed struct a caller hands either library (options, seeds, info
structs; libscap/common/opts.h): fields an older caller's smaller struct lacks are zero; a newer
caller's larger struct is accepted when the bytes past the library's struct are zero, and refused
with EINVAL, naming the byte, when one is not; an sz smaller than a size_t is EINVAL. Before the
rule was shared, libsinsp refused unknown fields with E2BIG, and the platform's seeds, the /proc
scan's options, the ruleset's and the filter's options took any tail without looking."""

import ctypes as C
import errno

import pytest

from conftest import BUILD

BIG = 4096  # larger than any of these structs will ever be
SZ = C.sizeof(C.c_size_t)

scap = C.CDLL(str(BUILD / "libscap" / "libscap.so.0"), mode=C.RTLD_GLOBAL, use_errno=True)
sinsp = C.CDLL(str(BUILD / "libsinsp" / "libsinsp.so.0"), use_errno=True)
for lib, name in ((scap, "scap_last_error"), (sinsp, "sinsp_last_error")):
    getattr(lib, name).restype = C.c_char_p
P = C.c_void_p
for fn in ("scap_capture__open_test", "scap_platform__new"):
    getattr(scap, fn).restype = P
scap.scap_capture__open_test.argtypes = [P]
scap.scap_capture__close.argtypes = [P]
scap.scap_platform__free.argtypes = [P]
scap.scap_platform__add_thread.argtypes = [P, P]
scap.scap_platform__scan.argtypes = [P, P]
for fn, args in (
    ("sinsp_inspector__open", [P, P]),
    ("sinsp_loop__create", [P, P]),
    ("sinsp_ruleset__create", [P]),
    ("sinsp_filter__compile_opts", [P, C.c_char_p, P, P]),
):
    getattr(sinsp, fn).restype = P
    getattr(sinsp, fn).argtypes = args
sinsp.sinsp_inspector__close.argtypes = [P]
sinsp.sinsp_loop__close.argtypes = [P]
sinsp.sinsp_ruleset__free.argtypes = [P]
sinsp.sinsp_filter__free.argtypes = [P]


def sized(sz: int, set_byte: int | None = None) -> C.Array:
    """A zeroed BIG-byte struct claiming sz bytes, with one byte set (a field unknown to us)."""
    buf = C.create_string_buffer(BIG)
    C.memmove(buf, C.byref(C.c_size_t(sz)), SZ)
    if set_byte is not None:
        buf[set_byte] = b"\x01"
    return buf


def inspector() -> int:
    cap = scap.scap_capture__open_test(None)
    assert cap
    insp = sinsp.sinsp_inspector__open(cap, None)
    assert insp
    return insp


def _open_test(buf):
    cap = scap.scap_capture__open_test(buf)
    ok = bool(cap)
    if ok:
        scap.scap_capture__close(cap)
    return ok, C.get_errno(), scap.scap_last_error().decode()


def _add_thread(buf):
    p = scap.scap_platform__new()
    rc = scap.scap_platform__add_thread(p, buf)
    scap.scap_platform__free(p)
    return rc == 0, -rc, scap.scap_last_error().decode()


def _scan(buf):
    p = scap.scap_platform__new()
    rc = scap.scap_platform__scan(p, buf)
    scap.scap_platform__free(p)
    return rc == 0, -rc, scap.scap_last_error().decode()


def _inspector_open(buf):
    cap = scap.scap_capture__open_test(None)
    insp = sinsp.sinsp_inspector__open(cap, buf)  # takes the capture, also on failure
    ok = bool(insp)
    if ok:
        sinsp.sinsp_inspector__close(insp)
    return ok, C.get_errno(), sinsp.sinsp_last_error().decode()


def _loop_create(buf):
    insp = inspector()
    loop = sinsp.sinsp_loop__create(insp, buf)
    ok, err = bool(loop), C.get_errno()
    if ok:
        sinsp.sinsp_loop__close(loop)
    msg = sinsp.sinsp_last_error().decode()
    sinsp.sinsp_inspector__close(insp)
    return ok, err, msg


def _ruleset_create(buf):
    rs = sinsp.sinsp_ruleset__create(buf)
    ok = bool(rs)
    if ok:
        sinsp.sinsp_ruleset__free(rs)
    return ok, C.get_errno(), sinsp.sinsp_last_error().decode()


def _filter_compile(buf):
    insp = inspector()
    f = sinsp.sinsp_filter__compile_opts(insp, b"evt.type=open", buf, None)
    ok, err = bool(f), C.get_errno()
    if ok:
        sinsp.sinsp_filter__free(f)
    msg = sinsp.sinsp_last_error().decode()
    sinsp.sinsp_inspector__close(insp)
    return ok, err, msg


CALLS = [_open_test, _add_thread, _scan, _inspector_open, _loop_create, _ruleset_create, _filter_compile]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__.lstrip("_"))
def test_a_newer_callers_unknown_field_is_einval_naming_the_byte(call):
    ok, err, msg = call(sized(BIG, set_byte=BIG - 5))
    assert not ok and err == errno.EINVAL, (err, msg)
    assert f"the field at byte {BIG - 5} (sz {BIG}) is unknown to this version" in msg, msg


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__.lstrip("_"))
def test_an_sz_smaller_than_a_size_t_is_einval(call):
    ok, err, msg = call(sized(SZ - 1))
    assert not ok and err == errno.EINVAL, (err, msg)
    assert f"sz {SZ - 1} is smaller than a size_t" in msg, msg


@pytest.mark.parametrize("call", [c for c in CALLS if c is not _add_thread], ids=lambda c: c.__name__.lstrip("_"))
def test_a_newer_callers_zero_tail_and_an_older_callers_short_struct_are_accepted(call):
    for buf in (sized(BIG), sized(SZ)):  # every field zero: each call's defaults
        ok, err, msg = call(buf)
        assert ok, (call.__name__, err, msg)
