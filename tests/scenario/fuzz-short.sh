#!/bin/bash
# fuzz: every libFuzzer target of tests/fuzz (msgpack decoder, JSON lines,
# frames, batches, config, the clean, boilerplate and extract stages) runs 10 s from
# its seed corpus, crash regressions included, without a crash, leak,
# timeout or round-trip mismatch. tests/fuzz/run.sh builds its own
# clang+ASan+UBSan tree in $SIFT_BUILD/fuzz, so this test is skipped inside
# an ASan build of the suite, and when clang or libFuzzer's runtime is
# missing. Longer runs: tests/fuzz/run.sh 300.
. "${srcdir:-.}"/tests/lib/diag.sh init
if [ "${SIFT_SANITIZE:-0}" = 1 ]; then
  skip_test "not under the ASan build (SIFT_SANITIZE=1): tests/fuzz/run.sh builds its own sanitized tree"
fi
command -v clang >/dev/null 2>&1 ||
  skip_test "clang is not installed (Debian: clang libclang-rt-14-dev; see scripts/deps.sh)"

out="$SIFT_DYNNAME.d/run.log"
SIFT_FUZZ_BUILD="$SIFT_BUILD/fuzz" bash "$srcdir/tests/fuzz/run.sh" 10 > "$out" 2>&1
rc=$?
[ $rc -eq 77 ] && skip_test "$(sed -n 's/^SKIP: //p' "$out" | head -1)"
cat "$out"
[ $rc -eq 0 ] || error_exit "a fuzz target failed (exit $rc); artifacts in $SIFT_BUILD/fuzz/fuzz-artifacts"
want=$(sed -n 's/^all_targets=(\(.*\))/\1/p' "$srcdir/tests/fuzz/run.sh" | wc -w)
n=$(grep -c 'crashes=0$' "$out")
[ "$n" -eq "$want" ] || error_exit "$n of $want targets reported crashes=0"
exit_test
