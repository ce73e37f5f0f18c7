"""The repository carries its test data (tests/data/) and needs nothing beside it."""

import hashlib
import json
import re
import subprocess

from conftest import DATA, ROOT

MANIFEST = json.loads((DATA / "MANIFEST.json").read_text())


def test_every_data_file_matches_the_manifest():
    listed = {e["path"]: e for e in MANIFEST["files"]}
    present = {
        str(p.relative_to(DATA))
        for p in DATA.rglob("*")
        if p.is_file() and p.name not in ("MANIFEST.json", "README.md")
    }
    assert present == set(listed), "tests/data and MANIFEST.json disagree"
    for rel, e in listed.items():
        data = (DATA / rel).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (e["sha256"], e["bytes"]), rel
        origin = e["origin"]
        assert origin["project"] and origin["path"] and origin["license"], rel
        assert re.fullmatch(r"[0-9a-f]{9,40}", origin["commit"]), rel


def test_nothing_reads_outside_the_repository():
    """No test, script or build file names the workplace's folder beside the clone."""
    beside = "." + "./" + "shared"  # spelled apart so that this file does not match itself
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    offenders = []
    for rel in tracked.stdout.split():
        path = ROOT / rel
        if path.suffix in (".scap", ".gz") or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if beside in text or re.search(r"parent\s*/\s*\"shared\"", text):
            offenders.append(rel)
    assert not offenders, offenders
