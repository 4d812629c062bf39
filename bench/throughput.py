#!/usr/bin/env python3
"""throughput.py - MB/s of `sift run` over a corpus, beside references measured in the same run.

    python3 bench/throughput.py [--build build] [--mb 50] [--runs 3]
                                [--stages clean] [--stages clean,boilerplate ...] [--py]

Builds a JSONL corpus of at least --mb megabytes of text by repeating the dev set's page
texts (../shared/eval/boilerplate-dev.jsonl; examples/docs/*.txt when that is absent), and the
same texts as a directory of .txt files. Then, in one run, times `cat` of the corpus (the floor
of reading it), `sift run` with each --stages list over the JSONL and over the text files (one
core: sift run is single-threaded; the figures include reading the input and writing JSON
results), each stage alone (MB/s from the time its process() took, summed from the trace) and
all stages together, and with --py the Python pipeline of ../shared/bench/py_pipeline.py on the
same texts. py_pipeline's "overall" is the time inside its four stages (it parses its input
before the clock starts and writes nothing), so the ratio is printed three ways: sift's stage
time on that same basis; sift run's wall clock over text files, which like py_pipeline's clock
has no input to parse but still writes every result as JSON; and sift run's wall clock over
the JSONL, which also parses each line with jansson. Reports MB/s (10^6 bytes of document text
per second of wall time, best of --runs), the ratio to cat, and peak RSS. Machines here are
noisy, so read the ratios, not the absolute figures.
"""
import argparse
import glob
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def load_texts():
    dev = os.path.join(SHARED, "eval", "boilerplate-dev.jsonl")
    if os.path.exists(dev):
        with open(dev, encoding="utf-8") as f:
            return [json.loads(line)["text"] for line in f], dev
    paths = sorted(glob.glob(os.path.join(ROOT, "examples", "docs", "*.txt")))
    return [open(p, encoding="utf-8", errors="replace").read() for p in paths], "examples/docs"


def make_corpus(path, textdir, mb):
    """The JSONL corpus at path and the same documents as textdir/<id>.txt."""
    texts, src = load_texts()
    size = n = 0
    os.mkdir(textdir)
    with open(path, "w", encoding="utf-8") as f:
        while size < mb * 1e6:
            for t in texts:
                f.write(json.dumps({"id": "d%d" % n, "text": t}, ensure_ascii=False) + "\n")
                with open(os.path.join(textdir, "d%d.txt" % n), "w", encoding="utf-8") as g:
                    g.write(t)
                size += len(t.encode("utf-8"))
                n += 1
    return size, n, src


def timed(cmd, runs):
    """Best wall time of runs, and the peak RSS (KiB) of the children."""
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return best, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def stage_rates(sift, stages, corpus, size, tmp):
    """One more run with output kept: MB/s of each stage from the trace's microseconds."""
    out = os.path.join(tmp, "out.jsonl")
    subprocess.run([sift, "run", "--stages", stages, "-o", out, corpus], check=True,
                   stderr=subprocess.DEVNULL)
    us = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            for t in json.loads(line)["trace"]:
                us[t["stage"]] = us.get(t["stage"], 0) + t["us"]
    os.unlink(out)
    rates = [(st, size / (u / 1e6) / 1e6 if u else float("inf")) for st, u in us.items()]
    total = sum(us.values())
    return rates, size / (total / 1e6) / 1e6 if total else float("inf")


def py_pipeline(corpus, mb, runs):
    """Run ../shared/bench/py_pipeline.py; return its overall MB/s from the SUMMARY lines."""
    script = os.path.join(SHARED, "bench", "py_pipeline.py")
    if not os.path.exists(script):
        return None, "absent (../shared/bench)"
    out = subprocess.run([sys.executable, script, "--input", corpus, "--mb", str(mb), "--runs",
                          str(runs)], capture_output=True, text=True, check=True).stdout
    lines = [l for l in out.splitlines() if l.startswith("SUMMARY")]
    return lines, None


def overall_mb_s(lines):
    """The py_pipeline's best overall MB/s of its runs, or None. Best, not its median:
    sift run's figure is the best of its runs too."""
    for l in lines:
        f = l.split()
        if len(f) > 3 and f[1] == "py_pipeline" and f[2] == "overall":
            m = re.search(r"median of \d+: ([\d. ]+) MB/s", l)
            return max([float(f[3])] + [float(r) for r in (m.group(1).split() if m else [])])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stages", action="append")
    ap.add_argument("--py", action="store_true", help="also run ../shared/bench/py_pipeline.py")
    a = ap.parse_args()
    sift = os.path.join(a.build, "bin", "sift")
    if not os.access(sift, os.X_OK):
        sys.exit("no %s: build first (cmake -S . -B build && cmake --build build)" % sift)
    stage_lists = a.stages or ["clean"]
    with tempfile.TemporaryDirectory(prefix="sift-bench.") as tmp:
        corpus, textdir = os.path.join(tmp, "corpus.jsonl"), os.path.join(tmp, "texts")
        size, n, src = make_corpus(corpus, textdir, a.mb)
        print("corpus: %d docs, %.1f MB of text, from %s" % (n, size / 1e6, src))
        t_cat, _ = timed(["cat", corpus], a.runs)
        print("%-44s %9.1f MB/s" % ("cat", size / t_cat / 1e6))
        rates = {}
        for stages in stage_lists:
            t, rss = timed([sift, "run", "--stages", stages, "-o", "/dev/null", corpus], a.runs)
            print("%-44s %9.1f MB/s  ratio to cat %.3f  peak RSS %d MiB" %
                  ("sift run --stages " + stages, size / t / 1e6, t_cat / t, rss // 1024))
            t_txt, _ = timed([sift, "run", "--stages", stages, "-o", "/dev/null", textdir], a.runs)
            print("  %-42s %9.1f MB/s  (the same documents as .txt files: no JSON to parse)" %
                  ("over text files", size / t_txt / 1e6))
            per_stage, in_stages = stage_rates(sift, stages, corpus, size, tmp)
            for st, rate in per_stage:
                print("  %-42s %9.1f MB/s  (time inside the stage's process(), from the trace)" %
                      ("stage " + st, rate))
            print("  %-42s %9.1f MB/s  (the stages' times added up: JSON reading and writing left out)"
                  % ("all stages", in_stages))
            rates[stages] = (size / t / 1e6, size / t_txt / 1e6, in_stages)
        if a.py:
            lines, why = py_pipeline(corpus, a.mb, a.runs)
            for line in lines or ["py_pipeline: " + why]:
                print(line)
            py = overall_mb_s(lines or [])
            for stages, (rate, rate_txt, in_stages) in rates.items():
                if py and len(stages.split(",")) == 4:
                    # py_pipeline's "overall" counts the seconds inside its stages only (its
                    # JSON reading is outside the clock, and it writes nothing); the like
                    # figure for sift is the stages' trace times, printed beside the wall times.
                    print("ratio to py_pipeline overall (best run %.2f MB/s, time in stages): sift stages %.1fx; "
                          "sift run wall clock over text files %.1fx, over JSONL %.1fx"
                          % (py, in_stages / py, rate_txt / py, rate / py))
    cmd = "python3 bench/throughput.py --mb %g --runs %d %s%s" % (
        a.mb, a.runs, " ".join("--stages " + s for s in stage_lists), " --py" if a.py else "")
    print("reproduce: " + cmd)


if __name__ == "__main__":
    main()
