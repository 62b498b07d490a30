#!/usr/bin/env python3
"""LOC recognition on two Cyrillic NER corpora, geoevents against natasha (issue 20).

    python3 benches/ner_eval.py [--sets ner-uk,ru-ner] [--binary PATH] [--no-peer]
                                [--limit-docs N] [--output-stem NAME] [--strict]

Data: ../shared/data/ner-uk/dev.jsonl (NER-UK 2.0, Ukrainian, the non-test documents) and
../shared/data/ru-ner/dev.jsonl (factRuEval-2016 devset, Russian news), resolved from the
repository root, scored by ../shared/tools/score_ner.py. The bench stops with exit status 2 and a
loud message when any of these is missing. The data is for evaluation only: nothing of it is
written into the repository (the outputs go to bench-results/, which git ignores).

Tools, in the same run, each on both sets:

  * geoevents: `BINARY places -` (default BINARY target/release/geoevents; the bench never builds
    it). A missing binary, or one whose `places --help` fails, is reported as "not available" and
    the rest carries on.
  * natasha 1.6.0 (PyPI; Segmenter + NewsEmbedding + NewsNERTagger, LOC entities only) through
    benches/natasha_places.py, in a virtualenv at benches/.venv-ner built from
    benches/requirements-ner.txt with the Python running this script (3.11 or newer, for the
    pinned numpy). The first run creates it and prints how long that took; later runs reuse it
    while the requirements file is unchanged. The virtualenv holds a `.gitignore` of its own, so
    it never shows as untracked. --no-peer skips natasha (and the virtualenv) entirely. natasha is
    a Russian model: its Ukrainian row is for reference.

Scores (score_ner.py's rules): a predicted place and a gold LOC span match when they overlap by at
least one character, one-to-one, greedily by overlap size; P = matched / predicted, R = matched /
gold, F1 their harmonic mean; "exact" needs identical boundaries. "seconds" is the scorer's wall
time of the whole tool process on the set (start-up and, for natasha, ~1 s of model loading
included; the JSON keeps natasha's load and tagging times apart). Two breakdowns come from the
same outputs: recall by the Russian set's LOC type (factRuEval `Location` vs `LocOrg`) under the
same matching, and the false places lying on gold ORG/PER spans.

Targets (issue 20): geoevents F1 (overlap) at least 0.80 on each set, with natasha's F1 beside it
on the Russian set as the peer to beat or come close to.

Prints Markdown and saves it with raw JSON in bench-results/ner_eval.{md,json} (--output-stem
changes the name). Exit status: 0; 1 with --strict when a target fails; 2 when the shared data or
the scorer is missing.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCHES = Path(__file__).resolve().parent
ROOT = BENCHES.parent
sys.dont_write_bytecode = True  # leave no __pycache__ beside the shared scorer
sys.path.insert(0, str(BENCHES))
from eval.binary import geoevents_available  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
SCORER = SHARED / "tools" / "score_ner.py"
SETS = {"ner-uk": SHARED / "data" / "ner-uk" / "dev.jsonl", "ru-ner": SHARED / "data" / "ru-ner" / "dev.jsonl"}
LANG = {"ner-uk": "uk", "ru-ner": "ru"}
DEFAULT_BINARY = ROOT / "target" / "release" / "geoevents"
VENV = BENCHES / ".venv-ner"
REQUIREMENTS = BENCHES / "requirements-ner.txt"
ADAPTER = BENCHES / "natasha_places.py"
MARKER = VENV / ".ner-eval.json"
TARGET_F1 = 0.80


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def shared_missing():
    """The first missing piece of ../shared this bench needs, or None."""
    for path in [SHARED, SCORER] + list(SETS.values()):
        if not path.exists():
            return path
    return None


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_ner", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------------------------- geoevents

def geoevents_info(binary: Path):
    info = {"binary": str(binary)}
    try:
        info["binary_modified"] = datetime.fromtimestamp(binary.stat().st_mtime, timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC")
    except OSError:
        pass
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        info["repository_head"] = head + (" (uncommitted changes)" if dirty else "")
    except OSError:
        pass
    return info


# --------------------------------------------------------------------------------------------- natasha venv

def dir_bytes(path: Path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                pass
    return total


def ensure_venv():
    """Creates or reuses benches/.venv-ner; returns (python path, setup report)."""
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    py = VENV / "bin" / "python"
    marker = {}
    if MARKER.exists():
        try:
            marker = json.loads(MARKER.read_text())
        except ValueError:
            marker = {}
    if py.exists() and marker.get("requirements_sha256") == want:
        report = {"action": "reused", "first_setup_s": marker.get("setup_s"), "set_up": marker.get("set_up"),
                  "python": marker.get("python"), "seconds": 0.0}
        report["size_bytes"] = dir_bytes(VENV)
        return py, report
    t0 = time.perf_counter()
    action = "updated"
    venv_s = 0.0
    if not py.exists():
        action = "created"
        log(f"creating virtualenv {VENV.relative_to(ROOT)} with {sys.executable}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        venv_s = time.perf_counter() - t0
    # Python 3.13's venv writes this itself; older ones do not. It keeps the venv out of `git status`.
    (VENV / ".gitignore").write_text("# created by benches/ner_eval.py\n*\n")
    log(f"installing {REQUIREMENTS.relative_to(ROOT)} into {VENV.relative_to(ROOT)}")
    t1 = time.perf_counter()
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True)
    pip_s = time.perf_counter() - t1
    total = time.perf_counter() - t0
    pyver = subprocess.run([str(py), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                           text=True).stdout.strip()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    MARKER.write_text(json.dumps({"requirements_sha256": want, "setup_s": total, "set_up": stamp,
                                  "python": pyver}, indent=1))
    report = {"action": action, "seconds": total, "venv_s": venv_s, "pip_install_s": pip_s, "python": pyver,
              "first_setup_s": total, "set_up": stamp, "size_bytes": dir_bytes(VENV)}
    return py, report


# --------------------------------------------------------------------------------------------- runs

def score(data: Path, cmd, limit, json_out: Path):
    """Runs score_ner.py on one set with one command; returns (its JSON or None, its stdout, error)."""
    argv = [sys.executable, str(SCORER), str(data), "--json", str(json_out)]
    if limit:
        argv += ["--limit", str(limit)]
    argv += ["--"] + [str(c) for c in cmd]
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0 or not json_out.exists():
        tail = (p.stderr or p.stdout).strip()[-1500:]
        return None, p.stdout, f"score_ner.py exited with status {p.returncode}: {tail}"
    return json.loads(json_out.read_text()), p.stdout, None


def read_predictions(text):
    preds = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        spans = {(pl["start"], pl["end"]) for pl in rec.get("places") or []
                 if isinstance(pl.get("start"), int) and isinstance(pl.get("end"), int) and pl["end"] > pl["start"]}
        preds[str(rec.get("id"))] = sorted(spans)
    return preds


def geoevents_predictions(binary: Path, docs):
    """geoevents' spans, from a second run on the same documents (cheap) for the breakdowns."""
    payload = "".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in docs)
    p = subprocess.run([str(binary), "places", "-"], input=payload.encode("utf-8"), capture_output=True)
    if p.returncode not in (0, 1):
        return None
    return read_predictions(p.stdout.decode("utf-8", "replace"))


def breakdown(scorer, docs, preds):
    """Recall by LOC type (when the set has loc_types) under the scorer's matching, overlap and exact."""
    by_type = {}
    for d in docs:
        types = d.get("loc_types")
        if not types:
            continue
        kind = {}
        for (s, e), lab, t in zip(d["spans"], d["labels"], types):
            if lab == "LOC":
                kind.setdefault((s, e), t)
        gold = sorted(kind)
        pred = preds.get(d["id"], [])
        hit = {gold[gi] for gi, _ in scorer.match(gold, pred)}
        hit_exact = {gold[gi] for gi, _ in scorer.match(gold, pred, exact=True)}
        for span in gold:
            row = by_type.setdefault(kind[span], {"gold": 0, "matched": 0, "matched_exact": 0})
            row["gold"] += 1
            row["matched"] += span in hit
            row["matched_exact"] += span in hit_exact
    for row in by_type.values():
        row["recall"] = row["matched"] / row["gold"] if row["gold"] else 0.0
        row["recall_exact"] = row["matched_exact"] / row["gold"] if row["gold"] else 0.0
    return by_type


# --------------------------------------------------------------------------------------------- report

def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def render(stamp, args, sets, status, results, checks):
    lines = [f"# ner_eval — {stamp}", ""]
    ge = status["geoevents"]
    lines.append(f"- geoevents: `{ge['info']['binary']} places -`"
                 + (f", binary built {ge['info']['binary_modified']}" if ge["info"].get("binary_modified") else "")
                 + (f", repository at {ge['info']['repository_head']}" if ge["info"].get("repository_head") else "")
                 + ("" if ge["available"] else f" — **not available**: {ge['error']}"))
    nt = status.get("natasha")
    if nt is None:
        lines.append("- natasha: skipped (--no-peer)")
    elif nt.get("error"):
        lines.append(f"- natasha: **failed** ({nt['error']})")
    else:
        v = nt["venv"]
        if v["action"] == "reused":
            setup = (f"reused (first set up {v.get('set_up') or '?'} in {fmt(v.get('first_setup_s'), 1)} s)")
        else:
            setup = (f"{v['action']} in {v['seconds']:.1f} s (venv {v['venv_s']:.1f} s, pip install "
                     f"{v['pip_install_s']:.1f} s)")
        lines.append(f"- natasha {nt.get('version') or '1.6.0'} (benches/natasha_places.py, LOC only): "
                     f"virtualenv benches/.venv-ner {setup}, Python {v.get('python') or '?'}, "
                     f"{v['size_bytes'] / 1e6:.0f} MB on disk")
    if args.limit_docs:
        lines.append(f"- quick run: the first {args.limit_docs} documents of each set")
    lines += ["", "| set | tool | P | R | F1 (overlap) | F1 (exact) | seconds |", "|---|---|---:|---:|---:|---:|---:|"]
    for name in sets:
        for tool in ("geoevents", "natasha"):
            r = results[name].get(tool)
            if r is None:
                continue
            if "error" in r:
                lines.append(f"| {name} | {tool} | failed | | | | |")
                continue
            o, e = r["overlap"], r["exact"]
            lines.append(f"| {name} | {tool} | {fmt(o['P'])} | {fmt(o['R'])} | {fmt(o['F1'])} | {fmt(e['F1'])} | "
                         f"{r['seconds']:.2f} |")
    lines += ["", "Counts (gold LOC / predicted / matched overlap / matched exact / false places on a gold "
              "ORG or PER span):", ""]
    for name in sets:
        for tool in ("geoevents", "natasha"):
            r = results[name].get(tool)
            if r and "counts" in r:
                c = r["counts"]
                extra = ""
                if tool == "natasha" and r.get("natasha_stats"):
                    s = r["natasha_stats"]
                    extra = f"; natasha model load {s['load_s']:.1f} s, tagging {s['tag_s']:.1f} s"
                lines.append(f"- {name} / {tool}: {c.get('gold', 0)} / {c.get('pred', 0)} / {c.get('tp', 0)} / "
                             f"{c.get('tp_exact', 0)} / {c.get('pred_on_other', 0)}{extra}")
    typed = [(name, tool, results[name][tool]["by_loc_type"]) for name in sets for tool in ("geoevents", "natasha")
             if results[name].get(tool, {}).get("by_loc_type")]
    if typed:
        lines += ["", "Recall by LOC type (factRuEval: `Location` = a place, `LocOrg` = a place named as a "
                  "political body, e.g. \"России\", \"мэрии Москвы\"):", "",
                  "| set | tool | type | gold | R (overlap) | R (exact) |", "|---|---|---|---:|---:|---:|"]
        for name, tool, bt in typed:
            for kind in sorted(bt):
                row = bt[kind]
                lines.append(f"| {name} | {tool} | {kind} | {row['gold']} | {fmt(row['recall'])} | "
                             f"{fmt(row['recall_exact'])} |")
    lines += ["", "## Targets", ""]
    for label, passed, value in checks:
        verdict = "FAIL (geoevents not available)" if passed is None else ("PASS" if passed else "FAIL")
        lines.append(f"- {label}: {verdict}" + ("" if value is None else f" — geoevents {value:.3f}"))
    if args.limit_docs:
        lines.append("- (quick run: the targets are judged on full runs only)")
    lines += ["", "Rules: ../shared/tools/score_ner.py (overlap matching, one-to-one, greedy by overlap size; exact = "
              "identical boundaries). Its misses and false places per document: `python3 ../shared/tools/score_ner.py "
              "../shared/data/ru-ner/dev.jsonl --errors 20 -- target/release/geoevents places -`. Full rules: "
              f"benches/ner_eval.py; raw figures: bench-results/{args.output_stem}.json."]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    ap.add_argument("--binary", type=Path, default=DEFAULT_BINARY, help="the geoevents binary")
    ap.add_argument("--no-peer", action="store_true", help="skip natasha and its virtualenv")
    ap.add_argument("--limit-docs", type=int, default=0, help="only the first N documents of each set")
    ap.add_argument("--output-stem", default="ner_eval", help="bench-results/STEM.{md,json}")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = ap.parse_args()

    missing = shared_missing()
    if missing is not None:
        bar = "*" * 78
        log(f"{bar}\n*** SHARED DATA MISSING: {missing}\n*** ner_eval.py needs ../shared (beside the repository) with "
            f"tools/score_ner.py,\n*** data/ner-uk/dev.jsonl and data/ru-ner/dev.jsonl. Nothing was measured.\n{bar}")
        return 2
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in SETS]
    if unknown or not sets:
        ap.error(f"unknown set(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(SETS)}")
    scorer = load_scorer()
    binary = args.binary.resolve() if args.binary.exists() else args.binary
    started = time.perf_counter()

    ok, why = geoevents_available(binary)
    status = {"geoevents": {"available": ok, "error": why, "info": geoevents_info(binary)}}
    if not ok:
        log(f"geoevents not available: {why}")
    natasha_py = None
    if not args.no_peer:
        try:
            natasha_py, venv = ensure_venv()
            status["natasha"] = {"venv": venv}
            if venv["action"] == "reused":
                log(f"virtualenv {VENV.relative_to(ROOT)} reused (first set up in {fmt(venv.get('first_setup_s'), 1)} s)")
            else:
                log(f"virtualenv {VENV.relative_to(ROOT)} {venv['action']} in {venv['seconds']:.1f} s "
                    f"(venv {venv['venv_s']:.1f} s, pip install {venv['pip_install_s']:.1f} s), "
                    f"{venv['size_bytes'] / 1e6:.0f} MB")
        except (subprocess.CalledProcessError, OSError) as e:
            status["natasha"] = {"error": f"virtualenv setup failed: {e}"}
            log(f"natasha not available: virtualenv setup failed: {e}")

    results = {}
    with tempfile.TemporaryDirectory(prefix="ner-eval-") as tmp:
        tmp = Path(tmp)
        for name in sets:
            data = SETS[name]
            docs = [json.loads(l) for l in open(data, encoding="utf-8") if l.strip()]
            if args.limit_docs:
                docs = docs[:args.limit_docs]
            results[name] = {}
            if ok:
                log(f"{name}: geoevents")
                res, out, err = score(data, [binary, "places", "-"], args.limit_docs, tmp / f"{name}-ge.json")
                if err:
                    log(f"  {err}")
                    results[name]["geoevents"] = {"error": err}
                else:
                    res["scorer_output"] = out
                    preds = geoevents_predictions(binary, docs)
                    if preds is not None:
                        res["by_loc_type"] = breakdown(scorer, docs, preds)
                    results[name]["geoevents"] = res
                    log(f"  F1 {res['overlap']['F1']:.3f} in {res['seconds']:.2f} s")
            if natasha_py is not None:
                log(f"{name}: natasha")
                save, stats = tmp / f"{name}-nt.jsonl", tmp / f"{name}-nt-stats.json"
                cmd = [natasha_py, ADAPTER, "--save", save, "--stats", stats]
                res, out, err = score(data, cmd, args.limit_docs, tmp / f"{name}-nt.json")
                if err:
                    log(f"  {err}")
                    results[name]["natasha"] = {"error": err}
                    status["natasha"].setdefault("failures", {})[name] = err
                else:
                    res["scorer_output"] = out
                    if stats.exists():
                        res["natasha_stats"] = json.loads(stats.read_text())
                        status["natasha"]["version"] = res["natasha_stats"].get("natasha")
                    if save.exists():
                        res["by_loc_type"] = breakdown(scorer, docs, read_predictions(save.read_text(encoding="utf-8")))
                    results[name]["natasha"] = res
                    log(f"  F1 {res['overlap']['F1']:.3f} in {res['seconds']:.2f} s")

    checks = []
    for name in sets:
        ge = results[name].get("geoevents")
        f1 = ge["overlap"]["F1"] if ge and "overlap" in ge else None
        checks.append((f"{name}: F1 (overlap) ≥ {TARGET_F1:.2f}", None if f1 is None else f1 >= TARGET_F1, f1))
        nt = results[name].get("natasha")
        if nt and "overlap" in nt and LANG[name] == "ru":
            nf = nt["overlap"]["F1"]
            checks.append((f"{name}: F1 (overlap) at or above natasha ({nf:.3f}; the peer to beat or come close to)",
                           None if f1 is None else f1 >= nf, f1))

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = render(stamp, args, sets, status, results, checks)
    print(text)
    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"{args.output_stem}.md").write_text(text + "\n", encoding="utf-8")
    table = []
    for name in sets:
        for tool, r in results[name].items():
            if "overlap" in r:
                table.append({"set": name, "tool": tool, "P": r["overlap"]["P"], "R": r["overlap"]["R"],
                              "F1_overlap": r["overlap"]["F1"], "F1_exact": r["exact"]["F1"],
                              "seconds": r["seconds"]})
    payload = {"generated": stamp, "args": {k: str(v) for k, v in vars(args).items()},
               "data": {n: str(SETS[n]) for n in sets}, "status": status, "table": table, "results": results,
               "targets": [{"check": l, "pass": p, "value": v} for l, p, v in checks],
               "bench_seconds": time.perf_counter() - started}
    (out_dir / f"{args.output_stem}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    log(f"wrote {out_dir / (args.output_stem + '.md')} and .json ({time.perf_counter() - started:.1f} s in all)")
    if args.strict and any(p is not True for _, p, _ in checks):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
