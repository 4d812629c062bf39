#!/bin/bash
# siftd: a plugin that misbehaves through the host table. The probe plugin
# returns 42 (no valid status) for "BADSTATUS": that document is
# dead-lettered with "plugin returned invalid status 42". For "BADUTF8" it
# sets a field to invalid UTF-8: the host refuses with SIFT_EUTF8, the
# document goes on and is delivered without the invalid bytes. The result
# and dead-letter files are valid UTF-8 JSON throughout and the neighbours
# of both documents arrive untouched.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = ( { name = "default"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup
inject_docs 200 --marker "doc-10=BADSTATUS please" --marker "doc-20=BADUTF8 please"
wait_empty
seq_check 0 199

$PY - "$RESULTS" "$DEAD" <<'PY' || error_exit "bad plugin output was not contained (see above)"
import json, sys
SIFT_EUTF8 = -1008  # sdk/include/sift/plugin.h


def load(path):
    # strict: one invalid byte or one bad line anywhere fails the test
    with open(path, encoding="utf-8", errors="strict") as f:
        return [json.loads(line) for line in f if line.strip()]


res, dead = load(sys.argv[1]), load(sys.argv[2])
by_id = {d["id"]: d for d in res}
checks = []
checks.append(("only doc-10 is dead-lettered", [d["id"] for d in dead] == ["doc-10"]))
if dead:
    st = dead[0]["status"]
    print("doc-10 status:", json.dumps(st))
    checks.append(("doc-10 failed at probe with the invalid status named",
                   st["state"] == "failed" and st["stage"] == "probe"
                   and "plugin returned invalid status 42" in st["error"]))
b = by_id.get("doc-20")
checks.append(("doc-20 (BADUTF8) delivered ok", b is not None and b["status"]["state"] == "ok"))
if b:
    f = b["fields"]
    print("doc-20 fields:", json.dumps(f, ensure_ascii=False))
    checks.append(("the host refused the invalid string with SIFT_EUTF8", f.get("badutf8_rc") == SIFT_EUTF8))
    checks.append(("no invalid field: fields.bad is absent or null", f.get("bad") is None))
    checks.append(("the rest of doc-20 is intact", f.get("probe", {}).get("count") == 3
                   and b["scores"].get("probe.len") == len(b["text"])))
checks.append(("the other 198 documents are delivered ok",
               sum(1 for d in res if d["id"] != "doc-20" and d["status"]["state"] == "ok") == 198))
bad = 0
for name, ok in checks:
    print("%s: %s" % ("ok  " if ok else "FAIL", name))
    bad += not ok
sys.exit(1 if bad else 0)
PY
grep -F 'msg="document dead-lettered"' "$LOG" | grep -qF 'invalid status 42' ||
  error_exit "the dead letter is not logged with its reason"
stat_is "(s['ingest']['dead_lettered'], s['pipelines'][0]['stages'][0]['failed'])" "(1, 1)" ||
  error_exit "dead letter not counted: $(stat "s['ingest'], s['pipelines'][0]['stages'][0]")"
kill -TERM "$SIFTD_PID"
wait_shutdown
exit_test
