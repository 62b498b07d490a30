#!/usr/bin/env python3
"""natasha's LOC entities in the `places` contract, the peer of benches/ner_eval.py.

    benches/.venv-ner/bin/python benches/natasha_places.py [--save FILE] [--stats FILE] < DOCS.jsonl

Reads JSON Lines {"id", "text", ...} on standard input and writes one line per document,
{"id", "places": [{"start", "end", "mention", "label": "LOC"}]}, as `geoevents places -` does, so
that ../shared/tools/score_ner.py can score it. Runs in the virtualenv ner_eval.py makes from
benches/requirements-ner.txt (natasha 1.6.0).

Pipeline, as natasha documents it: Doc(text), doc.segment(Segmenter()) (razdel's sentences and
tokens), doc.tag_ner(NewsNERTagger(NewsEmbedding())) (the slovnet news NER model over navec
embeddings, both shipped inside the natasha wheel). natasha tags PER, LOC and ORG; only LOC is
kept. Its span offsets are Python string indices, i.e. Unicode code points, end exclusive, which
is what the scorer wants; each span is checked against the text (text[start:end] == span.text)
and a mismatch is counted on stderr and dropped.

natasha is trained on Russian news. On Ukrainian text it still runs (Cyrillic tokens, capitalised
names), which the bench reports for reference only.

Options:
  --save FILE    also write the output lines to FILE (ner_eval.py reads them for its breakdowns)
  --stats FILE   write {"natasha", "load_s", "tag_s", "docs", "chars", "failed", "dropped"} to FILE

Exit status: 0; 1 when some input line could not be read or a document failed (each named on
stderr; a failed document is written with no places); 2 when natasha cannot be imported.
"""

import json
import sys
import time
from importlib.metadata import version


def parse_args(argv):
    opts = {"save": None, "stats": None}
    it = iter(argv)
    for a in it:
        if a in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        if a in ("--save", "--stats"):
            v = next(it, None)
            if v is None:
                sys.exit(f"natasha_places.py: {a} needs a file name")
            opts[a[2:]] = v
        else:
            sys.stderr.write(f"natasha_places.py: unknown argument {a!r} (see --help)\n")
            sys.exit(2)
    return opts


def main():
    opts = parse_args(sys.argv[1:])
    t0 = time.perf_counter()
    try:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
    except ImportError as e:
        sys.stderr.write(f"natasha_places.py: cannot import natasha ({e}); run it with the Python of "
                         "benches/.venv-ner (python3 benches/ner_eval.py makes it)\n")
        sys.exit(2)
    segmenter = Segmenter()
    tagger = NewsNERTagger(NewsEmbedding())
    load_s = time.perf_counter() - t0

    out = sys.stdout
    save = open(opts["save"], "w", encoding="utf-8") if opts["save"] else None
    stats = {"natasha": version("natasha"), "load_s": load_s, "tag_s": 0.0,
             "docs": 0, "chars": 0, "failed": 0, "dropped": 0}
    status = 0
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            doc_id, text = rec["id"], rec["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as e:
            sys.stderr.write(f"natasha_places.py: line {lineno}: not a {{\"id\", \"text\"}} object ({e})\n")
            status = 1
            continue
        places = []
        t = time.perf_counter()
        try:
            if text.strip():
                doc = Doc(text)
                doc.segment(segmenter)
                doc.tag_ner(tagger)
                for span in doc.spans:
                    if span.type != "LOC":
                        continue
                    if text[span.start:span.stop] != span.text:
                        stats["dropped"] += 1
                        sys.stderr.write(f"natasha_places.py: {doc_id}: span {span.start}-{span.stop} "
                                         f"{span.text!r} does not match the text there; dropped\n")
                        continue
                    places.append({"start": span.start, "end": span.stop, "mention": span.text, "label": "LOC"})
        except Exception as e:  # one bad document must not lose the others
            sys.stderr.write(f"natasha_places.py: {doc_id}: failed ({type(e).__name__}: {e})\n")
            stats["failed"] += 1
            status = 1
            places = []
        stats["tag_s"] += time.perf_counter() - t
        stats["docs"] += 1
        stats["chars"] += len(text)
        result = json.dumps({"id": doc_id, "places": places}, ensure_ascii=False) + "\n"
        out.write(result)
        if save:
            save.write(result)
    out.flush()
    if save:
        save.close()
    if opts["stats"]:
        with open(opts["stats"], "w", encoding="utf-8") as f:
            json.dump(stats, f)
    return status


if __name__ == "__main__":
    sys.exit(main())
