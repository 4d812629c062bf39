# lib.sh - what the siftd benches share: binaries, work dir, starting and stopping siftd.
#
# Sourced by daemon_bench.sh and spool_bench.sh after they set NAME (for
# messages) and build. Defines SIFTD, SIFT, BENCH, work (a fresh dir under
# TMPDIR with prefix $2 of bench_init, removed at exit unless
# SIFT_BENCH_KEEP=1), SIFTD_PID, failed; and the functions below.
# SPDX-License-Identifier: MIT

# bench_init NAME WORK_PREFIX: check the binaries, make the work dir, trap cleanup.
bench_init() {
    NAME=$1
    BENCH=$build/bin/sift-bench
    SIFTD=$build/bin/siftd
    SIFT=$build/bin/sift
    local f
    for f in "$BENCH" "$SIFTD" "$SIFT" "$build/tests/plugins/noop.so"; do
        [ -e "$f" ] || { echo "$NAME: $f is missing: build the sift-bench, siftd, sift and plugin_noop targets in $build" >&2; exit 1; }
    done
    work=$(mktemp -d "${TMPDIR:-/tmp}/$2.XXXXXX")
    SIFTD_PID=""
    failed=0
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    if [ -n "$SIFTD_PID" ]; then kill -TERM "$SIFTD_PID" 2>/dev/null; wait "$SIFTD_PID" 2>/dev/null; fi
    if [ "${SIFT_BENCH_KEEP:-0}" = 1 ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}

stats_py() { # stats_py DIR EXPR: a Python expression over `sift stats --json` (bound to s)
    "$SIFT" stats -c "$1/siftd.conf" --json 2>/dev/null |
        /usr/bin/python3 -c "import json,sys; s=json.load(sys.stdin); print($2)" 2>/dev/null
}

launch_siftd() { # launch_siftd DIR: start siftd there, in the background
    (cd "$1" && exec "$SIFTD" -c "$1/siftd.conf" >>"$1/siftd.log" 2>&1) &
    SIFTD_PID=$!
}

wait_ready() { # wait_ready DIR: until every worker of every segment is up (30 s at most)
    local d=$1 i
    for ((i = 0; i < 300; i++)); do
        [ "$(stats_py "$d" "all(g['workers'] == g['workers_wanted'] for p in s['pipelines'] for g in p['segments'])")" = True ] && return 0
        kill -0 "$SIFTD_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "$NAME: siftd in $d did not get ready; its log:" >&2
    tail -20 "$d/siftd.log" >&2
    exit 1
}

start_siftd() { launch_siftd "$1" && wait_ready "$1"; } # start_siftd DIR: launch, wait ready

stop_siftd() {
    kill -TERM "$SIFTD_PID"
    wait "$SIFTD_PID"
    local rc=$?
    SIFTD_PID=""
    [ $rc -eq 0 ] || { echo "$NAME: siftd exited with status $rc" >&2; failed=1; }
}

field() { # field LINE KEY: the value of KEY=value in LINE, 0 if absent
    local kv
    for kv in $1; do [ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return; }; done
    echo 0
}
