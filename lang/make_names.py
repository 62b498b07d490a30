#!/usr/bin/env python3
"""Write lang/{uk,ru}/names_iso.tsv: the Ukrainian and Russian names of countries (ISO 3166-1) and
of first-order divisions (ISO 3166-2: every country's top level, all of Ukraine's and Russia's), each with the name the embedded
gazetteer knows the place by, so "Німеччина" or "Белгородская область" can be looked up.

Source: the `pycountry` wheel from PyPI (its translations are those of Debian's iso-codes;
LGPL-2.1). Every row is checked against the gazetteer: a name that does not resolve to a
country (or to a first-order division of the right country) is left out and listed on stderr.

    python3 lang/make_names.py [--wheel pycountry-*.whl] [--binary target/release/geoevents]
"""
import argparse
import gettext
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import zipfile

PYCOUNTRY = "pycountry==26.2.16"
HERE = os.path.dirname(os.path.abspath(__file__))
DIVISIONS = ("UA", "RU")
GENERIC = ("north", "south", "east", "west", "central", "centre", "center", "capital", "upper", "lower",
           "coast", "island", "highland", "lowland", "middle", "inner", "outer")
# The same compass words and "centre" in Ukrainian and Russian, for divisions whose English name is
# in another language ("Al Janūbī").
GENERIC_LOCAL = ("півн", "півд", "схід", "східн", "захід", "західн", "центр", "столич", "север", "южн",
                 "юг", "восто", "запад", "столи")


def wheel_zip(path):
    if path:
        return zipfile.ZipFile(path)
    tmp = tempfile.mkdtemp()
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, PYCOUNTRY], check=True)
    return zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])


def resolve(binary, queries):
    """Each English name's best gazetteer answer (feature code, country code), in order."""
    out = subprocess.run([binary, "lookup", "--batch", "-", "--limit", "1", "--format", "jsonl"],
                         input="\n".join(queries) + "\n", capture_output=True, text=True, check=True)
    answers = []
    for line in out.stdout.splitlines():
        r = json.loads(line).get("results") or []
        answers.append((r[0]["feature_code"], r[0]["country_code"], r[0]["name"], r[0]["matched"]) if r else None)
    return answers


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel")
    ap.add_argument("--binary", default="target/release/geoevents")
    a = ap.parse_args()
    z = wheel_zip(a.wheel)
    db = lambda n: json.load(z.open(f"pycountry/databases/{n}.json"))
    tr = {lang: {part: gettext.GNUTranslations(io.BytesIO(z.read(f"pycountry/locales/{lang}/LC_MESSAGES/{part}.mo")))
                 for part in ("iso3166-1", "iso3166-2")} for lang in ("uk", "ru")}
    wanted = []  # (lang, local name, English name, expected code prefix, country)
    for c in db("iso3166-1")["3166-1"]:
        english = [c[k] for k in ("common_name", "name", "official_name") if k in c]
        for lang in ("uk", "ru"):
            for e in english:
                local = tr[lang]["iso3166-1"].gettext(e)
                if local != e:
                    wanted.append((lang, local, english[0], "PCL", c["alpha_2"]))
    for s in db("iso3166-2")["3166-2"]:
        cc = s["code"][:2]
        # Ukraine's and Russia's regions of every kind; elsewhere, first-level divisions that are
        # regions (not municipalities, whose many small names are words of other languages:
        # Slovenia's "Starše"), and not those named by a compass point ("Північна" = Northern,
        # a division in a dozen countries and an adjective everywhere).
        regional = "parent" not in s and not any(w in s["type"].lower() for w in ("municipal", "commune", "city"))
        generic = any(w in s["name"].lower() for w in GENERIC)
        if cc in DIVISIONS or (regional and not generic and len(s["name"]) >= 4):
            for lang in ("uk", "ru"):
                local = tr[lang]["iso3166-2"].gettext(s["name"])
                if local != s["name"] and not local.lower().startswith(GENERIC_LOCAL):
                    wanted.append((lang, local, s["name"], "", cc))
    answers = resolve(a.binary, [w[2] for w in wanted])
    # A name the gazetteer itself knows as a place of that country needs no row (and a row would
    # send "Москва" to the federal city rather than to Moscow).
    own = resolve(a.binary, [w[1] for w in wanted])
    rows = {"uk": {}, "ru": {}}
    for (lang, local, english, code, cc), ans, mine in zip(wanted, answers, own):
        if mine and mine[1] == cc and mine[3] in ("exact", "alternate"):
            continue
        ok = ans and ans[1] == cc and ans[0].startswith(code) and (code or ans[0].startswith(("ADM1", "PPLA", "PPLC")))
        if not ok:
            print(f"left out ({lang}): {local} = {english} -> {ans}", file=sys.stderr)
            continue
        rows[lang].setdefault(local, english)
    for lang, table in rows.items():
        path = os.path.join(HERE, lang, "names_iso.tsv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# Names of countries and of first-order divisions in {'Ukrainian' if lang == 'uk' else 'Russian'}\n"
                    "# (nominative), each with the name the gazetteer knows the place by. Written by\n"
                    f"# lang/make_names.py from {PYCOUNTRY} (Debian iso-codes translations, LGPL-2.1); do not edit by\n"
                    "# hand: add names in names.tsv beside it.\n")
            for local in sorted(table):
                f.write(f"{local}\t{table[local]}\n")
        print(f"{path}: {len(table)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
