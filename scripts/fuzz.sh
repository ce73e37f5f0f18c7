#!/usr/bin/env bash
# Build and run the fuzz targets of fuzz/ (fuzz/README.md): libFuzzer + ASan + UBSan over libscap
# and libsinsp, atheris over the Python package.
#   scripts/fuzz.sh                     every target for 30 s each
#   scripts/fuzz.sh --seconds 20        ... for 20 s each
#   scripts/fuzz.sh --long              ... for an hour each, one at a time, under nice -n 19
#   scripts/fuzz.sh --runs 10000000     ... until 10 M executions each (or the time is up)
#   scripts/fuzz.sh --jobs 2            run up to 2 targets at once
#   scripts/fuzz.sh fuzz_filter py_fuzz only these targets
#   scripts/fuzz.sh --replay            run every input under fuzz/regressions/ once through its target
# Prints the executions and executions per second of each target. Exits 1 when a target crashes,
# leaks, hits a sanitizer report, an invariant of the harness or a timeout: the input is kept in
# build-fuzz/artifacts/<target>/ (copy it into fuzz/regressions/<target>/ once fixed, so that
# --replay keeps it fixed). The build is build-fuzz (FUZZ_BUILD_DIR); py_fuzz loads the libraries
# of PYSCAP_BUILD_DIR (default: build), which must exist.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

seconds=30
runs=-1
jobs=1
nice_cmd=()
replay=0
targets=()
C_TARGETS=(fuzz_event_decode fuzz_scap_file fuzz_convert fuzz_filter fuzz_format)
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) seconds=$2; shift ;;
    --runs) runs=$2; shift ;;
    --long) seconds=3600; nice_cmd=(nice -n 19) ;;
    --jobs) jobs=$2; shift ;;
    --replay) replay=1 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    fuzz_* | py_fuzz) targets+=("$1") ;;
    *) echo "fuzz: unknown argument $1 (--help)" >&2; exit 2 ;;
    esac
    shift
done
[ ${#targets[@]} -eq 0 ] && targets=("${C_TARGETS[@]}" py_fuzz)

BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
PY=${PYTHON:-python3}
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# Per target: the longest input libFuzzer makes, and a dictionary.
declare -A MAX_LEN=([fuzz_event_decode]=4096 [fuzz_scap_file]=65536 [fuzz_convert]=8192
    [fuzz_filter]=1024 [fuzz_format]=512 [py_fuzz]=16384)
declare -A DICT=([fuzz_scap_file]=scap.dict [fuzz_filter]=filter.dict [fuzz_format]=format.dict)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

need_c=0
for t in "${targets[@]}"; do [ "$t" != py_fuzz ] && need_c=1; done
[ $replay -eq 1 ] && need_c=1

if [ $need_c -eq 1 ]; then
    # clang's libFuzzer and sanitizer runtimes (Debian: libclang-rt-14-dev, libfuzzer-14-dev)
    if ! command -v clang >/dev/null || [ ! -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
        echo "fuzz: installing clang, libclang-rt-14-dev, libfuzzer-14-dev"
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev libfuzzer-14-dev </dev/null >/dev/null
    fi
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DPYSCAP_FUZZ=ON \
            -DPYSCAP_BUILD_BPF=OFF -DPYSCAP_BUILD_TESTS=OFF >/dev/null
    fi
    cmake --build "$BUILD" -j "$(nproc)" --target fuzz >"$BUILD/fuzz-build.log" 2>&1 || {
        tail -30 "$BUILD/fuzz-build.log" >&2
        echo "fuzz: the build failed (log: $BUILD/fuzz-build.log)" >&2
        exit 2
    }
fi
if [[ " ${targets[*]} " == *" py_fuzz "* ]] && [ $replay -eq 0 ]; then
    "$PY" -c "import atheris" 2>/dev/null || "$PY" -m pip install -q atheris 2>/dev/null ||
        "$PY" -m pip install -q --break-system-packages atheris
fi

# The regressions: each file of fuzz/regressions/<target>/ once through its target.
if [ $replay -eq 1 ]; then
    failed=0
    n=0
    for dir in fuzz/regressions/*/; do
        [ -d "$dir" ] || continue
        t=$(basename "$dir")
        mapfile -t files < <(find "$dir" -type f ! -name '*.md' | sort)
        [ ${#files[@]} -eq 0 ] && continue
        if [ "$t" = py_fuzz ]; then
            cmd=("$PY" fuzz/py_fuzz.py)
        else
            cmd=("$BUILD/fuzz/$t")
        fi
        if "${cmd[@]}" "${files[@]}" >"$BUILD/replay-$t.log" 2>&1; then
            echo "fuzz: replay $t: ${#files[@]} inputs: ok"
        else
            echo "fuzz: replay $t: FAILED (log: $BUILD/replay-$t.log)" >&2
            tail -40 "$BUILD/replay-$t.log" >&2
            failed=1
        fi
        n=$((n + ${#files[@]}))
    done
    echo "fuzz: replayed $n regression inputs"
    exit $failed
fi

echo "fuzz: seed corpora"
"$PY" fuzz/make_corpus.py "$BUILD/corpus/seeds" | sed 's/^/fuzz: /'

# one target: libFuzzer (or atheris) on its working corpus (kept between runs) and its seeds
run_target() {
    local t=$1 log=$BUILD/logs/$1.log
    local work=$BUILD/corpus/work/$t seeds=$BUILD/corpus/seeds/$t
    local cmd flags
    mkdir -p "$work" "$seeds" "$BUILD/artifacts/$t" "$BUILD/logs"
    if [ "$t" = py_fuzz ]; then
        cmd=("$PY" fuzz/py_fuzz.py)
    else
        cmd=("$BUILD/fuzz/$t")
    fi
    flags=(-max_total_time="$seconds" -runs="$runs" -max_len="${MAX_LEN[$t]}" -timeout=60 -rss_limit_mb=4096
        -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/")
    [ -n "${DICT[$t]:-}" ] && flags+=(-dict="fuzz/${DICT[$t]}")
    "${nice_cmd[@]}" "${cmd[@]}" "${flags[@]}" "$work" "$seeds" >"$log" 2>&1
}

# summary of one finished target; 1 if it found something
report() {
    local t=$1 rc=$2 log=$BUILD/logs/$1.log execs rate corp took
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    corp=$(find "$BUILD/corpus/work/$t" -type f | wc -l)
    if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|fuzz invariant failed|Uncaught Python exception|==ERROR' "$log"; then
        echo "fuzz: $t: FOUND A PROBLEM after ${execs:-?} execs (exit $rc; log: $log)" >&2
        grep -E 'ERROR|runtime error|invariant|Uncaught|SUMMARY|Test unit written|artifact' "$log" | head -20 >&2
        return 1
    fi
    printf 'fuzz: %-18s %12s execs in %5s s, %7s exec/s, corpus %s: ok\n' "$t" "${execs:-?}" "${took:-$seconds}" \
        "${rate:-?}" "$corp"
}

failed=()
declare -A pids=()
for t in "${targets[@]}"; do
    if [ "$t" != py_fuzz ] && [ ! -x "$BUILD/fuzz/$t" ]; then
        echo "fuzz: no target $t in $BUILD/fuzz" >&2
        exit 2
    fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    echo "fuzz: $t: running for $seconds s$([ "$runs" -ge 0 ] && echo " or $runs executions")"
    run_target "$t" &
    pids[$t]=$!
done
for t in "${targets[@]}"; do
    rc=0
    wait "${pids[$t]}" || rc=$?
    report "$t" "$rc" || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]} (inputs in $BUILD/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no crash, leak or sanitizer report"
