#!/bin/bash
# Durability: 50,000 documents pushed at full rate while a random worker is
# killed with kill -9 at three random moments. Every accepted id is in the
# results at least once, nothing is dead-lettered, siftd stops cleanly.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export SPOOL_SYNC=meta MAX_QUEUE_DOCS=5000
N=${NUMDOCS:-50000}
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; workers = 2; }, { plugin = "probe"; isolate = true; workers = 2; } ); } );'
startup
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n "$N" --window 256 --accepted "$D/accepted" \
  > "$D/producer.out" 2>&1 &
prod=$!
for round in 1 2 3; do
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 120) / 100 }')"
  victim=$(pgrep -f "siftd --worker --config $CONF" | shuf -n 1)
  echo "kill -9 of worker $victim after $(wc -l < "$D/accepted") accepted"
  [ -n "$victim" ] && kill -9 "$victim"
done
wait "$prod" || { cat "$D/producer.out"; error_exit "producer failed"; }
shutdown_when_empty
wait_shutdown
accounted_check "$D/accepted"
json_check "$DEAD" 'len(docs) == 0' "nothing dead-lettered"
exit_test
