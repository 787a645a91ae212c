# Sourced by the build scripts: compile through ccache when it is installed
# (`scripts/install-deps.sh test` installs it), so that a second clone or a
# rebuilt sanitizer tree reuses what was compiled before. Paths are hashed
# relative to the checkout, so clones in different folders share the cache.
# Exports QTCHAT_COMPILER_LAUNCHER, which the CMake presets
# (CMakePresets.json, "base") pass on as CMAKE_CXX_COMPILER_LAUNCHER.
export QTCHAT_COMPILER_LAUNCHER=
if command -v ccache >/dev/null && [ "${QTCHAT_CCACHE:-1}" != 0 ]; then
    export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
    QTCHAT_COMPILER_LAUNCHER=ccache
fi
