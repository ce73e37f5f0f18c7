"""Filter language parser: exact error positions and messages, canonical printing, and
hypothesis-generated filters (valid ones read back as the tree they were generated from and print
stably; mutated and garbage ones never crash and always get an error with a position).
The property tests run on both the normal and the ASan/UBSan build of tests/filter/filter_check."""

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import helper

sys.path.insert(0, str(Path(__file__).resolve().parent / "filter"))
import filter_ref as R

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", params=["release", "asan"])
def parser(request):
    build = request.getfixturevalue("build_dir" if request.param == "release" else "asan_build_dir")
    h = R.Helper(helper(build, "filter_check"), "parse")
    yield h
    h.close()


@pytest.fixture(scope="module")
def release_parser(build_dir):
    h = R.Helper(helper(build_dir, "filter_check"), "parse")
    yield h
    h.close()


ERRORS = [
    ("", 0, "expected a condition at position 0"),
    ("   ", 3, "expected a condition at position 3"),
    ("proc.name", 9, "expected an operator after 'proc.name' at position 9"),
    ("proc.name = ", 12, "expected a value after '=' at position 12"),
    ("proc.name = x and proc.pid =", 28, "expected a value after '=' at position 28"),
    ("proc.name ~ x", 10, "expected an operator after 'proc.name' at position 10"),
    ("proc.name = x and", 17, "expected a condition after 'and' at position 17"),
    ("proc.name = x or ", 17, "expected a condition after 'or' at position 17"),
    ("not ", 4, "expected a condition after 'not' at position 4"),
    ("(", 1, "expected a condition after '(' at position 1"),
    ("(proc.name = x", 14, "expected ')' at position 14 to close the '(' at position 0"),
    ("(proc.name = x y", 15, "expected 'and', 'or' or ')' at position 15"),
    ("proc.name = x)", 13, "expected 'and', 'or' or the end of the filter at position 13"),
    ("proc.name in", 12, "expected a list after 'in' at position 12"),
    ("proc.name in (a,", 16, "expected a value in the list at position 16"),
    ("proc.name in (a b)", 16, "expected ',' or ')' in the list at position 16"),
    ("proc.name in (a,)", 16, "expected a value in the list at position 16"),
    ("proc.name = oneof", 17, "expected a list after 'oneof' at position 17"),
    ("proc.pid >", 10, "expected a number after '>' at position 10"),
    ("proc.pid > abc", 11, "expected a number after '>' at position 11"),
    ('proc.name = "abc', 12, "unterminated string at position 12"),
    ("proc.name = 'a\\qb'", 14, "invalid escape sequence at position 14"),
    ('proc.name = "\\x4"', 13, "invalid escape sequence (\\x needs two hex digits) at position 13"),
    ("proc.aname[2", 12, "expected ']' after the argument at position 12"),
    ("proc.aname[] = x", 11, "expected an argument after '[' at position 11"),
    ("tolower(proc.name", 17, "expected ')' to close 'tolower(' at position 17"),
    ("tolower() = x", 8, "expected a field or a transformer at position 8"),
    ("join(proc.args) = x", 14, "expected ',' in 'join(' at position 14"),
    ("concat(proc.name) = x", 16, "expected ',' in 'concat(' at position 16"),
    ("foo(proc.name) = 1", 0, "unknown transformer 'foo' at position 0"),
    ("proc.name = val(x)", 16, "expected a field after 'val(' at position 16"),
    ("proc.name = val(proc.pname", 26, "expected ')' to close 'val(' at position 26"),
    ("proc.name exists x", 17, "expected 'and', 'or' or the end of the filter at position 17"),
    ("proc.name contains", 18, "expected a value after 'contains' at position 18"),
    ("proc.nameexists", 15, "expected an operator after 'proc.nameexists' at position 15"),
    ("(" * 300 + "a", 200, "filter nested too deeply (more than 200 levels) at position 200"),
    ("not " * 300 + "a", 800, "filter nested too deeply (more than 200 levels) at position 800"),
]


@pytest.mark.parametrize("text,pos,msg", ERRORS)
def test_syntax_errors_name_position_and_expectation(release_parser, text, pos, msg):
    r = release_parser.ask(text)
    assert (r["ok"], r["pos"], r["msg"]) == (False, pos, msg)
    lines = r["desc"].split("\n")
    assert lines[0] == msg
    if len(text) <= 60:
        assert lines[1:] == [text, " " * pos + "^"]


def test_error_description_has_a_caret_under_the_position(release_parser):
    r = release_parser.ask("proc.name = x and proc.pid =")
    assert r["desc"] == (
        "expected a value after '=' at position 28\nproc.name = x and proc.pid =\n                            ^"
    )
    long = "proc.name = " + "x" * 100 + " and ("
    r = release_parser.ask(long)
    assert r["pos"] == len(long)
    assert r["desc"] == (
        "expected a condition after '(' at position 118\n..." + long[58:] + "\n" + " " * (3 + 60) + "^"
    )


CANONICAL = [
    ("proc.name=bash", "proc.name = bash"),
    ("proc.name == bash", "proc.name = bash"),
    ("  proc.name\t=\n'bash'  ", "proc.name = bash"),
    ('proc.name = "a b"', 'proc.name = "a b"'),
    ("proc.name = 'it''s'", None),
    ("proc.name = 'it\\'s'", 'proc.name = "it\'s"'),
    ('proc.name = "tab\\there"', 'proc.name = "tab\\there"'),
    ('proc.name = "\\x01"', 'proc.name = "\\x01"'),
    ("proc.name = oneof (a,b)", "proc.name = oneof (a, b)"),
    ("proc.name = 'oneof'", 'proc.name = "oneof"'),
    ("proc.name = and", 'proc.name = "and"'),
    ("proc.name in ()", "proc.name in ()"),
    ("proc.name in (a,'b c',\"\")", 'proc.name in (a, "b c", "")'),
    ("proc.name in shell_binaries", "proc.name in shell_binaries"),
    ("(a and b) and (c and d)", "a and b and c and d"),
    ("a and (b or c)", "a and (b or c)"),
    ("(a and b) or c", "a and b or c"),
    ("not(a)", "not a"),
    ("not (a or b)", "not (a or b)"),
    ("not not a", "not not a"),
    ("not(not(a and b))", "not not (a and b)"),
    ("proc.pid>0x10", "proc.pid > 0x10"),
    ("proc.pid >= -1.5e3", "proc.pid >= -1.5e3"),
    ("proc.aname[2]=bash", "proc.aname[2] = bash"),
    ("proc.env['HOME']=/root", "proc.env[HOME] = /root"),
    ('proc.env["A B"] exists', 'proc.env["A B"] exists'),
    ("evt.arg.fd exists", "evt.arg.fd exists"),
    ("evt.rawarg.res<0", "evt.rawarg.res < 0"),
    ("tolower(proc.name)=bash", "tolower(proc.name) = bash"),
    ("toupper( tolower( proc.name ) )=BASH", "toupper(tolower(proc.name)) = BASH"),
    ("len(proc.args)>2", "len(proc.args) > 2"),
    ("join(',',proc.args) = 'a,b'", 'join(",", proc.args) = "a,b"'),
    ("concat(proc.name,'-',proc.pid) = x", 'concat(proc.name, "-", proc.pid) = x'),
    ("getopt(proc.args, 'ab:')[b] = 1", 'getopt(proc.args, "ab:")[b] = 1'),
    ("proc.name=val(proc.pname)", "proc.name = val(proc.pname)"),
    ("proc.name in val(proc.args)", "proc.name in val(proc.args)"),
    ("proc.name = tolower(proc.pname)", "proc.name = tolower(proc.pname)"),
    ("proc.name bcontains 6173", "proc.name bcontains 6173"),
    ("fd.ip=10.0.0.0/8", "fd.ip = 10.0.0.0/8"),
    ("proc.name=caf\u00e9", 'proc.name = "caf\u00e9"'),
]


@pytest.mark.parametrize("text,canon", CANONICAL)
def test_canonical_printing(release_parser, text, canon):
    r = release_parser.ask(text)
    if canon is None:
        assert not r["ok"]
        return
    assert r["ok"], r
    assert r["text"] == R.latin1(canon)
    assert (r["text2"], r["dump2"]) == (r["text"], r["dump"])


def test_tree_of_a_complex_filter(release_parser):
    r = release_parser.ask("not proc.name in (a, b) and (evt.failed = true or len(proc.args) > 2) or m")
    assert r["dump"] == (
        '(or (and (not (check (field "proc.name") 8 (list "a" "b"))) '
        '(or (check (field "evt.failed") 1 (str "true")) (check (len (field "proc.args")) 5 (num 2)))) '
        "(macro m))"
    )


@st.composite
def rendered(draw, allow_xform=True):
    e = draw(R.expr_st(allow_xform))
    return e, R.render(e, R.Style(draw))


@SETTINGS
@given(rendered())
def test_generated_filters_parse_to_their_tree_and_print_stably(parser, case):
    e, text = case
    r = parser.ask(text)
    assert r["ok"], (text, r)
    assert r["dump"] == R.dump(e), text
    assert (r["text2"], r["dump2"]) == (r["text"], r["dump"]), text


def check_any_outcome(r, text):
    n = len(text.encode())
    if r["ok"]:
        assert (r["text2"], r["dump2"]) == (r["text"], r["dump"]), text
        return
    pos = r["pos"]
    assert 0 <= pos <= n, (text, r)
    assert "at position %d" % pos in r["msg"], (text, r)
    lines = r["desc"].split("\n")
    assert lines[0] == r["msg"]
    assert re.fullmatch(r" *\^", lines[-1]), r["desc"]


@SETTINGS
@given(R.mutated())
# found by hypothesis: the printer wrote a NUL inside a bare word (strchr() matched the terminator)
@example('not tolower(evt.buffer) glob oneof ("*", *, "\x00*")')
def test_mutated_filters_never_crash_and_errors_have_positions(parser, text):
    check_any_outcome(parser.ask(text), text)


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x00*"])
def test_a_nul_in_a_string_is_printed_quoted(parser, value):
    r = parser.ask(f'proc.name = "{value}"')
    assert r["ok"], r
    assert r["text"] == "proc.name = " + '"' + value.replace("\x00", "\\x00") + '"'
    assert (r["text2"], r["dump2"]) == (r["text"], r["dump"])


GARBAGE_ALPHABET = st.sampled_from(list("()[],=!<>\"'\\ \t\n.abnotdrx0123456789-+e_:/*?") + R.TOKENS)


@SETTINGS
@given(st.lists(GARBAGE_ALPHABET, max_size=30).map("".join) | st.text(max_size=40))
def test_garbage_never_crashes_and_errors_have_positions(parser, text):
    check_any_outcome(parser.ask(text), text)
