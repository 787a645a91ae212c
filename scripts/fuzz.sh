#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan+UBSan) in their
# own build directory and runs each one for a bounded time, starting from the
# seed corpus committed in tests/fuzz/corpus/. Fails on any crash, broken
# invariant, leak, UBSan report, timeout or out-of-memory. See docs/testing.md.
#
# Environment:
#   QTCHAT_FUZZ_SECONDS   seconds per target (default 60)
#   QTCHAT_FUZZ_TARGETS   targets to run (default: all four)
#   QTCHAT_FUZZ_JOBS      targets run at once (default: number of cores)
#   QTCHAT_FUZZ_BUILD_DIR build directory (default build-fuzz)
#   CXX                   the clang to use (default clang++-14, else clang++)
# New inputs found go to $QTCHAT_FUZZ_BUILD_DIR/corpus/<target>, crashing
# inputs to $QTCHAT_FUZZ_BUILD_DIR/artifacts/; the repository is not touched.
# Reproduce a crash: $QTCHAT_FUZZ_BUILD_DIR/tests/fuzz/<target> <crash file>
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
seconds=${QTCHAT_FUZZ_SECONDS:-60}
build_dir=${QTCHAT_FUZZ_BUILD_DIR:-build-fuzz}
targets=(${QTCHAT_FUZZ_TARGETS:-fuzz_clientframe fuzz_serverframe fuzz_linereader fuzz_validation})
# A stage that runs nothing must not pass.
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no target selected (QTCHAT_FUZZ_TARGETS is empty)" >&2; exit 1; }
for target in "${targets[@]}"; do
    [ -f "tests/fuzz/$target.cpp" ] || { echo "fuzz: unknown target '$target'" >&2; exit 1; }
done
jobs=${QTCHAT_FUZZ_JOBS:-$(nproc)}
if [ -z "${CXX:-}" ]; then
    CXX=$(command -v clang++-14 || command -v clang++ || true)
fi
[ -n "$CXX" ] || { echo "fuzz: clang++ not found (scripts/install-deps.sh analyze installs clang-14)" >&2; exit 1; }

source scripts/ccache.sh
# The "fuzz" preset's options; the compiler is the clang found above.
cmake --preset fuzz -B "$build_dir" -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
cmake --build "$build_dir" --target qtchat_fuzzers --parallel "$(nproc)"
echo "fuzz: built in $(($(date +%s) - start)) s; ${seconds} s per target, $jobs at a time"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export QT_LOGGING_RULES='*.debug=false'
mkdir -p "$build_dir/artifacts" "$build_dir/logs"

run_target() {
    local target=$1 work=$build_dir/corpus/$1 seeds=tests/fuzz/corpus/$1
    mkdir -p "$work"
    # New inputs go to the first directory; the committed seeds are only read.
    "$build_dir/tests/fuzz/$target" "$work" "$seeds" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" \
        >"$build_dir/logs/$target.log" 2>&1
}

declare -A pids=()
failed=()
finish() { # TARGET PID
    if wait "$2"; then
        echo "fuzz: $1 passed ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build_dir/logs/$1.log" | grep -o '[0-9]*$' || echo '?') runs, corpus $(ls "$build_dir/corpus/$1" | wc -l) + $(ls "tests/fuzz/corpus/$1" | wc -l) seeds)"
    else
        failed+=("$1")
        echo "fuzz: $1 FAILED; log $build_dir/logs/$1.log, input in $build_dir/artifacts/:"
        grep -E 'ERROR|FUZZ_CHECK|runtime error|SUMMARY|Test unit written' "$build_dir/logs/$1.log" | head -n 20 | sed 's/^/    /'
    fi
}
for target in "${targets[@]}"; do
    while [ "${#pids[@]}" -ge "$jobs" ]; do
        for t in "${!pids[@]}"; do
            if ! kill -0 "${pids[$t]}" 2>/dev/null; then finish "$t" "${pids[$t]}"; unset "pids[$t]"; fi
        done
        [ "${#pids[@]}" -ge "$jobs" ] && sleep 1
    done
    run_target "$target" &
    pids[$target]=$!
done
for t in "${!pids[@]}"; do finish "$t" "${pids[$t]}"; done

echo "fuzz: ${#targets[@]} targets, ${#failed[@]} failed, $(($(date +%s) - start)) s in all"
[ "${#failed[@]}" -eq 0 ]
