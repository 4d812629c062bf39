#!/bin/bash
# siftd: eight producers at once, 1,000 documents each; every one arrives once.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 2; } ); } );'
startup
pids=()
for p in 0 1 2 3 4 5 6 7; do
  $PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 1000 --start $((p * 1000)) --window 32 > "$D/p$p.out" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { cat "$D/p$i.out"; error_exit "producer $i failed"; }
done
shutdown_when_empty
wait_shutdown
seq_check 0 7999
exit_test
