#!/bin/bash
# demo.sh - siftd's main job on a fresh machine: install what is missing, build,
# run the default pipeline over examples/docs/ and show the results.
#
#   scripts/demo.sh            # results land in demo-out/results.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >build/configure.log 2>&1 ||
  { cat build/configure.log; exit 1; }
cmake --build build -j"$jobs" >build/build.log 2>&1 || { tail -50 build/build.log; exit 1; }

out=demo-out
mkdir -p "$out"
echo "== sift check: the shipped config and the plugins it names"
build/bin/sift check -c conf/siftd.conf
echo
echo "== sift run: default pipeline over examples/docs/ (what stage 1 changed, for the first document)"
first=$(ls examples/docs/*.txt | head -1)
build/bin/sift run -c conf/siftd.conf --explain "$first" 2>&1 >/dev/null | head -40
echo "..."
echo
build/bin/sift run -c conf/siftd.conf -o "$out/results.jsonl" examples/docs/
echo "== results ($out/results.jsonl, one JSON object per document; schema in docs/output.md)"
python3 scripts/show_results.py "$out/results.jsonl"
