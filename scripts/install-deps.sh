#!/usr/bin/env bash
# Installs what qtchat needs from Debian 12's repositories, and nothing that
# is already there. Usage: scripts/install-deps.sh [build|run|test|analyze|package]...
#   build  compilers, CMake, Qt 6, OpenSSL and hiredis development packages,
#          and the Qt SQLite driver the server's --store and the tests use
#          (always included)
#   run    what a person chatting needs besides (netcat, openssl s_client for
#          TLS servers, CJK fonts for the GUI)
#   test   what the test suite needs besides (openssl makes the test CA;
#          redis-server and redis-sentinel for the cluster tests;
#          ccache, so later runs and the other trees reuse compiled objects;
#          clang-format for the format check)
#   analyze  what scripts/analyze.sh needs besides (clang-14 and libFuzzer
#          for scripts/fuzz.sh, llvm-symbolizer for readable sanitizer
#          stacks, the GCC sanitizer runtimes coming with g++; clang-tidy for
#          scripts/lint.sh)
#   package  what scripts/package.sh and scripts/package-test.sh need besides
#          (dpkg-dev for dpkg-shlibdeps, help2man for the man pages, lintian,
#          systemd for systemd-analyze, debootstrap for the test's fresh root,
#          systemd-container for systemd-nspawn, which boots it)
set -euo pipefail

build=(cmake ninja-build g++ pkg-config
       qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
       qt6-svg-dev libgl-dev qt6-translations-l10n libqt6sql6-sqlite libssl-dev
       libhiredis-dev)
run=(netcat-openbsd openssl fonts-noto-cjk libqt6sql6-sqlite)
test=(netcat-openbsd procps openssl redis-server redis-sentinel ccache clang-format)
analyze=(clang-14 libclang-rt-14-dev llvm clang-tidy)
package=(dpkg-dev fakeroot help2man lintian systemd systemd-container debootstrap)

wanted=("${build[@]}")
for group in "$@"; do
    case "$group" in
        build) ;;
        run) wanted+=("${run[@]}") ;;
        test) wanted+=("${test[@]}") ;;
        analyze) wanted+=("${analyze[@]}") ;;
        package) wanted+=("${package[@]}") ;;
        *) echo "install-deps: unknown group '$group' (build, run, test, analyze, package)" >&2; exit 2 ;;
    esac
done

missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything is installed"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
