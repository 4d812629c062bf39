#!/bin/bash
# siftd: a worker that answers a JOB with an unreadable DONE batch loses
# nothing. A remote worker (it connects to the backend itself) takes jobs,
# answers garbage and stays connected; siftd refuses it at once and hands
# its jobs to the local worker, long before the 60 s deadline that once
# was their only way back. Every document arrives once; none is
# dead-lettered; the log names the refusal.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
DEADLINE_MS=60000 generate_conf
# credit 1 for the local worker, so the remote (credit 32) gets jobs too
sed -i 's/^limits = { max_attempts/limits = { worker_credit = 1; worker_batch = 1; max_attempts/' "$CONF"
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup

# The fake remote worker: READY, then every JOB gets a DONE whose batch is not msgpack.
$PY - "ipc://$D/backend.sock" > "$D/fake.out" 2>&1 <<'PY' &
import sys, time, zmq
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.connect(sys.argv[1])
s.send_multipart([b"SIFTW2", b"\x01", b"default/0-0", b"32", b"4242"])
jobs, until = 0, time.time() + 8
while time.time() < until:
    if s.poll(100):
        m = s.recv_multipart()
        if m[1] == b"\x02":
            jobs += 1
            s.send_multipart([b"SIFTW2", b"\x03", b"\xc1 not a batch"])
        elif m[1] == b"\x04":
            s.send_multipart([b"SIFTW2", b"\x04"])
print("jobs", jobs)
PY
fake=$!
sleep 0.5
t0=$SECONDS
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 400 --window 128 > "$D/p.out" 2>&1 ||
  { cat "$D/p.out"; error_exit "producer failed"; }
wait "$fake"
grep -q "^jobs [1-9]" "$D/fake.out" || { cat "$D/fake.out"; error_exit "the fake remote worker got no JOB"; }
shutdown_when_empty
wait_shutdown
[ $((SECONDS - t0)) -lt 40 ] || error_exit "took $((SECONDS - t0)) s: held jobs waited for the deadline"
seq_check 0 399
json_check "$DEAD" 'len(docs) == 0' "nothing dead-lettered"
grep -q 'remote worker refused.*unreadable DONE' "$LOG" || error_exit "no refusal in the log"
exit_test
