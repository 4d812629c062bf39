#!/bin/bash
# With the spool on, a producer's resend of a document still inside siftd is
# answered ACCEPTED only once the first copy's spool commit is done, and is
# not queued again: three PUSHes of one id in a burst give three ACCEPTED
# replies and one document inside. After a kill -9 and restart the replayed
# first copy still marks resends. The document hangs the probe stage, so it
# stays inside while the resends arrive; in the end it is dead-lettered
# once, by the deadline.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export SPOOL_SYNC=full DEADLINE_MS=4000 MAX_ATTEMPTS=1
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; } ); } );'
startup
push_same() { # push_same N TEXT: N PUSHes of id "same" in one burst, each answered ACCEPTED
  $PY - "$INGEST" "$1" "$2" <<'PY'
import sys, msgpack, zmq
s = zmq.Context().socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 1000); s.connect(sys.argv[1])
n = int(sys.argv[2])
for i in range(n):
    s.send_multipart([b"SIFTP1", b"\x01", b"c%d" % i, b"", msgpack.packb({"id": "same", "text": "HANG %s %d" % (sys.argv[3], i)})])
for _ in range(n):
    assert s.poll(5000), "no reply"
    r = s.recv_multipart()
    assert r[1] == b"\x81" and r[3] == b"same", r
PY
}
push_same 3 "burst" || error_exit "a resend in the same burst was not answered ACCEPTED"
stat_is "s['in_siftd']" 1 || error_exit "resends were queued: $(stat "s['in_siftd']") documents inside"
stat_is "s['ingest']['resent']" 2 || error_exit "resent is $(stat "s['ingest']['resent']"), want 2"
# kill -9 with the first copy in the spool; the replayed copy marks resends too.
kill9_siftd
startup
push_same 1 "after restart" || error_exit "the resend after a restart was not answered ACCEPTED"
stat_is "s['in_siftd']" 1 || error_exit "the resend after a restart was queued beside the replayed copy"
wait_empty
json_check "$DEAD" 'len(docs) == 1 and docs[0]["id"] == "same" and docs[0]["text"] == "HANG burst 0"' \
  "one dead letter for id same, the first copy"
json_check "$RESULTS" 'not any(d["id"] == "same" for d in docs)' "no result for id same"
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
