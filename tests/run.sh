#!/usr/bin/env bash
# The README's second command: installs what is missing, builds and runs the
# whole test suite through ctest.
#
# RESGUARDO_SANITIZE selects what also runs under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/, clang, with the libFuzzer targets):
#   crypto (default)  the crypto tests and a short run of each fuzzer
#   all               the whole suite (and the fuzzers) instead of the plain build
#   off               nothing
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=${RESGUARDO_SANITIZE:-crypto}
case "$sanitize" in crypto|all|off) ;; *)
  echo "tests/run.sh: RESGUARDO_SANITIZE must be crypto, all or off" >&2; exit 2 ;;
esac
jobs=$(nproc)

bash deploy/install-deps.sh

if [ "$sanitize" = crypto ]; then
  bash deploy/build.sh asan resguardo_crypto_tests resguardo_fuzz_tests
  (cd build-asan && ctest --output-on-failure -j "$jobs" -L 'crypto|fuzz')
fi

if [ "$sanitize" = all ]; then
  bash deploy/build.sh asan
  cd build-asan
else
  bash deploy/build.sh release
  cd build
fi
# Last, so that ctest's summary closes the output.
ctest --output-on-failure -j "$jobs"
