#!/bin/bash
# daemon.sh - scenario verbs for tests that run the real siftd.
#
#   . "${srcdir:-.}"/tests/lib/diag.sh init
#   . "$srcdir"/tests/lib/daemon.sh
#   generate_conf; add_conf 'pipelines = ( ... );'
#   startup; inject_docs 1000; shutdown_when_empty; wait_shutdown; seq_check 0 999; exit_test
#
# Everything lives in $SIFT_DYNNAME.d: the config, siftd's log, its ipc://
# sockets, the result and dead-letter files. Waits poll against
# SIFT_TB_TIMEOUT and call error_exit, which prints the log tail and stats.
PY=/usr/bin/python3
D="$SIFT_DYNNAME.d"
CONF="$D/siftd.conf"
RESULTS="$D/results.jsonl"
DEAD="$D/dead.jsonl"
LOG="$D/siftd.log"
INGEST="ipc://$D/ingest.sock"
SIFTD_PID=""

$PY -c 'import zmq, msgpack' 2>/dev/null || skip_test "/usr/bin/python3 lacks zmq or msgpack (Debian's python3-zmq, python3-msgpack)"

on_error_hook() {
  echo "---- siftd log tail ($LOG):" >&2
  tail -n 40 "$LOG" >&2 2>/dev/null
  echo "---- sift stats:" >&2
  run_sift stats -c "$CONF" 2>&1 | head -40 >&2
  [ -n "$SIFTD_PID" ] && kill -9 "$SIFTD_PID" 2>/dev/null
  pkill -9 -f "siftd --worker --config $CONF" 2>/dev/null
}

# generate_conf: endpoints, sinks and limits in the work dir; add_conf adds pipelines.
# EXTRA_INGEST=ENDPOINT (e.g. tcp://127.0.0.1:$(get_free_port)) adds a second ingest endpoint;
# EXTRA_SINK='{ name = ...; type = ...; }' adds a third sink.
generate_conf() {
  cat > "$CONF" <<CONF
plugin_path = "$SIFT_BUILD/lib/sift/plugins:$SIFT_BUILD/tests/plugins";
state_dir = "$D/state";
limits = { max_attempts = ${MAX_ATTEMPTS:-3}; stage_deadline_ms = ${DEADLINE_MS:-2000};
           max_queue_docs = ${MAX_QUEUE_DOCS:-10000}; drain_timeout_ms = ${DRAIN_MS:-10000}; };
endpoints = { ingest = [ "$INGEST"${EXTRA_INGEST:+, \"$EXTRA_INGEST\"} ]; backend = "ipc://$D/backend.sock";
              control = "ipc://$D/control.sock"; tail = "ipc://$D/tail.sock"; };
sinks = ( { name = "results"; type = "jsonl"; path = "$RESULTS"; },
          { name = "dead"; type = "jsonl"; path = "$DEAD"; }${EXTRA_SINK:+,
          $EXTRA_SINK} );
dead_letter = "dead";
CONF
  if [ -n "${SPOOL_SYNC:-}" ]; then
    printf 'spool = { path = "%s"; sync = "%s"; max_bytes = %s; };\n' \
      "$D/spool" "$SPOOL_SYNC" "${SPOOL_MAX_BYTES:-268435456}" >> "$CONF"
  fi
}

add_conf() { printf '%s\n' "$1" >> "$CONF"; }

# wait_for DESCRIPTION COMMAND...: poll COMMAND until it succeeds or time runs out.
wait_for() {
  local what=$1; shift
  local until=$((SECONDS + SIFT_TB_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $until ] && error_exit "timeout waiting for $what"
    sleep 0.1
  done
}

stats_json() { run_sift stats -c "$CONF" --json; }

# stat EXPR: evaluate a Python expression over the stats JSON (bound to s).
stat() {
  stats_json 2>/dev/null | $PY -c "import json,sys; s=json.load(sys.stdin); print($1)"
}

stat_is() { [ "$(stat "$1")" = "$2" ]; }

workers_ready() { stat_is "all(g['workers'] == g['workers_wanted'] for p in s['pipelines'] for g in p['segments'])" True; }

startup() {
  (cd "$D" && exec "$SIFT_BUILD/bin/siftd" -c "$CONF" >>"$LOG" 2>&1) &
  SIFTD_PID=$!
  wait_for "siftd to answer stats" stats_json
  wait_for "all workers ready" workers_ready
}

# kill9_siftd: kill -9 the broker (not a drain) and wait until its workers,
# which notice their parent is gone, have exited too.
kill9_siftd() {
  kill -9 "$SIFTD_PID"
  wait "$SIFTD_PID" 2>/dev/null
  SIFTD_PID=""
  no_workers() { ! pgrep -f "siftd --worker --config $CONF" >/dev/null; }
  wait_for "orphaned workers to exit" no_workers
}

# accounted_check ACCEPTED_FILE: every accepted id is in the results or dead
# letters at least once; prints accepted, delivered, lost, duplicates.
accounted_check() {
  $PY - "$1" "$RESULTS" "$DEAD" <<'PY' || error_exit "accepted documents were lost"
import json, sys, collections
acc = set(l.strip() for l in open(sys.argv[1]) if l.strip())
seen = collections.Counter()
for p in sys.argv[2:]:
    try:
        for l in open(p, encoding="utf-8"):
            if l.strip():
                seen[json.loads(l)["id"]] += 1
    except FileNotFoundError:
        pass
lost = [i for i in acc if seen[i] == 0]
dups = sum(1 for i in acc if seen[i] > 1)
print("accepted=%d delivered=%d lost=%d duplicates=%d" % (len(acc), len(acc) - len(lost), len(lost), dups))
if lost:
    print("  lost, e.g.: %s" % sorted(lost)[:10], file=sys.stderr)
sys.exit(1 if lost else 0)
PY
}

# inject_docs COUNT [producer args...]: push numbered docs; all must be accepted.
inject_docs() {
  local n=$1; shift
  $PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n "$n" --accepted "$D/accepted" "$@" \
    > "$D/producer.out" || { cat "$D/producer.out" >&2; error_exit "producer did not get all $n accepted"; }
  cat "$D/producer.out"
}

in_siftd_zero() { stat_is "s['in_siftd']" 0; }
wait_empty() { wait_for "siftd to have nothing inside" in_siftd_zero; }

shutdown_when_empty() {
  wait_empty
  kill -TERM "$SIFTD_PID"
}

wait_shutdown() {
  local until=$((SECONDS + SIFT_TB_TIMEOUT))
  while kill -0 "$SIFTD_PID" 2>/dev/null; do
    [ $SECONDS -ge $until ] && error_exit "siftd did not stop"
    sleep 0.1
  done
  wait "$SIFTD_PID"
  local rc=$?
  SIFTD_PID=""
  [ $rc -eq 0 ] || error_exit "siftd exited with status $rc"
  pgrep -f "siftd --worker --config $CONF" >/dev/null && error_exit "workers outlived siftd"
  return 0
}

# seq_check FIRST LAST [-d] [-m N]: ids doc-FIRST..doc-LAST appear in the
# results (and dead letters) exactly once; -d allows duplicates, -m N allows N missing.
seq_check() {
  $PY - "$RESULTS" "$DEAD" "$@" <<'PY' || error_exit "seq_check failed"
import json, sys, collections
res, dead, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
dups_ok = "-d" in sys.argv[5:]
missing_ok = int(sys.argv[sys.argv.index("-m") + 1]) if "-m" in sys.argv[5:] else 0
seen = collections.Counter()
for path in (res, dead):
    try:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                seen[json.loads(line)["id"]] += 1
    except FileNotFoundError:
        pass
want = ["doc-%d" % i for i in range(first, last + 1)]
missing = [w for w in want if seen[w] == 0]
dups = [w for w in want if seen[w] > 1]
print("seq_check: %d wanted, %d missing, %d duplicated" % (len(want), len(missing), len(dups)))
if len(missing) > missing_ok or (dups and not dups_ok):
    print("  missing: %s\n  duplicated: %s" % (missing[:10], dups[:10]), file=sys.stderr)
    sys.exit(1)
PY
}

# kill_worker SEGMENT_KEY [SIGNAL]: kill one worker process of a segment.
kill_worker() {
  local pid
  pid=$(pgrep -f "siftd --worker --config $CONF .*--segment $1" | head -1)
  [ -n "$pid" ] || error_exit "no worker for segment $1"
  kill "-${2:-KILL}" "$pid"
}

# get_free_port: print a TCP port on 127.0.0.1 that was free a moment ago.
get_free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
