#!/bin/bash
# test.sh - install what is missing, build, and pass the whole test suite twice:
# once plain (build/) and once under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/). Exit status is non-zero if either run fails.
#
#   scripts/test.sh            # both runs
#   SIFT_TEST_PLAIN_ONLY=1 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)

run_suite() { # build-dir, extra cmake args...
  local dir=$1; shift
  echo "== configure and build in $dir $*"
  mkdir -p "$dir"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; return 1; }
  cmake --build "$dir" -j"$jobs"
  echo "== ctest in $dir"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 900)
}

run_suite build
if [ -z "${SIFT_TEST_PLAIN_ONLY:-}" ]; then
  # Plugins stay mapped at exit so sanitizer reports can name their frames.
  export SIFT_NO_DLCLOSE=1
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan -DSIFT_SANITIZE=ON
fi
echo "== all tests passed (plain${SIFT_TEST_PLAIN_ONLY:+ only}${SIFT_TEST_PLAIN_ONLY:-, asan+ubsan})"
