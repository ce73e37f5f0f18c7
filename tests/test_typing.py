"""The Python package type-checks: `mypy` with the configuration of pyproject.toml ([tool.mypy]:
strict, over pyscap/) reports no error, and the package says it is typed (PEP 561 py.typed).
mypy is a dev requirement (requirements-dev.txt pins it)."""

import subprocess
import sys

from conftest import ROOT


def test_mypy_passes_over_the_package():
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"mypy exited {r.returncode}:\n{r.stdout}{r.stderr}"
    assert "Success: no issues found" in r.stdout, r.stdout + r.stderr


def test_the_package_ships_its_py_typed_marker():
    marker = ROOT / "pyscap" / "py.typed"
    assert marker.is_file() and marker.read_bytes() == b""
    assert '"py.typed"' in (ROOT / "setup.py").read_text()  # in package_data: installed with the package
