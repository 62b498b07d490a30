#!/usr/bin/env python3
"""Whole-process throughput of `places` (and `map`) on the four corpora, against geotext.

    python3 benches/throughput.py [--mb 50] [--binary PATH] [--runs 3] [--no-peer]

Reads every document of GeoWebNews, LGL, TR-News and GeoVirus from `../shared/data/corpora` (the
readers of benches/eval/corpora.py; exit status 2 when they are missing) and writes them as JSON
Lines, repeated with fresh ids until the file holds at least --mb megabytes of text. Then, in the
same run:

  * `BINARY places --threads 1` pinned to one core and `--threads 2` pinned to two (`taskset`), on
    that file (default BINARY target/release/geoevents; the bench never builds it), best wall time
    of --runs, output to /dev/null, peak resident memory from GNU time (`/usr/bin/time -f %M`);
  * `BINARY map --threads 2` once, for the event pipeline's rate;
  * PyPI geotext 0.4.0 (pinned, in the same virtualenv places_eval.py uses) on the same documents:
    `GeoText(text)` for each, timed inside Python after import, so its start-up is not counted.

MB/s counts the documents' text (UTF-8 bytes), not the JSON around it. The repeats make later
copies cheaper for geoevents, whose per-thread memos remember the names it has looked up; the
first-copy rate is reported too (one copy, one thread). Targets (issue 7): 50 MB/s per core for
`places`, 1000 x geotext, 1.8 x from 1 to 2 threads, peak memory at most 500 MB.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

from eval import corpora as C  # noqa: E402
import places_eval as P  # noqa: E402


def documents():
    if not os.path.isdir(P.CORPORA_DIR):
        sys.exit(f"*** SHARED DATA MISSING: {P.CORPORA_DIR} ***")
    docs = []
    for name in P.ORDER:
        found, _ = C.READERS[name](P.CORPORA_DIR)
        docs += [(f"{name}-{d['id']}", d["text"]) for d in found]
    return docs


def write_jsonl(path, docs, copies):
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for c in range(copies):
            for doc_id, text in docs:
                f.write(json.dumps({"id": f"{doc_id}#{c}", "text": text}) + "\n")
                size += len(text.encode("utf-8"))
    return size


def timed(cmd):
    """(wall seconds, peak RSS in MB) of one run."""
    t = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr[-500:]}")
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024


def best(cmd, runs):
    results = [timed(cmd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def geotext_rate(path):
    python = str(P.ensure_venv())
    code = (
        "import json,sys,time\n"
        "from geotext import GeoText\n"
        "docs=[json.loads(l)['text'] for l in open(sys.argv[1],encoding='utf-8')]\n"
        "t=time.perf_counter()\n"
        "n=0\n"
        "for d in docs:\n"
        "    g=GeoText(d); n+=len(g.cities)+len(g.countries)\n"
        "dt=time.perf_counter()-t\n"
        "print(json.dumps({'seconds':dt,'bytes':sum(len(d.encode()) for d in docs),'names':n}))\n"
    )
    out = subprocess.run([python, "-c", code, path], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return None, out.stderr.strip()[-300:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["bytes"] / 1e6 / r["seconds"], None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "geoevents"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} is missing: build it with `cargo build --release`")
    docs = documents()
    one = sum(len(t.encode("utf-8")) for _, t in docs)
    copies = max(1, int(args.mb * 1e6 // one) + (1 if (args.mb * 1e6) % one else 0))
    with tempfile.TemporaryDirectory() as tmp:
        single = os.path.join(tmp, "once.jsonl")
        many = os.path.join(tmp, "many.jsonl")
        write_jsonl(single, docs, 1)
        size = write_jsonl(many, docs, copies)
        mb = size / 1e6
        print(f"{len(docs)} documents, {one / 1e6:.2f} MB of text, x{copies} = {mb:.1f} MB")
        first, _ = best([args.binary, "places", "--threads", "1", single], args.runs)
        print(f"places, first copy, 1 thread: {one / 1e6 / first:.1f} MB/s")
        rates = {}
        for threads in (1, 2):
            # Pinned to as many cores as workers, so "1 thread" is one core doing everything
            # (reading and writing included) and the speed-up is from one core to two.
            cores = ",".join(str(c) for c in range(threads))
            pin = ["taskset", "-c", cores] if shutil.which("taskset") else []
            wall, rss = best(pin + [args.binary, "places", "--threads", str(threads), many], args.runs)
            rates[threads] = mb / wall
            print(f"places, {threads} thread(s): {wall:.2f} s, {mb / wall:.1f} MB/s, peak {rss:.0f} MB")
        wall, rss = best([args.binary, "map", "--threads", "2", "-o", "-", "--date", "2020-01-01", many], 1)
        print(f"map, 2 threads: {wall:.2f} s, {mb / wall:.1f} MB/s, peak {rss:.0f} MB")
        peer = None
        if not args.no_peer:
            peer, err = geotext_rate(single)
            if peer is None:
                print(f"geotext: not available ({err})")
            else:
                print(f"geotext 0.4.0 (one copy, in-process): {peer:.1f} MB/s")
    per_core = rates[1]
    scaling = rates[2] / rates[1]
    print("\ntargets:")
    print(f"  places >= 50 MB/s per core: {per_core:.1f} {'PASS' if per_core >= 50 else 'FAIL'}")
    if peer:
        ratio = rates[2] / peer
        print(f"  >= 1000x geotext (2 threads vs geotext): {ratio:.2f}x {'PASS' if ratio >= 1000 else 'FAIL'}")
    print(f"  >= 1.8x from 1 to 2 threads: {scaling:.2f}x {'PASS' if scaling >= 1.8 else 'FAIL'}")
    print(f"  peak memory <= 500 MB: {rss:.0f} MB {'PASS' if rss <= 500 else 'FAIL'} (largest run: map)")


if __name__ == "__main__":
    main()
