#!/bin/bash
# siftd: a plugin that hangs on one document. The stage deadline ends the
# worker, the document is dead-lettered naming the deadline, the worker is
# restarted, and everything else arrives.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export DEADLINE_MS=300 MAX_ATTEMPTS=2
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 2; } ); } );'
startup
inject_docs 100 --marker "doc-7=HANG forever" --window 16
wait_empty
seq_check 0 99
json_check "$DEAD" 'len(docs) == 1 and docs[0]["id"] == "doc-7"'
json_check "$DEAD" '"deadline 300 ms exceeded" in docs[0]["status"]["error"]' "reason names the deadline"
expect_contains "$LOG" 'reason="deadline 300 ms exceeded"'
wait_for "workers restarted" workers_ready
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
