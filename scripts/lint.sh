#!/usr/bin/env bash
# The style the tools enforce (CODING_GUIDELINES.md, "Tools"); the format
# check is part of scripts/test.sh, clang-tidy of scripts/analyze.sh, both of CI:
#   1. every C++ file of the tree is formatted with .clang-format
#      (clang-format 14 from Debian; fix with: clang-format -i FILE);
#   2. clang-tidy with the checks of .clang-tidy finds nothing in any
#      translation unit of the project (the compile database of an already
#      built tree: moc and resource output must exist).
#   scripts/lint.sh [BUILD_DIR]     (default build/, the "test" preset's tree)
# QTCHAT_LINT=format runs only the first step (a second, no build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build_dir=${1:-build}
start=$(date +%s)

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t sources < <(git ls-files -- '*.cpp' '*.h')
else
    mapfile -t sources < <(find shared server gui-client console-client tests bench -name '*.cpp' -o -name '*.h')
fi
[ "${#sources[@]}" -gt 0 ] || { echo "lint: no source file found" >&2; exit 1; }
if ! clang-format --dry-run --Werror "${sources[@]}"; then
    echo "lint: the files above are not formatted: run clang-format -i on them" >&2
    exit 1
fi
echo "lint: ${#sources[@]} files formatted"
[ "${QTCHAT_LINT:-all}" = format ] && exit 0

[ -f "$build_dir/compile_commands.json" ] || {
    echo "lint: $build_dir/compile_commands.json is missing: build with scripts/build.sh test first" >&2
    exit 1
}
run_tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
[ -n "$run_tidy" ] || { echo "lint: run-clang-tidy not found (scripts/install-deps.sh analyze installs clang-tidy)" >&2; exit 1; }
# The project's own translation units, not what moc and rcc generate in the build tree.
units="^$root/(shared|server|gui-client|console-client|tests|bench)/.*\\.cpp\$"
count=$(grep -cE "\"file\": \"$root/(shared|server|gui-client|console-client|tests|bench)/[^\"]*\\.cpp\"" \
    "$build_dir/compile_commands.json" || true)
[ "$count" -gt 0 ] || { echo "lint: the compile database names no project source" >&2; exit 1; }
# GCC-only warning flags in the database mean nothing to clang.
if ! "$run_tidy" -p "$build_dir" -quiet -j "${QTCHAT_LINT_JOBS:-$(nproc)}" \
    -extra-arg=-Wno-unknown-warning-option "$units" >"$build_dir/clang-tidy.log" 2>&1; then
    grep -E 'warning:|error:' "$build_dir/clang-tidy.log" | sort -u | head -n 50 >&2
    echo "lint: clang-tidy found the problems above (whole log: $build_dir/clang-tidy.log)" >&2
    exit 1
fi
echo "lint: clang-tidy passed on $count translation units in $(($(date +%s) - start)) s"
