#!/usr/bin/env bash
# Quick start: installs what is missing, builds with the tests (CMake preset
# "test": warnings are errors), and runs every test: the Qt Test suites
# through CTest (GUI tests use the offscreen platform), then the format check
# (scripts/lint.sh's first step). It fits a fresh machine's first run in
# about 20 minutes; the slower analyses of the same code (clang-tidy, the
# sanitizer builds, fuzzing) are scripts/analyze.sh, which CI (.ci/run) runs
# right after this. See docs/testing.md, "Two commands, two budgets".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test
scripts/build.sh test
# A skip means only "a tool is missing", said through QTCHAT_REQUIRE (tests/harness),
# which CTest reports as a skip and which fails in CI (CI=true). A plain
# QSKIP would exit 0 and count as a pass, so none may be written.
if grep -rn --include='*.cpp' --include='*.h' -E '\bQSKIP\(' tests | grep -v '^tests/harness/'; then
    echo "test: the QSKIP above would count as a pass: use QTCHAT_REQUIRE, or leave the data row out" >&2
    exit 1
fi
ctest_log=$(mktemp)
trap 'rm -f "$ctest_log"' EXIT
# The "test" test preset: offscreen, 300 s per suite, no selection = error.
ctest --preset test --parallel 2 | tee "$ctest_log"
if [ -n "${CI:-}" ] && grep -q 'The following tests did not run' "$ctest_log"; then
    echo "test: CI=true and some tests did not run (listed above): CI must install what they need" >&2
    exit 1
fi
QTCHAT_LINT=format scripts/lint.sh
