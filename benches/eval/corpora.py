"""Readers for the four geoparsing corpora in ../shared/data/corpora.

Each reader returns (documents, report). A document is

    {"id": str, "text": str, "date": str | None,
     "gold": [{"start", "end", "mention", "lat", "lon", "geonameid", "type"}]}

with `start`/`end` character offsets (Python str indices = Unicode scalar values, end exclusive)
into `text`, the exact string handed to every system. `lat`/`lon` are None for gold toponyms the
corpus annotates without coordinates; they still count for recognition.

Every gold span is verified: text[start:end] must equal the annotated mention. Spans that do not
are repaired when the mention can be found unambiguously near the stated offset (see `_repair`),
otherwise dropped; the report says how many of each and lists the repairs.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

# GeoWebNews annotation types that are toponyms (gold for recognition). The Pragmatic Guide's
# taxonomy: literal (Literal, Mixed, Embedded_Literal, Literal_Modifier, Coercion) and associative
# (Metonymic, Non_Literal_Modifier, Embedded_Non_Lit, Demonym) toponyms. Not toponyms, excluded:
# Literal_Expression / Non_Lit_Expression (common nouns such as "church", "citizens"), Non_Toponym
# (organisations such as "Cambridge Analytica"), Homonym (a place name used for something else:
# the shop "Iceland") and Language ("English").
GWN_TOPONYM_TYPES = {
    "Literal", "Mixed", "Embedded_Literal", "Literal_Modifier", "Coercion",
    "Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym",
}

CORPUS_FILES = {
    "GeoWebNews": "GeoWebNews/GWN.xml",
    "LGL": "LGL/lgl.xml",
    "TR-News": "TR-News/TR-News.xml",
    "GeoVirus": "GeoVirus/GeoVirus.xml",
}
ALIASES = {"gwn": "GeoWebNews", "geowebnews": "GeoWebNews", "lgl": "LGL", "tr-news": "TR-News",
           "trnews": "TR-News", "tr": "TR-News", "geovirus": "GeoVirus", "gv": "GeoVirus"}

WORD = re.compile(r"\w", re.UNICODE)


def canonical_name(name: str) -> str:
    key = name.strip().lower()
    if key not in ALIASES:
        raise ValueError(f"unknown corpus {name!r}; choose from {', '.join(CORPUS_FILES)}")
    return ALIASES[key]


def _float(s):
    if s is None or not s.strip():
        return None
    return float(s)


def _bounded(text: str, start: int, end: int) -> bool:
    """The span does not cut a word: no word character right before start nor right after end."""
    before = start > 0 and WORD.match(text[start - 1]) and WORD.match(text[start])
    after = end < len(text) and WORD.match(text[end]) and WORD.match(text[end - 1])
    return not before and not after


def _repair(text, start, end, mention, preferred_shift, window=120):
    """Returns (start, end, how) or (None, None, why).

    how: "exact" (as annotated), "shift" (the mention sits `preferred_shift` characters away, the
    corpus-wide constant offset error), "nearest" (the occurrence of the mention nearest to the
    stated start, within `window` characters; word-bounded occurrences preferred), or "nocase"
    (the same, case-insensitively). Spans with negative offsets or beyond the text are not searched:
    they point outside the text element (GeoWebNews annotates a few title words that way); a span
    that starts inside the text but ends beyond it is searched for like any other."""
    n = len(text)
    if start < 0 or start >= n or start >= end:
        return None, None, "outside the text"
    if text[start:end] == mention:
        return start, end, "exact"
    length = len(mention)
    s2 = start + preferred_shift
    if preferred_shift and 0 <= s2 and text[s2:s2 + length] == mention:
        return s2, s2 + length, "shift"
    lo, hi = max(0, start - window), min(n, start + length + window)
    for how, hay, needle in (("nearest", text, mention), ("nocase", text.lower(), mention.lower())):
        cands = []
        i = hay.find(needle, lo)
        while i != -1 and i + length <= hi:
            cands.append(i)
            i = hay.find(needle, i + 1)
        if cands:
            best = min(cands, key=lambda c: (not _bounded(text, c, c + length), abs(c - start), c))
            return best, best + length, how
    return None, None, f"mention not found within {window} characters"


def _dominant_shift(items):
    """The most common small constant offset error of a corpus, if most spans share it (GeoVirus:
    every start and end is one too high)."""
    shifts = Counter()
    for text, start, end, mention in items:
        for d in (0, -1, 1, -2, 2, -3, 3):
            if 0 <= start + d and text[start + d:end + d] == mention:
                shifts[d] += 1
                break
    if not shifts:
        return 0
    d, c = shifts.most_common(1)[0]
    return d if c > 0.5 * len(items) else 0


def _finish(name, raw_docs, report):
    """Verifies and repairs offsets, removes duplicate spans, counts."""
    items = [(d["text"], g["start"], g["end"], g["mention"]) for d in raw_docs for g in d["gold"]]
    shift = _dominant_shift(items) if items else 0
    report["corpus_offset_shift"] = shift
    how_count = Counter()
    repairs, dropped = [], []
    dups = 0
    docs = []
    for d in raw_docs:
        seen = {}
        gold = []
        for g in d["gold"]:
            s, e, how = _repair(d["text"], g["start"], g["end"], g["mention"], shift)
            if s is None:
                dropped.append({"doc": d["id"], "start": g["start"], "end": g["end"], "mention": g["mention"],
                                "type": g.get("type"), "has_coords": g["lat"] is not None, "why": how})
                how_count["dropped"] += 1
                continue
            how_count[how] += 1
            if how not in ("exact", "shift"):
                repairs.append({"doc": d["id"], "mention": g["mention"], "stated": [g["start"], g["end"]],
                                "used": [s, e], "how": how})
            g = dict(g, start=s, end=e)
            key = (s, e)
            if key in seen:
                dups += 1
                other = seen[key]
                if other["lat"] is None and g["lat"] is not None:  # keep the annotation with coordinates
                    gold[gold.index(other)] = g
                    seen[key] = g
                continue
            seen[key] = g
            gold.append(g)
        gold.sort(key=lambda g: (g["start"], g["end"]))
        for g in gold:
            assert d["text"][g["start"]:g["end"]].lower() == g["mention"].lower()
        docs.append(dict(d, gold=gold))
    report["offsets"] = dict(how_count)
    report["offset_repairs"] = repairs
    report["dropped"] = dropped
    report["duplicate_spans_removed"] = dups
    report["documents"] = len(docs)
    report["gold"] = sum(len(d["gold"]) for d in docs)
    report["gold_with_coords"] = sum(1 for d in docs for g in d["gold"] if g["lat"] is not None)
    report["gold_overlapping_pairs"] = sum(
        1 for d in docs for a, b in zip(d["gold"], d["gold"][1:]) if b["start"] < a["end"])
    return docs, report


def read_geowebnews(root: Path):
    path = root / CORPUS_FILES["GeoWebNews"]
    tree = ET.parse(path).getroot()
    raw, types, excluded = [], Counter(), Counter()
    annotations = 0
    for art in tree.findall("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.findall("toponyms/toponym"):
            annotations += 1
            ty = t.findtext("type")
            types[ty] += 1
            if ty not in GWN_TOPONYM_TYPES:
                excluded[ty] += 1
                continue
            gid = (t.findtext("geonamesID") or "").strip()
            gold.append({"start": int(t.findtext("start")), "end": int(t.findtext("end")),
                         "mention": t.findtext("extractedName"),
                         "lat": _float(t.findtext("latitude")), "lon": _float(t.findtext("longitude")),
                         "geonameid": int(gid) if gid else None, "type": ty})
        raw.append({"id": f"gwn-{art.get('file')}", "text": text, "date": None, "gold": gold})
    report = {"file": str(path), "annotations_read": annotations, "annotation_types": dict(types),
              "excluded_types": dict(excluded)}
    docs, report = _finish("GeoWebNews", raw, report)
    report["gwn_full_check"] = _check_gwn_full(root / "GeoWebNews" / "gwn_full.txt", docs)
    return docs, report


def _check_gwn_full(path: Path, docs):
    """Cross-checks the XML gold coordinates against gwn_full.txt (one line per article, in order)."""
    if not path.exists():
        return {"present": False}
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = 0
    agree = 0
    for line, d in zip(lines, docs):
        ours = {(g["start"], g["end"]): (g["lat"], g["lon"]) for g in d["gold"] if g["lat"] is not None}
        for item in line.split("||"):
            parts = item.split(",,")
            if len(parts) != 6:
                continue
            entries += 1
            _, _, lat, lon, s, e = parts
            got = ours.get((int(s), int(e)))
            if got and abs(got[0] - float(lat)) < 1e-4 and abs(got[1] - float(lon)) < 1e-4:
                agree += 1
    return {"present": True, "lines": len(lines), "entries": entries, "agree_with_xml": agree}


def _read_lgl_like(path: Path, prefix: str):
    tree = ET.parse(path).getroot()
    raw = []
    annotations = 0
    no_gaztag = 0
    for art in tree.findall("article"):
        text = art.findtext("text") or ""
        dl = (art.findtext("dltime") or "").strip()
        gold = []
        for t in art.findall("toponyms/toponym"):
            annotations += 1
            gz = t.find("gaztag")
            lat = lon = gid = None
            if gz is not None:
                lat, lon = _float(gz.findtext("lat")), _float(gz.findtext("lon"))
                gid = int(gz.get("geonameid")) if gz.get("geonameid") else None
            if lat is None:
                no_gaztag += 1
            gold.append({"start": int(t.findtext("start")), "end": int(t.findtext("end")),
                         "mention": t.findtext("phrase"), "lat": lat, "lon": lon, "geonameid": gid,
                         "type": None})
        raw.append({"id": f"{prefix}-{art.get('docid')}", "text": text,
                    "date": dl[:10] if re.match(r"\d{4}-\d{2}-\d{2}", dl) else None, "gold": gold})
    return raw, {"file": str(path), "annotations_read": annotations, "without_coords": no_gaztag}


def read_lgl(root: Path):
    raw, report = _read_lgl_like(root / CORPUS_FILES["LGL"], "lgl")
    return _finish("LGL", raw, report)


def read_trnews(root: Path):
    raw, report = _read_lgl_like(root / CORPUS_FILES["TR-News"], "trn")
    return _finish("TR-News", raw, report)


def read_geovirus(root: Path):
    path = root / CORPUS_FILES["GeoVirus"]
    tree = ET.parse(path).getroot()  # commented-out template articles at the end are skipped by the parser
    raw = []
    annotations = 0
    nested = 0
    for i, art in enumerate(tree.findall("article")):
        text = art.findtext("text") or ""
        gold = []
        # ".//location": one article (the 46th) nests three <location> elements inside another
        # <location>; they are ordinary annotations and are kept.
        direct = set(map(id, art.findall("locations/location")))
        for loc in art.findall(".//location"):
            annotations += 1
            nested += id(loc) not in direct
            gold.append({"start": int(loc.findtext("start")), "end": int(loc.findtext("end")),
                         "mention": loc.findtext("name"), "lat": _float(loc.findtext("lat")),
                         "lon": _float(loc.findtext("lon")), "geonameid": None, "type": None,
                         "page": loc.findtext("page")})
        raw.append({"id": f"gv-{i:03d}", "text": text, "date": None, "gold": gold})
    report = {"file": str(path), "annotations_read": annotations, "nested_location_elements": nested}
    return _finish("GeoVirus", raw, report)


READERS = {"GeoWebNews": read_geowebnews, "LGL": read_lgl, "TR-News": read_trnews, "GeoVirus": read_geovirus}


def readme_counts(root: Path):
    """The counts the corpora README's table states: {corpus: (docs, annotations, with_coords)}."""
    out = {}
    readme = root / "README.md"
    if not readme.exists():
        return out
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0] not in CORPUS_FILES:
            continue
        nums = []
        for c in cells[2:5]:
            m = re.search(r"\d[\d,]*", c)
            nums.append(int(m.group().replace(",", "")) if m else None)
        out[cells[0]] = tuple(nums)
    return out
