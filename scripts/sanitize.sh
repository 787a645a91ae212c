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
#         the TSan options of its test preset and tests/tsan.supp.
#
# The benchmarks are left out of both trees, and chat-gui out of the TSan
# tree: its widgets run on one thread, and the tree would build twice as long.
#
# Environment:
#   QTCHAT_SANITIZE       which trees to build and test (default "asan tsan")
#   QTCHAT_SANITIZE_JOBS  parallel build and test jobs (default: number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${QTCHAT_SANITIZE_JOBS:-$(nproc)}
# Each tree is a CMake preset (CMakePresets.json): its build options, and
# the test preset of the same name carries the sanitizer options (TSan:
# ignore_noninstrumented_modules, because Debian's Qt is not built with TSan
# and its futex-based QMutex is invisible to it; tests/tsan.supp for the Qt
# template frames that move queued arguments between threads; history_size=7
# keeps the older stack the suppressions match; die_after_fork=0 because
# QProcess forks the multi-threaded test; see docs/testing.md) and, for
# TSan, the selection of the tests labelled `tsan`.
source scripts/ccache.sh
failed=()
# stage NAME PRESET: configures and builds the preset's tree (only the tests
# its test preset selects, from CTest's own list, and the programs they
# start, when the preset filters by label) and runs those tests.
stage() {
    local name=$1 preset=$2 start
    local targets=()
    start=$(date +%s)
    echo "== sanitize: $name: configuring and building preset $preset"
    cmake --preset "$preset" >/dev/null
    if [ "$preset" = tsan ]; then
        mapfile -t targets < <(ctest --preset "$preset" -N | sed -n 's/^ *Test *#[0-9]*: *//p')
        [ "${#targets[@]}" -gt 0 ] || { echo "== sanitize: $name: no test is labelled 'tsan'"; failed+=("$name"); return; }
        echo "== sanitize: $name: ${#targets[@]} suites labelled tsan: ${targets[*]}"
        targets+=(chat-server chat-console)
    fi
    cmake --build --preset "$preset" --parallel "$jobs" ${targets[@]:+--target "${targets[@]}"}
    local built=$(($(date +%s) - start))
    echo "== sanitize: $name: built in $built s; running the tests"
    # The test presets fail when their selection matches no test (noTestsAction).
    if ctest --preset "$preset" --parallel "$jobs"; then
        echo "== sanitize: $name passed (build $built s, tests $(($(date +%s) - start - built)) s)"
    else
        echo "== sanitize: $name FAILED"
        failed+=("$name")
    fi
}
for tree in ${QTCHAT_SANITIZE:-asan tsan}; do
    case "$tree" in
        asan) stage "ASan+UBSan" debug-asan ;;
        tsan) stage "TSan" tsan ;;
        *) echo "sanitize: unknown tree '$tree' (asan, tsan)" >&2; exit 2 ;;
    esac
done
if [ "${#failed[@]}" -ne 0 ]; then
    echo "sanitize: FAILED: ${failed[*]}"
    exit 1
fi
echo "sanitize: all passed"
