#!/bin/bash
# demo.sh - siftd's main job on a fresh machine: install what is missing, build,
# start siftd, push examples/docs/ to it, show the results, stop it.
#
#   scripts/demo.sh        # everything lands in demo-out/ (config, log, results)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >build/configure.log 2>&1 ||
  { cat build/configure.log; exit 1; }
echo "== building (log in build/build.log)"
cmake --build build -j"$jobs" >build/build.log 2>&1 || { tail -50 build/build.log; exit 1; }

root=$PWD
out=$root/demo-out
rm -rf "$out"
mkdir -p "$out"
cp conf/siftd.conf "$out/siftd.conf"
sift() { "$root/build/bin/sift" "$@"; }

echo "== sift check: the shipped config and the plugins it names"
sift check -c "$out/siftd.conf"

echo "== starting siftd in $out (log: $out/siftd.log)"
cd "$out"
"$root/build/bin/siftd" -c siftd.conf 2>siftd.log &
siftd_pid=$!
trap 'kill -9 $siftd_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do sift stats -c siftd.conf >/dev/null 2>&1 && break; sleep 0.1; done

echo "== sift push examples/docs/"
sift push -c siftd.conf "$root/examples/docs/"
for _ in $(seq 300); do
  [ "$(sift stats -c siftd.conf --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["in_siftd"])')" = 0 ] && break
  sleep 0.1
done
echo "== sift stats"
sift stats -c siftd.conf

echo "== stopping siftd (SIGTERM: drain, flush, stop workers)"
kill -TERM "$siftd_pid"
wait "$siftd_pid"
trap - EXIT

echo "== results ($out/sift-results.jsonl; schema in docs/output.md)"
python3 "$root/scripts/show_results.py" sift-results.jsonl
if [ -s sift-dead.jsonl ]; then
  echo "== dead letters ($out/sift-dead.jsonl)"
  python3 "$root/scripts/show_results.py" sift-dead.jsonl
fi
