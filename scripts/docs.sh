#!/usr/bin/env bash
# Build the API reference: Doxygen (docs/api/Doxyfile: the C headers, as XML), then Sphinx
# (docs/api: breathe for the C API, autodoc for the Python API, docs/guide.md through MyST), with
# every warning an error in both.
#   scripts/docs.sh [OUTDIR]    HTML in OUTDIR/html (default OUTDIR: build/docs), XML in OUTDIR/doxygen
# Needs doxygen (scripts/setup.sh --test installs it) and the Sphinx packages requirements-dev.txt
# pins. The Python reference imports the in-tree package, whose libraries come from the CMake
# build (./build, or PYSCAP_BUILD_DIR). tests/test_docs.py runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-build/docs}
PY=${PYTHON:-python3}
command -v doxygen >/dev/null || {
    echo "docs: doxygen not found (apt-get install doxygen, or scripts/setup.sh --test)" >&2
    exit 2
}
"$PY" -c "import sphinx, breathe, myst_parser" 2>/dev/null || {
    echo "docs: Sphinx, breathe or myst-parser missing for $PY: $PY -m pip install -r requirements-dev.txt" >&2
    exit 2
}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/doxygen" # XML of a symbol that no longer exists would still be read
(cd docs/api && PYSCAP_DOXYGEN_OUT="$out/doxygen" doxygen Doxyfile)
# -E: a fresh environment every time (no page is skipped as unchanged); -W --keep-going: every
# warning is reported, and any fails the build
PYSCAP_DOXYGEN_XML="$out/doxygen/xml" "$PY" -m sphinx -b html -E -q -W --keep-going \
    -d "$out/doctrees" docs/api "$out/html"
echo "docs: $out/html/index.html"
