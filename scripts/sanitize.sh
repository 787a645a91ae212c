#!/usr/bin/env bash
# Builds the test suite with sanitizers, each in its own build directory, and
# runs it there with CTest. See docs/testing.md.
#
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (build-asan): every
#         test of shared/, server/, the console client and chat-gui
#         (offscreen); leaks are errors and a UBSan report aborts the test.
#   tsan  ThreadSanitizer (build-tsan): the tests labelled `tsan` in CMake
#         (they run a real server with 4 worker threads, see
#         tests/support/testserver.cpp, or the client core against one), with
#         TSAN_OPTIONS below and tests/tsan.supp.
#
# The benchmarks are left out of both trees, and chat-gui out of the TSan
# tree: its widgets run on one thread, and the tree would build twice as long.
#
# Environment:
#   QTCHAT_SANITIZE       which trees to build and test (default "asan tsan")
#   QTCHAT_SANITIZE_JOBS  parallel build and test jobs (default: number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${QTCHAT_SANITIZE_JOBS:-$(nproc)}
# Debug (-O0) with -g1: line tables are all a sanitizer report needs, and
# they compile about 30 % faster than full debug information.
source scripts/ccache.sh
common_options=("${compiler_launcher[@]}" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1
                -DQTCHAT_BUILD_TESTS=ON -DQTCHAT_BUILD_BENCH=OFF)


export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Debian's Qt is not built with TSan, which cannot see its futex-based QMutex:
# ignore_noninstrumented_modules drops what Qt's own code does, tests/tsan.supp
# the Qt template frames that move queued arguments between threads (see
# docs/testing.md). history_size=7 keeps the older stack of a report, which
# the suppressions need to match. die_after_fork=0: QProcess (the process
# tests) forks the multi-threaded test and the child starts a thread before exec.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=7:die_after_fork=0:ignore_noninstrumented_modules=1:suppressions=$root/tests/tsan.supp"

failed=()
# stage NAME BUILD_DIR SANITIZERS GUI(ON/OFF) [LABEL]: builds the tree (with a
# label: only the tests carrying it, from CTest's own list, and the programs
# they start) and runs those tests.
stage() {
    local name=$1 dir=$2 sanitizers=$3 gui=$4 label=${5:-} start
    local select=() targets=()
    start=$(date +%s)
    echo "== sanitize: $name: configuring and building $dir"
    cmake -S . -B "$dir" "${common_options[@]}" -DQTCHAT_BUILD_GUI="$gui" -DQTCHAT_SANITIZERS="$sanitizers" >/dev/null
    if [ -n "$label" ]; then
        select=(-L "^$label\$")
        mapfile -t targets < <(ctest --test-dir "$dir" -N "${select[@]}" | sed -n 's/^ *Test *#[0-9]*: *//p')
        [ "${#targets[@]}" -gt 0 ] || { echo "== sanitize: $name: no test is labelled '$label'"; failed+=("$name"); return; }
        echo "== sanitize: $name: ${#targets[@]} suites labelled $label: ${targets[*]}"
        targets+=(chat-server chat-console)
    fi
    cmake --build "$dir" --parallel "$jobs" ${targets[@]:+--target "${targets[@]}"}
    local built=$(($(date +%s) - start))
    echo "== sanitize: $name: built in $built s; running the tests"
    # --no-tests=error: a stage whose selection matches no test fails.
    if ctest --test-dir "$dir" --output-on-failure --no-tests=error --parallel "$jobs" --timeout 600 "${select[@]}"; then
        echo "== sanitize: $name passed (build $built s, tests $(($(date +%s) - start - built)) s)"
    else
        echo "== sanitize: $name FAILED"
        failed+=("$name")
    fi
}

for tree in ${QTCHAT_SANITIZE:-asan tsan}; do
    case "$tree" in
        asan) stage "ASan+UBSan" build-asan address,undefined ON ;;
        tsan) stage "TSan" build-tsan thread OFF tsan ;;
        *) echo "sanitize: unknown tree '$tree' (asan, tsan)" >&2; exit 2 ;;
    esac
done
if [ "${#failed[@]}" -ne 0 ]; then
    echo "sanitize: FAILED: ${failed[*]}"
    exit 1
fi
echo "sanitize: all passed"
