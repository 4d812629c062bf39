#!/bin/bash
# siftd: SIGHUP with a broken config logs the problems and keeps serving the
# old one; SIGHUP with a changed worker count takes effect, nothing lost.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
cp "$CONF" "$D/base.conf"
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 1; } ); } );'
cp "$CONF" "$D/good1.conf"
startup
inject_docs 200

cp "$D/base.conf" "$CONF"
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 1; options = { count = 99; }; } ); } );'
kill -HUP "$SIFTD_PID"
wait_for "reload refusal in the log" grep -q 'reload refused, old config kept' "$LOG"
expect_contains "$LOG" "option count: must be between 1 and 10 (got 99)"
inject_docs 200 --start 200

cp "$D/base.conf" "$CONF"
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 3; } ); } );'
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 2000 --start 400 --window 64 --rate 2000 > "$D/p.out" 2>&1 &
prod=$!
kill -HUP "$SIFTD_PID"
wait_for "reload in the log" grep -q 'msg=reloaded\|msg="reloaded"' "$LOG"
wait_for "three workers" stat_is "[g['workers'] for p in s['pipelines'] if not p['retired'] for g in p['segments']]" "[3]"
wait "$prod" || { cat "$D/p.out"; error_exit "producer failed across the reload"; }
shutdown_when_empty
wait_shutdown
seq_check 0 2399
exit_test
