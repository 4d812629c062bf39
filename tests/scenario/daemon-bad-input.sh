#!/bin/bash
# siftd: the bad-input table of docs/operations.md, row by row, over the real
# ingest socket. Each malformed PUSH gets exactly one REFUSED with the right
# code, the right correlation frame and a message naming the problem; the
# inputs that are accepted (bytes that are not UTF-8, NUL bytes, an empty
# text, a duplicate id in flight, values at their limits) come out of the
# pipeline as the table says. Afterwards siftd answers `sift stats`, its
# refusal counters match, and a normal document is still accepted and
# delivered.
. "${srcdir:-.}"/tests/lib/diag.sh init
. "$srcdir"/tests/lib/daemon.sh
generate_conf
add_conf 'pipelines = (
  { name = "default"; sinks = [ "results" ];
    stages = ( { plugin = "clean"; }, { plugin = "boilerplate"; }, { plugin = "extract"; },
               { plugin = "score"; isolate = true; } ); },
  { name = "cleanonly"; sinks = [ "results" ]; stages = ( { plugin = "clean"; } ); },
  { name = "probe"; sinks = [ "results" ]; stages = ( { plugin = "probe"; } ); } );'
startup

# ---- every row that a single PUSH can show: send it, check the one reply.
# A wrong reply fails the test at the end, after the rows checked downstream.
ROWS_FAILED=0
$PY - "$INGEST" "$D/expect.json" <<'PY' || ROWS_FAILED=1
import json, struct, sys
import msgpack, zmq

T, PUSH = b"SIFTP1", b"\x01"
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 1000)
s.connect(sys.argv[1])


def raw_str(b):
    """msgpack str header + bytes as given (python's packb refuses non-UTF-8 str)."""
    n = len(b)
    if n < 32:
        return bytes([0xa0 | n]) + b
    if n < 256:
        return b"\xd9" + bytes([n]) + b
    return b"\xdb" + struct.pack(">I", n) + b


def key(k):
    return raw_str(k.encode())


def doc(**kv):
    return msgpack.packb(kv)


def nested(levels, leaf=b"\xc0"):
    """levels maps {"a": {"a": ... leaf}} as raw msgpack."""
    return b"\x81\xa1a" * levels + leaf


def push(pipeline, body, corr=b"c"):
    return [T, PUSH, corr, pipeline, body]


MAX_DOC = 4194304
ok_text = "A plain line of text."
cases = []  # (row, frames, code or "accepted", [substrings of the message], expected corr)


def case(row, frames, code, needles=(), corr=None):
    if corr is None:
        corr = frames[2] if len(frames) > 2 and 1 <= len(frames[2]) <= 64 else b""
    cases.append((row, frames, code, list(needles), corr))


good = doc(text=ok_text)
# frames, tag, command, correlation id
case("empty message", [b""], "malformed", ["tag"])
# The tag alone: the message names the missing frames (it once blamed the tag).
case("missing frames: tag only", [T], "malformed", ["frames"])
case("missing frames: tag, command", [T, PUSH], "malformed", ["frames"])
case("missing frames: no document", [T, PUSH, b"m3", b""], "malformed", ["frames"])
case("extra frames", [T, PUSH, b"x1", b"", good, b"extra"], "malformed", ["6 frames"])
# siftd stops counting at SIFT_PROTO_MAX_FRAMES: the message says "more than", not a wrong count.
# The cap sits right above a valid PUSH: 7 frames are counted, 8 are "more than 7".
case("extra frames: 7", [T, PUSH, b"x3", b"", good, b"e", b"e"], "malformed", ["7 frames"])
case("extra frames: 8", [T, PUSH, b"x4", b"", good, b"e", b"e", b"e"], "malformed", ["more than 7"])
case("extra frames: 2000 frames", [T, PUSH, b"x2", b"", good] + [b"f"] * 1995, "malformed", ["more than", "frames"])
case("wrong tag", [b"SIFTP2", PUSH, b"t1", b"", good], "malformed", ["tag"])
case("wrong tag: empty", [b"", PUSH, b"t2", b"", good], "malformed", ["tag"])
case("wrong command byte", [T, b"\x02", b"w1", b"", good], "malformed", ["0x01"])
case("wrong command: two bytes", [T, b"\x01\x00", b"w2", b"", good], "malformed", ["0x01"])
case("empty correlation id", push(b"", good, b""), "malformed", ["correlation id"])
case("correlation id of 65 bytes", push(b"", good, b"k" * 65), "malformed", ["correlation id", "65"])
case("correlation id of 64 bytes", push(b"", good, b"k" * 64), "accepted", corr=b"k" * 64)
# the document frame
case("empty document frame", push(b"", b"", b"d0"), "malformed", ["empty"])
case("bytes that are not msgpack: 0xc1", push(b"", b"\xc1\xc1\xc1", b"d1"), "malformed", ["not a map"])
case("bytes that are not msgpack: text", push(b"", b"hello, world", b"d2"), "malformed", ["not a map"])
case("garbage inside a map", push(b"", b"\x81\xa4text\xc1", b"d3"), "malformed", ["0xc1"])
case("msgpack that is not a map: array", push(b"", msgpack.packb([1, 2]), b"n1"), "malformed", ["not a map", "array"])
case("msgpack that is not a map: str", push(b"", msgpack.packb("text"), b"n2"), "malformed", ["not a map", "str"])
case("a map without text", push(b"", doc(id="nt", source="s"), b"n3"), "malformed", ['"text"', "missing"])
case("an empty map", push(b"", msgpack.packb({}), b"n4"), "malformed", ['"text"', "missing"])
case("text as int", push(b"", doc(text=42), b"y1"), "malformed", ['"text"', "got int"])
case("id as array", push(b"", doc(text=ok_text, id=[1, 2]), b"y2"), "malformed", ['"id"', "got array"])
case("source as map", push(b"", doc(text=ok_text, source={"a": 1}), b"y3"), "malformed", ['"source"', "got map"])
case("fields as list", push(b"", doc(text=ok_text, fields=[1, 2]), b"y4"), "malformed", ['"fields"', "got array"])
case("a key twice", push(b"", b"\x82" + key("text") + key("a") + key("text") + key("b"), b"y5"),
     "malformed", ["duplicate", '"text"'])
case("trailing bytes", push(b"", good + b"\xc0", b"y6"), "malformed", ["trailing"])
case("fields: non-str map key", push(b"", doc(text=ok_text, fields={1: 2}), b"y7"), "malformed", ["fields", "expected str"])
case("fields: NaN", push(b"", doc(text=ok_text, fields={"x": float("nan")}), b"y8"), "malformed", ["fields.x", "finite"])
case("fields: ext value", push(b"", b"\x82" + key("text") + key("t") + key("fields") + b"\x81" + key("e") + b"\xd4\x01\x00",
                                b"y9"), "malformed", ["fields.e"])
case("fields: str not UTF-8", push(b"", b"\x82" + key("text") + key("t") + key("fields") + b"\x81" + key("s") + raw_str(b"\xff"),
                                   b"y10"), "malformed", ["fields.s", "UTF-8"])
case("source not UTF-8", push(b"", b"\x82" + key("text") + key("t") + key("source") + raw_str(b"s\xff"), b"y11"),
     "malformed", ["source", "UTF-8"])
case("source over 1024 bytes", push(b"", doc(text=ok_text, source="s" * 1025), b"y12"), "too_large", ["source", "limit"])
case("fields: int over int64", push(b"", doc(text=ok_text, fields={"n": 2**64 - 1}), b"y13"), "too_large", ["fields.n", "range"])
# sizes and bombs
case("text over max_doc_bytes", push(b"", doc(text="a" * (MAX_DOC + 1)), b"z1"), "too_large", ["text", "limit"])
case("message over max_doc_bytes + 64 KiB", push(b"", doc(text="a" * (MAX_DOC + 70000)), b"z2"), "too_large", ["limit"])
case("text exactly max_doc_bytes", push(b"cleanonly", doc(id="max-doc", text="a " * (MAX_DOC // 2)), b"z3"), "accepted")
gig = b"\xff\xff\xff\xf0"
case("str32 claiming 4 GB", push(b"", b"\x81" + key("text") + b"\xdb" + gig + b"abc", b"b1"), "malformed", ["truncated", "str32"])
case("bin32 claiming 4 GB", push(b"", b"\x81" + key("text") + b"\xc6" + gig + b"abc", b"b2"), "malformed", ["truncated", "bin32"])
case("array32 claiming 4G entries", push(b"", b"\x82" + key("text") + key("t") + key("fields") + b"\x81" + key("a")
                                             + b"\xdd" + gig + b"\xc0", b"b3"), "malformed", ["truncated", "array32"])
case("map-size bomb: map32 of 4G entries", push(b"", b"\xdf\xff\xff\xff\xff" + key("text") + key("t"), b"b4"),
     "malformed", ["truncated", "map32"])
case("map-size bomb inside fields", push(b"", b"\x82" + key("text") + key("t") + key("fields") + b"\xdf\xff\xff\xff\xff"
                                             + key("a") + b"\xc0", b"b5"), "malformed", ["truncated", "map32"])
case("nesting bomb: fields 1000 deep", push(b"", b"\x82" + key("text") + key("t") + key("fields") + nested(1000), b"b6"),
     "too_large", ["nesting"])
case("nesting bomb: arrays 1000 deep", push(b"", b"\x82" + key("text") + key("t") + key("fields") + b"\x81\xa1a"
                                               + b"\x91" * 1000 + b"\xc0", b"b7"), "too_large", ["nesting"])
case("nesting 33 (document map counts 1)", push(b"", b"\x82" + key("text") + key("t") + key("fields") + nested(32), b"b8"),
     "too_large", ["nesting"])
case("nesting 32, the limit", push(b"", b"\x83" + key("id") + key("depth-32") + key("text") + key("t") + key("fields")
                                   + nested(31), b"b9"), "accepted")
# id
case("id over 256 bytes", push(b"", doc(text=ok_text, id="i" * 257), b"i1"), "too_large", ["id", "257", "limit"])
case("id of 256 bytes", push(b"", doc(text=ok_text, id="i" * 256), b"i2"), "accepted")
case("id with a newline", push(b"", doc(text=ok_text, id="a\nb"), b"i3"), "malformed", ["id", "control character"])
# NUL is valid UTF-8 and a control character, which is what the message names.
case("id with NUL", push(b"", doc(text=ok_text, id="a\x00b"), b"i4"), "malformed", ["id", "control character"])
case("id with DEL", push(b"", doc(text=ok_text, id="a\x7fb"), b"i5"), "malformed", ["id", "control character"])
case("id with C1 (U+0085)", push(b"", doc(text=ok_text, id="a\u0085b"), b"i6"), "malformed", ["id", "control character"])
case("id empty", push(b"", doc(text=ok_text, id=""), b"i7"), "malformed", ["id", "empty"])
case("id not UTF-8", push(b"", b"\x82" + key("text") + key("t") + key("id") + raw_str(b"a\xffb"), b"i8"), "malformed",
     ["id", "UTF-8"])
# pipeline
case("unknown pipeline", push(b"nosuch", good, b"p1"), "unknown_pipeline", ['"nosuch"'])
case("pipeline name over 64 bytes", push(b"p" * 65, good, b"p2"), "unknown_pipeline", ["no pipeline"])
# accepted rows: the text is repaired or dropped downstream (checked below)
case("invalid UTF-8 in text (str)", push(b"cleanonly", b"\x82" + key("id") + key("utf8-str") + key("text")
                                         + raw_str(b"caf\xe9 au lait \xff\xfe end"), b"a1"), "accepted")
case("invalid UTF-8 in text (bin)", push(b"cleanonly", doc(id="utf8-bin", text=b"caf\xe9 au lait"), b"a2"), "accepted")
case("NUL bytes in text", push(b"cleanonly", doc(id="nul", text="one\x00two\x00three"), b"a3"), "accepted")
case("empty text", push(b"", doc(id="empty-text", text=""), b"a4"), "accepted")

failures = []
counts = {}
for row, frames, code, needles, corr in cases:
    s.send_multipart(frames)
    if not s.poll(10000):
        failures.append("%s: no reply within 10 s" % row)
        continue
    r = s.recv_multipart()
    got = "accepted" if r[1:2] == [b"\x81"] else r[3].decode(errors="replace") if len(r) == 5 else "?"
    msg = r[4].decode("utf-8") if len(r) == 5 and r[1] == b"\x82" else ""
    print("%-40s -> %s %s" % (row, got, msg or (r[3].decode() if len(r) == 4 else "")))
    bad = []
    if r[0] != T:
        bad.append("tag %r" % r[0])
    if got != code:
        bad.append("code %s, want %s" % (got, code))
    if len(r) > 2 and r[2] != corr:
        bad.append("correlation frame %r, want %r" % (r[2][:70], corr[:70]))
    bad += ["message lacks %r" % n for n in needles if n not in msg]
    if bad:
        failures.append("%s: %s (reply %r)" % (row, "; ".join(bad), [f[:80] for f in r]))
    counts[code] = counts.get(code, 0) + 1
    if s.poll(0):
        failures.append("%s: more than one reply: %r" % (row, s.recv_multipart()))
json.dump(counts, open(sys.argv[2], "w"))
for f in failures:
    print("ROW FAILED: " + f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
stats_json >/dev/null || error_exit "siftd stopped answering after the bad input"
# Every refusal is counted by code and logged.
stat_is "json.dumps({k: v for k, v in s['ingest']['refused'].items() if v}, sort_keys=True) == json.dumps({k: v for k, v in json.load(open('$D/expect.json')).items() if k != 'accepted'}, sort_keys=True)" True ||
  error_exit "refusal counters do not match the rows: $(stat "s['ingest']['refused']") vs $(cat "$D/expect.json")"
expect_contains "$LOG" 'comp=proto msg="document refused" code=malformed err='

# ---- a duplicate id while the first is in flight: a resend, answered ACCEPTED, not queued;
# once the first has left siftd the same id is a new document again.
push_dup() { # push_dup TEXT...: PUSH dup-1 with each text, expect ACCEPTED dup-1 for each
  $PY - "$INGEST" "$@" <<'PY'
import sys, msgpack, zmq
s = zmq.Context().socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 1000); s.connect(sys.argv[1])
for n, text in enumerate(sys.argv[2:]):
    s.send_multipart([b"SIFTP1", b"\x01", b"dup%d" % n, b"probe", msgpack.packb({"id": "dup-1", "text": text})])
for _ in sys.argv[2:]:
    assert s.poll(5000), "no reply"
    r = s.recv_multipart()
    assert r[1] == b"\x81" and r[3] == b"dup-1", r
PY
}
kill_worker probe/0-0 STOP
push_dup "first copy" "second copy" || error_exit "duplicate id: the resend was not answered ACCEPTED"
stat_is "[p['jobs'] for p in s['pipelines'] if p['name'] == 'probe'][0]" 1 ||
  error_exit "the resend of dup-1 was queued beside the first copy"
stat_is "s['ingest']['resent']" 1 || error_exit "the resend of dup-1 is not counted as resent"
kill_worker probe/0-0 CONT
wait_empty
push_dup "third copy" || error_exit "dup-1 after the first left siftd was not accepted"

# ---- siftd still serves: a normal document is accepted and delivered.
inject_docs 1 --pipeline cleanonly
wait_empty
stat_is "s['ingest']['delivered'] + s['ingest']['dead_lettered'] + s['ingest']['resent'] == s['ingest']['accepted']" True ||
  error_exit "accepted documents are missing from the results"
# ---- what became of the accepted rows (one pass over the results: they hold a 4 MiB text).
$PY - "$RESULTS" <<'PY' || error_exit "an accepted bad-input row came out wrong (see above)"
import json, sys
# strict UTF-8: a single invalid byte anywhere in the file fails here
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="strict") if l.strip()]
by_id = {d["id"]: d for d in docs}
dups = [d for d in docs if d["id"] == "dup-1"]
clean = lambda i: by_id[i]["fields"]["clean"]
st = lambda i: by_id[i]["status"]
checks = [
    ("a normal document after the bad input is delivered", lambda: st("doc-0")["state"] == "ok"),
    ("duplicate id: the resend is not processed, a later push of the id is",
     lambda: sorted(d["text"] for d in dups) == ["first copy", "third copy"] and all(d["status"]["state"] == "ok" for d in dups)),
    ("invalid UTF-8 (str) repaired to U+FFFD and counted",
     lambda: by_id["utf8-str"]["text"] == "caf\ufffd au lait \ufffd\ufffd end" and clean("utf8-str")["invalid_utf8"] == 3),
    ("invalid UTF-8 (bin) repaired to U+FFFD and counted",
     lambda: by_id["utf8-bin"]["text"] == "caf\ufffd au lait" and clean("utf8-bin")["invalid_utf8"] == 1),
    ("NUL bytes removed by clean and counted",
     lambda: by_id["nul"]["text"] == "onetwothree" and clean("nul")["controls"] == 2),
    ("empty text dropped by score as empty",
     lambda: st("empty-text")["state"] == "dropped" and st("empty-text")["stage"] == "score" and "empty" in st("empty-text")["reason"]),
    ("id of 256 bytes delivered", lambda: "i" * 256 in by_id),
    ("text of max_doc_bytes delivered", lambda: len(by_id["max-doc"]["text"]) > 4000000),
    ("fields nested to the limit delivered", lambda: "depth-32" in by_id),
]
bad = 0
for name, ok in checks:
    try:
        good = ok()
    except (KeyError, TypeError) as e:
        good, name = False, "%s (%r missing)" % (name, e)
    print("%s: %s" % ("ok  " if good else "FAIL", name))
    bad += not good
sys.exit(1 if bad else 0)
PY
kill -TERM "$SIFTD_PID"
wait_shutdown
[ $ROWS_FAILED = 0 ] || error_exit "bad-input rows got the wrong reply (ROW FAILED lines above)"
exit_test
