#!/bin/bash
# siftd: kill -9 of a worker mid-stream loses nothing: what it held is sent
# again (at least once), the worker is restarted.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; workers = 2; }, { plugin = "probe"; isolate = true; } ); } );'
startup
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 5000 --window 64 --rate 3000 > "$D/p.out" 2>&1 &
prod=$!
sleep 0.5
kill_worker "default/0-0"
sleep 0.3
kill_worker "default/1-1"
wait "$prod" || { cat "$D/p.out"; error_exit "producer failed"; }
shutdown_when_empty
wait_shutdown
seq_check 0 4999 -d
json_check "$DEAD" 'len(docs) == 0' "nothing dead-lettered"
exit_test
