#!/usr/bin/env python3
"""Whole-process throughput of `places` on Ukrainian and Russian text.

    python3 benches/cyrillic_throughput.py [--mb 20] [--runs 3] [--binary PATH]

Takes the texts of ../shared/data/ner-uk/dev.jsonl and ../shared/data/ru-ner/dev.jsonl (exit
status 2, loudly, when they are missing), writes each language's texts as JSON Lines into a
temporary folder, repeated with fresh ids until the file holds at least --mb megabytes of text,
and times `BINARY places --threads 1` pinned to one core (`taskset -c 0`), best wall time of
--runs, output to /dev/null. MB/s counts the documents' text (UTF-8 bytes). Nothing is written
into the repository; the temporary files are removed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SETS = {"uk (NER-UK texts)": SHARED / "ner-uk" / "dev.jsonl", "ru (factRuEval texts)": SHARED / "ru-ner" / "dev.jsonl"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "geoevents"))
    a = ap.parse_args()
    missing = [str(p) for p in SETS.values() if not p.exists()]
    if missing:
        sys.stderr.write("*" * 72 + "\nSHARED DATA MISSING: " + ", ".join(missing) + "\n" + "*" * 72 + "\n")
        sys.exit(2)
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    tmp = tempfile.mkdtemp(prefix="geoevents-cyr-")
    try:
        for label, path in SETS.items():
            texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
            out = Path(tmp) / "docs.jsonl"
            size, n = 0, 0
            with open(out, "w", encoding="utf-8") as f:
                while size < a.mb * 1e6:
                    for t in texts:
                        f.write(json.dumps({"id": f"d{n}", "text": t}, ensure_ascii=False) + "\n")
                        size += len(t.encode("utf-8"))
                        n += 1
            best = None
            for _ in range(a.runs):
                start = time.perf_counter()
                with open(out, "rb") as stdin:
                    subprocess.run(pin + [a.binary, "places", "--threads", "1", "--no-progress", "-"],
                                   stdin=stdin, stdout=subprocess.DEVNULL, check=True)
                wall = time.perf_counter() - start
                best = wall if best is None else min(best, wall)
            print(f"{label}: {size / 1e6:.1f} MB of text in {n} documents, best of {a.runs}: "
                  f"{best:.2f} s, {size / 1e6 / best:.1f} MB/s on one core")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
