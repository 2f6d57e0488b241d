#!/usr/bin/env bash
# Configures and builds one of the project's build trees. Shared by the
# quickstart and the test command so that both build the same way.
#
#   deploy/build.sh release [TARGET...]   build/       (gcc, RelWithDebInfo)
#   deploy/build.sh asan    [TARGET...]   build-asan/  (clang if present,
#                                          ASan + UBSan, libFuzzer targets)
# A release build of every target also builds the web client
# (deploy/build-web.sh: only when its sources changed).
set -euo pipefail
cd "$(dirname "$0")/.."

# ccache keys on paths relative to the checkout, so that another clone or
# worktree of the same sources reuses the objects.
# The build directory is left out of the hash (debug builds would
# otherwise put it there), so a clone elsewhere still hits.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

tree=${1:?usage: deploy/build.sh release|asan [TARGET...]}
shift
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

case "$tree" in
  release)
    dir=build
    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
    ;;
  asan)
    dir=build-asan
    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESGUARDO_SANITIZE=ON
           -DRESGUARDO_BUILD_BENCH=OFF)
    if command -v clang++ >/dev/null 2>&1; then
      export CC=clang CXX=clang++
      flags+=(-DRESGUARDO_FUZZ=ON)
    fi
    ;;
  *) echo "deploy/build.sh: unknown tree '$tree'" >&2; exit 2 ;;
esac

if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${generator[@]}" "${flags[@]}" >/dev/null
else
  cmake -S . -B "$dir" "${flags[@]}" >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}"
# A whole release build also builds the web client when its sources changed.
# (tests/run.sh sets RESGUARDO_SKIP_WEB=1 and runs it as a part of its own.)
if [ "$tree" = release ] && [ $# -eq 0 ] && [ -z "${RESGUARDO_SKIP_WEB:-}" ]; then
  bash deploy/build-web.sh
fi
