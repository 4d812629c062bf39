#!/bin/bash
# siftd: with a small queue limit, producers pushing faster than the stage
# can work see `overloaded`, back off and resend, and everything arrives once.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
export MAX_QUEUE_DOCS=20
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "clean"; } ); } );'
startup
out=$(inject_docs 3000 --window 400 --size 4000)
echo "$out"
echo "$out" | grep -q "overloaded_seen=" || error_exit "producer never saw overloaded"
shutdown_when_empty
wait_shutdown
seq_check 0 2999
exit_test
