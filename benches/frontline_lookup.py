#!/usr/bin/env python3
"""Front-line village lookups, as conflict notes name them: geoevents `lookup` against gold ids.

    python3 benches/frontline_lookup.py [--bin PATH] [--gazetteer FILE] [--data TSV] [--errors]
                                        [--theatre]

Reads benches/data/frontline_villages.tsv (query, geonameid, name, oblast, lat, lon, note; `#`
lines are comments, the first other line is the column header). The queries are Ukrainian
front-line villages written "Village, Oblast" as English-language notes, ISW and General Staff
summaries write them, many with homonyms in the same oblast. All queries go to one run of

    BIN [--gazetteer FILE] lookup --batch - --format jsonl --limit 5 [--theatre]

(--theatre: the batch's unambiguous answers lean its ambiguous names towards them, as a batch of
one theatre's names would be asked.)
(BIN defaults to target/release/geoevents under the repository root; the bench never builds it).
Reported:
  * n: gold rows;
  * top-1: share whose first candidate has the gold geonameid;
  * top-5: share whose gold geonameid is among the (at most 5) candidates;
  * within 10 km: share whose first candidate lies within 10 km of the gold point (a different id
    for the same place, or a neighbouring village, still counts here).
--errors lists every top-1 miss: query, gold (id name admin1) and what came first (id name admin1,
distance to the gold point), plus the gold's rank among the candidates when it is there.

Exit status: 0 after reporting (misses are results, not failures), and also 0 with a loud SKIP
message when the binary is missing (the villages cannot be checked then); 2 on usage errors or
when the data file cannot be read or the binary fails / answers malformed output.

Data licence: ids and coordinates from GeoNames, CC BY 4.0.
"""

import argparse
import json
import math
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO, "benches", "data", "frontline_villages.tsv")
DEFAULT_BIN = os.path.join(REPO, "target", "release", "geoevents")
LIMIT = 5
NEAR_KM = 10.0


def die(msg):
    print(f"frontline_lookup: error: {msg}", file=sys.stderr)
    sys.exit(2)


def read_rows(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        die(f"cannot read {path}: {e}")
    rows, header = [], None
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            need = ["query", "geonameid", "name", "oblast", "lat", "lon"]
            missing = [c for c in need if c not in header]
            if missing:
                die(f"{path}: header lacks column(s) {', '.join(missing)}")
            continue
        if len(cols) != len(header):
            die(f"{path}:{no}: {len(cols)} columns, header has {len(header)}")
        r = dict(zip(header, cols))
        try:
            r["geonameid"] = int(r["geonameid"])
            r["lat"], r["lon"] = float(r["lat"]), float(r["lon"])
        except ValueError as e:
            die(f"{path}:{no}: {e}")
        if "\n" in r["query"] or not r["query"].strip():
            die(f"{path}:{no}: empty query")
        rows.append(r)
    if not rows:
        die(f"{path}: no data rows")
    return rows


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def run_lookup(binary, gazetteer, queries, theatre=False):
    cmd = [binary]
    if gazetteer:
        cmd += ["--gazetteer", gazetteer]
    cmd += ["lookup", "--batch", "-", "--format", "jsonl", "--limit", str(LIMIT)]
    if theatre:
        cmd.append("--theatre")
    try:
        proc = subprocess.run(cmd, input="\n".join(queries) + "\n", capture_output=True,
                              text=True, encoding="utf-8")
    except OSError as e:
        die(f"cannot run {binary}: {e}")
    if proc.returncode != 0:
        die(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[:2000]}")
    answers = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            answers.append(json.loads(line))
        except ValueError as e:
            die(f"malformed JSON line from {binary}: {e}: {line[:200]}")
    if len(answers) != len(queries):
        die(f"{binary} answered {len(answers)} lines for {len(queries)} queries")
    for q, a in zip(queries, answers):
        if a.get("query") != q:
            die(f"answer out of order: sent {q!r}, got {a.get('query')!r}")
    return answers


def describe(c):
    return f"{c.get('geonameid')} {c.get('name')} {c.get('admin1_code') or '-'}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=DEFAULT_BIN,
                    help="geoevents binary (default: target/release/geoevents in the repo)")
    ap.add_argument("--gazetteer", help="gazetteer index (default: the binary's embedded one)")
    ap.add_argument("--data", default=DEFAULT_DATA, help="gold TSV (default: %(default)s)")
    ap.add_argument("--errors", action="store_true", help="list the top-1 misses")
    ap.add_argument("--theatre", action="store_true",
                    help="ask with `lookup --theatre` (the batch's own picture of the front)")
    args = ap.parse_args()

    rows = read_rows(args.data)
    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        bar = "!" * 78
        print(f"{bar}\nSKIP: geoevents binary not found or not executable: {args.bin}\n"
              f"      the {len(rows)} front-line villages of {args.data} were NOT checked.\n"
              f"      Build it (cargo build --release) or pass --bin PATH.\n{bar}")
        sys.exit(0)
    if args.gazetteer and not os.path.isfile(args.gazetteer):
        die(f"gazetteer not found: {args.gazetteer}")

    answers = run_lookup(args.bin, args.gazetteer, [r["query"] for r in rows], args.theatre)
    n = len(rows)
    top1 = top5 = near = 0
    misses = []
    for r, a in zip(rows, answers):
        cands = a.get("results") or []
        ids = [c.get("geonameid") for c in cands]
        first = cands[0] if cands else None
        d = None
        if first is not None and first.get("latitude") is not None:
            d = km(r["lat"], r["lon"], first["latitude"], first["longitude"])
        ok1 = bool(ids) and ids[0] == r["geonameid"]
        top1 += ok1
        top5 += r["geonameid"] in ids
        near += d is not None and d <= NEAR_KM
        if not ok1:
            misses.append((r, first, d, ids.index(r["geonameid"]) + 1 if r["geonameid"] in ids
                           else None))

    pct = lambda k: f"{k}/{n} = {100.0 * k / n:.1f}%"
    print(f"frontline villages: {args.data}")
    print(f"binary: {args.bin}   gazetteer: {args.gazetteer or '(embedded)'}")
    print(f"n                          {n}")
    print(f"top-1 right (same id)      {pct(top1)}")
    print(f"right within top {LIMIT}         {pct(top5)}")
    print(f"top-1 within {NEAR_KM:g} km of gold  {pct(near)}")
    if args.errors:
        print(f"\nmisses ({len(misses)}): query | gold | got first (distance) | gold rank")
        for r, first, d, rank in misses:
            gold = f"{r['geonameid']} {r['name']} {r['oblast']}"
            got = "no candidate" if first is None else (
                f"{describe(first)} ({d:.0f} km)" if d is not None else describe(first))
            print(f"  {r['query']} | {gold} | {got} | "
                  f"{'rank ' + str(rank) if rank else 'not in top ' + str(LIMIT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
