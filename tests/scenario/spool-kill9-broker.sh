#!/bin/bash
# Durability: 50,000 documents pushed at full rate while siftd is killed with
# kill -9 at three random moments and restarted each time (spool sync "none":
# survives a process kill). In the end every id answered `accepted` is in the
# results at least once (delivery is at least once, so duplicates may occur).
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export SPOOL_SYNC=${SPOOL_SYNC:-none} MAX_QUEUE_DOCS=5000
N=${NUMDOCS:-50000}
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; }, { plugin = "probe"; } ); } );'
startup
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n "$N" --window 256 --timeout 2 --keep-going \
  --accepted "$D/accepted" > "$D/producer.out" 2>&1 &
prod=$!
for round in 1 2 3; do
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.5 + (r % 150) / 100 }')"  # a random moment, 0.5-2 s
  echo "kill -9 number $round after $(wc -l < "$D/accepted") accepted"
  kill9_siftd
  startup
done
wait "$prod"
cat "$D/producer.out"
shutdown_when_empty
wait_shutdown
expect_contains "$LOG" 'msg="spool replayed"'
accounted_check "$D/accepted"
exit_test
