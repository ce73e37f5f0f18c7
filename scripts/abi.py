#!/usr/bin/env python3
"""The ABI contract of libscap and libsinsp: their version scripts name every exported symbol,
one node per release, and the built libraries export exactly those (docs/abi.md).

    scripts/abi.py --check [BUILD]     exported symbols (nm -D) == the maps, each in its node
    scripts/abi.py --update [BUILD]    put symbols the libraries export but no node lists into the
                                       newest node (a new release's node is added by hand, from
                                       VERSION); a symbol a node lists that is gone is an error:
                                       removing one breaks the ABI (a new major version)

BUILD defaults to build/. Exit status 1 when the check fails, with every difference listed.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBS = {  # library -> (its map, the .so in the build directory)
    "libscap": (ROOT / "libscap" / "libscap.map", Path("libscap") / "libscap.so"),
    "libsinsp": (ROOT / "libsinsp" / "libsinsp.map", Path("libsinsp") / "libsinsp.so"),
}
NODE_RE = re.compile(r"([\w.]+)\s*\{(.*?)\}\s*([\w.]+)?\s*;", re.S)


def parse_map(text: str) -> list[tuple[str, list[str]]]:
    """The nodes of a version script, in order: (name, its global symbols)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    nodes = []
    for m in NODE_RE.finditer(text):
        body = m.group(2)
        glob = body.split("local:")[0].replace("global:", "")
        syms = [s.strip() for s in glob.split(";") if s.strip()]
        nodes.append((m.group(1), syms))
    if not nodes:
        raise ValueError("no version node")
    return nodes


def exported(so: Path) -> dict[str, str]:
    """Defined dynamic symbols of a library -> their version node."""
    out = subprocess.run(["nm", "-D", "--defined-only", str(so)], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] == "A":  # the version nodes themselves
            continue
        name, _, ver = parts[2].partition("@")
        syms[name] = ver.lstrip("@")
    return syms


def check(lib: str, map_path: Path, so: Path) -> list[str]:
    nodes = parse_map(map_path.read_text())
    problems = []
    listed = {}
    for node, syms in nodes:
        for s in syms:
            if any(c in s for c in "*?["):
                problems.append(f"{lib}: {map_path.name}: node {node} exports by pattern ({s}): name each symbol")
            elif s in listed:
                problems.append(f"{lib}: {map_path.name}: {s} is in nodes {listed[s]} and {node}")
            else:
                listed[s] = node
    have = exported(so)
    for s in sorted(set(have) - set(listed)):
        problems.append(f"{lib}: {so.name} exports {s}, which no node of {map_path.name} lists")
    for s in sorted(set(listed) - set(have)):
        problems.append(f"{lib}: {map_path.name} lists {s} (node {listed[s]}), which {so.name} does not export")
    for s in sorted(set(listed) & set(have)):
        if have[s] != listed[s]:
            problems.append(f"{lib}: {s} carries version {have[s] or '(none)'}, its node is {listed[s]}")
    return problems


def render(header: str, nodes: list[tuple[str, list[str]]]) -> str:
    out = [header.rstrip(), ""] if header else []
    prev = None
    for i, (node, syms) in enumerate(nodes):
        out.append(f"{node} {{")
        out.append("\tglobal:")
        out += [f"\t\t{s};" for s in sorted(syms)]
        if i == 0:
            out += ["\tlocal:", "\t\t*;"]
        out.append(f"}}{' ' + prev if prev else ''};")
        out.append("")
        prev = node
    return "\n".join(out)


def update(lib: str, map_path: Path, so: Path) -> list[str]:
    text = map_path.read_text()
    header = "\n".join(m.group(0) for m in re.finditer(r"/\*.*?\*/", text, re.S))
    nodes = parse_map(text)
    have = exported(so)
    listed = {s for _, syms in nodes for s in syms if not any(c in s for c in "*?[")}
    gone = sorted(listed - set(have))
    if gone:
        return [f"{lib}: {so.name} no longer exports {', '.join(gone)}: that breaks the ABI"]
    name, syms = nodes[-1]
    keep = [s for s in syms if not any(c in s for c in "*?[")]
    nodes[-1] = (name, keep + sorted(set(have) - listed))
    map_path.write_text(render(header, nodes))
    return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--check", action="store_true")
    g.add_argument("--update", action="store_true")
    ap.add_argument("build", nargs="?", default=str(ROOT / "build"))
    args = ap.parse_args()
    problems = []
    for lib, (map_path, rel) in LIBS.items():
        so = Path(args.build) / rel
        if not so.exists():
            problems.append(f"{lib}: {so} is not built")
            continue
        problems += (check if args.check else update)(lib, map_path, so)
    for p in problems:
        print(f"abi: {p}")
    if not problems:
        print("abi: every exported symbol is in its library's version script, and nothing else")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
