#!/usr/bin/env python3
"""Deterministic synthetic GeoNames main dump for build benchmarks (Python 3.11, stdlib only).

    python3 benches/synth_geonames.py ROWS OUT_PATH [--seed N]

Streams ROWS rows of the 19-column `geoname` table (tab-separated, UTF-8, `\\n` line ends) to
OUT_PATH. The same ROWS and seed always give the same bytes (on little-endian machines, which is
every machine this project runs on; big-endian ones byte-swap so the values still agree).

The rows resemble allCountries.txt statistically, not literally:
  * geonameids 1..ROWS, increasing;
  * names built from syllables (some with diacritics such as á, ö, ł, ş), about 30% drawn from a
    skewed pool of 50,000 common names so that the name index has multi-posting keys;
  * asciiname is the name folded to ASCII;
  * about 45% of rows have no alternate names, the others 1-8 (Latin, Cyrillic, CJK, Greek, Arabic);
  * feature classes P 35%, S 20%, H 15%, T 12%, A 5%, L 5%, V 3%, R 3%, U 2% with plausible codes;
  * about 250 two-letter country codes with a Zipf-like skew, coordinates around a per-country centre;
  * population mostly 0 except for populated places (and a few admin areas);
  * an average line of about 125 bytes.

The file is written to OUT_PATH.partial and renamed into place when complete, so an interrupted run
never leaves a truncated OUT_PATH behind. A one-line summary goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import os
import multiprocessing
import random
import sys
import time
import unicodedata
from array import array

GENERATOR_VERSION = 1
CHUNK_ROWS = 32_768
COMMON_POOL = 50_000

# ISO 3166-1 alpha-2 codes, roughly in order of how many rows allCountries.txt has per country
# (the head of the list matters; the tail is alphabetical). 250 codes.
COUNTRIES = (
    "US CN IN NO MX ID RU CA AU IR PK DE FR BR TH GB JP IT ES TR PH VN CO PE AR MA NP BD UA PL "
    "KE CD ZA NG ET AF SE FI MM SA DZ EG IQ TZ VE CL BO SD UZ KZ MZ AO ZM ZW CM GH CI MG ML NE "
    "BF TD SN GN SO YE SY KR KP MY LK KH LA TW NZ PG CZ SK HU RO BG RS HR SI BA AT CH BE NL DK "
    "IE PT GR AL MK ME XK MD BY LT LV EE IS GE AM AZ TM KG TJ MN OM AE QA KW BH JO IL LB PS CY "
    "LY TN MR EH ER DJ SS UG RW BI MW BW NA LS SZ GA CG GQ CF BJ TG SL LR GW GM CV ST KM MU SC "
    "RE YT MV BT BN SG TL FJ SB VU NC PF WS TO KI TV NR FM MH PW GU MP AS CK NU TK WF PN NF HM "
    "CU DO HT JM PR BS TT BB LC VC GD AG DM KN AI MS VG VI KY BM TC AW CW SX BQ MF BL GP MQ GF "
    "SR GY EC PY UY PA CR NI HN SV GT BZ FK GS GL PM SJ FO AX GI AD MC SM VA LI LU MT IM JE GG "
    "BV AQ TF IO CC CX UM ZZ YU CS AN"
).split()

SYLLABLES = (
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru "
    "sa se si so su ta te ti to tu va ve vi vo za zo an en in on ar er or al el il ol am em "
    "kra bro dra gra pro sta stro ber bur dor gor hal hol kar kor lin mar mir mor nov pol ran "
    "ros sel sol tar tor val ven vil wal wer wol zar zel sk tr st ch sh zh kh th"
).split()
DIACRITIC_SYLLABLES = (
    "á é í ó ú ö ü ä ł ş ç ñ ř ž š č ő ø å ğ ı ã ê ô ż ń "
    "bá kö łu şe çi ñe ře žo šu ča ső gø må ğa lı tã bê pô żu ńa dő"
).split()
ENDINGS = (
    "ovka ivka evo ino ovo ovo ice ec ow ów sk ska skoye grad gorod burg berg dorf hausen heim "
    "stadt ville ton field wood ford ham by vik stad holm pur abad an ia ie ac ul ar o a e y i "
    "ar ista ets itsa yn iv ov ev ichi ata ana ella ita ing ong ung ai ao a-shi cheng zhou"
).split()
PREFIX_WORDS = (
    "Nova Novyy Staryy Velykyi Mala San Santa Saint Sankt Lake Mount Upper Lower North South "
    "East West Port Fort Bad Nueva Villa Bukit Kampung Ban Wadi Jabal Tell Ras Bir Ain Kafr "
    "Gora Rio Cerro Arroyo Lac Mont Ile Isla"
).split()
SUFFIX_WORDS = (
    "Creek River Hill Hills Lake Station School Church Farm Park Bay Island Point Valley "
    "Springs Heights Mine Dam Pond Well"
).split()
CYR_SYLLABLES = (
    "ба бо ва ве во го гра да до ду ж за зо ка ки ко кра ку ла ли ло лу ма ми мо на не ни но "
    "ов ог по пра ра ре ро ру са се си со ста та те то тра у ф ха хо це ча ше щи я ю є ї і"
).split()
CYR_ENDINGS = (
    "ка івка овка ово ино ськ ське град город ець ичі ани ів ов ева іно ський ская ське ы"
).split()
CJK_CHARS = (
    "山川河湖海島村町市県郡区北南東西中上下大小新古本田野原森林石橋口谷沢江浜崎寺宮城"
    "安平和明光長高松竹梅桜花水金銀鉄馬牛羊龍虎鳳天地人文武徳仁義礼智信春夏秋冬月日星雲"
    "港湾州府省鎮郷坊里屯堡寨关门阳阴庄营店集坝岗岭峰"
)
GREEK_SYLLABLES = "Κα Λα Μα Να Πα Σα Τα Θε Νε Πο Ρο Σι Τρ Αγ Αθ Ελ Κο Μυ Ξα Ορ".split()
ARABIC_WORDS = "قرية جبل وادي عين بئر تل رأس كفر مدينة الشمالي الجنوبي".split()

# (class, share in %, ((code, weight), ...))
FEATURES = (
    ("P", 35, (("PPL", 80), ("PPLX", 5), ("PPLA4", 3), ("PPLA3", 3), ("PPLA2", 2),
               ("PPLA", 1), ("PPLL", 3), ("PPLQ", 2), ("PPLH", 1))),
    ("S", 20, (("SCH", 20), ("CH", 15), ("FRM", 15), ("HTL", 10), ("BLDG", 10), ("CMTY", 10),
               ("RSTN", 5), ("HSP", 5), ("MUS", 3), ("MSQE", 3), ("AIRP", 2), ("RSRT", 2))),
    ("H", 15, (("STM", 40), ("LK", 20), ("SPNG", 10), ("WLL", 10), ("RSV", 5), ("BAY", 5),
               ("CNL", 5), ("PND", 5))),
    ("T", 12, (("MT", 35), ("HLL", 30), ("PK", 10), ("VAL", 10), ("PASS", 5), ("CAPE", 5),
               ("ISL", 5))),
    ("A", 5, (("ADM3", 40), ("ADM4", 30), ("ADM2", 15), ("ADM1", 5), ("ADMD", 5),
              ("ADM1H", 2), ("ADM2H", 2), ("PCLI", 1))),
    ("L", 5, (("LCTY", 40), ("PRK", 20), ("AREA", 15), ("RES", 10), ("PRT", 5), ("OILF", 5),
              ("CMN", 5))),
    ("V", 3, (("FRST", 50), ("GRSLD", 20), ("SCRB", 15), ("VIN", 15))),
    ("R", 3, (("RD", 50), ("TRL", 30), ("TNL", 10), ("RR", 10))),
    ("U", 2, (("SMU", 30), ("TRGU", 20), ("CNYU", 20), ("RDGU", 15), ("DEPU", 15))),
)

# Number of alternate names: 0 for 45% of rows, then a falling share for 1..8.
ALT_COUNT_SHARES = ((0, 45.0), (1, 22.0), (2, 13.0), (3, 7.0), (4, 5.0), (5, 3.0), (6, 2.0),
                    (7, 1.5), (8, 1.5))
# What kind each alternate name is.
ALT_KIND_SHARES = (("variant", 33), ("latin", 27), ("cyrillic", 22), ("cjk", 10),
                   ("greek", 4), ("arabic", 4))

TIMEZONES = {
    "europe": "Europe/Kyiv Europe/Warsaw Europe/Berlin Europe/Paris Europe/Madrid Europe/Rome "
              "Europe/London Europe/Oslo Europe/Stockholm Europe/Helsinki Europe/Bucharest "
              "Europe/Istanbul Europe/Moscow Europe/Vienna Europe/Prague".split(),
    "asia": "Asia/Shanghai Asia/Kolkata Asia/Tokyo Asia/Jakarta Asia/Tehran Asia/Karachi "
            "Asia/Bangkok Asia/Manila Asia/Dhaka Asia/Ho_Chi_Minh Asia/Seoul Asia/Riyadh "
            "Asia/Baghdad Asia/Almaty Asia/Kathmandu".split(),
    "africa": "Africa/Lagos Africa/Cairo Africa/Nairobi Africa/Johannesburg Africa/Kinshasa "
              "Africa/Casablanca Africa/Algiers Africa/Addis_Ababa Africa/Dakar".split(),
    "america": "America/New_York America/Chicago America/Denver America/Los_Angeles "
               "America/Mexico_City America/Bogota America/Lima America/Sao_Paulo "
               "America/Argentina/Buenos_Aires America/Toronto America/Caracas".split(),
    "pacific": "Australia/Sydney Australia/Perth Pacific/Auckland Pacific/Fiji "
               "Pacific/Port_Moresby Pacific/Honolulu".split(),
}

# Letters that NFKD does not split into base + combining mark.
_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss",
                              "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "þ": "th"})


def to_ascii(s: str) -> str:
    s = s.translate(_ASCII_EXTRA)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def weighted_table(pairs, size: int, rng: random.Random) -> list:
    """A list of `size` items in which each item appears in proportion to its weight (each at
    least once), shuffled, so that `table[random_bits & (size - 1)]` is a weighted choice."""
    total = float(sum(w for _, w in pairs))
    slots = [max(1, round(w / total * size)) for _, w in pairs]
    while sum(slots) > size:
        slots[slots.index(max(slots))] -= 1
    while sum(slots) < size:
        slots[slots.index(max(slots))] += 1
    table = []
    for (item, _), n in zip(pairs, slots):
        table.extend([item] * n)
    rng.shuffle(table)
    return table


def _enc(items: list[str]) -> list[bytes]:
    return [s.encode("utf-8") for s in items]


class Vocabulary:
    """Everything precomputed from the seed: name parts, pools and lookup tables, as UTF-8 bytes.
    Tables indexed by a random 16-bit word have 65,536 entries (repeats of a smaller list), those
    indexed by a random byte 256."""

    def __init__(self, seed: int):
        rng = random.Random(f"geoevents-synth-vocab-{GENERATOR_VERSION}-{seed}")

        def syllable() -> str:
            if rng.random() < 0.12:
                return rng.choice(DIACRITIC_SYLLABLES)
            return rng.choice(SYLLABLES)

        # Stems (capitalised word starts) and endings: a fresh name is stem + ending.
        stems: list[str] = []
        seen: set[str] = set()
        while len(stems) < 8192:
            s = "".join(syllable() for _ in range(rng.choice((1, 2, 2, 2, 3))))
            s = s[:1].upper() + s[1:]
            if len(s) >= 2 and s not in seen:
                seen.add(s)
                stems.append(s)
        endings: list[str] = []
        seen.clear()
        while len(endings) < 2048:
            e = rng.choice(ENDINGS)
            if rng.random() < 0.5:
                e = syllable() + e
            if rng.random() < 0.2:
                e = e + syllable()
            if e not in seen:
                seen.add(e)
                endings.append(e)
        stems_ascii = [to_ascii(s) for s in stems]
        self.stems = _enc(stems) * 8
        self.stems_ascii = _enc(stems_ascii) * 8
        self.endings = _enc(endings) * 32
        self.endings_ascii = _enc([to_ascii(e) for e in endings]) * 32

        def fresh_name() -> str:
            n = rng.choice(stems) + rng.choice(endings)
            r = rng.random()
            if r < 0.10:
                n = rng.choice(PREFIX_WORDS) + " " + n
            elif r < 0.18:
                n = n + " " + rng.choice(SUFFIX_WORDS)
            elif r < 0.21:
                n = n + "-" + rng.choice(stems) + rng.choice(endings)
            return n

        common = [fresh_name() for _ in range(COMMON_POOL)]
        self.common = _enc(common)
        self.common_ascii = _enc([to_ascii(n) for n in common])
        # Decorations of fresh names, by a random byte: none below 200, else a second word.
        deco = [("", "")] * 200
        deco += [(p + " ", "") for p in PREFIX_WORDS[:28]]
        deco += [("", " " + s) for s in SUFFIX_WORDS[:20]]
        deco += [("", "-" + rng.choice(stems)) for _ in range(256 - len(deco))]
        self.deco = [(a.encode(), b.encode()) for a, b in deco]
        self.deco_ascii = [(to_ascii(a).encode(), to_ascii(b).encode()) for a, b in deco]

        # Alternate names: each kind is (65,536 parts A, 256 parts B); an alternate is A[x] + B[y].
        cyr_stems = []
        while len(cyr_stems) < 16384:
            s = "".join(rng.choice(CYR_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3))))
            cyr_stems.append(s[:1].upper() + s[1:])
        cyr_endings = [rng.choice(CYR_ENDINGS) + (rng.choice(CYR_SYLLABLES) if rng.random() < 0.3 else "")
                       for _ in range(256)]
        cjk_pairs = [rng.choice(CJK_CHARS) + rng.choice(CJK_CHARS) for _ in range(16384)]
        cjk_tails = [rng.choice(CJK_CHARS) if rng.random() < 0.6 else "" for _ in range(256)]
        greek = ["".join(rng.choice(GREEK_SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
                 for _ in range(4096)]
        greek_tails = [rng.choice(("ς", "ο", "α", "ι", "ον", "ες", "")) for _ in range(256)]
        arabic = [rng.choice(ARABIC_WORDS) + " " + rng.choice(ARABIC_WORDS) for _ in range(4096)]
        arabic_tails = ["" if rng.random() < 0.6 else " " + rng.choice(ARABIC_WORDS)
                        for _ in range(256)]
        variant_endings = [rng.choice(ENDINGS) for _ in range(256)]
        latin_endings = [rng.choice(endings) for _ in range(256)]
        kinds = {
            "variant": (_enc(stems_ascii) * 8, _enc(variant_endings)),
            "latin": (self.stems, _enc(latin_endings)),
            "cyrillic": (_enc(cyr_stems) * 4, _enc(cyr_endings)),
            "cjk": (_enc(cjk_pairs) * 4, _enc(cjk_tails)),
            "greek": (_enc(greek) * 16, _enc(greek_tails)),
            "arabic": (_enc(arabic) * 16, _enc(arabic_tails)),
        }
        self.alt_count = weighted_table(ALT_COUNT_SHARES, 65536, rng)
        self.alt_kind = weighted_table([(kinds[k], w) for k, w in ALT_KIND_SHARES], 256, rng)

        # Features: (b"class\tcode", population strings, admin rule) weighted by class share times
        # code weight. Admin rule: 0 any codes, 1 ADM1 (no lower codes), 2 ADM2, 3 country.
        zeros = [b"0"] * 65536
        pop_p = _enc(["0" if rng.random() < 0.7 else str(int(10 ** rng.uniform(1.0, 7.2)))
                      for _ in range(1024)]) * 64
        pop_a = _enc(["0" if rng.random() < 0.7 else str(int(10 ** rng.uniform(2.0, 6.5)))
                      for _ in range(1024)]) * 64
        rules = {"ADM1": 1, "ADM1H": 1, "ADM2": 2, "ADM2H": 2, "PCLI": 3}
        pairs = []
        for cls, share, codes in FEATURES:
            total = sum(w for _, w in codes)
            pops = pop_p if cls == "P" else pop_a if cls == "A" else zeros
            for code, w in codes:
                pairs.append(((f"{cls}\t{code}".encode(), pops, rules.get(code, 0)),
                              share * w / total))
        self.features = weighted_table(pairs, 65536, rng)

        # Per country: code, timezone, 256 latitudes, 256 longitudes, 256 cc2 values (mostly
        # empty) and, per admin rule, 256 b"admin1\tadmin2\tadmin3\tadmin4" values.
        country_data = []
        for cc in COUNTRIES:
            clat = rng.uniform(-45.0, 68.0) if rng.random() < 0.9 else rng.uniform(-60.0, 80.0)
            clon = rng.uniform(-175.0, 175.0)
            spread = rng.uniform(0.5, 12.0)
            lats = [f"{max(-89.99, min(89.99, clat + rng.uniform(-spread, spread))):.5f}"
                    for _ in range(256)]
            lons = [f"{((clon + rng.uniform(-spread, spread) + 180.0) % 360.0) - 180.0:.5f}"
                    for _ in range(256)]
            region = ("europe" if -15 < clon < 45 and clat > 35 else
                      "africa" if -20 < clon < 55 else
                      "asia" if 45 <= clon < 150 and clat > -12 else
                      "america" if clon < -30 else "pacific")
            tz = rng.choice(TIMEZONES[region])
            n_admin1 = rng.randint(3, 40)
            admins: list[list[bytes]] = [[], [], [], []]
            for _ in range(256):
                a1 = f"{rng.randint(1, n_admin1):02d}"
                r = rng.random()
                a2 = "" if r < 0.45 else str(rng.randint(1, 60) * (1 if r < 0.8 else 1001))
                a3 = "" if rng.random() < 0.85 else str(rng.randint(1000, 99999))
                a4 = "" if rng.random() < 0.95 else str(rng.randint(1, 999))
                admins[0].append(f"{a1}\t{a2}\t{a3}\t{a4}".encode())
                admins[1].append(f"{a1}\t\t\t".encode())
                admins[2].append(f"{a1}\t{a2 or rng.randint(1, 60)}\t\t".encode())
                admins[3].append(b"\t\t\t")
            cc2 = [""] * 248 + [rng.choice(COUNTRIES) for _ in range(8)]
            rng.shuffle(cc2)
            country_data.append((cc.encode(), tz.encode(), _enc(lats), _enc(lons), _enc(cc2),
                                 admins))
        # Countries: Zipf-like weights by position in COUNTRIES.
        self.countries = weighted_table([(c, 1.0 / (i + 3)) for i, c in enumerate(country_data)],
                                        65536, rng)

        # Elevation (mostly empty) and dem: b"elevation\tdem".
        elev = []
        for _ in range(1024):
            dem = rng.choice(("-9999", str(rng.randint(-20, 4500)), str(rng.randint(0, 800))))
            e = "" if rng.random() < 0.88 else str(rng.randint(-50, 5000))
            elev.append(f"{e}\t{dem}")
        self.elev = _enc(elev) * 64
        # Modification dates, with the line end.
        start = 13_100  # days since 1970-01-01, about 2005-11
        self.dates = _enc([time.strftime("%Y-%m-%d\n",
                                         time.gmtime((start + rng.randint(0, 7600)) * 86400))
                           for _ in range(2048)]) * 32


_VOCAB: "Vocabulary | None" = None


def _u16(rng: random.Random, n: int) -> array:
    a = array("H")
    a.frombytes(rng.randbytes(2 * n))
    if sys.byteorder != "little":
        a.byteswap()
    return a


def _chunk(task: tuple[int, int, int]) -> bytes:
    """Rows first_gid .. first_gid + n - 1, as UTF-8 bytes. Each chunk has its own random stream
    (seeded from the seed and its first geonameid), so the output does not depend on how many
    worker processes share the work.

    Speed: random 16-bit words and bytes are drawn for the whole chunk at once and index tables
    of 65,536 or 256 entries, many through C-level `map`; the Python loop picks the rest and
    joins pre-encoded bytes (no str formatting, no mixed-width str concatenation)."""
    seed, first_gid, n = task
    v = _VOCAB
    rng = random.Random(f"geoevents-synth-rows-{GENERATOR_VERSION}-{seed}-{first_gid}")
    h = _u16(rng, 8 * n)
    b = rng.randbytes(8 * n)
    counts = list(map(v.alt_count.__getitem__, h[4::8]))
    # The chunk's alternate names, consumed in order: kind, A part, B part.
    total = sum(counts)
    kinds = v.alt_kind
    alt_names = [(kd := kinds[k])[0][x] + kd[1][y]
                 for k, x, y in zip(rng.randbytes(total), _u16(rng, total), rng.randbytes(total))]

    stems, stems_a = v.stems, v.stems_ascii
    endings, endings_a = v.endings, v.endings_ascii
    common, common_a = v.common, v.common_ascii
    deco, deco_a = v.deco, v.deco_ascii
    join = b"\t".join
    lines = []
    append = lines.append
    p = 0
    for (gid, (feature, pops, rule), (cc, tz, lats, lons, cc2s, admins), hn, he, k, hp,
         elev, date, ba, blat, blon, bcc2, bdeco, bsel, bx) in zip(
            map(b"%d".__mod__, range(first_gid, first_gid + n)),
            map(v.features.__getitem__, h[0::8]),
            map(v.countries.__getitem__, h[1::8]),
            h[2::8], h[3::8], counts, h[5::8],
            map(v.elev.__getitem__, h[6::8]),
            map(v.dates.__getitem__, h[7::8]),
            b[0::8], b[1::8], b[2::8], b[3::8], b[4::8], b[5::8], b[6::8]):
        if bsel < 77:  # 30%: the common pool, skewed towards its first names
            x = (hn << 8) | bx
            i = (x * x * COMMON_POOL) >> 48
            name = common[i]
            ascii_name = common_a[i]
        elif bdeco < 200:  # a one-word fresh name
            name = stems[hn] + endings[he]
            ascii_name = stems_a[hn] + endings_a[he]
        else:  # a fresh name with a second word
            pre, post = deco[bdeco]
            name = pre + stems[hn] + endings[he] + post
            pre, post = deco_a[bdeco]
            ascii_name = pre + stems_a[hn] + endings_a[he] + post
        if k:
            alts = b",".join(alt_names[p:p + k])
            p += k
        else:
            alts = b""
        append(join((gid, name, ascii_name, alts, lats[blat], lons[blon], feature, cc,
                     cc2s[bcc2], admins[rule][ba], pops[hp], elev, tz, date)))
    return b"".join(lines)


def generate(rows: int, out_path: str, seed: int = 1, workers: int = 0,
             progress: bool = False) -> dict:
    """Writes `rows` rows to `out_path` (via a `.partial` file); returns facts about the run.
    `workers` > 1 spreads the chunks over that many processes (0: one per CPU); the bytes written
    are the same whatever the number."""
    global _VOCAB
    started = time.perf_counter()
    # Nothing made here forms reference cycles; the cyclic collector would only cost time
    # (about 20%) scanning the many small objects. Forked workers inherit the setting.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    _VOCAB = Vocabulary(seed)
    vocab_secs = time.perf_counter() - started
    if workers <= 0:
        workers = os.cpu_count() or 1
    tasks = [(seed, first, min(CHUNK_ROWS, rows - first + 1))
             for first in range(1, rows + 1, CHUNK_ROWS)]
    workers = max(1, min(workers, len(tasks)))
    tmp = out_path + ".partial"
    written = done = 0
    last_report = started
    pool = None
    try:
        with open(tmp, "wb", buffering=0) as f:
            if workers > 1:
                # fork: the workers inherit the vocabulary instead of rebuilding it
                pool = multiprocessing.get_context("fork").Pool(workers)
                chunks = pool.imap(_chunk, tasks, chunksize=1)
            else:
                chunks = map(_chunk, tasks)
            for (_, _, n), data in zip(tasks, chunks):
                f.write(data)
                written += len(data)
                done += n
                if progress and time.perf_counter() - last_report >= 5.0:
                    last_report = time.perf_counter()
                    el = last_report - started
                    print(f"synth_geonames: {done:,}/{rows:,} rows, {done / el:,.0f} rows/s",
                          file=sys.stderr, flush=True)
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if gc_was_enabled:
            gc.enable()
    secs = time.perf_counter() - started
    return {
        "rows": rows,
        "bytes": written,
        "avg_line_bytes": written / rows if rows else 0.0,
        "seconds": secs,
        "vocabulary_seconds": vocab_secs,
        "rows_per_second": rows / secs if secs > 0 else 0.0,
        "workers": workers,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "path": out_path,
    }


def parse_rows(text: str) -> int:
    t = text.strip().replace("_", "").replace(",", "")
    mult = 1
    if t[-1:] in ("k", "K"):
        mult, t = 1_000, t[:-1]
    elif t[-1:] in ("m", "M"):
        mult, t = 1_000_000, t[:-1]
    value = float(t) * mult
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"`{text}` is not a positive whole number of rows")
    return int(value)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", type=parse_rows, help="number of rows (1000000, 2.5M, 500k)")
    ap.add_argument("out_path", help="file to write, e.g. /tmp/x/allCountries.txt")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--workers", type=int, default=0,
                    help="processes to use (default: one per CPU); the output is the same")
    ap.add_argument("--progress", action="store_true", help="report progress every 5 s on stderr")
    args = ap.parse_args(argv)
    if args.rows >= 1 << 32:
        ap.error("geonameids are u32 in geoevents: at most 4,294,967,295 rows")
    parent = os.path.dirname(os.path.abspath(args.out_path))
    os.makedirs(parent, exist_ok=True)
    facts = generate(args.rows, args.out_path, args.seed, workers=args.workers,
                     progress=args.progress)
    print(f"synth_geonames: wrote {facts['rows']:,} rows, {facts['bytes'] / 1e6:,.1f} MB "
          f"(avg {facts['avg_line_bytes']:.1f} B/line) to {args.out_path} in "
          f"{facts['seconds']:.1f} s ({facts['rows_per_second']:,.0f} rows/s, seed {args.seed}, "
          f"{facts['workers']} workers)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
