#!/usr/bin/env bash
# The hygiene stage: formatting, lint and types, in seconds, before anything is built.
#   scripts/lint.sh          check; exit 1 if any step finds something
#   scripts/lint.sh --fix    rewrite in place what the formatters can (clang-format, ruff)
# Steps: clang-format (.clang-format) over the hand-written C/C++, ruff check and ruff format
# --check (pyproject.toml) over Python, mypy over pyscap/ (pyproject.toml: strict for the public
# modules), shellcheck over the shell scripts, and schema/generate.py --check (generated files
# current). Installs what it lacks: clang-format and shellcheck from Debian, ruff and mypy in the
# versions requirements-dev.txt pins. .ci/run runs it first; .pre-commit-config.yaml runs the same.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0
[ "${1:-}" = "--fix" ] && fix=1
PY=${PYTHON:-python3}
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=()
command -v clang-format >/dev/null || missing+=(clang-format)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v git >/dev/null || missing+=(git)
"$PY" -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
if [ ${#missing[@]} -gt 0 ]; then
    echo "lint: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi
# ruff and mypy in the versions requirements-dev.txt pins (quick when satisfied)
"$PY" -m pip install -q -r requirements-dev.txt 2>/dev/null ||
    "$PY" -m pip install -q --break-system-packages -r requirements-dev.txt

git rev-parse --git-dir >/dev/null 2>&1 || { echo "lint: not a git checkout (the file lists come from git ls-files)" >&2; exit 2; }
generated=$("$PY" schema/generate.py --list)
mapfile -t c_files < <(git ls-files '*.c' '*.h' '*.cpp' | grep -vxF "$generated")
mapfile -t sh_files < <(git ls-files '*.sh' .ci/run tests/vm/pyscap-vm)

failed=()
step() { # step NAME COMMAND...
    local name=$1
    shift
    if "$@"; then echo "lint: $name: ok"; else echo "lint: $name: FAILED" >&2; failed+=("$name"); fi
}
if [ $fix -eq 1 ]; then
    clang-format -i "${c_files[@]}"
    "$PY" -m ruff format -q .
    "$PY" -m ruff check -q --fix . || true
fi
step "clang-format (${#c_files[@]} files)" clang-format --dry-run --Werror "${c_files[@]}"
step "ruff check" "$PY" -m ruff check -q .
step "ruff format" "$PY" -m ruff format -q --check .
step "mypy" "$PY" -m mypy
step "shellcheck (${#sh_files[@]} files)" shellcheck "${sh_files[@]}"
step "generated files" "$PY" schema/generate.py --check
if [ ${#failed[@]} -gt 0 ]; then
    echo "lint: failed: ${failed[*]} (scripts/lint.sh --fix rewrites what the formatters can)" >&2
    exit 1
fi
