#!/bin/bash
# siftd: producers that misbehave on the wire do not hold up the others. On a
# tcp:// ingest endpoint (127.0.0.1, a free port) one producer pushes 20,000
# documents and never reads a reply, and one raw TCP socket dribbles a ZMTP
# greeting at one byte a second; meanwhile a normal producer's 1,000
# documents are all accepted and delivered, promptly. siftd answers
# `sift stats` throughout and stops cleanly.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
PORT=$(get_free_port) || error_exit "no free port"
TCP="tcp://127.0.0.1:$PORT"
EXTRA_INGEST=$TCP generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup
STOP="$D/stop"

# A producer that pushes and never reads: its replies pile up at siftd and are
# dropped at the high-water mark, siftd must not block on it.
$PY - "$TCP" "$D/silent.sent" "$STOP" > "$D/silent.out" 2>&1 <<'PY' &
import os, sys, time, msgpack, zmq
ep, sent_file, stop = sys.argv[1:4]
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.setsockopt(zmq.SNDHWM, 0)          # queue everything on our side; never block on send
s.setsockopt(zmq.RCVHWM, 10)         # and take in next to nothing of the replies
s.connect(ep)
for i in range(20000):
    s.send_multipart([b"SIFTP1", b"\x01", b"s%d" % i, b"",
                      msgpack.packb({"id": "silent-%d" % i, "text": "never read %d" % i})])
open(sent_file, "w").write("20000\n")
while not os.path.exists(stop):      # stay connected, still not reading
    time.sleep(0.1)
PY
SILENT_PID=$!

# A raw TCP client that sends a ZMTP 3.0 greeting one byte a second.
$PY - "$PORT" "$D/dribble.count" "$STOP" > "$D/dribble.out" 2>&1 <<'PY' &
import os, socket, sys, time
port, count_file, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3]
greeting = b"\xff" + b"\0" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\0") + b"\0" + b"\0" * 31
c = socket.create_connection(("127.0.0.1", port))
n = 0
for b in greeting:
    if os.path.exists(stop):
        break
    try:
        c.send(bytes([b]))
    except OSError as e:              # siftd may drop a handshake that takes too long
        print("dribbler: connection ended after %d bytes: %s" % (n, e))
        break
    n += 1
    open(count_file, "w").write("%d\n" % n)
    for _ in range(10):               # one byte a second, but notice stop promptly
        if os.path.exists(stop):
            break
        time.sleep(0.1)
while not os.path.exists(stop):
    time.sleep(0.1)
PY
DRIBBLE_PID=$!

# On failure, stop the two misbehaving clients too.
eval "tb_$(declare -f on_error_hook)"
on_error_hook() { touch "$STOP"; kill "$SILENT_PID" "$DRIBBLE_PID" 2>/dev/null; tb_on_error_hook; }

dribbled() { [ "$(cat "$D/dribble.count" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for "the dribbler to be connected and sending" dribbled 2
wait_for "the silent producer to hand over its 20,000 documents" test -s "$D/silent.sent"

# The normal producer, on the same tcp:// endpoint, while both are still there.
t0=$SECONDS
$PY "$srcdir/tests/lib/producer.py" -e "$TCP" -n 1000 --accepted "$D/accepted" --timeout 20 \
  > "$D/producer.out" 2>&1 || { cat "$D/producer.out" >&2; error_exit "the normal producer did not get all 1000 accepted"; }
cat "$D/producer.out"
normal_done() { [ "$($PY -c 'import json,sys
n = 0
for l in open(sys.argv[1], encoding="utf-8"):
    n += json.loads(l)["id"].startswith("doc-")
print(n)' "$RESULTS" 2>/dev/null)" = 1000 ]; }
wait_for "the normal producer's 1000 documents in the results" normal_done
took=$((SECONDS - t0))
echo "normal producer: 1000 accepted and delivered in ${took}s beside a silent and a dribbling producer"
# It shares siftd with the silent producer's backlog (up to max_queue_docs of it
# ahead in the queue), so "promptly" allows for that backlog, slower under sanitizers.
limit=20; [ "${SIFT_SANITIZE:-0}" = 1 ] && limit=40
[ "$took" -le $limit ] || error_exit "the normal producer's documents took ${took}s (want <= ${limit}s)"
kill -0 "$SILENT_PID" 2>/dev/null || error_exit "the silent producer exited early: $(cat "$D/silent.out")"
kill -0 "$DRIBBLE_PID" 2>/dev/null || error_exit "the dribbler exited early: $(cat "$D/dribble.out")"
# Its handshake is still unfinished (64 bytes at one a second), and its connection alive.
wait_for "the dribbler to go on sending" dribbled 3
grep -q "connection ended" "$D/dribble.out" && error_exit "siftd closed the dribbler early: $(cat "$D/dribble.out")"
# siftd took in every push of the silent producer too, answering into a socket nobody reads.
read_all() { stat_is "s['ingest']['accepted'] + sum(s['ingest']['refused'].values()) >= 21000" True; }
wait_for "siftd to take in all 21,000 pushes" read_all
echo "siftd: $(stat "'accepted %d, refused %s' % (s['ingest']['accepted'], s['ingest']['refused'])")"

touch "$STOP"
wait "$SILENT_PID" "$DRIBBLE_PID"
wait_empty
seq_check 0 999
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
