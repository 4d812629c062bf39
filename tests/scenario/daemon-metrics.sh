#!/bin/bash
# siftd's Prometheus endpoint (endpoints.metrics): a bad value is a FILE:LINE
# problem; a port in use stops siftd with an error naming the endpoint;
# /metrics parses as the text format and its counters match what was pushed
# and what `sift stats --json` says; other paths get 404; a reload cannot
# move the endpoint; it closes with siftd.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
NUMDOCS=300
PORT=$(get_free_port)
URL="http://127.0.0.1:$PORT"

# set_metrics VALUE: put `metrics = VALUE;` into generate_conf's endpoints group.
set_metrics() {
  sed -i "s|tail = \"ipc://$D/tail.sock\"; };|tail = \"ipc://$D/tail.sock\"; metrics = \"$1\"; };|" "$CONF"
  grep -qF "metrics = \"$1\"" "$CONF" || error_exit "testbench: could not set endpoints.metrics"
}
# scrape PATH: print the body of a GET; fails on anything but 200.
scrape() {
  $PY -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$URL$1"
}
PIPELINES='pipelines = ( { name = "default"; sinks = [ "results" ];
  stages = ( { plugin = "noop"; }, { plugin = "probe"; isolate = true; } ); } );'

# 1. Bad values are config problems with FILE:LINE.
for bad in "localhost:9464" "127.0.0.1:0" "127.0.0.1" "[::1:9464"; do
  generate_conf
  set_metrics "$bad"
  add_conf "$PIPELINES"
  run_sift check -c "$CONF" > "$D/check.out" 2>&1 && error_exit "sift check accepted endpoints.metrics = \"$bad\""
  expect_contains "$D/check.out" "$CONF:$(grep -n 'metrics = ' "$CONF" | cut -d: -f1): endpoints.metrics: "
  expect_contains "$D/check.out" "(got \"$bad\")"
done
expect_contains "$D/check.out" "must be HOST:PORT or :PORT"

# 2. A port already in use: siftd does not start, and says which endpoint.
generate_conf
set_metrics "127.0.0.1:$PORT"
add_conf "$PIPELINES"
$PY - "$PORT" "$SIFT_BUILD/bin/siftd" "$CONF" "$D/bindfail.log" <<'PY' || error_exit "siftd did not refuse a metrics port in use"
import socket, subprocess, sys
port, siftd, conf, log = sys.argv[1:5]
holder = socket.socket()
holder.bind(("127.0.0.1", int(port)))
holder.listen(1)
with open(log, "w") as f:
    rc = subprocess.run([siftd, "-c", conf], stdout=f, stderr=f, timeout=60).returncode
holder.close()
sys.exit(0 if rc == 1 else 1)
PY
expect_contains "$D/bindfail.log" "cannot bind metrics endpoint 127.0.0.1:$PORT"

# 3. Serve, push, scrape.
startup
expect_contains "$LOG" "endpoint=127.0.0.1:$PORT path=/metrics"
inject_docs "$NUMDOCS" --marker doc-7=DROP
$PY "$srcdir/tests/lib/producer.py" -e "$INGEST" -n 3 --pipeline nosuch --prefix bad- > /dev/null 2>&1
wait_empty
metrics_delivered() { scrape /metrics | grep -qx "sift_ingest_delivered_total $NUMDOCS"; }
wait_for "/metrics to show $NUMDOCS delivered" metrics_delivered
stats_json > "$D/stats.json" || error_exit "sift stats failed"

$PY - "$URL" "$NUMDOCS" "$D/stats.json" <<'PY' || error_exit "/metrics is wrong"
import json, re, sys, urllib.error, urllib.request
url, n, stats = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))

def get(path, method="GET"):
    req = urllib.request.Request(url + path, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

fails = []
def check(cond, what):
    if not cond:
        fails.append(what)

status, headers, body = get("/metrics")
check(status == 200, "GET /metrics status %d" % status)
check(headers["Content-Type"].startswith("text/plain; version=0.0.4"), "content type %s" % headers["Content-Type"])

# The text format: HELP and TYPE before a family's samples, its samples
# contiguous, each sample `name{labels} value`, no series twice.
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r"^(%s)(?:\{(%s(?:,%s)*)\})? (\S+)$" % (NAME, LABEL, LABEL))
types, helps, done, series, current = {}, set(), set(), {}, None
for line in body.splitlines():
    if line.startswith("# HELP "):
        name = line.split()[2]
        check(name not in helps, "HELP twice for %s" % name)
        helps.add(name)
        continue
    if line.startswith("# TYPE "):
        _, _, name, typ = line.split()
        check(typ in ("counter", "gauge", "summary", "histogram"), "type %s" % typ)
        check(name in helps, "TYPE before HELP for %s" % name)
        check(typ != "counter" or name.endswith("_total"), "counter %s does not end in _total" % name)
        types[name] = typ
        continue
    m = SAMPLE.match(line)
    check(m is not None, "not a sample line: %r" % line)
    if not m:
        continue
    name, labels, value = m.groups()
    family = name if name in types else re.sub(r"_(count|sum)$", "", name)
    check(family in types and name.startswith("sift_"), "sample %s has no TYPE" % name)
    if family != current:
        check(family not in done, "family %s not contiguous" % family)
        done.add(current)
        current = family
    float(value)
    key = (name, tuple(sorted(re.findall(r'([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"', labels or ""))))
    check(key not in series, "series twice: %s" % (key,))
    series[key] = float(value)
print("parsed %d families, %d series" % (len(types), len(series)))

def val(name, **labels):
    return series.get((name, tuple(sorted(labels.items()))))

# What was pushed.
check(val("sift_ingest_accepted_total") == n, "accepted %s, pushed %d" % (val("sift_ingest_accepted_total"), n))
check(val("sift_ingest_delivered_total") == n, "delivered %s" % val("sift_ingest_delivered_total"))
check(val("sift_ingest_refused_total", code="unknown_pipeline") == 3, "refused unknown_pipeline %s" % val("sift_ingest_refused_total", code="unknown_pipeline"))
check(val("sift_inside_documents") == 0, "inside %s" % val("sift_inside_documents"))
for stage in ("noop", "probe"):
    check(val("sift_stage_processed_total", pipeline="default", stage=stage) == n, "%s processed %s" % (stage, val("sift_stage_processed_total", pipeline="default", stage=stage)))
    check(val("sift_stage_duration_seconds_count", pipeline="default", stage=stage) == n, "%s duration count" % stage)
    check(val("sift_stage_duration_seconds", pipeline="default", stage=stage, quantile="0.5") is not None, "%s p50" % stage)
check(val("sift_stage_dropped_total", pipeline="default", stage="probe") == 1, "probe dropped %s" % val("sift_stage_dropped_total", pipeline="default", stage="probe"))
check(val("sift_sink_written_total", sink="results") == n, "results written %s" % val("sift_sink_written_total", sink="results"))
check(val("sift_stage_segment_info", pipeline="default", stage="probe", segment="default/1-1") == 1, "probe's segment")

# The same counters as `sift stats --json`.
ing = stats["ingest"]
for k in ("accepted", "delivered", "dead_lettered"):
    check(val("sift_ingest_%s_total" % k) == ing[k], "ingest %s: %s vs stats %s" % (k, val("sift_ingest_%s_total" % k), ing[k]))
for code, c in ing["refused"].items():
    check(val("sift_ingest_refused_total", code=code) == c, "refused %s" % code)
for p in stats["pipelines"]:
    for s in p["stages"]:
        for k in ("processed", "dropped", "failed"):
            check(val("sift_stage_%s_total" % k, pipeline=p["name"], stage=s["name"]) == s[k], "stage %s %s" % (s["name"], k))
        check(abs(val("sift_stage_duration_seconds", pipeline=p["name"], stage=s["name"], quantile="0.99") - s["p99_us"] / 1e6) < 1e-6, "stage %s p99" % s["name"])
    for g in p["segments"]:
        for k, m in (("queued", "queued_documents"), ("in_flight", "in_flight_documents"), ("workers", "workers"),
                     ("workers_wanted", "workers_wanted"), ("dispatched", "dispatched_total"),
                     ("retried", "retried_total"), ("dead_lettered", "dead_lettered_total"), ("restarts", "worker_restarts_total")):
            check(val("sift_segment_" + m, pipeline=p["name"], segment=g["key"]) == g[k], "segment %s %s" % (g["key"], k))
for s in stats["sinks"]:
    for k in ("written", "errors", "retries"):
        check(val("sift_sink_%s_total" % k, sink=s["name"]) == s[k], "sink %s %s" % (s["name"], k))

# Other paths and methods.
check(get("/")[0] == 404, "GET / is not 404")
check(get("/metrics/x")[0] == 404, "GET /metrics/x is not 404")
check(get("/metrics", "POST")[0] == 405, "POST /metrics is not 405")
check(get("/metrics", "HEAD")[0] == 200, "HEAD /metrics is not 200")
for f in fails:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if fails else 0)
PY

# 4. A reload cannot move the endpoint: it says so and keeps serving.
sed -i "s|metrics = \"127.0.0.1:$PORT\"|metrics = \"127.0.0.1:1\"|" "$CONF"
kill -HUP "$SIFTD_PID"
wait_for "the metrics reload warning" grep -q 'endpoints.metrics changes only on restart' "$LOG"
scrape /metrics > "$D/after.txt" || error_exit "/metrics stopped after a reload"
expect_contains "$D/after.txt" "sift_ingest_accepted_total $NUMDOCS"

# 5. It closes with siftd.
kill -TERM "$SIFTD_PID"
wait_shutdown
scrape /metrics > /dev/null 2>&1 && error_exit "/metrics still answers after siftd stopped"
exit_test
