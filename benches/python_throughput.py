#!/usr/bin/env python3
"""Documents per second of the Python package beside the CLI, on the same documents.

    python benches/python_throughput.py [--copies 5] [--runs 2] [--binary PATH] [--no-spark]

Run it with the Python of a virtualenv that has the package (`pip install ./crates/python[spark]`)
and after `cargo build --release`. The documents are the shared ACLED records
(`../shared/data/events-dev`, ukraine + world: id, text, date; exit status 2 when missing),
repeated --copies times with fresh ids. Timed, best of --runs:

  * `geoevents.events_frame` with threads=1 and threads=2 (in this process, after a warm-up);
  * `geoevents.spark.map_events` on Spark `local[1]` and `local[2]` (the session started and its
    Python workers warmed on a small run first; the result written to Spark's `noop` sink, so
    every event is made and nothing is kept), one thread per task;
  * the CLI, `map -j 1` and `map -j 2` on the same documents as JSON Lines, pinned to one and two
    cores with `taskset` when there is one, output to /dev/null (process start counted).

Not run in CI. Prints a table (documents/s and per core).
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
EVENTS_DEV = os.path.join(ROOT, "..", "shared", "data", "events-dev")


def documents(copies):
    base = []
    for name in ["ukraine.jsonl", "world.jsonl"]:
        path = os.path.join(EVENTS_DEV, name)
        if not os.path.isfile(path):
            print(f"*** SHARED DATA MISSING: {path} ***", file=sys.stderr)
            sys.exit(2)
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                base.append((r["id"], r["text"], r["date"]))
    return [(f"{i}#{c}", t, d) for c in range(copies) for i, t, d in base]


def best(runs, fn):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_frames(docs, runs):
    import geoevents

    texts = [t for _, t, _ in docs]
    ids = [i for i, _, _ in docs]
    dates = [d for _, _, d in docs]
    geoevents.events_frame(texts[:200], ids=ids[:200], dates=dates[:200])  # warm-up
    out = {}
    for threads in (1, 2):
        out[f"events_frame, threads={threads}"] = (
            threads,
            best(runs, lambda: geoevents.events_frame(texts, ids=ids, dates=dates, threads=threads)),
        )
    return out


def bench_spark(docs, runs):
    from pyspark.sql import SparkSession

    from geoevents.spark import map_events

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    out = {}
    for cores in (1, 2):
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("geoevents-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.createDataFrame(docs, "id string, text string, date string")
        df = df.repartition(4 * cores).cache()
        df.count()

        def run(frame):
            map_events(frame).write.format("noop").mode("overwrite").save()

        run(df.limit(200))  # starts the Python workers, loads the gazetteer in each
        out[f"Spark local[{cores}]"] = (cores, best(runs, lambda: run(df)))
        spark.stop()
    return out


def bench_cli(binary, docs, runs):
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "docs.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for i, t, d in docs:
                f.write(json.dumps({"id": i, "text": t, "date": d}) + "\n")
        for cores in (1, 2):
            cmd = [binary, "map", "-j", str(cores), "--no-progress", "--format", "geojsonseq",
                   "-o", "-", path]
            if shutil.which("taskset"):
                cmd = ["taskset", "-c", ",".join(str(c) for c in range(cores))] + cmd
            out[f"CLI map -j {cores}"] = (
                cores,
                best(runs, lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)),
            )
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "geoevents"))
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    if not os.path.isfile(args.binary):
        sys.exit(f"no CLI at {args.binary}: run `cargo build --release` first")
    docs = documents(args.copies)
    results = {}
    results.update(bench_cli(args.binary, docs, args.runs))
    results.update(bench_frames(docs, args.runs))
    if not args.no_spark:
        results.update(bench_spark(docs, args.runs))
    print(f"{len(docs):,} documents (events-dev x {args.copies}), best of {args.runs}, "
          f"{os.cpu_count()} CPUs")
    print(f"| {'run':<26} | {'seconds':>8} | {'docs/s':>8} | {'docs/s per core':>15} |")
    print(f"|{'-' * 28}|{'-' * 9}:|{'-' * 9}:|{'-' * 16}:|")
    for name, (cores, secs) in results.items():
        rate = len(docs) / secs
        print(f"| {name:<26} | {secs:>8.2f} | {rate:>8,.0f} | {rate / cores:>15,.0f} |")


if __name__ == "__main__":
    main()
