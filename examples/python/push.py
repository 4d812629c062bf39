#!/usr/bin/python3
"""push.py - push documents to siftd over the producer protocol (docs/protocol.md).

    push.py [-e ENDPOINT] [-p PIPELINE] [--window N] [--source NAME] [--ids-out FILE] PATH...
    push.py [-e ENDPOINT] [-p PIPELINE] [--window N] --count N [--size BYTES] [--prefix P]

A PATH is a text file (one document, id = the file's name), a directory (its regular files
in name order, hidden ones skipped), a .jsonl file (one {"id", "text", "source"?, "fields"?}
object a line) or "-" for standard input (JSONL when it starts with '{', else one document
with id "stdin"). --count generates numbered documents P0 .. P(N-1) instead (load tests).

Keeps up to --window PUSHes in flight and matches replies by correlation id. On `overloaded`
(or `internal`) it pauses (50 ms, doubling while nothing is accepted, up to 2 s), halves the
number in flight (growing back by one per window of ACCEPTED) and resends the refused first;
a document refused that way for 60 s is given up. Prints a summary line on stdout; exits 0
when every document was accepted, 1 when any was finally refused, an input could not be read,
or siftd answered nothing for 30 s while documents were in flight.

Uses Debian's python3-zmq and python3-msgpack (hence /usr/bin/python3). An example written
from docs/protocol.md alone, with no sift code; `sift push` is the full client.
SPDX-License-Identifier: MIT
"""
import argparse
import collections
import json
import os
import sys
import time

import msgpack
import zmq

TAG = b"SIFTP1"
PUSH, ACCEPTED, REFUSED = b"\x01", b"\x81", b"\x82"
BACKOFF_MIN_S = 0.05     # first pause after `overloaded`
BACKOFF_MAX_S = 2.0      # the pause doubles, while nothing is accepted, up to this
GIVE_UP_S = 60.0         # a document refused `overloaded` this long is given up
SILENCE_S = 30.0         # nothing heard this long with PUSHes in flight: siftd is gone
RESEND = (b"overloaded", b"internal")


def text_doc(doc_id, data, source):
    """A document from a file's bytes: text as str when UTF-8, else as bin."""
    try:
        data = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    doc = {"id": doc_id, "text": data}
    if source:
        doc["source"] = source
    return doc


def jsonl_docs(lines, name, errors):
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise ValueError('expected an object with a string "text"')
            doc = {k: obj[k] for k in ("id", "source", "text", "fields") if k in obj}
        except ValueError as e:
            errors.append("%s:%d: %s" % (name, n, e))
            continue
        yield doc


def file_docs(path, source, errors):
    try:
        if path.endswith(".jsonl"):
            with open(path, "rb") as f:
                yield from jsonl_docs(f, path, errors)
            return
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        errors.append("%s: %s" % (path, e.strerror))
        return
    yield text_doc(os.path.basename(path), data, source)


def path_docs(path, source, errors):
    """The documents of one PATH argument, one at a time."""
    if path == "-":
        data = sys.stdin.buffer.read()
        if data.lstrip().startswith(b"{"):
            yield from jsonl_docs(data.splitlines(), "stdin", errors)
        elif data.strip():
            yield text_doc("stdin", data, source)
    elif os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            if not name.startswith(".") and os.path.isfile(full):
                yield from file_docs(full, source, errors)
    elif os.path.exists(path):
        yield from file_docs(path, source, errors)
    else:
        errors.append("%s: no such file or directory" % path)


def synthetic_docs(count, size, prefix):
    for n in range(count):
        text = "document %d: the quick brown fox jumps over the lazy dog. " % n
        if size:
            text = (text * (size // len(text) + 1))[:size]
        yield {"id": "%s%d" % (prefix, n), "source": "push.py", "text": text}


class Pusher:
    """A window of PUSHes in flight on one DEALER; backs off and resends on overload.

    The window shrinks on overload (halved per pause) and grows back by one per window's worth
    of ACCEPTED (as TCP's congestion window does), so after a pause the client sends about
    what siftd can take, not a burst that is refused again.
    """

    def __init__(self, endpoint, pipeline, window, ids_out):
        self.sock = zmq.Context.instance().socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 1000)
        self.sock.connect(endpoint)
        self.endpoint, self.pipeline, self.window = endpoint, pipeline.encode(), window
        self.ids_out = ids_out
        self.in_flight = {}          # corr -> [packed, label, first_overload]
        self.waiting = collections.deque()   # entries to resend, oldest first
        self.hold_until = 0.0        # no sends before this (backing off)
        self.delay = 0.0             # the current pause; 0 after an ACCEPTED
        self.cwnd = float(window)    # PUSHes allowed in flight now, 1..window
        self.next_corr = 0
        self.last_heard = time.monotonic()
        self.accepted = 0
        self.refused = collections.Counter()
        self.first_msg = {}

    def send(self, entry):
        if not self.in_flight:
            self.last_heard = time.monotonic()   # the silence clock starts now
        self.next_corr += 1
        corr = b"%d" % self.next_corr
        self.sock.send_multipart([TAG, PUSH, corr, self.pipeline, entry[0]])
        self.in_flight[corr] = entry

    def room(self):
        return len(self.in_flight) < self.cwnd and time.monotonic() >= self.hold_until

    def push(self, doc):
        label = doc.get("id", "(no id)")
        while not self.room() or self.waiting:
            self.pump()
        self.send([msgpack.packb(doc, use_bin_type=True), label, None])

    def finish(self):
        while self.in_flight or self.waiting:
            self.pump()

    def pump(self):
        """Resend what waits once the backoff is over, then handle replies for up to 100 ms."""
        while self.waiting and self.room():
            self.send(self.waiting.popleft())
        if self.sock.poll(100):
            self.last_heard = time.monotonic()
            while self.sock.poll(0):
                self.on_reply(self.sock.recv_multipart())
        elif self.in_flight and time.monotonic() - self.last_heard > SILENCE_S:
            raise TimeoutError("no reply from siftd at %s for %d s (%d documents in flight)"
                               % (self.endpoint, SILENCE_S, len(self.in_flight)))

    def on_reply(self, frames):
        if len(frames) < 4 or frames[0] != TAG or frames[2] not in self.in_flight:
            print("push.py: ignoring an unexpected reply (%d frames)" % len(frames), file=sys.stderr)
            return
        entry = self.in_flight.pop(frames[2])
        if frames[1] == ACCEPTED:
            self.accepted += 1
            self.delay = 0.0
            self.cwnd = min(self.window, self.cwnd + 1.0 / self.cwnd)
            if self.ids_out:
                self.ids_out.write(frames[3].decode("utf-8", "replace") + "\n")
            return
        code = frames[3]
        msg = frames[4].decode("utf-8", "replace") if len(frames) > 4 else ""
        now = time.monotonic()
        if code in RESEND and (entry[2] is None or now - entry[2] < GIVE_UP_S):
            entry[2] = entry[2] if entry[2] is not None else now
            if now >= self.hold_until:   # the first refusal since the last pause: pause again
                self.delay = min(max(self.delay * 2, BACKOFF_MIN_S), BACKOFF_MAX_S)
                self.hold_until = now + self.delay
                self.cwnd = max(1.0, self.cwnd / 2)
            self.waiting.append(entry)
            return
        name = code.decode("ascii", "replace")
        self.refused[name] += 1
        self.first_msg.setdefault(name, "%s: %s" % (entry[1], msg))


def parse_args():
    ap = argparse.ArgumentParser(
        description="Push documents to siftd over the producer protocol (docs/protocol.md).")
    ap.add_argument("paths", nargs="*", metavar="PATH",
                    help="text file, directory, .jsonl file, or - for stdin")
    ap.add_argument("-e", "--endpoint", default="ipc://sift-ingest.sock",
                    help="siftd's ingest endpoint (default: %(default)s)")
    ap.add_argument("-p", "--pipeline", default="", help="pipeline name (default: default)")
    ap.add_argument("--window", type=int, default=64, help="PUSHes in flight (default: 64)")
    ap.add_argument("--source", default="", help="source of text-file documents")
    ap.add_argument("--ids-out", metavar="FILE", help="write accepted ids here, one a line")
    ap.add_argument("--count", type=int, help="push N generated documents instead of PATHs")
    ap.add_argument("--size", type=int, default=0, help="generated text size in bytes")
    ap.add_argument("--prefix", default="doc-", help="generated ids' prefix (default: doc-)")
    a = ap.parse_args()
    if (a.count is None) == (not a.paths):
        ap.error("give PATHs or --count N (not both)")
    if a.window < 1:
        ap.error("--window must be at least 1")
    return a


def main():
    a = parse_args()
    errors = []
    if a.count is not None:
        docs = synthetic_docs(a.count, a.size, a.prefix)
    else:
        docs = (d for p in a.paths for d in path_docs(p, a.source, errors))
    ids_out = open(a.ids_out, "w", encoding="utf-8") if a.ids_out else None
    pusher = Pusher(a.endpoint, a.pipeline, a.window, ids_out)
    t0 = time.monotonic()
    status = 0
    try:
        for doc in docs:
            pusher.push(doc)
        pusher.finish()
    except TimeoutError as e:
        print("push.py: %s" % e, file=sys.stderr)
        status = 1
    finally:
        if ids_out:
            ids_out.close()
        pusher.sock.close(linger=0)
    for e in errors:
        print("push.py: input skipped: %s" % e, file=sys.stderr)
    for code, first in sorted(pusher.first_msg.items()):
        print("push.py: refused %s, first: %s" % (code, first), file=sys.stderr)
    refused = sum(pusher.refused.values())
    by_code = "".join(" %s=%d" % kv for kv in sorted(pusher.refused.items()))
    print("accepted=%d refused=%d%s input_errors=%d seconds=%.2f"
          % (pusher.accepted, refused, by_code, len(errors), time.monotonic() - t0))
    sys.exit(1 if status or refused or errors else 0)


if __name__ == "__main__":
    main()
