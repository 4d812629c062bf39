#!/bin/bash
# siftd and its clients: `sift push` (a directory and a .jsonl file),
# examples/python/push.py and the C example (sift-push-example) push 200
# documents each; `sift stats --json` counts 600 delivered and the results
# file holds 600 distinct ids, each once, the ones the clients were told.
# `sift tail -n 1 --jsonl` prints a document pushed after it started; a push
# to an unknown pipeline is refused with its code (exit 1); `sift stats`
# names an endpoint that does not answer; SIGTERM stops siftd with status 0.
# Not tested here: overload and crashes (the other daemon-*.sh scenarios).
. "${srcdir:-.}"/tests/lib/diag.sh init
D="$SIFT_DYNNAME.d"
CONF="$D/siftd.conf"
LOG="$D/siftd.log"
RESULTS="$D/results.jsonl"
INGEST="ipc://$D/ingest.sock"
PYZMQ=/usr/bin/python3 # Debian's, with python3-zmq and python3-msgpack
PY=python3             # for JSON: Debian's too when there (it starts faster than a pyenv shim)
[ -x "$PYZMQ" ] && PY=$PYZMQ
SIFTD_PID=""
TAIL_PID=""

# Helpers local to this script (tests/lib/daemon.sh has the shared ones).

# stop_all: on any exit, stop what this script started, by pid.
stop_all() {
  [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null
  if [ -n "$SIFTD_PID" ] && kill -0 "$SIFTD_PID" 2>/dev/null; then
    kill -TERM "$SIFTD_PID"
    local until=$((SECONDS + 10))
    while kill -0 "$SIFTD_PID" 2>/dev/null && [ $SECONDS -lt $until ]; do sleep 0.1; done
    kill -KILL "$SIFTD_PID" 2>/dev/null
  fi
}
trap stop_all EXIT

on_error_hook() {
  echo "---- siftd log tail ($LOG):" >&2
  tail -n 30 "$LOG" >&2 2>/dev/null
  echo "---- sift stats:" >&2
  run_sift stats -c "$CONF" 2>&1 | head -30 >&2
}

# wait_for WHAT COMMAND...: poll COMMAND until it succeeds, at most SIFT_TB_TIMEOUT s.
wait_for() {
  local what=$1
  shift
  local until=$((SECONDS + SIFT_TB_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $until ] && error_exit "timeout waiting for $what"
    sleep 0.1
  done
}

# stat_is EXPR VALUE: the Python expression EXPR over `sift stats --json` (as s) prints VALUE.
stat_is() {
  local got
  got=$(run_sift stats -c "$CONF" --json 2>/dev/null |
        $PY -c "import json, sys; s = json.load(sys.stdin); print($1)" 2>/dev/null)
  [ "$got" = "$2" ]
}

# ids_check FILE COUNT PREFIX: FILE lists COUNT distinct ids, all starting with PREFIX.
ids_check() {
  [ "$(sort -u "$1" | grep -c "^$3")" -eq "$2" ] && [ "$(wc -l < "$1")" -eq "$2" ] ||
    error_exit "$1: expected $2 distinct ids starting with $3"
}

cat > "$CONF" <<CONF
plugin_path = "$SIFT_BUILD/tests/plugins";
endpoints = { ingest = [ "$INGEST" ]; backend = "ipc://$D/backend.sock";
              control = "ipc://$D/control.sock"; tail = "ipc://$D/tail.sock"; };
sinks = ( { name = "results"; type = "jsonl"; path = "$RESULTS"; },
          { name = "dead"; type = "jsonl"; path = "$D/dead.jsonl"; } );
dead_letter = "dead";
pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );
CONF

(cd "$D" && exec "$SIFT_BUILD/bin/siftd" -c "$CONF" >>"$LOG" 2>&1) &
SIFTD_PID=$!
wait_for "siftd to answer sift stats" run_sift stats -c "$CONF"

# 1. sift push: 100 text files in a directory, 100 lines of JSONL.
mkdir "$D/in" "$D/ids"
for i in $(seq 0 99); do echo "UPPER text file number $i" > "$D/in/cli-$i.txt"; done
for i in $(seq 100 199); do
  printf '{"id": "cli-%d", "text": "jsonl document %d", "source": "test", "fields": {"n": %d}}\n' "$i" "$i" "$i"
done > "$D/in.jsonl"
run_sift push -c "$CONF" "$D/in" "$D/in.jsonl" 2> "$D/push.err" ||
  { cat "$D/push.err" >&2; error_exit "sift push failed"; }
expect_contains "$D/push.err" "200 accepted, 0 refused"
want=200

# 2. examples/python/push.py, when Debian's python has zmq and msgpack.
if $PYZMQ -c 'import zmq, msgpack' 2>/dev/null; then
  $PYZMQ "$srcdir/examples/python/push.py" -e "$INGEST" --count 200 --prefix py- \
    --ids-out "$D/ids/py" > "$D/py.out" || { cat "$D/py.out" >&2; error_exit "push.py failed"; }
  ids_check "$D/ids/py" 200 py-
  want=$((want + 200))
else
  echo "push.py part skipped: $PYZMQ lacks zmq or msgpack (python3-zmq, python3-msgpack)"
fi

# 3. The C example.
[ -x "$SIFT_BUILD/bin/sift-push-example" ] || error_exit "no $SIFT_BUILD/bin/sift-push-example"
"$SIFT_BUILD/bin/sift-push-example" -e "$INGEST" --count 200 --size 3000 --prefix c- \
  --ids-out "$D/ids/c" > "$D/c.out" || { cat "$D/c.out" >&2; error_exit "sift-push-example failed"; }
ids_check "$D/ids/c" 200 c-
want=$((want + 200))

# Every document comes out once, with the ids the clients were told.
wait_for "$want documents delivered" stat_is "s['ingest']['delivered']" "$want"
stat_is "'%d %d' % (s['ingest']['accepted'], s['in_siftd'])" "$want 0" || error_exit "accepted or in_siftd is off"
json_check "$RESULTS" "len(docs) == $want and len(by_id) == $want" "$want results, each id once"
json_check "$RESULTS" "all(by_id['cli-%d.txt' % i]['text'].startswith('UPPER TEXT FILE NUMBER') for i in range(100))" \
  "text files went through the probe stage (UPPER)"
json_check "$RESULTS" "all(by_id['cli-%d' % i]['source'] == 'test' for i in range(100, 200))" \
  "JSONL documents kept their source"
cat "$D"/ids/* | sort > "$D/told.ids"
$PY -c 'import json, sys; print("\n".join(json.loads(l)["id"] for l in open(sys.argv[1])))' \
  "$RESULTS" | grep -v '^cli-' | sort > "$D/result.ids"
cmp -s "$D/told.ids" "$D/result.ids" || error_exit "ids in the results differ from the accepted ids"

# 4. sift tail sees a document pushed after it started (push until it has one:
# a subscription takes a moment to reach siftd).
run_sift tail -c "$CONF" -n 1 --jsonl > "$D/tail.out" 2> "$D/tail.err" &
TAIL_PID=$!
until=$((SECONDS + SIFT_TB_TIMEOUT))
n=0
while kill -0 "$TAIL_PID" 2>/dev/null; do
  [ $SECONDS -ge $until ] && error_exit "sift tail printed nothing"
  echo "{\"id\": \"tail-$n\", \"text\": \"watched\"}" | run_sift push -q -c "$CONF" - ||
    error_exit "push for tail failed"
  n=$((n + 1))
  sleep 0.2
done
wait "$TAIL_PID" || { cat "$D/tail.err" >&2; error_exit "sift tail -n 1 exited with $?"; }
TAIL_PID=""
json_check "$D/tail.out" "len(docs) == 1 and docs[0]['id'].startswith('tail-') and docs[0]['status'] == {'state': 'ok'}" \
  "sift tail printed the one document pushed after it started"

# 5. An unknown pipeline is refused with its code; push says so and exits 1.
run_sift push -c "$CONF" -p nosuch "$D/in/cli-1.txt" 2> "$D/unknown.err" &&
  error_exit "a push to an unknown pipeline succeeded"
expect_contains "$D/unknown.err" "refused 1 unknown_pipeline"
expect_contains "$D/unknown.err" 'no pipeline named "nosuch"'
stat_is "s['ingest']['refused']['unknown_pipeline']" 1 || error_exit "stats do not count the refusal"

# 6. sift stats prints tables, and names an endpoint that does not answer.
run_sift stats -c "$CONF" > "$D/stats.txt" || error_exit "sift stats failed"
expect_contains "$D/stats.txt" "pipeline default"
expect_contains "$D/stats.txt" "results"
run_sift stats -e "ipc://$D/nobody.sock" 2> "$D/nobody.err" && error_exit "sift stats answered for nobody"
expect_contains "$D/nobody.err" "ipc://$D/nobody.sock"

# 7. SIGTERM: siftd drains and exits 0.
kill -TERM "$SIFTD_PID"
until=$((SECONDS + SIFT_TB_TIMEOUT))
while kill -0 "$SIFTD_PID" 2>/dev/null; do
  [ $SECONDS -ge $until ] && error_exit "siftd did not stop after SIGTERM"
  sleep 0.1
done
wait "$SIFTD_PID"
rc=$?
SIFTD_PID=""
[ $rc -eq 0 ] || error_exit "siftd exited with status $rc after SIGTERM"
exit_test
