#!/usr/bin/env python3
"""Writes gazetteer/extracts/UA.zip: GeoNames' full Ukraine dump, the one extract that is not
derived from a registry package.

The embedded default gazetteer is cities500 for the world but every GeoNames feature for Ukraine,
the theatre this tool was built for: the villages the war is fought over (most of 33,681 populated
places have fewer than 500 people), hromadas, raions, rivers, reservoirs and terrain.

The dump is GeoNames data (CC BY 4.0, https://www.geonames.org/), redistributed inside a
deterministic zip (fixed timestamp, one member `UA.txt`), unchanged but for the alternate names
that `corrections.tsv` says GeoNames files under the wrong place (Sloviansk's names under Nikopol),
which are taken out of the rows it names, as `make_extracts.py` does for the other extracts. The script checks the dump against the
sha256 pinned below, so the committed extract is always the dump the README names, and records
it in `extracts/MANIFEST.json` under `outputs` and `ukraine_dump`.

    python3 gazetteer/make_ua_extract.py [--source ../shared/data/geonames/UA.txt]

A newer dump: pass it with --update-hash, then update the date and sha256 in gazetteer/README.md.
"""

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PINNED_SHA256 = "bfea89f5a4fa982b3fdcb913c8a61e50dedf033fdd5a9815d69544ce7a2a05b7"
DUMP_DATE = "2026-07-28"  # the newest `modification date` in the dump
ZIP_TIME = (2026, 7, 29, 0, 0, 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=HERE.parent.parent / "shared/data/geonames/UA.txt")
    ap.add_argument("--out", type=Path, default=HERE / "extracts")
    ap.add_argument("--update-hash", action="store_true",
                    help="accept a dump whose sha256 differs from the pinned one (print the new one)")
    args = ap.parse_args()
    try:
        data = args.source.read_bytes()
    except OSError as e:
        print(f"make_ua_extract: cannot read the dump {args.source}: {e}", file=sys.stderr)
        return 2
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED_SHA256 and not args.update_hash:
        print(f"make_ua_extract: {args.source} has sha256 {digest}, not the pinned {PINNED_SHA256};"
              " pass --update-hash for a deliberate update", file=sys.stderr)
        return 2
    lines = data.decode("utf-8").splitlines()
    bad = [i + 1 for i, l in enumerate(lines) if l.count("\t") != 18]
    if bad:
        print(f"make_ua_extract: lines {bad[:5]} of {args.source} are not 19 columns", file=sys.stderr)
        return 2
    corrections = {}
    for line in (HERE / "corrections.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            gid, name = line.split("\t")[:2]
            corrections.setdefault(gid, set()).add(name)
    removed = 0
    for i, l in enumerate(lines):
        cols = l.split("\t")
        wrong = corrections.get(cols[0])
        if wrong:
            names = cols[3].split(",") if cols[3] else []
            kept = [n for n in names if n not in wrong]
            removed += len(names) - len(kept)
            cols[3] = ",".join(kept)
            lines[i] = "\t".join(cols)
    newest = max(l.rsplit("\t", 1)[1] for l in lines)
    if newest != DUMP_DATE and not args.update_hash:
        print(f"make_ua_extract: the dump's newest row is of {newest}, not {DUMP_DATE}", file=sys.stderr)
        return 2
    target = args.out / "UA.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("UA.txt", date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        z.writestr(info, ("\n".join(lines) + "\n").encode("utf-8"))
    tmp.replace(target)
    zipped = target.read_bytes()
    manifest_path = args.out / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.setdefault("outputs", {})["UA.zip"] = {
        "bytes": len(zipped), "sha256": hashlib.sha256(zipped).hexdigest(), "rows": len(lines)}
    manifest["ukraine_dump"] = {
        "what": "GeoNames' country dump UA.txt, every feature class; unchanged but for the "
                "alternate names corrections.tsv removes",
        "alternate_names_removed_by_corrections": removed,
        "licence": "CC BY 4.0 (GeoNames, https://www.geonames.org/)",
        "sha256_of_UA_txt": digest,
        "dump_date": newest,
        "rows": len(lines),
        "regenerate": "python3 gazetteer/make_ua_extract.py",
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.update_hash and digest != PINNED_SHA256:
        print(f"new sha256 {digest}; dump date {newest}: pin both in this script and gazetteer/README.md")
    print(f"{target}: {len(lines):,} rows, {len(zipped):,} bytes, dump date {newest}, "
          f"{removed} alternate names removed by corrections.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
