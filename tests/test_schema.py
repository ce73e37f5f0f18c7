"""The event schema against upstream's tables, the generated files against the schema, and
libscap's compiled event table against the schema."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD, DATA, ROOT, require

sys.path.insert(0, str(ROOT))
import schema
from schema import types as T

UPSTREAM = DATA / "upstream"  # upstream's event and syscall tables as data (tests/data/README.md)


def _spec(name):
    return json.loads((UPSTREAM / name).read_text())


@pytest.fixture(scope="module")
def s():
    return schema.load()


@pytest.fixture(scope="module")
def upstream_events():
    return _spec("events.json")["events"]


def test_every_upstream_event_id_is_in_the_schema(s, upstream_events):
    assert len(upstream_events) == 454
    assert [e.id for e in s.events] == [u["id"] for u in upstream_events] == list(range(454))


@pytest.mark.parametrize("event_id", range(454))
def test_event_matches_upstream(s, upstream_events, event_id):
    ours, theirs = s.events[event_id], upstream_events[event_id]
    assert ours.name == theirs["name"]
    assert ours.category_value == theirs["category"]
    assert ours.flags_value == theirs["flags"]
    assert len(ours.params) == len(theirs["params"])
    for p, u in zip(ours.params, theirs["params"]):
        assert p.name == u["name"]
        assert p.type == u["type"]
        assert p.fmt == u["fmt"]
        assert p.dirfd == u.get("dirfd_param")
        if "flags" in u:
            assert p.table is not None, f"{p.name} has no flag table"
            assert [list(x) for x in s.flag_tables[p.table]] == u["flags"]
        else:
            assert p.table is None


def test_syscall_table_matches_upstream(s):
    spec = _spec("syscalls-x86_64.json")
    assert [[i, n] for i, n in enumerate(s.ppm_sc)] == spec["ppm_sc"]
    flag_bits = {"U": 1, "N": 2, "A": 4, "M": 16}
    ours = {}
    for nr, (sc, exit_id, flags) in s.x86_64.items():
        ours[nr] = {
            "nr": nr,
            "ppm_sc": s.sc_code(sc),
            "enter": exit_id - 1 if exit_id else 0,
            "exit": exit_id,
            "flags": sum(flag_bits[f] for f in flags.split()),
        }
    assert sorted(ours) == sorted(x["nr"] for x in spec["x86_64_syscalls"])
    for x in spec["x86_64_syscalls"]:
        assert ours[x["nr"]] == x


def test_every_dedicated_syscall_routes_to_an_exit_event_with_its_name(s):
    dedicated = {nr: v for nr, v in s.x86_64.items() if v[1]}
    assert len(dedicated) == 154
    for nr, (sc, exit_id, _flags) in dedicated.items():
        ev = s.events[exit_id]
        assert ev.direction == "X" and not ev.old, (nr, sc, exit_id)


def test_generated_files_are_up_to_date():
    r = subprocess.run(
        [sys.executable, str(ROOT / "schema" / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


def test_generator_check_detects_a_stale_file(tmp_path):
    """--check must fail when a generated file differs: copy the tree's schema and one output."""
    import shutil

    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copy(ROOT / "VERSION", tmp_path / "VERSION")
    r = subprocess.run([sys.executable, str(tmp_path / "schema" / "generate.py")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    events_md = tmp_path / "docs" / "events.md"
    events_md.write_text(events_md.read_text() + "edited by hand\n")
    r = subprocess.run(
        [sys.executable, str(tmp_path / "schema" / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 1
    assert "docs/events.md" in r.stderr


def test_schema_rejects_bad_declarations():
    from schema.model import SchemaError, make_event

    with pytest.raises(SchemaError, match="unknown parameter type"):
        make_event(999, "x", "FILE|SYSCALL", "", "fd:FDX")
    with pytest.raises(SchemaError, match="unknown flag"):
        make_event(999, "x", "FILE|SYSCALL", "Q", "")
    with pytest.raises(SchemaError, match="@dirfd goes with FSRELPATH"):
        make_event(999, "x", "FILE|SYSCALL", "", "fd:FD@0")


def test_libscap_table_equals_the_schema(s):
    """The compiled C table (libscap accessors) holds exactly what the schema says, for every id."""
    from pyscap import _native

    lib, string = _native.lib, _native.string
    assert lib.scap_event_table_size() == len(s.events)
    for e in s.events:
        assert string(lib.scap_event_name(e.id)) == e.name
        assert lib.scap_event_category(e.id) == e.category_value
        assert lib.scap_event_flags(e.id) == e.flags_value
        assert lib.scap_event_nparams(e.id) == len(e.params)
        for i, p in enumerate(e.params):
            assert string(lib.scap_event_param_name(e.id, i)) == p.name
            assert lib.scap_event_param_type(e.id, i) == T.PARAM_TYPES[p.type][0]
            assert lib.scap_event_param_format(e.id, i) == T.PRINT_FORMATS[p.fmt][0]
            assert lib.scap_event_param_dirfd(e.id, i) == (-1 if p.dirfd is None else p.dirfd)
            flags = lib.scap_event_param_flags(e.id, i)
            got = []
            if flags != _native.ffi.NULL:
                k = 0
                while flags[k].name != _native.ffi.NULL:
                    got.append((string(flags[k].name), flags[k].value))
                    k += 1
            assert got == [tuple(x) for x in s.flag_tables.get(p.table, [])]
        assert lib.scap_event_param_name(e.id, len(e.params)) == _native.ffi.NULL
    assert lib.scap_event_name(len(s.events)) == _native.ffi.NULL
    assert lib.scap_event_nparams(len(s.events)) == -22  # -EINVAL


def test_libscap_syscall_lookups(s):
    from pyscap import _native

    lib = _native.lib
    for code, name in enumerate(s.ppm_sc):
        assert _native.string(lib.scap_ppm_sc_name(code)) == name
        if name:
            assert lib.scap_ppm_sc_from_name(name.encode()) == code
    assert lib.scap_ppm_sc_from_name(b"no_such_syscall") == -2
    assert _native.last_error() == "unknown syscall name 'no_such_syscall'"
    for nr in range(512):
        if nr in s.x86_64:
            sc, exit_id, _flags = s.x86_64[nr]
            assert lib.scap_native_to_ppm_sc(nr) == s.sc_code(sc)
            assert lib.scap_native_to_exit_event(nr) == (exit_id or 1)
        else:
            assert lib.scap_native_to_ppm_sc(nr) == -2
    assert lib.scap_native_to_exit_event(257) == 307  # openat
    assert lib.scap_native_to_exit_event(39) == 1  # getpid: generic


def test_python_enums_follow_the_schema(s):
    import pyscap

    syms = s.symbols()
    for e, sym in zip(s.events, syms):
        assert pyscap.EventType[sym] == e.id
        info = pyscap.event_info(e.id)
        assert info.name == e.name and [p.name for p in info.params] == [p.name for p in e.params]
    assert pyscap.EventType.OPENAT_X == 307 and pyscap.EventType.OPENAT_1_X == 103
    assert pyscap.EventType.EXECVE_X == 293 and pyscap.EventType.EXECVE_1_X == 13
    assert pyscap.PpmSc.OPENAT == s.sc_code("openat")


# A scratch event: getpid (nr 39, today the generic event) with a dedicated exit event of standard
# parameters only, appended to a copy of the schema. Adding it is a schema edit and nothing else.
SCRATCH_EVENTS = """
    ev(454, "getpid", "PROCESS|SYSCALL", "OLD", ""),
    ev(
        455,
        "getpid",
        "PROCESS|SYSCALL",
        "",
        "res:PID=ret fd:FD=a0 name:CHARBUF=str(a1) flags:FLAGS32{open_flags}=nb_cloexec(a2)|fd(a0).created "
        "data:BYTEBUF=ret>0?io(a1,ret) ino:UINT64=fd(a0).ino",
    ),
]
"""


def scratch_event_tree(tmp: Path) -> Path:
    """A copy of schema/ (and VERSION) with the scratch event, its generated files written into it."""
    shutil.copytree(ROOT / "schema", tmp / "schema")
    shutil.copy(ROOT / "VERSION", tmp / "VERSION")
    events = tmp / "schema" / "events.py"
    text = events.read_text()
    assert text.rstrip().endswith("]")
    events.write_text(text.rstrip()[:-1] + SCRATCH_EVENTS)
    syscalls = tmp / "schema" / "syscalls.py"
    syscalls.write_text(syscalls.read_text().replace('    39: ("getpid", 0, ""),', '    39: ("getpid", 455, "U"),'))
    docs = tmp / "schema" / "docs.py"
    text = docs.read_text().rstrip()
    assert text.endswith("}")
    docs.write_text(text[:-1] + '    "getpid": "getpid(2): a scratch event of the tests.",\n}\n')
    r = subprocess.run([sys.executable, str(tmp / "schema" / "generate.py")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for h in (ROOT / "abi").glob("*.h"):  # the hand-written ABI headers beside the generated ones
        if not (tmp / "abi" / h.name).exists():
            shutil.copy(h, tmp / "abi" / h.name)
    return tmp


def test_a_scratch_event_is_a_schema_edit(tmp_path):
    """A new event with standard parameters is a schema edit: the generator writes its filler,
    which both drivers expand (abi/scap_abi_fill.h), and its line in the tables both drivers'
    program arrays expand (abi/scap_abi_progs.h); nothing in bpf_core/ or driver/ changes."""
    tree = scratch_event_tree(tmp_path)
    progs = (tree / "abi" / "scap_abi_progs.h").read_text()
    assert "\tX(39, getpid, SCAP_EVT_GETPID_X) \\\n" in progs.split("SCAP_EXIT_SYSCALLS(X)")[1]
    assert "#define SCAP_N_EXIT_SYSCALLS 155" in progs
    fill = (tree / "abi" / "scap_abi_fill.h").read_text()
    body = fill[fill.index("SCAP_FILLER_X(getpid)") :]
    body = body[: body.index("\n}\n")]
    assert body.splitlines()[1:] == [
        "{",
        "\tstruct scap_rec_fd r0;",
        "",
        "\tSCAP_BEGIN(SCAP_EVT_GETPID_X);",
        "\tscap_load_fd(&r0, SCAP_ARG(0));",
        "\tpush_s64(e, ret);",
        "\tpush_s64(e, (int)SCAP_ARG(0));",
        "\tpush_user_str(e, SCAP_ARG(1), SCAP_MAX_STR);",
        "\tpush_u32(e, scap_conv_nb_cloexec(SCAP_ARG(2)) | r0.created);",
        "\tif (ret > 0)",
        "\t\tpush_io_buf(e, SCAP_ARG(1), ret);",
        "\telse",
        "\t\tpush_empty(e);",
        "\tpush_u64(e, r0.ino);",
        "\tSCAP_END;",
    ]
    # libscap's table and the docs have it too
    assert '[SCAP_EVT_GETPID_X] = { "getpid",' in (tree / "libscap" / "codec" / "event_table.gen.c").read_text()
    assert "| `SCAP_EVT_GETPID_X` | getpid (39) |" in (tree / "docs" / "fill.md").read_text()


def test_a_scratch_event_compiles_into_the_core_probe(tmp_path):
    """The CO-RE probe, compiled against the scratch schema's generated headers and nothing else
    new, has the scratch event's exit program, in its tail-call array under getpid's number.
    (The kernel module's build with it: tests/test_kmod.py::test_a_scratch_event_builds_into_the_module.)"""
    clang, vmlinux = shutil.which("clang"), BUILD / "bpf_core" / "vmlinux.h"
    require(clang is not None and vmlinux.exists(), f"clang and {vmlinux} (a build with the CO-RE probe)")
    tree = scratch_event_tree(tmp_path)
    obj = tmp_path / "probe.bpf.o"
    cmd = [clang, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-mcpu=v3", "-Wall", "-Wextra", "-Werror"]
    cmd += ["-Wno-unused-parameter", "-Wno-missing-field-initializers", f"-I{vmlinux.parent}"]
    cmd += [f"-I{tree / 'abi'}", f"-I{ROOT / 'bpf_core'}"]
    r = subprocess.run(
        [*cmd, "-c", str(ROOT / "bpf_core" / "probe.bpf.c"), "-o", str(obj)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr[-3000:]
    objdump = shutil.which("llvm-objdump")
    require(objdump is not None, "llvm-objdump")
    syms = subprocess.run([objdump, "-t", str(obj)], capture_output=True, text=True).stdout
    assert re.search(r"\sF tp_btf/sys_exit\s.*\sgetpid_x$", syms, re.M), syms[-2000:]
    relocs = subprocess.run([objdump, "-r", str(obj)], capture_output=True, text=True).stdout
    maps = relocs.split("RELOCATION RECORDS FOR [.maps]:")[1].split("RELOCATION RECORDS")[0]
    assert re.search(r"R_BPF_64_ABS64\s+getpid_x$", maps, re.M), maps[-2000:]  # a program array holds it


def test_converters_of_the_notation_are_those_of_the_abi():
    """schema/fill.py CONVERTERS (the notation's converter names) and abi/scap_abi_conv.h (their C)
    list the same functions with the same number of arguments."""
    from schema import fill

    conv = (ROOT / "abi" / "scap_abi_conv.h").read_text()
    found = {
        name: len([a for a in args.split(",") if a.strip()])
        for name, args in re.findall(r"^SCAP_CONV_INLINE \w+ scap_conv_(\w+)\(([^)]*)\)", conv, re.M)
    }
    assert found == fill.CONVERTERS


@pytest.mark.parametrize(
    "params, message",
    [
        ("res:ERRNO=ret fd:FD=nope(a0)", "unknown function 'nope'"),
        ("res:ERRNO=ret fd:FD=fd(ret).size", "record fd: name one of its fields"),
        ("res:ERRNO=ret data:BYTEBUF=a1", "a BYTEBUF parameter needs a pusher"),
        ("res:ERRNO=ret fd:FD=str(a1)", "str\\(\\) fills CHARBUF/FSPATH/FSRELPATH, not FD"),
        ("res:ERRNO=ret fd:FD", "fd has no source"),
        ("res:ERRNO=ret fd:FD=a0+io(a1,ret)", "io\\(\\) fills a parameter: it cannot be part of a value"),
    ],
)
def test_fill_sources_that_do_not_read_are_refused(params, message):
    from schema import fill
    from schema.model import SchemaError, make_event

    e = make_event(455, "getpid", "PROCESS|SYSCALL", "", params)
    with pytest.raises(SchemaError, match=message):
        fill.filler(e, "GETPID_X", "getpid", 39)


def test_enter_sources_cannot_read_the_result():
    from schema import fill
    from schema.model import SchemaError, make_event

    e = make_event(454, "getpid", "PROCESS|SYSCALL", "", "fd:FD=ret")
    with pytest.raises(SchemaError, match="`ret` in an enter event"):
        fill.filler(e, "GETPID_E", "getpid", 39)


def test_ia32_table_is_the_kernels():
    """schema/syscalls_ia32.py's numbers and names are the kernel's ia32 table (linux-libc-dev's
    asm/unistd_32.h, installed by scripts/setup.sh --test), and every alias, conversion and
    socketcall call names a real syscall."""
    from schema import syscalls_ia32 as I

    header = Path("/usr/include/x86_64-linux-gnu/asm/unistd_32.h")
    assert header.exists(), f"{header} missing (Debian's linux-libc-dev)"
    kernel = {int(m[2]): m[1] for m in re.finditer(r"#define __NR_(\w+) (\d+)", header.read_text())}
    assert {nr: n for nr, n in I.IA32_NAMES.items() if nr in kernel} == kernel
    # the numbers after the header's are the ones all architectures share: x86_64's
    x64 = {nr: sc for nr, (sc, _e, _f) in schema.load().x86_64.items()}
    for nr, name in I.IA32_NAMES.items():
        if nr not in kernel:
            assert nr > max(kernel) and x64[nr] == name, (nr, name)


def test_ia32_twins(s):
    """Every ia32 syscall with an x86_64 syscall of the same name (or its alias) produces that
    syscall's event; the rest produce their own code's generic event or nothing."""
    from schema import syscalls_ia32 as I

    by_name = {sc: nr for nr, (sc, _e, _f) in s.x86_64.items()}
    twins = {I.IA32_NAMES[nr]: s.x86_64[t][0] for nr, (t, _sc, _c, _w) in s.ia32.items() if t is not None}
    assert twins["setuid32"] == "setuid" and twins["_llseek"] == "lseek" and twins["mmap2"] == "mmap"
    assert twins["fstatat64"] == "newfstatat" and twins["futex_time64"] == "futex" and twins["open"] == "open"
    assert "socketcall" not in twins and "ipc" not in twins and "waitpid" not in twins
    for nr, name in I.IA32_NAMES.items():
        t, sc, conv, wide = s.ia32[nr]
        if name in by_name or name in I.ALIASES:
            assert t == by_name[I.ALIASES.get(name, name)] and sc == s.x86_64[t][0], name
        elif name != "socketcall":
            assert t is None and sc == (name if name in s.ppm_sc else ""), name
    assert s.ia32[102][2] == "SOCKETCALL" and s.socketcall[3] == (by_name["connect"], 3)
    assert s.socketcall[9] == (by_name["sendto"], 4) and len(s.socketcall) == 20
    # wide: the 64-bit struct variants; the old ones read compat timespecs and rlimits
    assert s.ia32[407][3] and s.ia32[340][3] and not s.ia32[162][3] and not s.ia32[191][3]
