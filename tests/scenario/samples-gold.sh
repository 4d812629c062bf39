#!/bin/bash
# The default pipeline over ../shared/samples (five real scraped articles, in
# name order) gives what gold.json labels: every meta value as a field (null =
# absent), every boilerplate line gone (no line of the text equals it), every
# content passage kept, 000-003 one
# story and 004 another, 001 derived_from 000.
. "${srcdir:-.}"/tests/lib/diag.sh init
need_shared samples/gold.json
d="$SIFT_DYNNAME.d"
mkdir -p "$d/in"
cp "$SIFT_SHARED"/samples/*.txt "$d/in/"
run_sift run -c "$srcdir/conf/siftd.conf" -o "$d/out.jsonl" "$d/in" 2> "$d/err" ||
  { cat "$d/err"; error_exit "sift run failed"; }
python3 - "$SIFT_SHARED/samples/gold.json" "$d/out.jsonl" <<'PY' || error_exit "gold check failed"
import json, re, sys
gold = json.load(open(sys.argv[1], encoding="utf-8"))
docs = {}
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    docs[d["id"]] = d
fold = lambda s: re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()
bad = []
for name, g in gold["documents"].items():
    d = docs.get(name)
    if d is None:
        bad.append("%s: missing from output" % name); continue
    f = d["fields"]
    for k, want in g["meta"].items():
        got = f.get(k)
        if want != got:
            bad.append("%s: fields.%s = %r, gold %r" % (name, k, got, want))
    text = fold(d["text"])
    lines = set(fold(l) for l in d["text"].split("\n"))
    for b in g["boilerplate"]:
        if fold(b) in lines:  # a line that must go; its words may recur inside a kept paragraph
            bad.append("%s: boilerplate kept: %r" % (name, b))
    for c in g["content"]:
        if fold(c) not in text:
            bad.append("%s: content lost: %r" % (name, c))
story = lambda n: docs[n]["fields"].get("story")
for group in gold["stories"]:
    vals = set(story(n) for n in group)
    if len(vals) != 1 or None in vals:
        bad.append("story %s: values %s" % (group, vals))
groups = [story(g[0]) for g in gold["stories"]]
if len(set(groups)) != len(groups):
    bad.append("different stories share a value: %s" % groups)
for der in gold["derived"]:
    got = docs[der["copy"]]["fields"].get("derived_from")
    if got != der["of"]:
        bad.append("%s: derived_from = %r, gold %r" % (der["copy"], got, der["of"]))
others = [n for n in docs if docs[n]["fields"].get("derived_from") and n not in [x["copy"] for x in gold["derived"]]]
if others:
    bad.append("derived_from set on %s" % others)
for b in bad:
    print("  " + b, file=sys.stderr)
print("gold: %d documents, %d problems" % (len(gold["documents"]), len(bad)))
sys.exit(1 if bad else 0)
PY
exit_test
