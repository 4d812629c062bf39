#!/usr/bin/python3
"""producer.py - the scenario tests' producer: numbered documents over the real protocol.

    producer.py -e ENDPOINT -n COUNT [--start K] [--prefix doc-] [--window 64]
                [--marker ID=TEXT ...] [--pipeline P] [--accepted FILE] [--no-resend]
                [--size BYTES] [--rate DOCS_PER_S]

Sends documents with ids PREFIX+K .. PREFIX+(K+COUNT-1) and texts "hello document N ..."
(or TEXT for an id named by --marker), keeps up to --window in flight, resends on
`overloaded` with backoff (unless --no-resend), appends every accepted id to --accepted,
and prints one line: `accepted=N refused_<code>=M ... overloaded_seen=K`. Exit status 0
when every document was accepted, 1 otherwise, 2 on a timeout (nothing heard for --timeout s).
Written from docs/protocol.md; uses Debian's python3-zmq and python3-msgpack.
"""
import argparse
import collections
import sys
import time

import msgpack
import zmq


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-e", "--endpoint", required=True)
    ap.add_argument("-n", "--count", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--prefix", default="doc-")
    ap.add_argument("--window", type=int, default=64)
    ap.add_argument("--marker", action="append", default=[])
    ap.add_argument("--pipeline", default="")
    ap.add_argument("--accepted")
    ap.add_argument("--no-resend", action="store_true")
    ap.add_argument("--size", type=int, default=0, help="pad texts to about this many bytes")
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--timeout", type=float, default=30, help="give up after this long without a reply")
    ap.add_argument("--keep-going", action="store_true",
                    help="on a timeout, count what is in flight as unanswered and go on (siftd restarts)")
    a = ap.parse_args()
    markers = dict(m.split("=", 1) for m in a.marker)
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 1000)
    s.connect(a.endpoint)
    todo = collections.deque(range(a.start, a.start + a.count))
    in_flight, retry_at = {}, []
    counts = collections.Counter()
    acc = open(a.accepted, "a") if a.accepted else None
    backoff = 0.05
    last_heard = time.time()
    t0 = time.time()
    sent = 0

    def body(n):
        doc_id = "%s%d" % (a.prefix, n)
        text = markers.get(doc_id, "hello document %d. The quick brown fox jumps over the lazy dog." % n)
        if a.size:
            text = ((text + " ") * (a.size // (len(text) + 1) + 1))[: a.size]
        return doc_id, msgpack.packb({"id": doc_id, "text": text, "source": "test"})

    while todo or in_flight or retry_at:
        now = time.time()
        while retry_at and retry_at[0][0] <= now:
            todo.appendleft(retry_at.pop(0)[1])
        while todo and len(in_flight) < a.window:
            if a.rate and sent > (now - t0) * a.rate:
                break
            n = todo.popleft()
            doc_id, packed = body(n)
            corr = b"c%d" % n
            s.send_multipart([b"SIFTP1", b"\x01", corr, a.pipeline.encode(), packed])
            in_flight[corr] = n
            sent += 1
        if s.poll(100):
            last_heard = time.time()
            while True:
                try:
                    f = s.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                n = in_flight.pop(f[2], None)
                if n is None:
                    counts["unknown_reply"] += 1
                elif f[1] == b"\x81":
                    counts["accepted"] += 1
                    backoff = 0.05
                    if acc:
                        acc.write(f[3].decode() + "\n")
                        acc.flush()
                elif f[3] == b"overloaded" and not a.no_resend:
                    counts["overloaded_seen"] += 1
                    retry_at.append((time.time() + backoff, n))
                    retry_at.sort()
                    backoff = min(backoff * 2, 1.0)
                else:
                    counts["refused_" + f[3].decode()] += 1
                    if counts["refused_" + f[3].decode()] == 1:
                        print("first %s refusal: %s" % (f[3].decode(), f[4].decode()), file=sys.stderr)
        elif in_flight and time.time() - last_heard > a.timeout and a.keep_going:
            counts["unanswered"] += len(in_flight)
            in_flight.clear()
            last_heard = time.time()
        elif in_flight and time.time() - last_heard > a.timeout:
            print("timeout: no reply for %g s, %d in flight" % (a.timeout, len(in_flight)), file=sys.stderr)
            print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
            sys.exit(2)
    if acc:
        acc.close()
    print(" ".join("%s=%d" % kv for kv in sorted(counts.items())) or "nothing")
    sys.exit(0 if counts["accepted"] == a.count else 1)


if __name__ == "__main__":
    main()
