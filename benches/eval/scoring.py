"""Span matching and the recognition / resolution scores (rules in benches/places_eval.py's docstring)."""

import math

EARTH_RADIUS_KM = 6371.0088
# The error given to a recognised gold toponym that the system left without coordinates: the
# largest error a point on the globe can have (half a great circle).
UNRESOLVED_ERROR_KM = math.pi * EARTH_RADIUS_KM
RADIUS_KM = 161.0


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def match(gold, system, mode):
    """One-to-one matching of gold and system spans of one document.

    mode "exact": a pair needs identical (start, end). mode "overlap": a pair needs at least one
    shared character; exact pairs are taken first, then the pairs sharing the most characters, then
    the pairs whose starts are closest, then left to right. Each gold span and each system span is
    used at most once. Returns a list of (gold_index, system_index)."""
    pairs = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if mode == "exact":
                if g["start"] == s["start"] and g["end"] == s["end"]:
                    pairs.append(((0, 0, 0, gi, si), gi, si))
            else:
                ov = min(g["end"], s["end"]) - max(g["start"], s["start"])
                if ov > 0:
                    exact = g["start"] == s["start"] and g["end"] == s["end"]
                    pairs.append(((0 if exact else 1, -ov, abs(g["start"] - s["start"]), gi, si), gi, si))
    pairs.sort()
    used_g, used_s, out = set(), set(), []
    for _, gi, si in pairs:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out.append((gi, si))
    return out


def prf(tp, n_sys, n_gold):
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Scorer:
    """Accumulates one system's results over the documents of one corpus."""

    def __init__(self):
        self.n_gold = self.n_gold_coords = self.n_sys = 0
        self.tp_exact = self.tp_overlap = 0
        self.matched_coords = 0  # recognised (overlap) gold with coordinates
        self.within = 0
        self.unresolved = 0
        self.errors = []  # km, resolved ones only
        self.misses = []  # examples for the JSON

    def add(self, doc_id, text, gold, system):
        self.n_gold += len(gold)
        self.n_gold_coords += sum(1 for g in gold if g["lat"] is not None)
        self.n_sys += len(system)
        self.tp_exact += len(match(gold, system, "exact"))
        for gi, si in match(gold, system, "overlap"):
            self.tp_overlap += 1
            g, s = gold[gi], system[si]
            if g["lat"] is None:
                continue
            self.matched_coords += 1
            if s.get("latitude") is None or s.get("longitude") is None:
                self.unresolved += 1
                if len(self.misses) < 400:
                    self.misses.append({"doc": doc_id, "mention": g["mention"], "system": s.get("mention"),
                                        "error_km": None})
                continue
            err = haversine_km(g["lat"], g["lon"], s["latitude"], s["longitude"])
            self.errors.append(err)
            if err <= RADIUS_KM:
                self.within += 1
            elif len(self.misses) < 400:
                self.misses.append({"doc": doc_id, "mention": g["mention"], "system": s.get("mention"),
                                    "name": s.get("name"), "geonameid": s.get("geonameid"),
                                    "gold_geonameid": g.get("geonameid"), "error_km": round(err, 1)})

    def result(self):
        p, r, f = prf(self.tp_overlap, self.n_sys, self.n_gold)
        pe, re_, fe = prf(self.tp_exact, self.n_sys, self.n_gold)
        all_err = self.errors + [UNRESOLVED_ERROR_KM] * self.unresolved
        errs = sorted(all_err)
        return {
            "gold": self.n_gold, "gold_with_coords": self.n_gold_coords, "system_spans": self.n_sys,
            "overlap": {"tp": self.tp_overlap, "precision": p, "recall": r, "f1": f},
            "exact": {"tp": self.tp_exact, "precision": pe, "recall": re_, "f1": fe},
            "recognised_with_coords": self.matched_coords,
            "recognised_unresolved": self.unresolved,
            "within_161km": self.within,
            "acc161_recognised": self.within / self.matched_coords if self.matched_coords else None,
            "mean_error_km": sum(all_err) / len(all_err) if all_err else None,
            "median_error_km": errs[len(errs) // 2] if errs else None,
            "mean_error_km_resolved_only": sum(self.errors) / len(self.errors) if self.errors else None,
            "acc161_end_to_end": self.within / self.n_gold_coords if self.n_gold_coords else None,
        }
