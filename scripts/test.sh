#!/usr/bin/env bash
# Set up a fresh Debian 12 machine and run every test (as root for the live-capture tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
exec "${PYTHON:-python3}" -m pytest -q -rs "$@"
