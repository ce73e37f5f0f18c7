"""The API reference and the guide.

- scripts/docs.sh builds the reference (Doxygen over the installed headers, then Sphinx with
  breathe and autodoc, warnings as errors), and the HTML documents every public C function of
  those headers and every name of pyscap.__all__; an undocumented function fails the build.
- Every example of docs/guide.md runs: `python` blocks as scripts, `sh` blocks with bash, `c`
  blocks compiled with -Wall -Wextra -Werror against the tree's headers and ./build. The `text`
  block right after an example is its output, compared line by line (trailing blanks aside).
  Examples run in a scratch directory whose entries are symbolic links to the repository's
  top-level entries (`build` to the CMake build), so that they use the paths a reader types
  from the repository's root and write their files elsewhere; `TZ=UTC`, and `python3` is this
  interpreter. Blocks marked `live` capture this machine's syscalls (live_bpf).
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, run

GUIDE = ROOT / "docs" / "guide.md"
DOCS_SH = ROOT / "scripts" / "docs.sh"
HEADERS = sorted((ROOT / "libscap" / "include" / "scap").glob("*.h")) + sorted(
    (ROOT / "libsinsp" / "include" / "sinsp").glob("*.h")
)
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*\n", re.M | re.S)
LANGS = {"python", "sh", "c"}
CFLAGS = ["-Wall", "-Wextra", "-Werror", "-Ilibscap/include", "-Ilibsinsp/include", "-Iabi"]
LDFLAGS = ["-Lbuild/libscap", "-Lbuild/libsinsp", "-lsinsp", "-lscap"]


@dataclass(frozen=True)
class Example:
    line: int  # of the opening fence in docs/guide.md
    lang: str  # python, sh, c
    file: str | None  # c: the file name the guide gives it
    live: bool
    code: str
    output: str | None  # the text block right after it

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang}{'-live' if self.live else ''}"


def parse_guide(text: str) -> list[Example]:
    """The examples of a guide, each with its output block. A text block that follows no example,
    an example of another language and a c block without a file name are errors: nothing in the
    guide goes unchecked by mistake."""
    blocks = [(m, m.group(1).split()) for m in FENCE.finditer(text)]
    out: list[Example] = []
    for k, (m, info) in enumerate(blocks):
        line = text.count("\n", 0, m.start()) + 1
        lang = info[0] if info else ""
        if lang == "text":
            prev = blocks[k - 1][0] if k else None
            if prev is None or text[prev.end() : m.start()].strip() or blocks[k - 1][1][0] not in LANGS:
                raise AssertionError(f"docs/guide.md:{line}: an output block that follows no example")
            continue
        assert lang in LANGS, f"docs/guide.md:{line}: a ```{lang} block (examples are {sorted(LANGS)}, outputs text)"
        attrs = info[1:]
        live = "live" in attrs
        names = [a for a in attrs if a != "live"]
        if lang == "c":
            assert len(names) == 1 and names[0].endswith(".c"), f"docs/guide.md:{line}: ```c NAME.c"
        else:
            assert not names, f"docs/guide.md:{line}: unknown attributes {names}"
        output = None
        if k + 1 < len(blocks):
            nxt, nxt_info = blocks[k + 1]
            if nxt_info[:1] == ["text"] and not text[m.end() : nxt.start()].strip():
                output = nxt.group(2)
        out.append(Example(line, lang, names[0] if names else None, live, m.group(2), output))
    return out


EXAMPLES = parse_guide(GUIDE.read_text())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, build_dir) -> Path:
    """The scratch directory: the repository's top-level entries as symbolic links, the guide's
    files (embed.c, ...) written out, and _bin/python3 -> this interpreter."""
    ws = tmp_path_factory.mktemp("guide")
    for entry in ROOT.iterdir():
        if not entry.name.startswith(".") and entry.name != "build":
            (ws / entry.name).symlink_to(entry)
    (ws / "build").symlink_to(build_dir.resolve())
    for ex in EXAMPLES:
        if ex.file:
            (ws / ex.file).write_text(ex.code)
    (ws / "_bin").mkdir()
    (ws / "_bin" / "python3").symlink_to(sys.executable)
    return ws


def execute(ex: Example, ws: Path) -> subprocess.CompletedProcess:
    """Run one example in the workspace: a c block is compiled (its program is run by the sh
    example that shows how), a python block runs as a script, a sh block with bash -e."""
    env = dict(os.environ, TZ="UTC", PYSCAP_BUILD_DIR=str(ws / "build"), PATH=f"{ws / '_bin'}:{os.environ['PATH']}")
    if ex.lang == "c":
        exe = ws / f"_check_{Path(ex.file or 'x.c').stem}"
        return run(["cc", *CFLAGS, ex.file, "-o", exe, *LDFLAGS], cwd=ws, env=env, timeout=120)
    if ex.lang == "python":
        script = ws / f"_example_{ex.line}.py"
        script.write_text(ex.code)
        return run([sys.executable, script], cwd=ws, env=env, timeout=120)
    return run(["bash", "-e", "-o", "pipefail", "-c", ex.code], cwd=ws, env=env, timeout=120)


def check(ex: Example, r: subprocess.CompletedProcess) -> None:
    assert r.returncode == 0, f"docs/guide.md:{ex.line}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    if ex.output is not None:
        got = [line.rstrip() for line in r.stdout.splitlines()]
        want = [line.rstrip() for line in ex.output.splitlines()]
        assert got == want, f"docs/guide.md:{ex.line}: the output differs from the guide's\n{r.stdout}{r.stderr}"


def test_the_guide_has_every_kind_of_example():
    kinds = {(ex.lang, ex.live) for ex in EXAMPLES}
    assert kinds == {("python", True), ("sh", True), ("python", False), ("sh", False), ("c", False)}, kinds
    # every example that prints something shows what (the C program's output is its sh block's)
    for ex in EXAMPLES:
        assert ex.output is not None or ex.lang == "c", f"docs/guide.md:{ex.line}: no output block"
    # the C example is the complete embedding: a capture file, an inspector, a filter, a formatter
    (c,) = [ex for ex in EXAMPLES if ex.lang == "c"]
    for call in (
        "scap_capture__open_file(",
        "sinsp_inspector__open(",
        "sinsp_filter__compile(",
        "sinsp_formatter__create(",
    ):
        assert call in c.code, call
    assert any(f"./{Path(c.file or '').stem}" in ex.code and "-Werror" in ex.code for ex in EXAMPLES if ex.lang == "sh")


def test_parse_guide_refuses_what_it_would_not_check():
    ok = "```python\nprint(1)\n```\n\n```text\n1\n```\n"
    assert parse_guide(ok) == [Example(1, "python", None, False, "print(1)\n", "1\n")]
    for bad in (
        "```text\nstray\n```\n",
        "```bash\nls\n```\n",
        "```c\nint x;\n```\n",
        "```sh\nls\n```\nprose\n```text\nx\n```\n",
    ):
        with pytest.raises(AssertionError):
            parse_guide(bad)


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if not e.live], ids=lambda e: e.id)
def test_example(ex, workspace):
    check(ex, execute(ex, workspace))


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e.live], ids=lambda e: e.id)
def test_live_example(ex, workspace, live_bpf):
    check(ex, execute(ex, workspace))


def test_a_wrong_output_in_the_guide_fails(workspace):
    ex = next(e for e in EXAMPLES if e.lang == "python" and not e.live and e.output)
    r = execute(ex, workspace)
    check(ex, r)
    lines = ex.output.splitlines() if ex.output else []
    wrong = Example(ex.line, ex.lang, ex.file, ex.live, ex.code, "\n".join([*lines[:-1], lines[-1] + "x"]) + "\n")
    with pytest.raises(AssertionError, match="output differs"):
        check(wrong, r)
    shorter = Example(ex.line, ex.lang, ex.file, ex.live, ex.code, "\n".join(lines[:-1]) + "\n")
    with pytest.raises(AssertionError, match="output differs"):
        check(shorter, r)


def _public_functions() -> set[str]:
    names = set()
    for h in HEADERS:
        text = re.sub(r"/\*.*?\*/", "", h.read_text(), flags=re.S)
        names |= set(re.findall(r"\b(?:SCAP|SINSP)_API\b[^;(]*?\b(\w+)\s*\(", text))
    return names


@pytest.fixture(scope="module")
def reference(tmp_path_factory, build_dir) -> Path:
    out = tmp_path_factory.mktemp("docs")
    env = dict(os.environ, PYTHON=sys.executable, PYSCAP_BUILD_DIR=str(build_dir))
    r = run([DOCS_SH, out], cwd=ROOT, env=env, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]  # -W: a warning fails it
    return out / "html"


def test_reference_documents_the_c_api(reference):
    html = (reference / "c-libscap.html").read_text() + (reference / "c-libsinsp.html").read_text()
    functions = _public_functions()
    assert len(functions) > 200 and "scap_capture__open_file" in functions, len(functions)
    missing = sorted(f for f in functions if f'id="c.{f}"' not in html)
    assert not missing, missing
    for name in (
        "scap_live_opts.max_wait_us",
        "sinsp_fd_seed.l4proto",
        "SCAP_OPTS",
        "scap_status",
        "scap_status.SCAP_STATUS_EOF",
    ):
        assert f'id="c.{name}"' in html, name
    # the briefs made it: a sentence of scap_capture__next's comment
    assert "SCAP_STATUS_EOF (file/test: no more events)" in html


def test_reference_documents_the_python_api(reference):
    import pyscap

    html = (reference / "python.html").read_text()
    missing = [n for n in pyscap.__all__ if f'id="pyscap.{n}"' not in html]
    assert not missing, missing
    for name in ("Capture.next", "Capture.batches", "Event.format", "Ruleset.add", "Stats.drops"):
        assert f'id="pyscap.{name}"' in html, name
    assert "Open a .scap capture file" in html  # open_file's docstring


def test_reference_includes_the_guide(reference):
    html = (reference / "guide.html").read_text()
    assert "The pyscap guide" in html and "sinsp_formatter__create" in html
    index = (reference / "index.html").read_text()
    for page in ("guide.html", "c-libscap.html", "c-libsinsp.html", "python.html"):
        assert page in index, page


def test_an_undocumented_function_fails_the_reference(tmp_path):
    """Doxygen alone, on a copy of the headers with one function more and no comment on it."""
    for sub in ("libscap/include/scap", "libsinsp/include/sinsp"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    (tmp_path / "docs" / "api").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "api" / "Doxyfile", tmp_path / "docs" / "api")
    h = tmp_path / "libscap" / "include" / "scap" / "capture.h"
    h.write_text(
        h.read_text().replace(
            "#ifdef __cplusplus\n}", "SCAP_API int scap_capture__undocumented(void);\n\n#ifdef __cplusplus\n}", 1
        )
    )
    env = dict(os.environ, PYSCAP_DOXYGEN_OUT=str(tmp_path / "out"))
    r = run(["doxygen", "Doxyfile"], cwd=tmp_path / "docs" / "api", env=env, timeout=120)
    assert r.returncode != 0
    assert "scap_capture__undocumented" in r.stderr and "is not documented" in r.stderr, r.stderr
