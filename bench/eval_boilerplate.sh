#!/bin/bash
# eval_boilerplate.sh - score the boilerplate stage on the shared dev set.
#
# usage: bench/eval_boilerplate.sh [BUILD_DIR]     (default: build)
#
# Turns ../shared/eval/boilerplate-dev.jsonl into {"id","text"} input, runs
# `sift run --stages clean,boilerplate` over it, turns the output into
# {"id","text"} predictions and prints the last line of
# ../shared/eval/score_boilerplate.py: "F1 f P p R r N n". Set
# SIFT_EVAL_STAGES to run other stages (default clean,boilerplate) and
# SIFT_EVAL_KEEP=DIR to keep the input, output and predictions in DIR.
# Exits 77 (skip) when ../shared or python3 is absent.
# SPDX-License-Identifier: MIT
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
build=${1:-${SIFT_BUILD:-build}}
case $build in /*) ;; *) build=$srcdir/$build ;; esac
shared=$srcdir/../shared
gold=$shared/eval/boilerplate-dev.jsonl
scorer=$shared/eval/score_boilerplate.py

if [ ! -d "$shared" ] || [ ! -f "$gold" ] || [ ! -f "$scorer" ]; then
    echo "skip: $shared/eval (dev set and scorer) is absent" >&2
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skip: python3 is absent" >&2
    exit 77
fi
if [ ! -x "$build/bin/sift" ]; then
    echo "error: $build/bin/sift not found (build the sift target first)" >&2
    exit 1
fi

work=${SIFT_EVAL_KEEP:-}
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

python3 - "$gold" "$work/input.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            rec = json.loads(line)
            out.write(json.dumps({"id": rec["id"], "text": rec["text"]}, ensure_ascii=False) + "\n")
PY

"$build/bin/sift" run --stages "${SIFT_EVAL_STAGES:-clean,boilerplate}" \
    -o "$work/output.jsonl" "$work/input.jsonl"

python3 - "$work/output.jsonl" "$work/pred.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            rec = json.loads(line)
            out.write(json.dumps({"id": rec["id"], "text": rec.get("text") or ""},
                                 ensure_ascii=False) + "\n")
PY

python3 "$scorer" "$gold" "$work/pred.jsonl" --bootstrap 0 | tail -n 1
