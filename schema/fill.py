"""How the drivers fill each parameter: the `=source` notation of schema/events.py, and its C.

A parameter of an event that the drivers produce carries its source after `=`
(`fd:FD=ret`, `name:FSPATH=str(a0)`, `flags:FLAGS32{open_flags}=open_flags(a1)|fd(ret).created`).
One source fills one parameter, with no spaces inside. There are four forms:

- a value, pushed at the width of the parameter's type: a C expression over
  `ret` (the syscall's return value; exit events only), `a0`..`a5` (its arguments), integers,
  the C operators, the converters of abi/scap_abi_conv.h (`open_flags(a1)` is
  scap_conv_open_flags(arg 1); CONVERTERS below), the user-memory reads (READS: `user_u32(a1)`),
  the builtins (BUILTINS: `wlen(x)`, `s32(x)`, `u32(x)`, `min(x,y)`) and record fields
  (`fd(ret).dev`, `mm.rss`: RECORDS). An argument alone in a signed 64-bit parameter (FD, PID,
  ERRNO, INT64) is the C `int` the syscall takes (`fd:FD=a0` is (int)arg 0, sign-extended); anywhere
  else an argument is the raw 64-bit register value, converted as C converts it.
- a pusher, for the variable-length types: `str(a0)`, `io(a1,ret)`, `iov(a1,a2,ret)`,
  `sockaddr(a1,a2)`, `tuple_out(a0,a1,a2)` ... (PUSHERS).
- a pusher under a condition, `COND?PUSHER` (empty parameter otherwise) or `COND?PUSHER:PUSHER`:
  `path:CHARBUF=ret>0?str(a0)`.
- `custom(NAME[,ARG...])`: a hand-written pusher, `fill_NAME(e, ARG...)`, which each driver (or
  abi/, where it needs nothing but the accessors) defines. The parameters after it that carry no
  source are its too; when it covers every parameter of the event, the whole filler is
  hand-written, in each driver, under the usual name (the CO-RE program NAME_x of SC_EXIT(NAME),
  the kmod's fill_NAME_x).

A record is a value that a loader fills once per event, before the first push, whatever number of
parameters read its fields: `fd(ret)` looks the new fd up once for its `created`, `dev` and `ino`.
A read used twice in one event (`iovlen(a1,a2)` in writev) is also made once.

From the sources, gen_fill() writes one C header that both drivers expand with their own
accessors (SCAP_FILLER_X, SCAP_ARG, push_*: bpf_core/probe.bpf.c and push.h, driver/probe.c and
push.h), gen_progs() the tables (the TOCTOU syscalls, every syscall with a dedicated exit event)
and gen_docs() docs/fill.md.
"""

import re
from dataclasses import dataclass

from .model import Event, SchemaError

# The open family, whose events the drivers drop in the kernel when their path parameter is under
# one of the capture's excluded paths (scap_live_opts.exclude_paths): syscall -> that parameter.
# Their fillers end with SCAP_END_PATH(index of the parameter) instead of SCAP_END.
PATH_EXCLUDABLE = {"open": "name", "openat": "name", "openat2": "name", "creat": "name"}

# Converters of abi/scap_abi_conv.h: notation name -> number of arguments (C: scap_conv_NAME).
CONVERTERS = {
    "open_flags": 1,
    "open_mode": 2,
    "mode": 1,
    "clone_flags": 1,
    "prot_flags": 1,
    "mmap_flags": 1,
    "nb_cloexec": 1,
    "poll": 1,
    "ptrace_req": 1,
    "ptrace_data_sig": 1,
    "quota_cmd": 1,
    "quota_fmt": 1,
    "semctl_cmd": 1,
    "semget_flags": 1,
    "sem_flg": 1,
    "fcntl_cmd": 1,
    "resolve": 1,
    "rlimit_res": 1,
    "epoll_create1_flags": 1,
    "pidfd_open_flags": 1,
    "fchownat_flags": 1,
    "delete_module_flags": 1,
    "io_uring_setup_flags": 1,
    "mount_flags": 1,
    "sockopt_level": 1,
    "sockopt_name": 2,
    "pf_flags": 1,
}


@dataclass(frozen=True)
class Func:
    c: str  # C name (a format with {ret} where the builtin also reads ret)
    nargs: int
    ctype: str = "__u64"  # C type of a read's result
    doc: str = ""


# Reads of user memory (abi/scap_abi_push.h): 0 when the address is 0 or unreadable.
READS = {
    "user_u32": Func("scap_user_u32", 1, "__u32", "the u32 at a user address"),
    "user_u64": Func("scap_user_u64", 1, "__u64", "the u64 at a user address"),
    "user_off": Func(
        "scap_user_off", 1, "__u64", "the off_t at a user address (a narrow ia32 syscall's is 32-bit, sign-extended)"
    ),
    "timespec": Func("scap_user_timespec_ns", 2, "__u64", "the user struct timespec at x in ns (y if absent)"),
    "iovlen": Func(
        "scap_iov_total", 2, "__u64", "the sum of iov_len of the user iovec array x of y entries (at most 8)"
    ),
}

# Builtins: plain C.
BUILTINS = {
    "wlen": Func("scap_write_len(ret, {0})", 1, doc="what a write-like call wrote: ret if > 0, else the size asked"),
    "s32": Func("((int)({0}))", 1, doc="as a C int"),
    "u32": Func("((__u32)({0}))", 1, doc="as a C unsigned int"),
    "min": Func("scap_min({0}, {1})", 2, doc="the smaller of two unsigned values"),
}


@dataclass(frozen=True)
class Record:
    nargs: int
    fields: tuple[str, ...]
    where: str  # "abi" (abi/scap_abi_push.h) or "driver" (each driver: the kernel's data)
    doc: str


# Records: struct scap_rec_NAME, filled by scap_load_NAME(&r, ARGS...).
RECORDS = {
    "fd": Record(
        1,
        ("created", "dev", "ino"),
        "driver",
        "the open file of fd x: O_F_CREATED if the call created it, st_dev, ino (0 if none)",
    ),
    "usock": Record(1, ("sk", "peer"), "driver", "the socket of fd x and its unix peer, as kernel addresses"),
    "backlog": Record(
        1, ("len", "max", "pct"), "driver", "the accept queue of listening socket fd x: length, maximum, percentage"
    ),
    "mm": Record(0, ("size", "rss", "swap"), "driver", "the calling task's memory in KiB"),
    "caps": Record(0, ("inheritable", "permitted", "effective"), "driver", "the calling task's capabilities"),
    "how": Record(1, ("flags", "mode", "resolve"), "abi", "the user struct open_how at x (zeros if unreadable)"),
    "ufds": Record(
        2, ("fd1", "fd2"), "abi", "the user int[2] at x if y holds (zeros if unreadable), else -1, -1: pipe, socketpair"
    ),
    "rlim": Record(2, ("cur", "max"), "abi", "the user struct rlimit at x if y holds, else -1, -1"),
    "uring": Record(
        1,
        ("sq_entries", "cq_entries", "flags", "sq_thread_cpu", "sq_thread_idle", "features"),
        "abi",
        "the head of the user struct io_uring_params at x",
    ),
    "sembuf": Record(
        2, ("num0", "op0", "flg0", "num1", "op1", "flg1"), "abi", "the first two user struct sembuf at x, of y"
    ),
    "quota": Record(
        3,
        (
            "quotaon",
            "bhard",
            "bsoft",
            "curspace",
            "ihard",
            "isoft",
            "btime",
            "itime",
            "bgrace",
            "igrace",
            "dqi_flags",
            "fmt_out",
            "cmd",
            "type",
        ),
        "abi",
        "what quotactl(x, ..., y) with result z was given or returned",
    ),
    "msg": Record(
        1,
        ("name", "namelen", "iov", "iovlen", "control", "controllen", "total"),
        "abi",
        "the user struct msghdr at x, and the sum of its iov_len",
    ),
    "mmsg": Record(
        1,
        ("name", "namelen", "iov", "iovlen", "control", "controllen", "len"),
        "abi",
        "the first user struct mmsghdr at x",
    ),
}


@dataclass(frozen=True)
class Pusher:
    c: str  # C call after (e, ...): a format over the arguments
    nargs: tuple[int, ...]
    types: tuple[str, ...]
    where: str
    doc: str


_STRINGS = ("CHARBUF", "FSPATH", "FSRELPATH")
PUSHERS = {
    "str": Pusher(
        "push_user_str(e, {0}, {1})", (1, 2), _STRINGS, "abi", "the user string at x (at most y bytes, 4096 by default)"
    ),
    "io": Pusher(
        "push_io_buf(e, {0}, {1})",
        (2,),
        ("BYTEBUF",),
        "abi",
        "I/O data: y bytes at x, cut to snaplen (empty if y <= 0)",
    ),
    "ubuf": Pusher("push_user_buf(e, {0}, {1})", (2,), ("BYTEBUF",), "abi", "y bytes of user memory at x"),
    "iov": Pusher(
        "push_iov_buf(e, {0}, {1}, {2})",
        (3,),
        ("BYTEBUF",),
        "abi",
        "I/O data: z bytes of the iovec array x of y entries, cut to snaplen",
    ),
    "sockaddr": Pusher(
        "push_user_sockaddr(e, {0}, {1})", (2,), ("SOCKADDR",), "abi", "the user sockaddr at x, of y bytes"
    ),
    "tuple_out": Pusher(
        "push_socktuple(e, {0}, 1, {1}, {2})",
        (3,),
        ("SOCKTUPLE",),
        "abi",
        "the socket tuple of fd x, local end first (the remote end from the user sockaddr y of z bytes if unconnected)",
    ),
    "tuple_in": Pusher(
        "push_socktuple(e, {0}, 0, {1}, {2})", (3,), ("SOCKTUPLE",), "abi", "the same, remote end first"
    ),
    "fdlist": Pusher(
        "push_fdlist(e, {0}, {1}, {2})",
        (3,),
        ("FDLIST",),
        "abi",
        "the user pollfd array x of y entries (revents if z, else events)",
    ),
    "fdpath": Pusher("push_fd_path(e, {0})", (1,), ("FSPATH",), "driver", "the path of the open file of fd x"),
    "dyn_u64": Pusher("push_dyn_u64(e, {0})", (1,), ("DYN",), "abi", "DYN selector 0: a u64"),
    "dyn_sig": Pusher("push_dyn_sig(e, {0})", (1,), ("DYN",), "abi", "DYN selector 1: a signal number"),
    "dyn_str": Pusher("push_dyn_user_str(e, {0})", (1,), ("DYN",), "abi", "DYN selector 1: a user string"),
    "sockopt_val": Pusher(
        "push_sockopt_val(e, {0}, {1}, {2}, {3})",
        (4,),
        ("DYN",),
        "abi",
        "the value of socket option (level x, name y) at z, of w bytes",
    ),
}

# Width of a value parameter: push function by type.
_PUSH_BY_TYPE = {
    **dict.fromkeys(("INT8", "UINT8", "SIGTYPE", "FLAGS8", "ENUMFLAGS8", "L4PROTO", "SOCKFAMILY"), "push_u8"),
    **dict.fromkeys(("INT16", "UINT16", "FLAGS16", "ENUMFLAGS16", "PORT", "SYSCALLID"), "push_u16"),
    **dict.fromkeys(
        (
            "INT32",
            "UINT32",
            "FLAGS32",
            "ENUMFLAGS32",
            "UID",
            "GID",
            "MODE",
            "BOOL",
            "SIGSET",
            "IPV4ADDR",
            "FD32",
            "PID32",
        ),
        "push_u32",
    ),
    **dict.fromkeys(("INT64", "ERRNO", "FD", "PID"), "push_s64"),
    **dict.fromkeys(("UINT64", "RELTIME", "ABSTIME"), "push_u64"),
}
_INT_ARG_TYPES = ("INT64", "ERRNO", "FD", "PID")

_TOKEN = re.compile(r"\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|==|!=|>=|<=|&&|\|\||<<|>>|[-+*/%&|^~!<>()?:,.])")


def tokenize(src: str) -> list[str]:
    out, pos = [], 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m:
            raise ValueError(f"cannot read {src[pos:]!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


def _split_top(tokens: list[str], sep: str) -> list[list[str]]:
    """Split at sep outside parentheses."""
    parts, depth, cur = [], 0, []
    for t in tokens:
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        if t == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


def _ternary(tokens: list[str]):
    """(cond, then, else) for a top-level `c ? t : e` or `c ? t`, else None."""
    depth, q = 0, None
    for i, t in enumerate(tokens):
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif t == "?" and depth == 0:
            q = i
            break
    if q is None:
        return None
    rest, depth, nest = tokens[q + 1 :], 0, 0
    for i, t in enumerate(rest):
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and t == "?":
            nest += 1
        elif depth == 0 and t == ":":
            if nest == 0:
                return tokens[:q], rest[:i], rest[i + 1 :]
            nest -= 1
    return tokens[:q], rest, None


def _call(tokens: list[str]):
    """(name, [arg tokens...]) if tokens are exactly NAME(...), else None."""
    if len(tokens) < 3 or not tokens[0].isidentifier() or tokens[1] != "(" or tokens[-1] != ")":
        return None
    depth = 0
    for i, t in enumerate(tokens[1:], 1):
        depth += t == "("
        depth -= t == ")"
        if depth == 0 and i != len(tokens) - 1:
            return None
    inner = tokens[2:-1]
    return tokens[0], ([] if not inner else _split_top(inner, ","))


@dataclass
class Filler:
    """One event's filler: its locals, what to load first, and one statement per parameter."""

    event: Event
    symbol: str  # e.g. OPENAT_X
    syscall: str  # e.g. openat
    nr: int
    locals: list[str]
    loads: list[str]
    pushes: list[tuple[str, str]]  # (C statement(s), parameter name)
    custom: str | None = None  # the whole filler is hand-written (the custom's name)

    @property
    def direction(self) -> str:
        return self.event.direction


class _Translator:
    """Translates one event's sources into C, sharing its records and repeated reads. With counts
    None it only counts the reads (the first pass: a read made twice gets a local)."""

    def __init__(self, event: Event, counts: dict[str, int] | None):
        self.event = event
        self.enter = event.direction == "E"
        self.records: dict[str, str] = {}  # C loader call -> local
        self.locals: list[str] = []
        self.loads: list[str] = []
        self.reads: dict[str, str] = {}
        self.counts = counts
        self.counted: dict[str, int] = {}

    def fail(self, msg: str):
        raise SchemaError(f"event {self.event.id} ({self.event.name}): {msg}")

    def arg(self, n: int) -> str:
        return f"SCAP_{'E' if self.enter else ''}ARG({n})"

    def expr(self, tokens: list[str]) -> str:
        """C for a value expression."""
        out: list[str] = []
        operand = False  # the previous output is an operand (so a - or + after it is binary)
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t == "ret":
                if self.enter:
                    self.fail("`ret` in an enter event")
                out.append("ret")
                operand = True
            elif re.fullmatch(r"a[0-5]", t):
                out.append(self.arg(int(t[1])))
                operand = True
            elif t[0].isalpha() or t[0] == "_":
                i = self.name(tokens, i, out)
                operand = True
                continue
            elif t[0].isdigit():
                out.append(t)
                operand = True
            elif t == "(":
                out.append(t)
                operand = False
            elif t == ")":
                out.append(t)
                operand = True
            elif t in ("~", "!") or (t in ("-", "+") and not operand):
                out.append(t)
                operand = False
            elif t == ",":
                out.append(", ")
                operand = False
            else:
                out.append(f" {t} ")
                operand = False
            i += 1
        return "".join(out).strip()

    def name(self, tokens: list[str], i: int, out: list[str]) -> int:
        """A call NAME(...) or a record without arguments at tokens[i]; returns the next index."""
        t = tokens[i]
        args: list[list[str]] = []
        j = i + 1
        if j < len(tokens) and tokens[j] == "(":
            depth, k = 0, j
            while k < len(tokens):
                depth += tokens[k] == "("
                depth -= tokens[k] == ")"
                if depth == 0:
                    break
                k += 1
            if k == len(tokens):
                self.fail(f"unbalanced parentheses after {t}")
            inner = tokens[j + 1 : k]
            args = [] if not inner else _split_top(inner, ",")
            j = k + 1
        cargs = [self.expr(a) for a in args]
        if t in RECORDS:
            rec = RECORDS[t]
            if len(cargs) != rec.nargs:
                self.fail(f"record {t} takes {rec.nargs} arguments")
            if j + 1 >= len(tokens) or tokens[j] != "." or tokens[j + 1] not in rec.fields:
                self.fail(f"record {t}: name one of its fields ({', '.join(rec.fields)})")
            out.append(f"{self.record(t, cargs)}.{tokens[j + 1]}")
            return j + 2
        if j == i + 1:
            self.fail(f"unknown name {t!r}")
        if t in CONVERTERS:
            if len(cargs) != CONVERTERS[t]:
                self.fail(f"converter {t} takes {CONVERTERS[t]} arguments")
            out.append(f"scap_conv_{t}({', '.join(cargs)})")
        elif t in READS:
            f = READS[t]
            if len(cargs) != f.nargs:
                self.fail(f"{t} takes {f.nargs} arguments")
            out.append(self.read(f, f"{f.c}({', '.join(cargs)})"))
        elif t in BUILTINS:
            f = BUILTINS[t]
            if len(cargs) != f.nargs:
                self.fail(f"{t} takes {f.nargs} arguments")
            if "ret" in f.c and self.enter:
                self.fail(f"{t} reads ret: not in an enter event")
            out.append(f.c.format(*cargs))
        elif t in PUSHERS or t == "custom":
            self.fail(f"{t}() fills a parameter: it cannot be part of a value")
        else:
            self.fail(f"unknown function {t!r}")
        return j

    def record(self, name: str, cargs: list[str]) -> str:
        key = f"{name}({', '.join(cargs)})"
        if key not in self.records:
            var = f"r{len(self.records)}"
            self.records[key] = var
            self.locals.append(f"struct scap_rec_{name} {var};")
            self.loads.append(f"scap_load_{name}(&{var}{''.join(', ' + a for a in cargs)});")
        return self.records[key]

    def read(self, f: Func, call: str) -> str:
        if self.counts is None:
            self.counted[call] = self.counted.get(call, 0) + 1
            return call
        if self.counts.get(call, 0) < 2:
            return call
        if call not in self.reads:
            var = f"v{len(self.reads)}"
            self.reads[call] = var
            self.locals.append(f"{f.ctype} {var};")
            self.loads.append(f"{var} = {call};")
        return self.reads[call]

    def pusher(self, tokens: list[str], ptype: str) -> str | None:
        c = _call(tokens)
        if not c or c[0] not in PUSHERS:
            return None
        name, args = c
        p = PUSHERS[name]
        if ptype not in p.types:
            self.fail(f"{name}() fills {'/'.join(p.types)}, not {ptype}")
        if len(args) not in p.nargs:
            self.fail(f"{name}() takes {' or '.join(map(str, p.nargs))} arguments")
        cargs = [self.expr(a) for a in args]
        if name == "str" and len(cargs) == 1:
            cargs.append("SCAP_MAX_STR")
        return p.c.format(*cargs) + ";"

    def source(self, src: str, ptype: str) -> str:
        """C statements that fill one parameter from its source."""
        try:
            tokens = tokenize(src)
        except ValueError as exc:
            self.fail(str(exc))
        tern = _ternary(tokens)
        if tern:
            cond, then, other = tern
            pthen = self.pusher(then, ptype)
            if pthen:
                pelse = self.pusher(other, ptype) if other else "push_empty(e);"
                if not pelse:
                    self.fail(f"{src}: the other branch must fill the parameter too")
                if cond and cond[0] == "(" and _call(["f", *cond]):
                    cond = cond[1:-1]  # (c)?p: no doubled parentheses in the C
                return f"if ({self.expr(cond)})\n\t\t{pthen}\n\telse\n\t\t{pelse}"
        p = self.pusher(tokens, ptype)
        if p:
            return p
        push = _PUSH_BY_TYPE.get(ptype)
        if not push:
            self.fail(f"{src}: a {ptype} parameter needs a pusher ({', '.join(PUSHERS)})")
        if len(tokens) == 1 and re.fullmatch(r"a[0-5]", tokens[0]) and ptype in _INT_ARG_TYPES:
            return f"{push}(e, (int){self.arg(int(tokens[0][1]))});"
        return f"{push}(e, {self.expr(tokens)});"

    def custom(self, tokens: list[str]):
        """(name, C arguments) of a custom(NAME,ARG...) source, else None."""
        c = _call(tokens)
        if not c or c[0] != "custom":
            return None
        if not c[1] or len(c[1][0]) != 1 or not c[1][0][0].isidentifier():
            self.fail("custom() takes the name of the hand-written pusher first")
        return c[1][0][0], [self.expr(a) for a in c[1][1:]]


def filler(event: Event, symbol: str, syscall: str, nr: int) -> Filler:
    """The filler of a produced event (SchemaError where a source does not read)."""
    fillers = []
    for counts in (None, "second"):
        t = _Translator(event, None if counts is None else fillers[0].counted)
        pushes: list[tuple[str, str]] = []
        custom = None
        params, i = event.params, 0
        while i < len(params):
            p = params[i]
            if p.source is None:
                t.fail(f"{p.name} has no source")
            c = t.custom(tokenize(p.source))
            if c:
                j = i + 1
                while j < len(params) and params[j].source is None:
                    j += 1
                if i == 0 and j == len(params) and not c[1]:
                    custom = c[0]
                    break
                names = " ".join(q.name for q in params[i:j])
                pushes.append((f"fill_{c[0]}(e{''.join(', ' + a for a in c[1])});", names))
                i = j
                continue
            pushes.append((t.source(p.source, p.type), p.name))
            i += 1
        fillers.append(t)
    t = fillers[1]
    return Filler(event, symbol, syscall, nr, t.locals, t.loads, pushes, custom)


def fillers(s) -> list[Filler]:
    """Every event the drivers produce, with its filler: the exit event of each syscall with a
    dedicated event (by native number), after the TOCTOU enter events (the enter events that carry
    sources). SchemaError where the sources and the syscall table disagree."""
    syms = s.symbols()
    routed = {}  # event id -> (syscall name, nr)
    for nr in sorted(s.x86_64):
        sc, exit_id, _flags = s.x86_64[nr]
        if not exit_id:
            continue
        if exit_id in routed:
            raise SchemaError(f"syscalls {routed[exit_id][0]} and {sc} share exit event {exit_id}")
        routed[exit_id] = (sc, nr)
        if any(p.source for p in s.events[exit_id - 1].params):
            routed[exit_id - 1] = (sc, nr)
    for e in s.events:
        if any(p.source for p in e.params) and e.id not in routed:
            raise SchemaError(
                f"event {e.id} ({e.name}): its parameters have sources, but no syscall of schema/syscalls.py "
                "produces it (a dedicated exit event, or the enter event of one)"
            )
    enter = [filler(s.events[i], syms[i], *routed[i]) for i in routed if not i & 1]
    exits = [filler(s.events[i], syms[i], *routed[i]) for i in routed if i & 1]
    return sorted(enter, key=lambda f: f.nr) + sorted(exits, key=lambda f: f.nr)


def _x_macro(name: str, rows: list[str]) -> list[str]:
    out = [f"#define {name}(X) \\"]
    out += [f"\tX({r}) \\" for r in rows[:-1]]
    out.append(f"\tX({rows[-1]})")
    return out


def gen_progs(s, banner: str) -> str:
    fs = fillers(s)
    out = [
        f"/* {banner} */",
        "/*",
        " * The drivers' tables of syscalls, from the parameters' sources in the schema (schema/fill.py):",
        " * X(native x86_64 number, syscall name, event). The CO-RE probe's program arrays (bpf_core/",
        " * programs/table.h), its sys_enter switch, libscap's bpf_core engine and the kmod's filler table",
        " * (driver/probe.c) expand them.",
        " */",
        "#ifndef SCAP_ABI_PROGS_H",
        "#define SCAP_ABI_PROGS_H",
        "",
        "/* The syscalls whose enter event the drivers still produce (the TOCTOU ones: what the syscall",
        " * was asked to do, before it can be changed under it). */",
    ]
    out += _x_macro(
        "SCAP_TOCTOU_SYSCALLS", [f"{f.nr}, {f.syscall}, SCAP_EVT_{f.symbol}" for f in fs if f.direction == "E"]
    )
    out += ["", "/* Every syscall with a dedicated exit event. */"]
    out += _x_macro(
        "SCAP_EXIT_SYSCALLS", [f"{f.nr}, {f.syscall}, SCAP_EVT_{f.symbol}" for f in fs if f.direction == "X"]
    )
    out += [
        "",
        f"#define SCAP_N_TOCTOU_SYSCALLS {sum(1 for f in fs if f.direction == 'E')}",
        f"#define SCAP_N_EXIT_SYSCALLS {sum(1 for f in fs if f.direction == 'X')}",
        "",
        "#endif /* SCAP_ABI_PROGS_H */",
        "",
    ]
    return "\n".join(out)


def gen_fill(s, banner: str) -> str:
    out = [
        f"/* {banner} */",
        "/*",
        " * The fillers of the events the drivers produce, from the parameters' sources in the schema",
        " * (schema/fill.py: the notation). Both drivers include this file once, after defining",
        " *   SCAP_FILLER_X(name), SCAP_FILLER_E(name)  the head of the exit / enter filler of syscall name",
        " *   SCAP_BEGIN(event)  start the event, SCAP_END  submit it, SCAP_END_PATH(i)  submit it unless",
        " *     its parameter i (a path) is under an excluded path (the open family: PATH_EXCLUDABLE)",
        " *   SCAP_ARG(n), SCAP_EARG(n)  the syscall's argument n at its exit / enter; ret, its result",
        " * and the push layer (abi/scap_abi_push.h, with their accessors), the records' loaders and the",
        " * custom pushers. The hand-written fillers (a custom() source that covers the whole event) are",
        " * each driver's: the list is at the end.",
        " */",
        "#ifndef SCAP_ABI_FILL_H",
        "#define SCAP_ABI_FILL_H",
    ]
    hand = []
    for f in fillers(s):
        if f.custom:
            hand.append(f)
            continue
        e = f.event
        out += ["", f"/* SCAP_EVT_{f.symbol}, {f.syscall} (nr {f.nr})" + (":" if e.params else ": no parameters */")]
        for k, p in enumerate(e.params):
            out.append(f" *   {p.name}={p.source}" + (" */" if k == len(e.params) - 1 else ""))
        out += [f"SCAP_FILLER_{f.direction}({f.syscall})", "{"]
        out += [f"\t{line}" for line in f.locals]
        if f.locals:
            out.append("")
        out.append(f"\tSCAP_BEGIN(SCAP_EVT_{f.symbol});")
        out += [f"\t{line}" for line in f.loads]
        for stmt, _name in f.pushes:
            out.append(f"\t{stmt}")
        if f.syscall in PATH_EXCLUDABLE:
            k = [p.name for p in e.params].index(PATH_EXCLUDABLE[f.syscall])
            out += [f"\tSCAP_END_PATH({k});", "}"]
        else:
            out += ["\tSCAP_END;", "}"]
    out += ["", "/* Hand-written (custom): " + ", ".join(f"SCAP_EVT_{f.symbol}" for f in hand) + ". */"]
    out += ["", "#endif /* SCAP_ABI_FILL_H */", ""]
    return "\n".join(out)


def gen_docs(s, banner: str) -> str:
    fs = fillers(s)
    out = [
        f"<!-- {banner} -->",
        "# How the drivers fill each parameter",
        "",
        "Every parameter of an event that the drivers produce carries its source in `schema/events.py`",
        "(`name:TYPE=source`; the notation: `schema/fill.py`). `schema/generate.py` writes from them",
        "`abi/scap_abi_fill.h`, the fillers that the CO-RE probe (`bpf_core/`) and the kernel module",
        "(`driver/`) both expand with their own memory accessors, and `abi/scap_abi_progs.h`, their",
        "tables. Adding an event whose parameters have standard sources is a schema edit: `CONTRIBUTING.md`.",
        "",
        f"{len(fs)} events: {sum(1 for f in fs if f.direction == 'E')} TOCTOU enter events and "
        f"{sum(1 for f in fs if f.direction == 'X')} exit events, of which "
        f"{sum(1 for f in fs if not f.custom)} have generated fillers and "
        f"{sum(1 for f in fs if f.custom)} hand-written ones (`custom`).",
        "",
        "## Sources",
        "",
        "- `ret`: the syscall's result (exit events); `a0`..`a5`: its arguments. Alone in an FD, PID,",
        "  ERRNO or INT64 parameter an argument is the C `int` the syscall takes; elsewhere the raw",
        "  register value, converted as C converts it.",
        "- integers and the C operators; `COND?PUSHER` and `COND?PUSHER:PUSHER` for a parameter that",
        "  depends on the call (empty when COND fails and nothing else is named).",
        "- `custom(NAME,ARG...)`: a hand-written pusher `fill_NAME(e, ARG...)`; the parameters without a",
        "  source after it are its too. Covering the whole event, it is the event's hand-written filler.",
        "",
        "Converters (`abi/scap_abi_conv.h`, `scap_conv_NAME`): "
        + ", ".join(
            f"`{n}({', '.join('x' * 1 for _ in range(a))})`".replace("(x, x)", "(x,y)") for n, a in CONVERTERS.items()
        )
        + ".",
        "",
        "| function | what it is |",
        "|---|---|",
    ]
    for name, f in {**READS, **BUILTINS}.items():
        out.append(f"| `{name}({','.join('xyz'[: f.nargs])})` | {f.doc} |")
    out += ["", "| record | fields | where its loader is | what it holds |", "|---|---|---|---|"]
    for name, r in RECORDS.items():
        call = name if not r.nargs else f"{name}({','.join('xyz'[: r.nargs])})"
        where = "abi/scap_abi_push.h" if r.where == "abi" else "each driver"
        out.append(f"| `{call}` | {', '.join(f'`.{x}`' for x in r.fields)} | {where} | {r.doc} |")
    out += ["", "| pusher | fills | where | what |", "|---|---|---|---|"]
    for name, p in PUSHERS.items():
        where = "abi/scap_abi_push.h" if p.where == "abi" else "each driver"
        args = " or ".join(f"{name}({','.join('xyzw'[:n])})" for n in p.nargs)
        out.append(f"| `{args}` | {', '.join(p.types)} | {where} | {p.doc} |")
    out += ["", "## Events", "", "| event | syscall | parameters |", "|---|---|---|"]
    for f in fs:
        if f.custom:
            params = f"`custom({f.custom})`: hand-written in each driver"
        else:
            params = " ".join(f"`{p.name}={p.source}`" for p in f.event.params) or "-"
        params = params.replace("|", "\\|")  # a pipe in a table cell, code span or not
        out.append(f"| `SCAP_EVT_{f.symbol}` | {f.syscall} ({f.nr}) | {params} |")
    out.append("")
    return "\n".join(out)
