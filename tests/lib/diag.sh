#!/bin/bash
# diag.sh - the scenario testbench core: isolation, deadlines, exit codes.
#
# A scenario script sources this with `init` and then uses verbs:
#   . "${srcdir:-.}"/tests/lib/diag.sh init
#   run_sift run --stages clean "$SIFT_DYNNAME.d/in.txt" > "$SIFT_DYNNAME.d/out.jsonl"
#   json_check "$SIFT_DYNNAME.d/out.jsonl" 'len(docs) == 1'
#   exit_test
# Exit codes (ctest reads them): 0 pass, 1 fail, 77 skip, 100 testbench failure.
# Daemon verbs (startup, inject_docs, shutdown_when_empty, ...) live in
# tests/lib/daemon.sh; this file stays small.
set -uo pipefail

: "${srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${SIFT_BUILD:=$srcdir/build}"
: "${SIFT_TB_TIMEOUT:=60}"   # seconds any wait may take
SIFT_SHARED="$srcdir/../shared"

# init: a private work dir named after the test, removed by exit_test.
init() {
  local name
  name=$(basename "${0%.sh}")
  export SIFT_TESTNAME="$name"
  export SIFT_DYNNAME="${TMPDIR:-/tmp}/sift-$name-$RANDOM$RANDOM"
  mkdir -p "$SIFT_DYNNAME.d" || exit 100
  export SIFT_PLUGIN_PATH="$SIFT_BUILD/lib/sift/plugins:$SIFT_BUILD/tests/plugins"
  [ -x "$SIFT_BUILD/bin/sift" ] || { echo "testbench: no $SIFT_BUILD/bin/sift" >&2; exit 100; }
  echo "== $name (work dir $SIFT_DYNNAME.d)"
}

# Run the built sift with the test's plugin path.
run_sift() { "$SIFT_BUILD/bin/sift" "$@"; }

# skip_test REASON: exit 77 so ctest reports the test as skipped.
skip_test() {
  echo "SKIP: $*"
  rm -rf "$SIFT_DYNNAME.d"
  exit 77
}

# need_shared PATH: skip unless ../shared/PATH exists.
need_shared() {
  [ -e "$SIFT_SHARED/$1" ] || skip_test "../shared/$1 is absent (tests that use ../shared need it beside the repo)"
}

# error_exit MSG: print what helps to debug, then fail.
error_exit() {
  echo "FAIL: $*" >&2
  if declare -F on_error_hook >/dev/null; then on_error_hook; fi
  exit 1
}

# expect_contains FILE NEEDLE: FILE holds NEEDLE (fixed string).
expect_contains() {
  grep -qF -- "$2" "$1" || { echo "---- $1:" >&2; head -c 3000 "$1" >&2; error_exit "$1 lacks: $2"; }
}

# json_check FILE EXPR [MSG]: EXPR (Python) is true, with `docs` = the JSONL
# objects of FILE and `by_id` = them keyed by id.
json_check() {
  python3 - "$1" "$2" "${3:-$2}" <<'PY' || error_exit "${3:-$2}"
import json, sys
path, expr, msg = sys.argv[1:4]
docs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
by_id = {d["id"]: d for d in docs}
if not eval(expr):
    print("json_check failed: %s\n  %d docs in %s" % (msg, len(docs), path), file=sys.stderr)
    for d in docs[:5]:
        print("  " + json.dumps(d, ensure_ascii=False)[:400], file=sys.stderr)
    sys.exit(1)
PY
}

# exit_test: remove the work dir and pass.
exit_test() {
  rm -rf "$SIFT_DYNNAME.d"
  echo "PASS: $SIFT_TESTNAME"
  exit 0
}

if [ "${1:-}" = init ]; then init; fi
