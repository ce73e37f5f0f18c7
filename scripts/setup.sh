#!/usr/bin/env bash
# Set up a fresh Debian 12 machine for pyscap (as root, no stdin): system packages, Python
# packages, and the CMake builds (./build, and ./build-asan with ASan/UBSan for the tests).
#   scripts/setup.sh           everything the demo needs
#   scripts/setup.sh --test    also the test oracles (sysdig, tshark) and the sanitizer build
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

pkgs=(build-essential cmake pkg-config clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libre2-dev
      python3 python3-pip binutils)
[ $want_test -eq 1 ] && pkgs+=(sysdig tshark rpm)
# the packaging tests build and install the split packages
# (pyscap-dkms depends on dkms); the .debs' Python package is built for Debian's python3
[ $want_test -eq 1 ] && pkgs+=(dkms python3-dev python3-cffi)
# the container metadata tests run podman (with runc) on a busybox image they build
[ $want_test -eq 1 ] && pkgs+=(podman runc busybox-static)
# the API reference (scripts/docs.sh, tests/test_docs.py): Doxygen over the C headers
[ $want_test -eq 1 ] && pkgs+=(doxygen)
# the 32-bit workloads of tests/test_ia32_live.py (gcc -m32 -static); linux-libc-dev's
# asm/unistd_32.h is the ia32 table tests/test_schema.py checks schema/syscalls_ia32.py against
[ $want_test -eq 1 ] && pkgs+=(gcc-multilib linux-libc-dev)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # --no-install-recommends: sysdig recommends a DKMS kernel module we neither need nor want
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

PY=${PYTHON:-python3}
# pip is quick when every requirement is satisfied; the pins (ruff, mypy) must match exactly
echo "setup: Python packages (requirements-dev.txt)"
$PY -m pip install -q -r requirements-dev.txt 2>/dev/null ||
    $PY -m pip install -q --break-system-packages -r requirements-dev.txt

jobs=$(nproc 2>/dev/null || echo 2)
bpf=ON
if ! [ -r /sys/kernel/btf/vmlinux ]; then
    echo "setup: no /sys/kernel/btf/vmlinux: building without the CO-RE probe"
    bpf=OFF
fi
# the tests build with -Werror (PYSCAP_WERROR is off by default, for newer compilers than ours)
werror=()
[ $want_test -eq 1 ] && werror=(-DPYSCAP_WERROR=ON)
# the build includes the compiled cffi module for $PY (API mode: calls into the libraries cost half
# as much as in ABI mode; packaging/python.cmake)
cmake -S . -B build -DPYSCAP_BUILD_BPF=$bpf -DPython3_EXECUTABLE="$(command -v "$PY")" "${werror[@]}" >/dev/null
cmake --build build -j "$jobs" >/dev/null
# bytecode for the package, as pip install makes it (this tree is run in place; where
# PYTHONDONTWRITEBYTECODE is set, every start would compile pyscap's modules from source again)
$PY -m compileall -q pyscap >/dev/null
if [ $want_test -eq 1 ]; then
    cmake -S . -B build-asan -DPYSCAP_SANITIZE=ON -DPYSCAP_BUILD_BPF=OFF -DPYSCAP_PYTHON=OFF "${werror[@]}" >/dev/null
    cmake --build build-asan -j "$jobs" >/dev/null
fi
echo "setup: done (build/$( [ $want_test -eq 1 ] && echo ' and build-asan/'))"
