#!/usr/bin/env bash
# Builds the Debian packages qtchat-server and qtchat-client (CPack, see
# cmake/QtChatPackaging.cmake and docs/packaging.md) into build-package/:
#   scripts/package.sh            -> build-package/qtchat-{server,client}_VERSION-1_ARCH.deb
# Installs what it needs with scripts/install-deps.sh (build, package).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build package
source scripts/ccache.sh
build_dir=${QTCHAT_PACKAGE_DIR:-build-package}
# Debian's compiler and linker flags with all of its hardening on: fortified
# libc calls, stack protector, read-only relocations bound at start (relro,
# bindnow). CMake does not read CPPFLAGS, so they go in with CXXFLAGS.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
# /usr, not /usr/local: the packages install where Debian's packages do.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_CXX_FLAGS="$CPPFLAGS $CXXFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" \
    -DQTCHAT_BUILD_TESTS=OFF -DQTCHAT_BUILD_BENCH=OFF -DQTCHAT_PACKAGING=ON \
    -DCMAKE_CXX_COMPILER_LAUNCHER="${QTCHAT_COMPILER_LAUNCHER:-}" >/dev/null
cmake --build "$build_dir" --parallel "${QTCHAT_BUILD_JOBS:-$(nproc)}"
rm -f "$build_dir"/qtchat-*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
ls -1 "$build_dir"/qtchat-*.deb
