#!/usr/bin/env bash
# The slow analyses of the code scripts/test.sh has just built and tested,
# run by CI (.ci/run) after it: clang-tidy over every translation unit
# (scripts/lint.sh), the suites rebuilt with ASan+UBSan and with
# ThreadSanitizer (scripts/sanitize.sh), and the libFuzzer targets
# (scripts/fuzz.sh). About 30 minutes on 2 cores from cold, which is why the
# README's test command leaves them out (docs/testing.md, "Two commands,
# two budgets"). Needs the "test" preset's tree: run scripts/test.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test analyze
start=$(date +%s)
scripts/lint.sh
lint_end=$(date +%s)
scripts/sanitize.sh
sanitize_end=$(date +%s)
scripts/fuzz.sh
echo "analyze: lint $((lint_end - start)) s, sanitizers $((sanitize_end - lint_end)) s, fuzzing $(($(date +%s) - sanitize_end)) s"
