#!/usr/bin/env python3
"""Lookup accuracy and latency against a peer, on the same lists in the same run.

Reads benches/data/lookup_variants.tsv (query, expected GeoNames id, category), makes a second list
with one generated typo per query (deterministic), then runs

  * `geoevents lookup --batch FILE --format jsonl --limit 1 --stats` (release build, embedded
    gazetteer), and
  * PyPI `localis` 2.1.0, its typo-tolerant `cities.search(query, limit=1)`, installed into a virtual
    environment under ~/.cache/geoevents-bench,

on both lists, and reports top-1 accuracy (the first answer's geonameid is the expected one), per
category, and latency (geoevents: the lookup time of each query as `--stats` reports it, mean and
p99; localis: wall time around each search).

    python3 benches/lookup_peer.py [--no-build] [--seed 7] [--show-misses 40]

Prints Markdown and saves it with raw JSON in bench-results/lookup_peer.{md,json}.
"""

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "geoevents"
VARIANTS = ROOT / "benches" / "data" / "lookup_variants.tsv"
VENV = Path.home() / ".cache" / "geoevents-bench" / "venv-localis"
LOCALIS = "localis==2.1.0"
TARGETS = {"variants": 0.98, "typos": 0.95, "margin_points": 40.0, "mean_us": 50.0, "p99_us": 500.0}

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзиклмнопрстуфхцчшщюяієї"

LOCALIS_RUNNER = r"""
import json, sys, time
from localis import cities
out = []
lines = sys.stdin.read().split("\n")
# First line: the expected ids, to tell which answers localis' city list can give at all.
known = []
for gid in json.loads(lines[0]):
    try:
        known.append(cities.lookup(int(gid)) is not None)
    except Exception:
        known.append(False)
for q in lines[1:-1]:
    t = time.perf_counter()
    try:
        res = cities.search(q, limit=1)
    except Exception as e:  # a peer's failure on one query counts as a miss, not a crash
        res = []
    ms = (time.perf_counter() - t) * 1000.0
    gid = None
    if res:
        city = res[0][0] if isinstance(res[0], tuple) else res[0]
        gid = getattr(city, "geonames_id", None)
    out.append({"query": q, "geonameid": int(gid) if gid else None, "ms": ms})
json.dump({"answers": out, "known": known}, sys.stdout)
"""


def read_variants():
    rows = []
    for line in VARIANTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        rows.append({"query": cols[0], "id": int(cols[1]), "category": cols[2] if len(cols) > 2 else ""})
    return rows


def typo(query: str, rng: random.Random) -> str:
    """One typing error in a letter of the name: a substitution, deletion, insertion or swap of
    neighbours, never in the first letter (readers rarely get that wrong) and never across a space."""
    letters = [i for i, c in enumerate(query) if c.isalpha() and i > 0]
    if not letters:
        return query
    i = rng.choice(letters)
    cyr = "CYRILLIC" in unicodedata.name(query[i], "")
    alphabet = CYRILLIC if cyr else LATIN
    op = rng.choice(["sub", "del", "ins", "swap"])
    if op == "swap" and i + 1 < len(query) and query[i + 1].isalpha() and query[i + 1].lower() != query[i].lower():
        return query[:i] + query[i + 1] + query[i] + query[i + 2:]
    if op == "del" and sum(c.isalpha() for c in query) > 4:
        return query[:i] + query[i + 1:]
    if op == "ins":
        return query[:i] + rng.choice(alphabet) + query[i:]
    choices = [c for c in alphabet if c != query[i].lower()]
    c = rng.choice(choices)
    return query[:i] + (c.upper() if query[i].isupper() else c) + query[i + 1:]


def run_geoevents(queries):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
        path = f.name
    p = subprocess.run([str(BINARY), "lookup", "--batch", path, "--format", "jsonl", "--limit", "1", "--stats"],
                       capture_output=True, text=True, check=True)
    answers = [json.loads(l) for l in p.stdout.splitlines()]
    assert len(answers) == len(queries), "one answer per query"
    m = re.search(r"mean ([\d.]+) µs, p50 ([\d.]+) µs, p99 ([\d.]+) µs, max ([\d.]+) µs", p.stderr)
    stats = dict(zip(["mean_us", "p50_us", "p99_us", "max_us"], map(float, m.groups()))) if m else {}
    ids = [a["results"][0]["geonameid"] if a["results"] else None for a in answers]
    how = [a["results"][0]["matched"] if a["results"] else None for a in answers]
    return ids, how, stats


def ensure_localis() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", LOCALIS], check=True)
    return py


def run_localis(py: Path, queries, expected_ids):
    stdin = json.dumps(expected_ids) + "\n" + "\n".join(queries) + "\n"
    p = subprocess.run([str(py), "-c", LOCALIS_RUNNER], input=stdin, capture_output=True, text=True, check=True)
    res = json.loads(p.stdout)
    out = res["answers"]
    ms = sorted(r["ms"] for r in out)
    stats = {"mean_ms": sum(ms) / len(ms), "p99_ms": ms[int(0.99 * (len(ms) - 1))]}
    return [r["geonameid"] for r in out], stats, res["known"]


def accuracy(ids, rows):
    hits = [a == r["id"] for a, r in zip(ids, rows)]
    per_cat = defaultdict(lambda: [0, 0])
    for h, r in zip(hits, rows):
        per_cat[r["category"]][0] += h
        per_cat[r["category"]][1] += 1
    return sum(hits) / len(hits), {k: v[0] / v[1] for k, v in sorted(per_cat.items())}, hits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-peer", action="store_true", help="skip localis (for quick tuning runs)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show-misses", type=int, default=40)
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    rows = read_variants()
    rng = random.Random(args.seed)
    lists = {"variants": rows, "typos": [dict(r, query=typo(r["query"], rng)) for r in rows]}
    py = None if args.no_peer else ensure_localis()

    results, lines, misses = {}, [], []
    lines.append("| list | queries | geoevents top-1 | localis top-1 | margin (points) | geoevents mean / p99 per query "
                 "| localis mean / p99 per query |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for name, lst in lists.items():
        queries = [r["query"] for r in lst]
        ids, how, stats = run_geoevents(queries)
        acc, per_cat, hits = accuracy(ids, lst)
        res = {"queries": len(lst), "geoevents": {"top1": acc, "per_category": per_cat, **stats}}
        for h, r, gid, m in zip(hits, lst, ids, how):
            if not h:
                misses.append(f"{name}: `{r['query']}` → {gid} ({m}), expected {r['id']} [{r['category']}]")
        peer = "–"
        peer_lat = "–"
        margin = None
        if py:
            pids, pstats, known = run_localis(py, queries, [r["id"] for r in lst])
            pacc, pcat, phits = accuracy(pids, lst)
            res["localis"] = {"top1": pacc, "per_category": pcat, **pstats}
            # Fairer to the peer: only the queries whose answer is a city in localis' own list.
            sub = [i for i, k in enumerate(known) if k]
            res["city_subset"] = {
                "queries": len(sub),
                "geoevents_top1": sum(hits[i] for i in sub) / max(1, len(sub)),
                "localis_top1": sum(phits[i] for i in sub) / max(1, len(sub)),
            }
            peer = f"{pacc:.1%}"
            peer_lat = f"{pstats['mean_ms'] * 1000:.0f} / {pstats['p99_ms'] * 1000:.0f} µs"
            margin = (acc - pacc) * 100
        results[name] = res
        lines.append(f"| {name} | {len(lst)} | {acc:.1%} | {peer} | {'–' if margin is None else f'{margin:+.1f}'} "
                     f"| {stats.get('mean_us', float('nan')):.1f} / {stats.get('p99_us', float('nan')):.1f} µs "
                     f"| {peer_lat} |")
    if py:
        lines.append("")
        lines.append("Only the queries whose expected place is a city in localis' own list "
                     "(the others are oblasts, rivers and regions `cities.search` cannot return):")
        lines.append("")
        for name in lists:
            c = results[name]["city_subset"]
            lines.append(f"- {name}: {c['queries']} queries, geoevents {c['geoevents_top1']:.1%}, "
                         f"localis {c['localis_top1']:.1%} "
                         f"({(c['geoevents_top1'] - c['localis_top1']) * 100:+.1f} points)")
    lines.append("")
    lines.append("Per category (geoevents top-1, variants / typos" + (", localis variants / typos" if py else "") + "):")
    lines.append("")
    for cat in results["variants"]["geoevents"]["per_category"]:
        g = [results[n]["geoevents"]["per_category"].get(cat, 0) for n in lists]
        cell = f"- {cat}: {g[0]:.1%} / {g[1]:.1%}"
        if py:
            p = [results[n]["localis"]["per_category"].get(cat, 0) for n in lists]
            cell += f" (localis {p[0]:.1%} / {p[1]:.1%})"
        lines.append(cell)
    lines.append("")
    checks = [
        ("top-1 on variants ≥ 98 %", results["variants"]["geoevents"]["top1"] >= TARGETS["variants"]),
        ("top-1 with one typo ≥ 95 %", results["typos"]["geoevents"]["top1"] >= TARGETS["typos"]),
        ("mean ≤ 50 µs per query (both lists)",
         all(results[n]["geoevents"].get("mean_us", 1e9) <= TARGETS["mean_us"] for n in lists)),
        ("p99 ≤ 500 µs per query (both lists)",
         all(results[n]["geoevents"].get("p99_us", 1e9) <= TARGETS["p99_us"] for n in lists)),
    ]
    if py:
        checks.append(("≥ 40 points above localis on both lists",
                       all((results[n]["geoevents"]["top1"] - results[n]["localis"]["top1"]) * 100
                           >= TARGETS["margin_points"] for n in lists)))
    for label, ok in checks:
        lines.append(f"- {label}: {'PASS' if ok else 'FAIL'}")
    if misses:
        lines.append("")
        lines.append(f"Misses ({len(misses)}; first {args.show_misses}):")
        lines.extend(f"- {m}" for m in misses[: args.show_misses])
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "lookup_peer.md").write_text(text + "\n", encoding="utf-8")
    (out / "lookup_peer.json").write_text(json.dumps({"results": results, "misses": misses,
                                                      "typo_list": [r["query"] for r in lists["typos"]]},
                                                     ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
