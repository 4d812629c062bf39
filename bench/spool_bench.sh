#!/bin/bash
# spool_bench.sh - what the spool costs siftd in docs/s per spool.sync, and how fast it recovers.
#
# usage: bench/spool_bench.sh [BUILD_DIR]        (default: build; a Release build is best)
#
# Part 1, throughput: ~SIZE-byte documents through a one-stage `noop` pipeline
# (tests/plugins/noop.so), results back to sift-bench through a zmq_push
# sink, with the spool off and on with sync = none, meta and full. Every run
# has a fresh siftd and work dir; the modes run interleaved, RUNS rounds, and
# each row is the run with the median accepted docs/s. The ratio columns are
# the row's docs/s over the spool-off row's.
# Part 2, recovery: a pipeline whose only sink is a zmq_push sink nobody
# reads, so every document stays in siftd and its spool (sync = none).
# RECOVER_N documents of ~RECOVER_SIZE bytes are pushed (a Python producer
# over the real protocol), and once `sift stats` shows them all in siftd and
# in the spool, siftd is killed with kill -9 (its workers are waited out) and
# started again: the replay time is the `ms=` of its `spool replayed` log
# line, the time to first answer is from the start of the new siftd to the
# first `sift stats` that answers.
#
# Environment (defaults in brackets):
#   SIFT_BENCH_N [20000]              documents per throughput run
#   SIFT_BENCH_SIZE [4096]            text bytes per document, throughput runs
#   SIFT_BENCH_RUNS [3]               rounds of the four throughput runs (median shown)
#   SIFT_BENCH_WINDOW [256]           pushes unanswered at once
#   SIFT_BENCH_RECOVER_N [100000]     documents in the spool for the recovery run (0: skip it)
#   SIFT_BENCH_RECOVER_SIZE [1024]    text bytes per document, recovery run
#   SIFT_BENCH_KEEP [0]               1 = keep the work dir (configs, siftd logs, outputs)
# The work dir is under TMPDIR (default /tmp): its file system is what the spool's
# fsyncs measure, and the script prints it.
# Exit 0 when every run delivered (or, in part 2, held and replayed) every document; 1 otherwise.
# SPDX-License-Identifier: MIT
set -uo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${SIFT_BUILD:-build}}
case $build in /*) ;; *) build=$srcdir/$build ;; esac
N=${SIFT_BENCH_N:-20000}
SIZE=${SIFT_BENCH_SIZE:-4096}
RUNS=${SIFT_BENCH_RUNS:-3}
WINDOW=${SIFT_BENCH_WINDOW:-256}
RN=${SIFT_BENCH_RECOVER_N:-100000}
RSIZE=${SIFT_BENCH_RECOVER_SIZE:-1024}
MODES="off none meta full"
PY=/usr/bin/python3
# shellcheck source=bench/lib.sh
. "$srcdir/bench/lib.sh"
bench_init spool_bench sift-spoolbench
t_start=$SECONDS

# ---------------------------------------------------------------- siftd

# write_conf DIR SINK_ENDPOINT SPOOL_SYNC [EXTRA]: a one-stage noop pipeline whose only sink
# is a zmq_push sink connecting to SINK_ENDPOINT (also the dead letter); SPOOL_SYNC off = no spool.
write_conf() {
    local d=$1
    cat > "$d/siftd.conf" <<EOF
plugin_path = "$build/lib/sift/plugins:$build/tests/plugins";
state_dir = "$d/state";
endpoints = { ingest = [ "ipc://$d/ingest.sock" ]; backend = "ipc://$d/backend.sock";
              control = "ipc://$d/control.sock"; tail = "ipc://$d/tail.sock"; };
sinks = ( { name = "out"; type = "zmq_push"; endpoint = "$2"; } );
dead_letter = "out";
pipelines = ( { name = "default"; sinks = [ "out" ]; stages = ( { plugin = "noop"; } ); } );
${4:-}
EOF
    [ "$3" = off ] || echo "spool = { path = \"$d/spool\"; max_bytes = 4294967296L; sync = \"$3\"; };" >> "$d/siftd.conf"
}

# ---------------------------------------------------------------- part 1: throughput

# one_run MODE ROUND: fresh siftd with spool MODE, one sift-bench run; appends its RESULT line
# (plus commits=C, the spool's committed passes) to $work/MODE.runs.
one_run() {
    local mode=$1 d=$work/$1-$2 commits
    mkdir -p "$d"
    write_conf "$d" "ipc://$d/results.sock" "$mode"
    start_siftd "$d"
    "$BENCH" -e "ipc://$d/ingest.sock" -r "ipc://$d/results.sock" -n "$N" -s "$SIZE" -w "$WINDOW" \
        --prefix "$mode$2-" --seed "$2" --log "$d/latency.log" > "$d/bench.out" 2>&1 ||
        { failed=1; echo "spool_bench: run $mode/$2 failed:" >&2; cat "$d/bench.out" >&2; }
    commits=$(stats_py "$d" "s['spool']['commits'] if s['spool'] else '-'")
    stop_siftd
    echo "$(grep '^RESULT' "$d/bench.out" || echo RESULT accepted_per_s=0) commits=${commits:--}" >> "$work/$mode.runs"
    echo "  round $2, spool $mode: $(field "$(tail -1 "$work/$mode.runs")" accepted_per_s) accepted/s," \
        "$(field "$(tail -1 "$work/$mode.runs")" docs_per_s) delivered/s"
}

median_line() { # median_line FILE: the run with the median accepted_per_s
    $PY - "$1" <<'PY'
import sys
runs = [l.split() for l in open(sys.argv[1]) if l.startswith("RESULT")]
runs.sort(key=lambda r: float(dict(kv.split("=", 1) for kv in r[1:]).get("accepted_per_s", 0)))
print(" ".join(runs[len(runs) // 2]))
PY
}

throughput_table() {
    local mode r base_acc=0 base_del=0 acc del note
    printf '%-10s %6s %10s %11s %9s %9s %8s %8s %8s\n' spool docs accepted/s delivered/s acc_ratio del_ratio \
        p50_ms p99_ms commits
    for mode in $MODES; do
        r=$(median_line "$work/$mode.runs")
        acc=$(field "$r" accepted_per_s)
        del=$(field "$r" docs_per_s)
        [ "$mode" = off ] && { base_acc=$acc; base_del=$del; }
        note=""
        [ "$(field "$r" docs)" = "$N" ] || { note="  INCOMPLETE: $(field "$r" docs) of $N came back"; failed=1; }
        printf '%-10s %6s %10s %11s %9s %9s %8s %8s %8s%s\n' "$([ "$mode" = off ] && echo off || echo "sync=$mode")" \
            "$(field "$r" docs)" "$acc" "$del" \
            "$(awk -v a="$acc" -v b="$base_acc" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}')" \
            "$(awk -v a="$del" -v b="$base_del" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}')" \
            "$(field "$r" p50_ms)" "$(field "$r" p99_ms)" "$(field "$r" commits)" "$note"
    done
}

# ---------------------------------------------------------------- part 2: recovery

# push_held DIR: push RN documents of ~RSIZE bytes (resending `overloaded`); prints
# "accepted=A secs=S"; exit 1 unless all were accepted.
push_held() {
    $PY - "ipc://$1/ingest.sock" "$RN" "$RSIZE" <<'PY'
import sys, time, collections, msgpack, zmq
ep, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
words = ("the of and to in a is that for it as was with be by on not he this are or his from at which "
         "but have an they one you were her all she there would their we him been has when who will more "
         "no if out so said what up its about into than them can only other new some could time these two "
         "may then do first any my now such like our over man me even most made after also did many before "
         "must through back years where much your way well down should because each just those people").split()
base = " ".join(words[i % len(words)] for i in range(size // 3))
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 1000)
s.connect(ep)
todo, in_flight, retry = collections.deque(range(n)), set(), collections.deque()
accepted, pause_until, backoff, last = 0, 0.0, 0.001, time.time()
t0 = time.time()
while todo or in_flight or retry:
    now = time.time()
    while now >= pause_until and (retry or todo) and len(in_flight) < 256:
        i = retry.popleft() if retry else todo.popleft()
        k = (i * 7919) % len(base)
        text = ("Document %d. " % i + base[k:] + base[:k])[:size]
        s.send_multipart([b"SIFTP1", b"\x01", b"%d" % i, b"",
                          msgpack.packb({"id": "held-%d" % i, "source": "spool_bench", "text": text})])
        in_flight.add(i)
    if not s.poll(10):
        if time.time() - last > 30:
            sys.exit("spool_bench: no reply from siftd for 30 s (accepted %d)" % accepted)
        continue
    while True:
        try:
            f = s.recv_multipart(zmq.NOBLOCK)
        except zmq.Again:
            break
        last = time.time()
        i = int(f[2])
        in_flight.discard(i)
        if f[1] == b"\x81":
            accepted, backoff = accepted + 1, 0.001
        elif f[3] == b"overloaded":
            retry.append(i)
            pause_until, backoff = time.time() + backoff, min(backoff * 2, 0.064)
        else:
            sys.exit("spool_bench: refused %s: %s" % (f[3].decode(), f[4].decode()))
print("accepted=%d secs=%.2f" % (accepted, time.time() - t0))
PY
}

# wait_held DIR: until siftd holds RN documents, all of them in the spool (120 s at most)
wait_held() {
    local i
    for ((i = 0; i < 600; i++)); do
        [ "$(stats_py "$1" "s['in_siftd'] == $RN and s['spool']['records'] == $RN")" = True ] && return 0
        sleep 0.2
    done
    echo "spool_bench: siftd never held $RN documents in its spool: $(stats_py "$1" "(s['in_siftd'], s['spool'])")" >&2
    return 1
}

kill9_siftd() { # kill9_siftd DIR: kill -9 the broker, then wait for its workers to go (30 s at most)
    local i
    kill -9 "$SIFTD_PID"
    wait "$SIFTD_PID" 2>/dev/null
    SIFTD_PID=""
    for ((i = 0; i < 300; i++)); do
        pgrep -f -- "--worker --config $1/siftd.conf" >/dev/null || return 0
        sleep 0.1
    done
    echo "spool_bench: siftd's workers in $1 did not exit after kill -9" >&2
    return 1
}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); } # ms_since NS

recovery() {
    local d=$work/recover out t0 first="" i size_mb du_mb used_mb replay held
    mkdir -p "$d"
    write_conf "$d" "ipc://$d/nobody.sock" none \
        "limits = { max_queue_docs = 200000; max_queue_bytes = 4294967296L; drain_timeout_ms = 500; };"
    start_siftd "$d"
    echo "recovery: pushing $RN documents of ~$RSIZE bytes into a siftd whose only sink has no reader ..."
    out=$(push_held "$d") || { failed=1; echo "$out"; return; }
    echo "  $out"
    wait_held "$d" || { failed=1; return; }
    used_mb=$(stats_py "$d" "'%.1f' % (s['spool']['used_bytes'] / 1048576)")
    size_mb=$(awk -v b="$(stat -c %s "$d"/spool/*.mdb | sort -n | tail -1)" 'BEGIN {printf "%.1f", b / 1048576}')
    du_mb=$(du -sk "$d/spool" | awk '{printf "%.1f", $1 / 1024}')
    kill9_siftd "$d" || { failed=1; return; }
    echo "  siftd killed with kill -9 holding $RN documents; starting it again"
    t0=$(date +%s%N)
    launch_siftd "$d"
    while [ "$(ms_since "$t0")" -lt 300000 ]; do # each `sift stats` waits up to 2 s for an answer
        if "$SIFT" stats -c "$d/siftd.conf" > "$d/stats-after.txt" 2>/dev/null; then first=$(ms_since "$t0"); break; fi
        kill -0 "$SIFTD_PID" 2>/dev/null || break
    done
    replay=$(grep 'msg="spool replayed"' "$d/siftd.log" | tail -1)
    held=$(stats_py "$d" "s['in_siftd']")
    if [ -z "$first" ] || [ "$(field "$replay" records)" != "$RN" ] || [ "$held" != "$RN" ]; then
        failed=1
        echo "spool_bench: recovery incomplete: ${replay:-no replay line}, in_siftd=${held:-?}" >&2
    fi
    stop_siftd
    echo
    printf '%-9s %6s %9s %10s %15s %16s %12s\n' records queued replay_ms first_stats_ms spool_file_MB \
        spool_on_disk_MB spool_used_MB
    printf '%-9s %6s %9s %10s %15s %16s %12s\n' "$(field "$replay" records)" "$(field "$replay" queued)" \
        "$(field "$replay" ms)" "${first:--}" "$size_mb" "$du_mb" "$used_mb"
    echo "(replay_ms: the ms= of siftd's \`spool replayed\` line; first_stats_ms: siftd started -> first"
    echo " \`sift stats\` answer; spool_file_MB: size of the .mdb file; on_disk: du; used: the spool's used_bytes)"
}

# ---------------------------------------------------------------- main

echo "spool bench: build $build, work dir $work ($(df -PT "$work" | awk 'NR == 2 {print $2 " on " $1}'))," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "throughput: $N documents of $SIZE bytes per run, one noop stage, window $WINDOW, $RUNS rounds of: $MODES"
for ((round = 1; round <= RUNS; round++)); do
    for mode in $MODES; do one_run "$mode" "$round"; done
done
echo
throughput_table
echo "(accepted/s: accepts from the first push to the last accept; delivered/s: results from the first push"
echo " to the last result; ratios: over spool off; latency: push -> result; commits: spool passes committed)"
echo
[ "$RN" -gt 0 ] && recovery
echo
echo "took $((SECONDS - t_start)) s, load average now $(cut -d' ' -f1-3 /proc/loadavg); reproduce with:"
echo "  SIFT_BENCH_N=$N SIFT_BENCH_SIZE=$SIZE SIFT_BENCH_RUNS=$RUNS SIFT_BENCH_WINDOW=$WINDOW" \
    "SIFT_BENCH_RECOVER_N=$RN SIFT_BENCH_RECOVER_SIZE=$RSIZE bench/spool_bench.sh ${1:-${SIFT_BUILD:-build}}"
exit $failed
