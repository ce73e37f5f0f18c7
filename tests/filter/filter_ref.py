"""An independent model of the filter language for the tests: a tree of Python tuples, a renderer
to filter text (with random but equivalent spellings), the expected tree dump of the C++ parser,
a reference evaluator written from the language's definition (not from the C++ code), and
hypothesis strategies for all of them.

Tree:
  ("and", [kids]) ("or", [kids]) ("not", kid) ("macro", name)
  ("check", lhs, op, mod, rhs)
    lhs/operand: ("field", name, arg_or_None) | ("xf", fn, [operands], arg_or_None) | ("lit", text)
    rhs: None | ("str", text) | ("num", text) | ("list", [texts]) | ("listref", name)
         | ("val", field_operand) | ("xfv", xf_operand)
"""

import base64
import fnmatch
import ipaddress
import json
import os
import re
import subprocess

from hypothesis import strategies as st

# The fake registry of tests/filter/fake_fields.h: name -> (type, is_list)
FIELDS = {
    "proc.name": ("STRING", False),
    "proc.pname": ("STRING", False),
    "proc.exe": ("STRING", False),
    "proc.cmdline": ("STRING", False),
    "proc.args": ("STRING", True),
    "proc.env": ("STRING", False),
    "proc.aname": ("STRING", False),
    "proc.pid": ("INT64", False),
    "proc.ppid": ("INT64", False),
    "proc.fdusage": ("DOUBLE", False),
    "fd.name": ("STRING", False),
    "fd.num": ("INT64", False),
    "fd.types": ("STRING", True),
    "fd.ip": ("IPADDR", False),
    "fd.sip": ("IPADDR", False),
    "fd.net": ("IPNET", False),
    "fd.port": ("PORT", False),
    "fd.sport": ("PORT", False),
    "fd.is_server": ("BOOL", False),
    "evt.num": ("UINT64", False),
    "evt.buflen": ("UINT64", False),
    "evt.buffer": ("BYTES", False),
    "evt.failed": ("BOOL", False),
    "evt.rawtime": ("ABSTIME", False),
    "evt.deltatime": ("RELTIME", False),
}

OP_IDS = {
    "=": 1,
    "==": 1,
    "!=": 2,
    "<": 3,
    "<=": 4,
    ">": 5,
    ">=": 6,
    "contains": 7,
    "in": 8,
    "exists": 9,
    "icontains": 10,
    "startswith": 11,
    "glob": 12,
    "pmatch": 13,
    "endswith": 14,
    "intersects": 15,
    "bcontains": 16,
    "bstartswith": 17,
    "iglob": 18,
    "regex": 19,
}
NUM_OPS = ["<", "<=", ">", ">="]
STR_OPS = [
    "=",
    "==",
    "!=",
    "contains",
    "icontains",
    "bcontains",
    "startswith",
    "bstartswith",
    "endswith",
    "glob",
    "iglob",
    "regex",
]
LIST_OPS = ["in", "intersects", "pmatch"]


def tclass(t):
    if t in ("STRING", "BYTES"):
        return "STR"
    if t == "BOOL":
        return "BOOL"
    if t in ("IPADDR", "IPNET"):
        return "IP"
    return "NUM"


def allowed_ops(t):
    c = tclass(t)
    if c == "STR":
        return NUM_OPS + STR_OPS + LIST_OPS + ["exists"]
    if c == "NUM":
        return ["=", "!=", "<", "<=", ">", ">=", "in", "intersects", "exists"]
    return ["=", "!=", "in", "intersects", "exists"]


# ---- C++-compatible quoting (filter printer and tree dump) ----


def cquote(s: str) -> str:
    out = ['"']
    for ch in s.encode():
        c = chr(ch)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif c == "\b":
            out.append("\\b")
        elif c == "\f":
            out.append("\\f")
        elif ch < 0x20 or ch == 0x7F:
            out.append("\\x%02x" % ch)
        else:
            out.append(c)  # bytes >= 0x80 as Latin-1 chars, as the helper's JSON output shows them
    return "".join(out) + '"'


def latin1(s: str) -> str:
    """How the helper's JSON output shows a UTF-8 string (one char per byte)."""
    return s.encode().decode("latin-1")


# ---- expected dump ----


def dump_operand(o):
    if o[0] == "lit":
        return "(lit %s)" % cquote(o[1])
    if o[0] == "field":
        s = "(field %s" % cquote(o[1])
        arg = o[2]
    else:
        s = "(" + o[1] + "".join(" " + dump_operand(a) for a in o[2])
        arg = o[3]
    if arg is not None:
        s += " [%s]" % cquote(arg)
    return s + ")"


def flatten(kind, kids):
    out = []
    for k in kids:
        if k[0] == kind:
            out.extend(flatten(kind, k[1]))
        else:
            out.append(k)
    return out


def dump(e):
    k = e[0]
    if k in ("and", "or"):
        return "(%s %s)" % (k, " ".join(dump(x) for x in flatten(k, e[1])))
    if k == "not":
        return "(not %s)" % dump(e[1])
    if k == "macro":
        return "(macro %s)" % e[1]
    _, lhs, op, mod, rhs = e
    s = "(check %s %d" % (dump_operand(lhs), OP_IDS[op])
    if mod:
        s += " " + mod
    if rhs is not None:
        kind = rhs[0]
        if kind == "str":
            s += " (str %s)" % cquote(rhs[1])
        elif kind == "num":
            s += " (num %s)" % rhs[1]
        elif kind == "list":
            s += " (list" + "".join(" " + cquote(i) for i in rhs[1]) + ")"
        elif kind == "listref":
            s += " (listref %s)" % rhs[1]
        elif kind == "val":
            s += " (val %s)" % dump_operand(rhs[1])
        else:
            s += " (xf %s)" % dump_operand(rhs[1])
    return s + ")"


# ---- rendering to text, with random equivalent spellings ----

BARE_RE = re.compile(r"^[A-Za-z0-9_./:*?+@%~-]+$")
BARE_ARG_RE = re.compile(r"^[^ \t\r\n\[\]\"']+$")
RESERVED = {"and", "or", "not", "oneof", "anyof", "allof"}


def squote(s, single):
    q = "'" if single else '"'
    out = [q]
    for c in s:
        if c == q or c == "\\":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    return "".join(out) + q


class Style:
    """Random choices made while rendering (drawn by hypothesis)."""

    def __init__(self, draw):
        self.draw = draw

    def ws(self):
        return self.draw(st.sampled_from([" ", " ", "  ", "\t", "\n "]))

    def opt_ws(self):
        return self.draw(st.sampled_from(["", "", " ", "\t"]))

    def flag(self):
        return self.draw(st.booleans())


def render_value(v, style, in_list=False):
    if BARE_RE.match(v) and v not in RESERVED and style.flag():
        return v
    return squote(v, style.flag())


def render_operand(o, style):
    if o[0] == "lit":
        return squote(o[1], style.flag())
    if o[0] == "field":
        s = o[1]
        arg = o[2]
    else:
        s = o[1] + "(" + style.opt_ws() + ("," + style.opt_ws()).join(render_operand(a, style) for a in o[2]) + ")"
        arg = o[3]
    if arg is not None:
        if BARE_ARG_RE.match(arg) and style.flag():
            s += "[" + arg + "]"
        else:
            s += "[" + squote(arg, style.flag()) + "]"
    return s


def render(e, style, parent=None):
    k = e[0]
    if k in ("and", "or"):
        text = (style.ws() + k + style.ws()).join(render(x, style, k) for x in e[1])
        need = parent == "not" or (parent == "and" and k == "or") or (parent == k)
        if need or style.draw(st.integers(0, 5)) == 0:
            return "(" + style.opt_ws() + text + style.opt_ws() + ")"
        return text
    if k == "not":
        inner = render(e[1], style, "not")
        if inner.startswith("(") and style.flag():
            return "not" + inner
        return "not" + style.ws() + inner
    if k == "macro":
        return e[1]
    _, lhs, op, mod, rhs = e
    s = render_operand(lhs, style)
    word_op = op[0].isalpha()
    s += style.ws() if word_op else style.opt_ws()
    s += op
    if mod:
        s += style.ws() + mod
    if rhs is None:
        return s
    kind = rhs[0]
    sep = style.ws() if (word_op or mod) else style.opt_ws()
    if kind == "str":
        return s + sep + render_value(rhs[1], style)
    if kind == "num":
        return s + sep + rhs[1]
    if kind == "list":
        items = [render_value(i, style, True) for i in rhs[1]]
        return s + sep + "(" + style.opt_ws() + ("," + style.opt_ws()).join(items) + style.opt_ws() + ")"
    if kind == "listref":
        return s + style.ws() + rhs[1]
    if kind == "val":
        return s + sep + "val(" + render_operand(rhs[1], style) + ")"
    return s + sep + render_operand(rhs[1], style)


# ---- strategies ----

NAMES = [
    "bash",
    "sh",
    "curl",
    "nginx",
    "Bash",
    "CURL",
    "a b",
    "x=y",
    "sshd",
    "",
    "caf\u00e9",
    "/bin/sh",
    "-v",
    "--name",
    "-ab x",
    "-a\t-b1 y",
    "/usr/bin/curl",
    "/usr",
    "/usr/",
    "/etc/passwd",
    "/etc",
]
PATHS = ["/", "/usr", "/usr/", "/usr/bin", "/usr/bin/curl", "/usr/binx", "/etc", "/etc/passwd", "/tmp/a", "tmp"]
IPS4 = ["10.0.0.1", "10.0.0.255", "10.1.2.3", "192.168.1.7", "192.168.2.1", "127.0.0.1", "8.8.8.8"]
IPS6 = ["2001:db8::1", "2001:db8::ff", "2001:db9::1", "::1", "fe80::1"]
NETS = [
    "10.0.0.0/8",
    "10.0.0.0/24",
    "192.168.1.0/24",
    "0.0.0.0/0",
    "2001:db8::/32",
    "2001:db8::/120",
    "10.0.0.1",
    "2001:db8::1",
    "10.0.0.128/25",
    "192.168.0.0/15",
]
GLOBS = ["*", "b*", "*sh", "?ash", "[bc]*", "[!b]*", "*url*", "/usr/*", "*/*", "B*", "*A*", "s?"]
REGEXES = ["bash", "b.*", ".*sh", "(ba|c)sh", "[a-c]+", "x|y", "cu?rl", "B.sh", "", "a b", ".*"]
HEXES = ["", "61", "6173", "62", "2f", "00", "ff", "736800"]
INTS = ["0", "1", "-1", "42", "+42", "0x2a", "1000", "-1000", "9223372036854775807", "-9223372036854775808"]
UINTS = ["0", "1", "42", "0x2a", "1000", "18446744073709551615", "+7"]
DOUBLES = ["0", "0.5", "1.5", "-2.25", "1e3", "1000", "0.25"]
PORTS = ["0", "22", "53", "80", "443", "8080", "65535"]

names_st = st.sampled_from(NAMES) | st.text(
    alphabet=st.sampled_from(list("abcAB /.-_*?=,()\"'\\\t") + ["\u00e9"]), max_size=6
)


def const_st(ftype, op):
    c = tclass(ftype)
    if c == "STR":
        if op in ("bcontains", "bstartswith"):
            return st.sampled_from(HEXES)
        if op in ("glob", "iglob"):
            return st.sampled_from(GLOBS)
        if op == "regex":
            return st.sampled_from(REGEXES)
        if op == "pmatch":
            return st.sampled_from(PATHS)
        return names_st
    if c == "BOOL":
        return st.sampled_from(["true", "false"])
    if c == "IP":
        return st.sampled_from(NETS + IPS4[:3] + IPS6[:2])
    if ftype == "DOUBLE":
        return st.sampled_from(DOUBLES)
    if ftype in ("UINT64",):
        return st.sampled_from(UINTS)
    if ftype == "PORT":
        return st.sampled_from(PORTS)
    return st.sampled_from(INTS)


def record_value_st(ftype, is_list):
    c = tclass(ftype)
    if ftype == "BYTES":
        one = st.sampled_from(["", "61", "6173", "736800", "2f62696e", "ff00"])
    elif c == "STR":
        one = st.sampled_from(NAMES + PATHS) | st.text(alphabet=st.sampled_from(list("abAB/s.hc")), max_size=5)
    elif c == "BOOL":
        one = st.booleans()
    elif c == "IP":
        one = st.sampled_from(IPS4 + IPS6)
    elif ftype == "DOUBLE":
        one = st.sampled_from([0.0, 0.5, 1.5, -2.25, 1000.0, 0.25, 3.0])
    elif ftype in ("UINT64",):
        one = st.sampled_from([0, 1, 42, 1000, 18446744073709551615, 7])
    elif ftype == "PORT":
        one = st.sampled_from([0, 22, 53, 80, 443, 8080, 65535])
    else:
        one = st.sampled_from([0, 1, -1, 42, 1000, -1000, 9223372036854775807, -9223372036854775808])
    if is_list:
        return st.lists(one, max_size=4)
    return one


def field_st(want_class=None, want_list=None):
    names = [
        n
        for n, (t, lst) in FIELDS.items()
        if (want_class is None or tclass(t) == want_class) and (want_list is None or lst == want_list)
    ]
    return st.sampled_from(sorted(names)).map(lambda n: ("field", n, None))


def operand_type(o):
    """(type, is_list) of an operand, as the compiler derives it."""
    if o[0] == "lit":
        return "STRING", False
    if o[0] == "field":
        return FIELDS[o[1]]
    fn, args, arg = o[1], o[2], o[3]
    if fn in ("tolower", "toupper", "basename"):
        t, lst = operand_type(args[0])
        return t, lst and arg is None
    if fn == "b64":
        return "STRING", operand_type(args[0])[1] and arg is None
    if fn == "len":
        return "UINT64", False
    if fn in ("join", "concat"):
        return "STRING", False
    return "STRING", arg is not None or True


@st.composite
def xform_st(draw, depth=0):
    fn = draw(st.sampled_from(["tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"]))
    sub = (
        field_st("STR")
        if depth >= 1
        else (field_st("STR") | xform_st(depth + 1).filter(lambda o: tclass(operand_type(o)[0]) == "STR"))
    )
    if fn == "join":
        return ("xf", fn, [("lit", draw(st.sampled_from([",", " ", "", "-"]))), draw(field_st("STR", True))], None)
    if fn == "concat":
        args = draw(
            st.lists(sub | st.sampled_from(["-", "x", "", " "]).map(lambda t: ("lit", t)), min_size=2, max_size=3)
        )
        return ("xf", fn, args, None)
    if fn == "getopt":
        optstring = draw(st.sampled_from(["ab:", "a:b", "ab", "b:"]))
        key = draw(st.sampled_from([None] + [c for c in optstring if c != ":"]))
        return ("xf", fn, [draw(field_st("STR")), ("lit", optstring)], key)
    if fn == "len":
        return ("xf", fn, [draw(field_st("STR") | field_st(None, True))], None)
    arg = draw(sub)
    return ("xf", fn, [arg], None)


@st.composite
def check_st(draw, allow_xform=True):
    lhs = draw(field_st() | (xform_st() if allow_xform else field_st()))
    t, _ = operand_type(lhs)
    op = draw(st.sampled_from(allowed_ops(t)))
    if t == "BYTES" and op == "regex":
        op = "contains"  # RE2 and Python disagree on invalid UTF-8; byte values may be invalid
    if op == "exists":
        return ("check", lhs, op, None, None)
    c = tclass(t)
    same_class = [n for n, (ft, _) in FIELDS.items() if tclass(ft) == c]
    use_val = draw(st.integers(0, 6)) == 0 and op != "regex"
    if use_val:
        return ("check", lhs, op, None, ("val", ("field", draw(st.sampled_from(sorted(same_class))), None)))
    if op in NUM_OPS:
        if c != "NUM":
            return ("check", lhs, op, None, ("num", draw(st.sampled_from(["0", "5", "-1", "0x10", "1.5", "1e2"]))))
        val = draw(const_st(t, op))
        return ("check", lhs, op, None, ("num", val))
    if op in LIST_OPS:
        items = draw(st.lists(const_st(t, "pmatch" if op == "pmatch" else "="), max_size=4))
        return ("check", lhs, op, None, ("list", items))
    mod = draw(st.sampled_from([None, None, "oneof", "anyof", "allof"]))
    if mod:
        items = draw(st.lists(const_st(t, op), max_size=4))
        return ("check", lhs, op, mod, ("list", items))
    return ("check", lhs, op, None, ("str", draw(const_st(t, op))))


def expr_st(allow_xform=True):
    leaf = check_st(allow_xform)
    return st.recursive(
        leaf,
        lambda kids: st.one_of(
            st.tuples(st.just("and"), st.lists(kids, min_size=2, max_size=3)),
            st.tuples(st.just("or"), st.lists(kids, min_size=2, max_size=3)),
            kids.map(lambda k: ("not", k)),
        ),
        max_leaves=6,
    )


# ---- mutations (for robustness tests) ----

TOKENS = [
    "(",
    ")",
    '"',
    "'",
    "\\",
    "and",
    "or",
    "not",
    "not(",
    "[",
    "]",
    ",",
    "=",
    "!=",
    "<",
    ">=",
    "oneof",
    "val(",
    "tolower(",
    "join(",
    " ",
    "\t",
    "0x",
    "-",
    "e",
    "in",
    "exists",
    "proc.name",
    ".",
    "\\x",
    "\x00",
    "\u00e9",
    "\ud7ff",
    "pmatch",
    "getopt(",
    ")[",
    "]",
    "''",
    '""',
]


@st.composite
def mutated(draw):
    e = draw(expr_st())
    text = render(e, Style(draw))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        what = draw(st.integers(0, 2))
        if what == 0:
            j = draw(st.integers(i, min(len(text), i + 8)))
            text = text[:i] + text[j:]
        elif what == 1:
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
        else:
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i + 1 :]
    return text


# ---- reference evaluator ----

MISSING = object()


def to_bytes(v, ftype):
    if ftype == "BYTES":
        return bytes.fromhex(v)
    return v.encode()


def parse_int(t):
    t = t.strip()
    neg = t.startswith("-")
    body = t.lstrip("+-")
    n = int(body, 16) if body[:2].lower() == "0x" else int(body, 10)
    return -n if neg else n


def const_value(ftype, op, text):
    """Constant converted to the comparison domain of the left side."""
    c = tclass(ftype)
    if c == "STR":
        if op in ("bcontains", "bstartswith"):
            return bytes.fromhex(text)
        return text.encode()
    if c == "BOOL":
        return text == "true"
    if c == "IP":
        return ipaddress.ip_network(text, strict=False) if "/" in text else ipaddress.ip_address(text)
    if ftype == "DOUBLE":
        return float(text)
    return parse_int(text)


def num(v):
    return v


def cmp_num(a, b):
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    return (a > b) - (a < b)


def glob_match(pat: bytes, val: bytes, fold: bool) -> bool:
    if fold:
        pat, val = pat.lower(), val.lower()
    return fnmatch.fnmatchcase(val.decode("latin-1"), pat.decode("latin-1"))


def path_match(path: bytes, prefix: bytes) -> bool:
    if not prefix or not path.startswith(prefix):
        return False
    return len(path) == len(prefix) or prefix.endswith(b"/") or path[len(prefix) : len(prefix) + 1] == b"/"


def test_one(c, op, l, r):
    if c == "NUM":
        k = cmp_num(l, r)
        return {"=": k == 0, "==": k == 0, "<": k < 0, "<=": k <= 0, ">": k > 0, ">=": k >= 0}.get(op, False)
    if c == "BOOL":
        return op in ("=", "==") and l == r
    if c == "IP":
        if op not in ("=", "=="):
            return False
        if isinstance(r, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            return l.version == r.version and l in r
        return l == r
    if op in ("=", "=="):
        return l == r
    if op == "<":
        return l < r
    if op == "<=":
        return l <= r
    if op == ">":
        return l > r
    if op == ">=":
        return l >= r
    if op in ("contains", "bcontains"):
        return r in l
    if op == "icontains":
        return r.lower() in l.lower()
    if op in ("startswith", "bstartswith"):
        return l.startswith(r)
    if op == "endswith":
        return l.endswith(r)
    if op == "glob":
        return glob_match(r, l, False)
    if op == "iglob":
        return glob_match(r, l, True)
    if op == "regex":
        try:
            return re.fullmatch(r.decode(), l.decode()) is not None
        except UnicodeDecodeError:
            return False
    if op == "pmatch":
        return path_match(l, r)
    raise AssertionError(op)


def getopt(args, optstring, key):
    out = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == b"--" or len(a) < 2 or a[:1] != b"-":
            break
        j = 1
        while j < len(a):
            ch = chr(a[j])
            pos = optstring.find(ch) if ch != ":" else -1
            if pos < 0:
                j += 1
                continue
            takes = optstring[pos + 1 : pos + 2] == ":"
            optarg = b""
            if takes:
                if j + 1 < len(a):
                    optarg = a[j + 1 :]
                elif i + 1 < len(args):
                    i += 1
                    optarg = args[i]
            if key is None:
                out.append(ch.encode())
            elif key == ch:
                out.append(optarg)
            if takes:
                break
            j += 1
        i += 1
    return out


def values(o, rec):
    """(available, [values]) of an operand; values are bytes for strings, python numbers, ..."""
    if o[0] == "lit":
        return True, [o[1].encode()]
    if o[0] == "field":
        name, arg = o[1], o[2]
        key = name if arg is None else "%s[%s]" % (name, arg)
        if key not in rec:
            return False, []
        v = rec[key]
        if v is None:
            return True, []
        ftype = FIELDS[name][0]
        vs = v if isinstance(v, list) else [v]
        out = []
        for x in vs:
            c = tclass(ftype)
            if c == "STR":
                out.append(to_bytes(x, ftype))
            elif c == "IP":
                out.append(ipaddress.ip_address(x))
            else:
                out.append(x)
        return True, out
    fn, args, arg = o[1], o[2], o[3]
    if fn in ("tolower", "toupper", "basename", "b64"):
        ok, vs = values(args[0], rec)
        if not ok:
            return False, []
        out = []
        for v in vs:
            if fn == "tolower":
                out.append(v.lower())
            elif fn == "toupper":
                out.append(v.upper())
            elif fn == "basename":
                out.append(v.rsplit(b"/", 1)[-1])
            else:
                try:
                    if not re.fullmatch(rb"[A-Za-z0-9+/]*={0,2}", v):
                        return False, []
                    body = v.rstrip(b"=")
                    if len(body) % 4 == 1:
                        return False, []
                    out.append(base64.b64decode(body + b"=" * (-len(body) % 4)))
                except ValueError:
                    return False, []
        res = out
    elif fn == "len":
        ok, vs = values(args[0], rec)
        if not ok:
            return False, []
        if operand_type(args[0])[1]:
            res = [len(vs)]
        else:
            if not vs:
                return False, []
            res = [len(vs[0])]
    elif fn == "join":
        ok, vs = values(args[1], rec)
        if not ok:
            return False, []
        res = [args[0][1].encode().join(vs)]
    elif fn == "concat":
        acc = b""
        for a in args:
            ok, vs = values(a, rec)
            if not ok:
                return False, []
            acc += b"".join(vs)
        res = [acc]
    else:  # getopt
        ok, vs = values(args[0], rec)
        if not ok:
            return False, []
        if not operand_type(args[0])[1]:
            vs = [w for v in vs for w in v.replace(b"\t", b" ").split(b" ") if w]
        return True, getopt(vs, args[1][1], arg)
    if arg is not None:
        idx = int(arg)
        if idx >= len(res):
            return False, []
        return True, [res[idx]]
    return True, res


def eval_check(e, rec):
    _, lhs, op, mod, rhs = e
    ok, lv = values(lhs, rec)
    if op == "exists":
        return ok
    if not ok or not lv:
        return False
    t = operand_type(lhs)[0]
    c = tclass(t)
    if rhs[0] in ("val", "xfv"):
        ok, rv = values(rhs[1], rec)
        if not ok or not rv:
            return False
        items = rv
    elif rhs[0] in ("str", "num"):
        items = [const_value(t, op, rhs[1])]
    else:
        items = [const_value(t, op, i) for i in rhs[1]]

    def single(r):
        if op == "!=":
            return not any(test_one(c, "=", l, r) for l in lv)
        return any(test_one(c, op, l, r) for l in lv)

    if mod:
        hits = [single(r) for r in items]
        if mod == "oneof":
            return hits.count(True) == 1
        if mod == "anyof":
            return any(hits)
        return all(hits)
    if op == "in":
        return all(any(test_one(c, "=", l, r) for r in items) for l in lv)
    if op == "intersects":
        return any(any(test_one(c, "=", l, r) for r in items) for l in lv)
    if op == "pmatch":
        return any(path_match(l, r) for l in lv for r in items)
    return single(items[0])


def evaluate(e, rec):
    k = e[0]
    if k == "and":
        return all(evaluate(x, rec) for x in e[1])
    if k == "or":
        return any(evaluate(x, rec) for x in e[1])
    if k == "not":
        return not evaluate(e[1], rec)
    return eval_check(e, rec)


def operands_of(e):
    k = e[0]
    if k in ("and", "or"):
        for x in e[1]:
            yield from operands_of(x)
    elif k == "not":
        yield from operands_of(e[1])
    elif k == "check":
        yield e[1]
        if e[4] is not None and e[4][0] in ("val", "xfv"):
            yield e[4][1]


def fields_of(o):
    if o[0] == "field":
        yield o
    elif o[0] == "xf":
        for a in o[2]:
            yield from fields_of(a)


@st.composite
def records_st(draw, e, n=6):
    """Records giving values to every field the filter uses (sometimes missing or null)."""
    used = {}
    for o in operands_of(e):
        for f in fields_of(o):
            key = f[1] if f[2] is None else "%s[%s]" % (f[1], f[2])
            used[key] = FIELDS[f[1]]
    recs = []
    for _ in range(n):
        rec = {}
        for key, (t, lst) in sorted(used.items()):
            roll = draw(st.integers(0, 9))
            if roll == 0:
                continue  # not available
            if roll == 1 and lst:
                rec[key] = None
                continue
            rec[key] = draw(record_value_st(t, lst))
        recs.append(rec)
    return recs


# ---- the C++ helper ----


class Helper:
    """A long-running tests/filter/filter_check process (one JSON line in, one out)."""

    def __init__(self, path, mode):
        self.path, self.mode = path, mode
        env = dict(
            os.environ,
            ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
            UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1",
        )
        self.proc = subprocess.Popen(
            [str(path), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )

    def ask(self, obj):
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read().decode(errors="replace")
            raise AssertionError(
                "filter_check %s died on %r (rc=%s):\n%s" % (self.mode, obj, self.proc.wait(), err[-4000:])
            )
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        rc = self.proc.wait(timeout=60)
        err = self.proc.stderr.read().decode(errors="replace")
        assert rc == 0, "filter_check exited with %d:\n%s" % (rc, err[-4000:])
