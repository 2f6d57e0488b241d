#!/usr/bin/env bash
# The README's second command: installs what is missing, builds and runs the
# whole test suite through ctest.
#
# RESGUARDO_SANITIZE selects what also runs under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/, clang, with the libFuzzer targets):
#   crypto (default)  the crypto tests and a short run of each fuzzer
#   all               the whole suite (and the fuzzers) instead of the plain
#                     suite; of the plain tree only the node and the CLI are
#                     built (the default when CI=true: it fits CI's budget,
#                     see the README's "Sanitizer run")
#   off               nothing
# LeakSanitizer reads tests/lsan.supp (third-party frames only; CMake passes
# it to every test). Each part's time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = true ]; then
  sanitize=${RESGUARDO_SANITIZE:-all}
else
  sanitize=${RESGUARDO_SANITIZE:-crypto}
fi
case "$sanitize" in crypto|all|off) ;; *)
  echo "tests/run.sh: RESGUARDO_SANITIZE must be crypto, all or off" >&2; exit 2 ;;
esac
jobs=$(nproc)

times=()
part_start=$SECONDS
part() {  # part NAME: the time since the previous part ended
  times+=("$(printf '%-28s %4d min %02d s' "$1" $(((SECONDS - part_start) / 60)) $(((SECONDS - part_start) % 60)))")
  part_start=$SECONDS
}
report() {
  local rc=$?
  part "${current:-end}"
  echo "tests/run.sh: time per part (RESGUARDO_SANITIZE=$sanitize)"
  printf '  %s\n' "${times[@]}"
  return $rc
}
trap report EXIT

current="dependencies"
bash deploy/install-deps.sh
part "$current"

if [ "$sanitize" = crypto ]; then
  current="sanitizer build (crypto)"
  bash deploy/build.sh asan resguardo_crypto_tests resguardo_fuzz_tests
  part "$current"
  current="sanitizer pass (crypto)"
  (cd build-asan && ctest --output-on-failure -j "$jobs" -L 'crypto|fuzz')
  part "$current"
fi

if [ "$sanitize" = all ]; then
  # What deploy/ ships is built by gcc in build/: the node and the CLI, which
  # the .deb below packages.
  current="build (node and CLI)"
  bash deploy/build.sh release resguardod resguardo_cli
  part "$current"
else
  current="build"
  RESGUARDO_SKIP_WEB=1 bash deploy/build.sh release
  part "$current"
fi
current="web client (npm ci, build)"
bash deploy/build-web.sh
part "$current"
current=".deb from the build tree"
bash deploy/package.sh build
part "$current"
if [ "$sanitize" = all ]; then
  current="sanitizer build (all)"
  bash deploy/build.sh asan
  part "$current"
  current="suite under the sanitizers"
  cd build-asan
else
  current="suite"
  cd build
fi
# Last, so that ctest's summary closes the output (the times follow it).
ctest --output-on-failure -j "$jobs"
