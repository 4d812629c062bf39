#!/bin/bash
# siftd: 10,000 documents pushed through clean + probe come out exactly once,
# with the same ids, and siftd stops cleanly on SIGTERM.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; workers = 2; }, { plugin = "probe"; } ); } );'
startup
inject_docs 10000 --window 256
shutdown_when_empty
wait_shutdown
seq_check 0 9999
json_check "$RESULTS" 'all(d["status"]["state"] == "ok" and [t["stage"] for t in d["trace"]] == ["clean", "probe"] for d in docs)' "every document went through both stages"
exit_test
