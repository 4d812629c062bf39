#!/bin/bash
# siftd under a service manager: with NOTIFY_SOCKET set (a unix datagram
# socket this test binds, as systemd would), siftd sends READY=1 once it
# serves, STATUS= lines, WATCHDOG=1 pings when WATCHDOG_USEC asks for them,
# RELOADING=1 then READY=1 around a SIGHUP, and STOPPING=1 on SIGTERM.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
NOTES="$D/notify.jsonl"
export SPOOL_SYNC=meta # READY=1 must come after the spool's replay

# The listener: one JSON line per datagram (its lines as a list), until $D/stop appears.
$PY - "$D/notify.sock" "$NOTES" "$D/stop" <<'PY' &
import json, os, socket, sys, time
path, out, stop = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.1)
deadline = time.time() + 300
with open(out, "a") as f:
    while not os.path.exists(stop) and time.time() < deadline:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            continue
        f.write(json.dumps(msg.split("\n")) + "\n")
        f.flush()
PY
LISTENER=$!
wait_for "the notify listener" test -S "$D/notify.sock"
eval "$(declare -f on_error_hook | sed '1s/on_error_hook/daemon_error_hook/')"
on_error_hook() {
  touch "$D/stop"
  echo "---- notifications ($NOTES):" >&2
  cat "$NOTES" >&2 2>/dev/null
  daemon_error_hook
}

# notes_check EXPR: EXPR (Python) holds over `notes`, the datagrams as lists of lines.
notes_check() {
  $PY - "$NOTES" "$1" <<'PY'
import json, sys
notes = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def first(line, after=-1):
    return next((i for i, n in enumerate(notes) if i > after and line in n), None)
def line(pred):
    return any(pred(l) for n in notes for l in n)
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

export NOTIFY_SOCKET="$D/notify.sock" WATCHDOG_USEC=2000000
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup
unset NOTIFY_SOCKET WATCHDOG_USEC

wait_for "READY=1" notes_check 'first("READY=1") is not None'
expect_contains "$LOG" 'msg="spool replayed"'
notes_check 'first("READY=1") == 0 and any(l.startswith("STATUS=serving: ") for l in notes[0])' ||
  error_exit "the first notification is not READY=1 with a STATUS="
wait_for "three watchdog pings" notes_check 'sum("WATCHDOG=1" in n for n in notes) >= 3'

inject_docs 50
wait_for "a STATUS= with 50 delivered" notes_check 'line(lambda l: l.startswith("STATUS=serving: 0 documents inside") and ", 50 delivered," in l)'

kill -HUP "$SIFTD_PID"
wait_for "READY=1 after RELOADING=1" \
  notes_check 'first("RELOADING=1") is not None and first("READY=1", first("RELOADING=1")) is not None'
notes_check 'any(l.startswith("MONOTONIC_USEC=") for l in notes[first("RELOADING=1")])' ||
  error_exit "RELOADING=1 came without MONOTONIC_USEC="

kill -TERM "$SIFTD_PID"
wait_shutdown
notes_check 'first("STOPPING=1", first("READY=1", first("RELOADING=1"))) is not None' ||
  error_exit "no STOPPING=1 after SIGTERM"
notes_check 'sum("STOPPING=1" in n for n in notes) == 1 and sum("READY=1" in n for n in notes) == 2' ||
  error_exit "READY=1 or STOPPING=1 sent a wrong number of times"
touch "$D/stop"
wait "$LISTENER"
exit_test
