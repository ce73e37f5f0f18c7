"""No C++ exception crosses libsinsp's C API (one would terminate the C or Python program that
called it): every entry point that can throw runs its body through sinsp::guard() & co.
(libsinsp/capi_guard.h) and returns its error instead, ENOMEM for std::bad_alloc.

Two checks: the sources (every exported function either is guarded or calls nothing that can
throw), and the behaviour: a preloaded operator new fails the 1st, 2nd, ... allocation of an
entry point's call until the call succeeds, and every failing call must return its error with
"out of memory" (before the guards, most of these aborted the process)."""

import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, run

# calls that cannot throw: the handle casts, reads of members, C functions
NOEXCEPT = {
    *("I", "T", "E", "F", "CT", "CF", "M", "c_str", "size", "ts", "tid", "name", "find", "end", "get"),
    *("fd_typestr", "fd_typechar", "version", "set_error", "strchr", "sizeof", "is_main", "as_event"),
    *("reinterpret_cast", "static_cast", "const_cast", "memcpy", "memset", "strcmp", "strcasecmp", "snprintf"),
    "strerror",
}
DEFINITION = re.compile(r"^([^\s#/][^\n;(]*?)\b(sinsp_\w+)\(([^)]*)\)\s*\n\{", re.M)


def _entry_points() -> dict[str, tuple[str, str]]:
    """{exported name: (file, body)} for every function of libsinsp.map defined in libsinsp/."""
    exported = set(re.findall(r"\b(sinsp_\w+);", (ROOT / "libsinsp" / "libsinsp.map").read_text()))
    found = {}
    for f in sorted((ROOT / "libsinsp").rglob("*.cpp")):
        s = f.read_text()
        for m in DEFINITION.finditer(s):
            if m.group(2) not in exported:
                continue
            depth, j = 0, m.end() - 1
            while True:
                depth += {"{": 1, "}": -1}.get(s[j], 0)
                if depth == 0:
                    break
                j += 1
            found[m.group(2)] = (str(f.relative_to(ROOT)), s[m.end() : j])
    assert set(found) == exported, sorted(exported - set(found))
    return found


def test_every_entry_point_that_can_throw_is_guarded():
    eps = _entry_points()
    unguarded = {}
    for name, (path, body) in eps.items():
        if re.search(r"\b(guard|guard_or|guard_void|caught)\b", body):
            continue
        code = re.sub(r'"(\\.|[^"\\])*"', '""', body)
        calls = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", code)) - {"if", "for", "while", "return", "switch"}
        # other entry points are checked themselves; libscap's are C
        risky = {c for c in calls - NOEXCEPT - set(eps) if not c.startswith("scap_")}
        if risky or re.search(r"\bnew\b|\bthrow\b", code):
            unguarded[name] = (path, sorted(risky))
    assert unguarded == {}, unguarded
    assert len(eps) > 100  # the parser found the definitions


SHIM = r"""
#include <atomic>
#include <cstdlib>
#include <new>
// operator new that throws std::bad_alloc at the armed allocation (LD_PRELOAD: it interposes
// libsinsp's and libstdc++'s calls)
static std::atomic<long> armed{-1};
static std::atomic<unsigned long> seen{0};
extern "C" __attribute__((visibility("default"))) void fault_arm(long n) { armed = n; }
extern "C" __attribute__((visibility("default"))) unsigned long fault_seen(void) { return seen; }
static void *alloc(std::size_t n)
{
	seen++;
	if (armed.load() >= 0 && armed.fetch_sub(1) == 0)
		throw std::bad_alloc();
	void *p = std::malloc(n ? n : 1);
	if (!p)
		throw std::bad_alloc();
	return p;
}
void *operator new(std::size_t n) { return alloc(n); }
void *operator new[](std::size_t n) { return alloc(n); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
	try { return alloc(n); } catch (...) { return nullptr; }
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
	try { return alloc(n); } catch (...) { return nullptr; }
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { std::free(p); }
"""

# Each scenario: setup() -> state, call(state) -> (ok, errno, message), teardown(state).
DRIVER = r"""
import ctypes as C, json, sys
shim = C.CDLL(sys.argv[1])
shim.fault_seen.restype = C.c_ulong
scap = C.CDLL(sys.argv[2] + "/libscap/libscap.so.0", mode=C.RTLD_GLOBAL, use_errno=True)
lib = C.CDLL(sys.argv[2] + "/libsinsp/libsinsp.so.0", use_errno=True)
CAPTURE = sys.argv[3].encode()
P = C.c_void_p
def sig(l, name, res, *args):
    f = getattr(l, name); f.restype = res; f.argtypes = list(args); return f
open_file = sig(scap, "scap_capture__open_file", P, C.c_char_p, P)
insp_open = sig(lib, "sinsp_inspector__open", P, P, P)
insp_close = sig(lib, "sinsp_inspector__close", None, P)
nxt = sig(lib, "sinsp_inspector__next", C.c_int, P, C.POINTER(P))
last_error = sig(lib, "sinsp_last_error", C.c_char_p)
flt_compile = sig(lib, "sinsp_filter__compile", P, P, C.c_char_p, P)
flt_free = sig(lib, "sinsp_filter__free", None, P)
fmt_create = sig(lib, "sinsp_formatter__create", P, C.c_char_p, C.c_int)
fmt_free = sig(lib, "sinsp_formatter__free", None, P)
fmt_str = sig(lib, "sinsp_formatter__format_str", C.c_char_p, P, P)
x_create = sig(lib, "sinsp_extractor__create", P, C.POINTER(C.c_char_p), C.c_uint32)
x_run = sig(lib, "sinsp_extractor__run", C.c_int, P, P, C.c_uint32, C.POINTER(C.c_uint32))
x_free = sig(lib, "sinsp_extractor__free", None, P)
rs_create = sig(lib, "sinsp_ruleset__create", P, P)
rs_free = sig(lib, "sinsp_ruleset__free", None, P)
rs_list = sig(lib, "sinsp_ruleset__add_list", C.c_int, P, C.c_char_p, C.POINTER(C.c_char_p), C.c_uint32)
rs_macro = sig(lib, "sinsp_ruleset__add_macro", C.c_int, P, C.c_char_p, C.c_char_p, P)
loop_create = sig(lib, "sinsp_loop__create", P, P, P)
loop_close = sig(lib, "sinsp_loop__close", C.c_int, P)
suppress = sig(lib, "sinsp_inspector__suppress_comm", C.c_int, P, C.c_char_p)

def inspector():
    insp = insp_open(open_file(CAPTURE, None), None)
    assert insp
    return insp

def ptr(p, free):
    ok, err = bool(p), C.get_errno()
    if p:
        free(p)
    return ok, err

def rc(r):
    return r >= 0, -r if r < 0 else 0

def next_all(insp):
    e = P()
    while True:
        r = nxt(insp, C.byref(e))
        if r != 0:
            return r == 2, -r if r < 0 else 0

def first_open(insp):
    e = P()
    while nxt(insp, C.byref(e)) == 0:
        if lib.sinsp_event__name(e) == b"open":
            return e.value

lib.sinsp_event__name.restype = C.c_char_p
lib.sinsp_event__name.argtypes = [P]
FIELDS = (C.c_char_p * 3)(b"evt.num", b"proc.name", b"fd.name")
ITEMS = (C.c_char_p * 3)(b"bash", b"sh", b"zsh")
LONG = b"a-process-name-longer-than-any-small-string-buffer" * 4

def ext_run(insp):
    x = x_create(FIELDS, 3)
    if not x:
        return False, C.get_errno()
    n = C.c_uint32()
    r = x_run(x, insp, 100, C.byref(n))
    x_free(x)
    return rc(r)

def ruleset(_):
    rs = rs_create(None)
    if not rs:
        return False, C.get_errno()
    try:
        ok, err = rc(rs_list(rs, b"shell_binaries", ITEMS, 3))
        if ok:
            ok, err = rc(rs_macro(rs, b"spawned_shell", b"evt.type=execve and proc.name in (shell_binaries)", None))
        return ok, err
    finally:
        rs_free(rs)

SCENARIOS = {
    "sinsp_inspector__open": (lambda: open_file(CAPTURE, None), lambda cap: ptr(insp_open(cap, None), insp_close), None),
    "sinsp_inspector__next": (inspector, next_all, insp_close),
    "sinsp_filter__compile": (inspector, lambda i: ptr(flt_compile(i, b"evt.type=open and fd.name contains /etc and proc.name in (curl, bash)", None), flt_free), insp_close),
    "sinsp_formatter__create": (lambda: None, lambda _: ptr(fmt_create(b"%evt.num %evt.time %proc.name (%thread.tid) %fd.name %evt.args", 0), fmt_free), None),
    "sinsp_formatter__format_str": (lambda: (lambda i: (i, first_open(i), fmt_create(b"*%evt.num %proc.name %fd.name %evt.args", 0)))(inspector()),
                                    lambda s: (fmt_str(s[2], s[1]) is not None, C.get_errno()), lambda s: (fmt_free(s[2]), insp_close(s[0]))),
    "sinsp_extractor__run": (inspector, ext_run, insp_close),
    "sinsp_ruleset__add_list+add_macro": (lambda: None, ruleset, None),
    "sinsp_loop__create": (inspector, lambda i: ptr(loop_create(i, None), loop_close), insp_close),
    "sinsp_inspector__suppress_comm": (inspector, lambda i: rc(suppress(i, LONG)), insp_close),
}

report = {}
for name, (setup, call, teardown) in SCENARIOS.items():
    for warm in range(2):  # the second run: without the first use's lazy initialisations
        state = setup()
        before = shim.fault_seen()
        ok, err = call(state)
        total = shim.fault_seen() - before
        if teardown:
            teardown(state)
        assert ok, (name, err, last_error())
    step = max(1, total // 400)
    errors, bad = 0, []
    for n in range(0, total, step):
        state = setup()
        before = shim.fault_seen()
        shim.fault_arm(n)
        ok, err = call(state)
        shim.fault_arm(-1)
        msg = last_error().decode()
        fired = shim.fault_seen() - before > n
        if teardown:
            teardown(state)
        if ok:
            continue  # the failure was handled inside (or happened in another thread)
        errors += 1
        if not fired or err != 12 or "out of memory" not in msg:
            bad.append((n, err, msg))
    report[name] = dict(allocations=total, tried=len(range(0, total, step)), errors=errors, bad=bad[:5])
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    d = tmp_path_factory.mktemp("shim")
    (d / "shim.cpp").write_text(SHIM)
    r = run(["c++", "-std=c++17", "-O1", "-shared", "-fPIC", "-o", d / "shim.so", d / "shim.cpp"])
    assert r.returncode == 0, r.stderr
    return d / "shim.so"


def test_failing_allocations_become_enomem_not_an_abort(build_dir, shim):
    import json

    capture = ROOT / "tests" / "data" / "captures" / "curl_google.scap"
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DRIVER), str(shim), str(build_dir), str(capture)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"LD_PRELOAD": str(shim), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0, f"rc {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    report = json.loads(r.stdout)
    for name, rep in report.items():
        assert rep["bad"] == [], (name, rep)
        # a file capture has no other threads: every failed allocation fails the call
        assert rep["allocations"] > 0 and rep["errors"] == rep["tried"], (name, rep)
    assert set(report) >= {"sinsp_inspector__open", "sinsp_inspector__next", "sinsp_filter__compile"}
