#!/usr/bin/env bash
# Configures and builds qtchat into build/ (or $QTCHAT_BUILD_DIR). Extra
# arguments go to CMake's configure step, e.g. -DQTCHAT_BUILD_GUI=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${QTCHAT_BUILD_DIR:-build}
source scripts/ccache.sh
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${compiler_launcher[@]}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
