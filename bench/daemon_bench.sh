#!/bin/bash
# daemon_bench.sh - siftd's docs/s, latency and memory beside a raw ZeroMQ chain, in one run.
#
# usage: bench/daemon_bench.sh [BUILD_DIR]        (default: build; a Release build is best)
#
# Cases, each in its own work dir with its own config, siftd started and
# stopped for every run (ids, state and counters start clean):
#   (a) four `noop` stages chained in one worker: one segment, 4 links
#       (producer -> broker -> worker -> broker -> sink)
#   (b) the same four stages with `isolate = true`: four segments, 10 links
#   (c) the shipped default pipeline (the `pipelines` block of conf/siftd.conf)
#   (a) again at half its measured docs/s: the latency when not saturated
# sift-bench (bench/siftbench.c) pushes ~SIZE-byte documents through the
# producer protocol and receives the results from a zmq_push sink. As the
# reference, ../shared/bench/zmq_chain.c (built here with cc -O2) moves the
# same payload size through a raw PUSH/PULL chain with as many links as
# the sift path, one chain run right after each sift run (the machine's
# speed drifts); the ratio is sift's median docs/s over the chain's median.
# Peak RSS is VmHWM of siftd and of its workers, read before siftd stops.
#
# Environment (defaults in brackets):
#   SIFT_BENCH_N [50000]        documents per run, cases (a) and (b)
#   SIFT_BENCH_N_DEFAULT [5000] documents per run, case (c)
#   SIFT_BENCH_SIZE [4096]      text bytes per document
#   SIFT_BENCH_RUNS [3]         runs per case; the table shows the median by docs/s
#   SIFT_BENCH_WINDOW [256]     pushes unanswered at once
#   SIFT_BENCH_CASES [a b c]    which cases (the half-load run goes with a)
#   SIFT_BENCH_SPOOL []         none, meta or full: run with the LMDB spool and that sync
#                               (default: no spool, documents in memory only)
#   SIFT_BENCH_KEEP [0]         1 = keep the work dir (configs, siftd logs, outputs)
# Exit 0 when every run delivered every document; 1 otherwise.
# SPDX-License-Identifier: MIT
set -uo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${SIFT_BUILD:-build}}
case $build in /*) ;; *) build=$srcdir/$build ;; esac
N=${SIFT_BENCH_N:-50000}
N_DEFAULT=${SIFT_BENCH_N_DEFAULT:-5000}
SIZE=${SIFT_BENCH_SIZE:-4096}
RUNS=${SIFT_BENCH_RUNS:-3}
WINDOW=${SIFT_BENCH_WINDOW:-256}
CASES=${SIFT_BENCH_CASES:-a b c}
SPOOL=${SIFT_BENCH_SPOOL:-}
chain_src=$(cd "$srcdir/.." && pwd)/shared/bench/zmq_chain.c
# shellcheck source=bench/lib.sh
. "$srcdir/bench/lib.sh"
bench_init daemon_bench sift-bench
HZ=$(getconf CLK_TCK)
t_start=$SECONDS

# ---------------------------------------------------------------- siftd

noop_stages() { # noop_stages ISOLATE: four noop stages, named n1..n4
    local i sep=""
    for i in 1 2 3 4; do
        printf '%s{ plugin = "noop"; name = "n%d"; isolate = %s; }' "$sep" "$i" "$1"
        sep=", "
    done
}

# write_conf DIR KIND: siftd.conf for case KIND (a, b or c) in DIR; results go to a zmq_push sink.
write_conf() {
    local d=$1
    cat > "$d/siftd.conf" <<EOF
plugin_path = "$build/lib/sift/plugins:$build/tests/plugins";
state_dir = "$d/state";
endpoints = { ingest = [ "ipc://$d/ingest.sock" ]; backend = "ipc://$d/backend.sock";
              control = "ipc://$d/control.sock"; tail = "ipc://$d/tail.sock"; };
sinks = ( { name = "bench"; type = "zmq_push"; endpoint = "ipc://$d/results.sock"; } );
dead_letter = "bench";
EOF
    [ -z "$SPOOL" ] || echo "spool = { path = \"$d/spool\"; sync = \"$SPOOL\"; };" >> "$d/siftd.conf"
    case $2 in
    a) echo "pipelines = ( { name = \"default\"; sinks = [ \"bench\" ]; stages = ( $(noop_stages false) ); } );" ;;
    b) echo "pipelines = ( { name = \"default\"; sinks = [ \"bench\" ]; stages = ( $(noop_stages true) ); } );" ;;
    c) sed -n '/^pipelines *=/,$p' "$srcdir/conf/siftd.conf" | sed 's/sinks = \[ "results" \]/sinks = [ "bench" ]/' ;;
    esac >> "$d/siftd.conf"
}

vmhwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

cpu_ticks() { # user + system CPU of a process so far, in clock ticks
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    echo "${stat##*) }" | awk '{print $12 + $13}'
}

# sample_procs DIR: "SIFTD_KB WORKERS_SUM_KB WORKERS_MAX_KB N_WORKERS SIFTD_TICKS WORKERS_TICKS"
# of the running siftd: peak RSS and CPU time so far of the broker and of its workers.
sample_procs() {
    local pid kb sum=0 max=0 n=0 ticks=0
    for pid in $(pgrep -f -- "--worker --config $1/siftd.conf"); do
        kb=$(vmhwm_kb "$pid")
        sum=$((sum + kb)); n=$((n + 1))
        [ "$kb" -gt "$max" ] && max=$kb
        ticks=$((ticks + $(cpu_ticks "$pid")))
    done
    echo "$(vmhwm_kb "$SIFTD_PID") $sum $max $n $(cpu_ticks "$SIFTD_PID") $ticks"
}

# ---------------------------------------------------------------- runs

# one_run KIND TAG DOCS [sift-bench args...]: fresh siftd, one sift-bench run; sets RUN_LINE
# to its RESULT line followed by segments=S siftd_kb=K workers_kb=W workers_max_kb=M workers=N
# siftd_cpu_s=C workers_cpu_s=W (the CPU time of siftd's broker and its workers, all the run).
one_run() {
    local kind=$1 tag=$2 docs=$3 d=$work/$2
    shift 3
    mkdir -p "$d"
    write_conf "$d" "$kind"
    start_siftd "$d"
    local segs
    segs=$(stats_py "$d" "sum(len(p['segments']) for p in s['pipelines'])")
    "$BENCH" -e "ipc://$d/ingest.sock" -r "ipc://$d/results.sock" -n "$docs" -s "$SIZE" -w "$WINDOW" \
        --prefix "$tag-" --log "$d/latency.log" "$@" > "$d/bench.out" 2>&1 || { failed=1; echo "daemon_bench: run $tag failed:" >&2; cat "$d/bench.out" >&2; }
    local p
    read -r -a p <<< "$(sample_procs "$d")"
    "$SIFT" stats -c "$d/siftd.conf" > "$d/stats.txt" 2>&1
    stop_siftd
    RUN_LINE="$(grep '^RESULT' "$d/bench.out" || echo RESULT docs_per_s=0) segments=$segs"
    RUN_LINE+=" siftd_kb=${p[0]} workers_kb=${p[1]} workers_max_kb=${p[2]} workers=${p[3]}"
    RUN_LINE+=" siftd_cpu_s=$(awk -v t="${p[4]}" -v h="$HZ" 'BEGIN {print t / h}')"
    RUN_LINE+=" workers_cpu_s=$(awk -v t="${p[5]}" -v h="$HZ" 'BEGIN {print t / h}')"
}

# median_run LINES: the line with the median docs_per_s; peak RSS fields become the maximum over runs.
median_run() {
    python3 - "$1" <<'PY'
import sys
runs = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in sys.argv[1].splitlines() if l.strip()]
runs.sort(key=lambda r: float(r.get("docs_per_s", 0)))
m = dict(runs[len(runs) // 2])
for k in ("siftd_kb", "workers_kb", "workers_max_kb"):
    m[k] = str(max(int(r.get(k, 0)) for r in runs))
print("RUN " + " ".join("%s=%s" % kv for kv in m.items()))
PY
}

CHAIN=""
build_chain() {
    if [ ! -f "$chain_src" ]; then
        echo "reference skipped: $chain_src is absent (../shared beside the repo)"
        return
    fi
    # shellcheck disable=SC2046 # pkg-config's flags are meant to split
    if cc -std=c11 -O2 -o "$work/zmq_chain" "$chain_src" $(pkg-config --cflags --libs libzmq msgpack); then
        CHAIN=$work/zmq_chain
    else
        echo "reference skipped: zmq_chain.c did not build"
    fi
}

# chain_rate LINKS DOCS: one run of the raw chain; its msgs/s (0 without the reference).
chain_rate() {
    [ -n "$CHAIN" ] || { echo 0; return; }
    local out
    out=$("$CHAIN" chain -H $(($1 - 1)) -s "$SIZE" -n "$2" -r 1 2>&1) || { echo "$out" >&2; echo 0; return; }
    echo "$out" >> "$work/chain.log"
    echo "$out" | awk '/^SUMMARY/ {for (i = 1; i <= NF; i++) if ($(i + 1) == "msgs/s") {print $i; exit}}'
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1]}'; } # as median_run

# ---------------------------------------------------------------- table

ROWS=()
add_row() { # add_row LABEL RUNLINE LINKS RAW_RATE WANTED_DOCS (LINKS, RAW_RATE: - for none)
    local r=$2 raw=$4 rate ratio="-" note=""
    rate=$(field "$r" docs_per_s)
    case $raw in 0 | -) raw="-" ;; *) ratio=$(awk -v a="$rate" -v b="$raw" 'BEGIN {printf "%.2f", a / b}') ;; esac
    [ "$(field "$r" docs)" = "$5" ] || note="  INCOMPLETE: $(field "$r" docs) of $5 came back"
    ROWS+=("$(printf '%-26s %6s %6s %6s %8s %8s %8s %8s %13s %14s %5s %9s %5s' "$1" "$(field "$r" docs)" "$rate" \
        "$(field "$r" mb_per_s)" "$(field "$r" p50_ms)" "$(field "$r" p99_ms)" "$(field "$r" max_ms)" \
        "$(awk -v k="$(field "$r" siftd_kb)" 'BEGIN {printf "%.1f", k / 1024}')" \
        "$(awk -v k="$(field "$r" workers_kb)" -v n="$(field "$r" workers)" -v m="$(field "$r" workers_max_kb)" \
            'BEGIN {printf "%d: %.1f/%.1f", n, k / 1024, m / 1024}')" \
        "$(awk -v s="$(field "$r" siftd_cpu_s)" -v w="$(field "$r" workers_cpu_s)" -v b="$(field "$r" cpu_s)" \
            -v n="$(field "$r" docs)" 'BEGIN {if (n > 0) printf "%d/%d/%d", s * 1e6 / n, w * 1e6 / n, b * 1e6 / n}')" \
        "$3" "$raw" "$ratio")$note")
    [ -z "$note" ] || failed=1
}

# run_case KIND LABEL DOCS: RUNS runs of a case, each followed by a run of the raw chain
# with as many links (the machine's speed drifts: the pairs share their minute); sets
# LAST_RATE (sift's median docs/s).
run_case() {
    local kind=$1 label=$2 docs=$3 lines="" raws=() links=0 m i
    echo "case ($kind) $label: $RUNS x $docs documents ..."
    for ((i = 1; i <= RUNS; i++)); do
        one_run "$kind" "$kind$i" "$docs" --seed "$i"
        lines+="$RUN_LINE"$'\n'
        [ $links -gt 0 ] || links=$((2 + 2 * $(field "$RUN_LINE" segments)))
        raws+=("$(chain_rate "$links" "$docs")")
        echo "  run $i: sift $(field "$RUN_LINE" docs_per_s) docs/s, raw $links-link chain" \
            "$([ "${raws[-1]}" = 0 ] && echo "skipped" || echo "${raws[-1]} msgs/s")"
    done
    m=$(median_run "$lines")
    add_row "($kind) $label" "$m" "$links" "$(median "${raws[@]}")" "$docs"
    LAST_RATE=$(field "$m" docs_per_s)
}

half_load() { # half_load RATE: case (a) pushed at half its peak docs/s for about 5 s
    local rate=$(($1 / 2)) docs
    [ "$rate" -gt 0 ] || return
    docs=$((rate * 5))
    [ "$docs" -gt "$N" ] && docs=$N
    [ "$docs" -lt 2000 ] && docs=2000
    echo "case (a) at half load: $docs documents at $rate docs/s ..."
    one_run a a-half "$docs" --rate "$rate" --seed 99
    add_row "(a) at half load, $rate/s" "$RUN_LINE" - - "$docs"
}

build_chain
echo "siftd bench: $SIZE-byte documents, runs per case: $RUNS (median shown), spool: ${SPOOL:-off}," \
    "build $build, work dir $work"
for c in $CASES; do
    case $c in
    a) run_case a "4 noop, one worker" "$N"; half_load "$LAST_RATE" ;;
    b) run_case b "4 noop, isolated" "$N" ;;
    c) run_case c "default pipeline" "$N_DEFAULT" ;;
    *) echo "daemon_bench: unknown case $c (a, b or c)" >&2; exit 1 ;;
    esac
done

echo
printf '%-26s %6s %6s %6s %8s %8s %8s %8s %13s %14s %5s %9s %5s\n' case docs docs/s MB/s p50_ms p99_ms max_ms \
    siftd_MB workers_MB cpu_us/doc links raw_msg/s ratio
printf '%s\n' "${ROWS[@]}"
if [ -f "$work/c1/stats.txt" ]; then
    echo "time per stage in case (c), run 1 (sift stats):"
    sed -n '/^ *stage /,/^ *segment /p' "$work/c1/stats.txt" | sed '$d'
fi
echo "(MB/s: 10^6 bytes of text; latency: push -> result; siftd_MB: siftd's peak RSS; workers_MB: count:"
echo " sum/largest peak RSS; cpu_us/doc: CPU time per document of siftd's broker/its workers/sift-bench;"
echo " links: ZeroMQ hops a document makes; ratio: sift docs/s over the raw chain's msgs/s)"
echo "took $((SECONDS - t_start)) s; reproduce with:"
echo "  SIFT_BENCH_N=$N SIFT_BENCH_N_DEFAULT=$N_DEFAULT SIFT_BENCH_SIZE=$SIZE SIFT_BENCH_RUNS=$RUNS" \
    "SIFT_BENCH_WINDOW=$WINDOW SIFT_BENCH_CASES=\"$CASES\"${SPOOL:+ SIFT_BENCH_SPOOL=$SPOOL}" \
    "bench/daemon_bench.sh ${1:-${SIFT_BUILD:-build}}"
exit $failed
