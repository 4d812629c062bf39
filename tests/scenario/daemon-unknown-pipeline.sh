#!/bin/bash
# siftd: a document for a pipeline that does not exist is refused with
# unknown_pipeline and a message naming it; malformed frames get malformed.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 3 --pipeline nosuch > "$D/p.out" 2> "$D/p.err" &&
  error_exit "documents for an unknown pipeline were accepted"
expect_contains "$D/p.out" "refused_unknown_pipeline=3"
expect_contains "$D/p.err" 'no pipeline named "nosuch"'
$PY - "$INGEST" <<'PY' || error_exit "malformed frames not refused as malformed"
import sys, zmq
s = zmq.Context().socket(zmq.DEALER); s.connect(sys.argv[1])
cases = [[b"SIFTP1", b"\x01", b"c1", b""], [b"NOPE", b"\x01"], [b"SIFTP1", b"\x01", b"c2", b"", b"\xc1not msgpack"]]
for c in cases:
    s.send_multipart(c)
    assert s.poll(5000), "no reply"
    r = s.recv_multipart()
    assert r[0] == b"SIFTP1" and r[1] == b"\x82" and r[3] == b"malformed", r
    print("refused:", r[4].decode())
PY
stats_json >/dev/null || error_exit "siftd stopped answering"
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
