#!/usr/bin/env bash
# Quick start: installs what is missing, builds with the tests, and runs
# every test: the Qt Test suites through CTest (GUI tests use the offscreen
# platform), then the sanitizer builds (scripts/sanitize.sh: ASan+UBSan and
# ThreadSanitizer) and the fuzz targets (scripts/fuzz.sh). See docs/testing.md.
#
# QTCHAT_QUICK=1 stops after the CTest run, for a fast loop while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test
scripts/build.sh -DQTCHAT_BUILD_TESTS=ON
build_dir=${QTCHAT_BUILD_DIR:-build}
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure --parallel 2 --timeout 300
if [ "${QTCHAT_QUICK:-0}" = 1 ]; then
    echo "test: QTCHAT_QUICK=1: sanitizer and fuzz stages skipped"
    exit 0
fi
start=$(date +%s)
scripts/sanitize.sh
sanitize_end=$(date +%s)
scripts/fuzz.sh
echo "test: sanitizers $((sanitize_end - start)) s, fuzzing $(($(date +%s) - sanitize_end)) s"
