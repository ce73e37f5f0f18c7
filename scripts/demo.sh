#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: set up (apt, pip, CMake build), then a live capture
# that prints sysdig-style lines for a few seconds while this script runs a small workload (open,
# read, exec, a TCP connect). Without root or BPF (no /sys/kernel/btf/vmlinux), or when the live
# capture cannot start, the same kind of lines come from the bundled pyscap/data/sample.scap.
#   scripts/demo.sh                          5 seconds of the workload's events
#   scripts/demo.sh -M 3 evt.type=openat     your own pyscap flags and filter instead
#   scripts/demo.sh --record FILE            record the workload to FILE (how sample.scap is made)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PYSCAP_BUILD_DIR="$PWD/build"
PY=${PYTHON:-python3}
SAMPLE=pyscap/data/sample.scap

live=1
if [ "$(id -u)" -ne 0 ]; then
    echo "demo: not root: reading the bundled capture $SAMPLE instead of a live capture" >&2
    live=0
elif ! [ -r /sys/kernel/btf/vmlinux ]; then
    echo "demo: no BTF (/sys/kernel/btf/vmlinux): reading the bundled capture $SAMPLE instead" >&2
    live=0
fi

# The workload: this shell and its children (pyscap excludes its own process in the kernel).
mine="proc.pid=$$ or proc.ppid=$$"
workload_while() {
    local pid=$1
    while kill -0 "$pid" 2>/dev/null; do
        cat /etc/hostname >/dev/null
        ls /etc >/dev/null
        (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null || true
        sleep 0.5
    done
}

if [ "${1:-}" = "--record" ]; then
    [ $live -eq 1 ] || { echo "demo: --record needs a live capture" >&2; exit 3; }
    "$PY" -m pyscap -M 3 -w "${2:?--record FILE}" "$mine" &
    workload_while $!
    wait $!
    exit
fi

if [ $live -eq 1 ]; then
    [ $# -eq 0 ] && set -- -M 5 "$mine"
    "$PY" -m pyscap --stats "$@" &
    pid=$!
    workload_while $pid
    status=0
    wait $pid || status=$?
    [ $status -ne 3 ] && exit $status
    echo "demo: the live capture could not start (above): reading the bundled capture $SAMPLE instead" >&2
    set --
fi
exec "$PY" -m pyscap -r "$SAMPLE" "$@"
