#!/bin/bash
# A sink whose peer is gone keeps its documents in siftd (and its spool):
# producers see `overloaded` once the queue limit is reached, siftd's memory
# stays bounded, and when a consumer appears every accepted document is
# delivered to it. The JSONL sink beside it keeps working meanwhile.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export SPOOL_SYNC=meta MAX_QUEUE_DOCS=500
OUT="ipc://$D/out.sock"
EXTRA_SINK="{ name = \"downstream\"; type = \"zmq_push\"; endpoint = \"$OUT\"; bind = true; }" generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results", "downstream" ];
  stages = ( { plugin = "probe"; } ); } );'
startup
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SIFTD_PID/status"; }
rss0=$(rss_kib)
# No consumer yet: push until siftd says overloaded, then stop.
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 3000 --window 64 --no-resend --size 4000 \
  --accepted "$D/accepted" > "$D/p1.out" 2>&1
cat "$D/p1.out"
grep -q "refused_overloaded=" "$D/p1.out" || error_exit "producer never saw overloaded with the sink's peer gone"
held=$(stat "s['in_siftd']")
[ "$held" -le 500 ] || error_exit "siftd holds $held documents, limit 500"
rss1=$(rss_kib)
echo "siftd RSS ${rss0} KiB at start, ${rss1} KiB holding $held documents for a dead sink"
# AddressSanitizer's quarantine keeps freed memory resident, so the bound
# is only meaningful in the plain build.
if [ "${SIFT_SANITIZE:-0}" = 1 ]; then
  echo "RSS bound not checked under the sanitizers"
else
  [ $((rss1 - rss0)) -lt 65536 ] || error_exit "RSS grew by $((rss1 - rss0)) KiB"
fi
# The consumer appears: everything accepted arrives.
$PY - "$OUT" "$(wc -l < "$D/accepted")" "$D/downstream.ids" <<'PY' || error_exit "downstream did not get every accepted document"
import json, sys, zmq
s = zmq.Context().socket(zmq.PULL); s.connect(sys.argv[1])
want, got = int(sys.argv[2]), set()
while len(got) < want and s.poll(20000):
    got.add(json.loads(s.recv())["id"])
open(sys.argv[3], "w").write("\n".join(sorted(got)) + "\n")
print("downstream received %d of %d" % (len(got), want))
sys.exit(0 if len(got) == want else 1)
PY
wait_empty
kill -TERM "$SIFTD_PID"
wait_shutdown
accounted_check "$D/accepted"
sort "$D/accepted" | comm -23 - "$D/downstream.ids" | head -3 | grep -q . && error_exit "an accepted id never reached downstream"
exit_test
