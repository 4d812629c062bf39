#!/bin/bash
# siftd: SIGTERM while documents stream in. siftd refuses new ones
# (shutting_down) while it finishes what it holds, exits 0; every accepted id
# is in the results or, if the drain timed out, in the dead letters with the
# reason. (Pushes still on the wire after siftd has gone get no reply: the
# producer gives up on them after its timeout.)
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; }, { plugin = "probe"; } ); } );'
startup
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 20000 --window 128 --rate 4000 --timeout 3 --accepted "$D/accepted" > "$D/producer.out" 2>&1 &
prod=$!
accepted_enough() { [ "$(cat "$D/accepted" 2>/dev/null | wc -l)" -ge 1000 ]; }
wait_for "1000 documents accepted" accepted_enough
kill -TERM "$SIFTD_PID"
wait_shutdown
wait "$prod"
cat "$D/producer.out"
$PY - "$D/accepted" "$RESULTS" "$DEAD" <<'PY' || error_exit "accepted documents unaccounted for"
import json, sys
acc = set(l.strip() for l in open(sys.argv[1]) if l.strip())
out = {}
for p in sys.argv[2:]:
    try:
        for l in open(p):
            d = json.loads(l); out.setdefault(d["id"], []).append(d)
    except FileNotFoundError:
        pass
lost = [i for i in acc if i not in out]
stopped = [i for i in acc if i in out and out[i][0]["status"]["state"] == "failed"]
print("accepted=%d delivered_or_dead=%d lost=%d dead_at_stop=%d" % (len(acc), len(acc) - len(lost), len(lost), len(stopped)))
sys.exit(1 if lost else 0)
PY
exit_test
