#!/bin/bash
# siftd: a worker restarted after the config file was edited, but before any
# SIGHUP, runs the config siftd is running (the snapshot taken at the last
# load), not the edited file; after SIGHUP the new options apply. The probe
# stage writes the option it read into fields.probe.label.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
cp "$CONF" "$D/base.conf"
pipeline_with_label() { # pipeline_with_label LABEL: the config, with the probe's label option
  cp "$D/base.conf" "$CONF"
  add_conf "pipelines = ( { name = \"default\"; sinks = [ \"results\" ];
  stages = ( { plugin = \"probe\"; options = { label = \"$1\"; }; } ); } );"
}
labels_of() { # labels_of FROM TO: the labels documents doc-FROM..doc-TO came out with
  json_check "$RESULTS" "sorted(set(by_id['doc-%d' % i]['fields']['probe']['label'] for i in range($1, $2 + 1))) == ['$3']" \
    "documents doc-$1..doc-$2 ran with label $3"
}
pipeline_with_label old
startup
inject_docs 20
wait_empty
labels_of 0 19 old

pipeline_with_label new # edited, not reloaded
kill_worker default/0-0 KILL
wait_for "the worker restarted" stat_is "s['pipelines'][0]['segments'][0]['restarts']" 1
wait_for "the worker ready" workers_ready
inject_docs 20 --start 20
wait_empty
labels_of 20 39 old

kill -HUP "$SIFTD_PID"
wait_for "reload in the log" grep -q 'msg="reloaded"' "$LOG"
wait_for "the new pipeline's worker ready" workers_ready
inject_docs 20 --start 40
wait_empty
labels_of 40 59 new
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
