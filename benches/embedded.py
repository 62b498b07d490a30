#!/usr/bin/env python3
"""Whole-process benchmark of the embedded default gazetteer (issue: embedded gazetteer).

Measures, on a release build: the binary's size, the size the committed extracts add to the
repository, the embedded index's counts, and the wall time of `geoevents lookup NAME` (open the
embedded index + one lookup) against `geoevents --version` as the process-start floor.

    python3 benches/embedded.py [--runs 50] [--no-build]

Prints a Markdown table and saves it with raw JSON in bench-results/embedded.{md,json}.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazetteer_build import time_process  # noqa: E402  (one timing method for all benches)

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "geoevents"
QUERIES = [("Krasna Hora", 704463), ("Donetsk Oblast", 709716), ("Kharkiv", 706483)]
TARGETS = {"binary_mb": 80.0, "open_lookup_ms": 30.0, "extracts_mb": 40.0}


def committed_extract_bytes() -> int:
    files = subprocess.run(["git", "ls-files", "gazetteer"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return sum((ROOT / f).stat().st_size for f in files if (ROOT / f).is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    info = json.loads(subprocess.run([str(BINARY), "gazetteer", "info", "--format", "json"],
                                     capture_output=True, text=True, check=True).stdout)
    res = {
        "binary_bytes": BINARY.stat().st_size,
        "extract_bytes": committed_extract_bytes(),
        "index_bytes": info["size_bytes"],
        "counts": info["counts"],
        "floor": time_process([str(BINARY), "--version"], args.runs),
        "lookups": [],
    }
    for name, gid in QUERIES:
        def check(stdout, gid=gid, name=name):
            return None if f"[{gid}]" in stdout.split("\n  2.")[0] else f"{name}: {gid} is not first"
        r = time_process([str(BINARY), "lookup", name], args.runs, check)
        r["name"] = name
        res["lookups"].append(r)

    mb = lambda b: b / 1e6  # noqa: E731
    ok = lambda good: "PASS" if good else "FAIL"  # noqa: E731
    c = info["counts"]
    lines = [
        "| figure | value | target | result |",
        "|---|---:|---:|---|",
        f"| release binary | {mb(res['binary_bytes']):.1f} MB | ≤ {TARGETS['binary_mb']:.0f} MB "
        f"| {ok(mb(res['binary_bytes']) <= TARGETS['binary_mb'])} |",
        f"| committed `gazetteer/` files | {mb(res['extract_bytes']):.1f} MB | ≤ {TARGETS['extracts_mb']:.0f} MB "
        f"| {ok(mb(res['extract_bytes']) <= TARGETS['extracts_mb'])} |",
        f"| embedded index | {mb(res['index_bytes']):.1f} MB | | |",
        f"| places (P) / all | {c['by_feature_class'].get('P', 0):,} / {c['places']:,} | ≥ 230,000 P "
        f"| {ok(c['by_feature_class'].get('P', 0) >= 230_000)} |",
        f"| `--version` (process floor), median / p95 | {res['floor']['median_ms']:.2f} / "
        f"{res['floor']['p95_ms']:.2f} ms | | |",
    ]
    for r in res["lookups"]:
        good = r.get("ok") and not r.get("check_failed") and r["median_ms"] <= TARGETS["open_lookup_ms"]
        lines.append(f"| `lookup \"{r['name']}\"` (open embedded + lookup), median / p95 | "
                     f"{r['median_ms']:.2f} / {r['p95_ms']:.2f} ms | ≤ {TARGETS['open_lookup_ms']:.0f} ms "
                     f"| {ok(good)}{' ' + r['check_failed'] if r.get('check_failed') else ''} |")
    table = "\n".join(lines)
    print(table)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "embedded.md").write_text(table + "\n")
    (out / "embedded.json").write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
