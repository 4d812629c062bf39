#!/bin/bash
# siftd: a plugin that segfaults on one document. Only that document is
# dead-lettered, after the attempt limit, with the signal as the reason;
# its batch-mates and all others arrive; siftd stays up; the worker restarts.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "probe"; workers = 2; } ); } );'
startup
inject_docs 500 --marker "doc-50=CRASH here" --window 64
wait_empty
seq_check 0 499
json_check "$DEAD" 'len(docs) == 1 and docs[0]["id"] == "doc-50"' "only the poison document is dead-lettered"
json_check "$DEAD" 'docs[0]["status"]["state"] == "failed" and docs[0]["status"]["error"].startswith("worker killed by SIGSEGV") and "attempt 3 of 3" in docs[0]["status"]["error"]'
json_check "$RESULTS" 'len(docs) == 499 and "doc-50" not in by_id'
stat_is "s['pipelines'][0]['segments'][0]['restarts'] >= 3" True || error_exit "worker restarts not counted"
stats_json >/dev/null || error_exit "siftd stopped answering"
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
