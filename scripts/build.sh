#!/usr/bin/env bash
# Configures and builds qtchat with one of the CMake presets
# (CMakePresets.json; `cmake --list-presets` lists them):
#   scripts/build.sh [PRESET] [CMake options...]
# PRESET defaults to "default" (build/: the three programs scripts/run.sh
# starts, no tests or benchmarks); "test" adds the tests and the benchmark
# programs and makes warnings errors (scripts/test.sh). Options go to
# CMake's configure step, e.g. -DQTCHAT_BUILD_GUI=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=default
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    preset=$1
    shift
fi
source scripts/ccache.sh
cmake --preset "$preset" "$@" >/dev/null
cmake --build --preset "$preset" --parallel "${QTCHAT_BUILD_JOBS:-$(nproc)}"
