#!/usr/bin/env python3
"""show_results.py - a person-readable summary of sift's JSONL results.

    python3 scripts/show_results.py RESULTS.jsonl

One block per document: id, status, the main fields, a few scores, the time each stage took,
and the opening of the kept text.
"""
import json
import sys

FIELDS = ("title", "author", "date", "dateline", "language", "story", "duplicate_of", "derived_from")


def show(doc):
    st = doc["status"]
    status = st["state"] + ("" if st["state"] == "ok" else " by %s: %s" % (st.get("stage"), st.get("reason") or st.get("error")))
    print("%s  [%s]" % (doc["id"], status))
    f = doc.get("fields", {})
    for k in FIELDS:
        if k in f:
            print("  %-13s %s" % (k, f[k]))
    sc = doc.get("scores", {})
    if sc:
        keys = [k for k in ("quality", "gopher.words", "readability.flesch") if k in sc] or list(sc)[:3]
        print("  %-13s %s" % ("scores", ", ".join("%s=%.3g" % (k, sc[k]) for k in keys)))
    print("  %-13s %s" % ("stages", ", ".join("%s %.2f ms" % (t["stage"], t["us"] / 1000) for t in doc["trace"])))
    text = " ".join(doc["text"].split())
    print("  %-13s %s" % ("text", (text[:150] + "...") if len(text) > 150 else text))
    print()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                show(json.loads(line))


if __name__ == "__main__":
    main()
