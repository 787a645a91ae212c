#!/usr/bin/env bash
# Quick start: installs what is missing, builds with the tests, and runs
# every test (Qt Test suites through CTest; GUI tests use the offscreen platform).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test
scripts/build.sh -DQTCHAT_BUILD_TESTS=ON
build_dir=${QTCHAT_BUILD_DIR:-build}
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure --parallel 2 --timeout 300
