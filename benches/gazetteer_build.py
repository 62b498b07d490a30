#!/usr/bin/env python3
"""Whole-process benchmark of `geoevents gazetteer build` (Python 3.11, stdlib only).

    python3 benches/gazetteer_build.py [--sizes 1000000,2500000,5000000] [--with-13m] [--runs N]
                                       [--workdir DIR] [--allow-missing-shared] [--keep]

Steps:
  0. `cargo build --release` in the repository (skip with --no-build).
  1. Real data: builds an index from the shared GeoNames files (UA.txt, cities15000.zip,
     admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt in ../shared/data/geonames) under
     /usr/bin/time: wall time, rows read, rows/s, peak RSS, index size.
  2. Open + first lookup: `geoevents --gazetteer FILE lookup NAME` as a whole process, one
     warm-up then --lookup-runs timed runs per name (wall time by time.perf_counter around
     subprocess.run), against `geoevents --version` as the process-start floor.
  3. Synthetic scaling: for each size generates allCountries.txt (benches/synth_geonames.py) in
     the work directory, reusing a file of the right row count, builds it with default options
     under /usr/bin/time, then reports cost per million rows and a linear extrapolation to 13M
     rows (measured instead when --with-13m).
  4. Prints a Markdown report and saves it with the raw JSON to bench-results/gazetteer_build.{md,json}.

Targets (printed as PASS/FAIL): 13M rows built in <= 180 s with <= 2048 MiB peak RSS; open +
first lookup median <= 30 ms.

Notes: caches are warm (inputs were just written or read; indexes were just built). Peak RSS is
/usr/bin/time's %M (KiB) shown in MiB. Sizes of files are in MB (10^6 bytes), as geoevents prints
them. Exit status: 0 when every step ran, 1 when a build or lookup failed, 2 when the shared data
is missing (unless --allow-missing-shared) or on bad usage. A FAIL against a target does not change
the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data" / "geonames"
REAL_SOURCES = ("UA.txt", "cities15000.zip", "admin1CodesASCII.txt", "admin2Codes.txt",
                "countryInfo.txt")
LOOKUP_NAMES = ("Bakhmut", "Kupiansk")
# geonameid a correct answer must include, per real-data lookup name
EXPECTED_IDS = {"Bakhmut": 713174, "Kupiansk": 703656}
FULL_ROWS = 13_000_000
TARGET_FULL_SECS = 180.0
TARGET_FULL_RSS_MIB = 2048.0
TARGET_LOOKUP_MS = 30.0
TIME_BIN = "/usr/bin/time"
SORT_BUDGET_MIB = 256  # geoevents' default --sort-memory-mb
RESULTS_DIR = REPO / "bench-results"

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth_geonames  # noqa: E402  (benches/synth_geonames.py)

_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def loud(msg: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n!!! {msg}\n{bar}\n", file=sys.stderr, flush=True)


def parse_size(text: str) -> int:
    return synth_geonames.parse_rows(text)


def fmt_int(n) -> str:
    return "–" if n is None else f"{int(n):,}"


def fmt_f(x, digits=1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("PASS" if ok else "FAIL")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


# --------------------------------------------------------------------------------------------
# Running the binary


class Sampler(threading.Thread):
    """Samples the RSS of the process /usr/bin/time runs, and the free space of a directory's
    file system (the build spills its external sorts next to the output), every `interval` s."""

    def __init__(self, time_pid: int, disk_dir: Path, interval: float = 0.25):
        super().__init__(daemon=True)
        self.time_pid = time_pid
        self.disk_dir = disk_dir
        self.interval = interval
        self.samples: list[tuple[float, int]] = []  # (seconds since start, RSS KiB)
        self.min_free = None
        self.free_at_start = self._free()
        self.stop = threading.Event()
        self.started_at = time.perf_counter()

    def _free(self):
        try:
            st = os.statvfs(self.disk_dir)
            return st.f_bavail * st.f_frsize
        except OSError:
            return None

    def _child(self):
        try:
            text = Path(f"/proc/{self.time_pid}/task/{self.time_pid}/children").read_text()
            kids = text.split()
            return int(kids[0]) if kids else None
        except (OSError, ValueError):
            return None

    def run(self):
        child = None
        while not self.stop.is_set():
            if child is None:
                child = self._child()
            if child is not None:
                try:
                    for line in Path(f"/proc/{child}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            kib = int(line.split()[1])
                            self.samples.append((time.perf_counter() - self.started_at, kib))
                            break
                except (OSError, ValueError):
                    pass
            free = self._free()
            if free is not None and (self.min_free is None or free < self.min_free):
                self.min_free = free
            self.stop.wait(self.interval)

    def peak_disk_bytes(self):
        if self.free_at_start is None or self.min_free is None:
            return None
        return max(0, self.free_at_start - self.min_free)


SUMMARY_RE = re.compile(
    r"built (?P<out>.+?): (?P<places>[\d,]+) places, (?P<keys>[\d,]+) name keys, "
    r"(?P<alts>[\d,]+) alternate names from (?P<rows>[\d,]+) (?:dump )?rows in (?P<secs>[\d.]+) s "
    r"\((?P<rps>[\d,]+) rows/s\), (?P<mb>[\d.]+) MB, (?P<warn>\d+) warnings")


def _num(s: str) -> int:
    return int(s.replace(",", ""))


def timed_build(binary: Path, sources: list[Path], output: Path, timeout: float) -> dict:
    """Runs one `gazetteer build` under /usr/bin/time; returns what it measured."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        output.unlink()
    time_file = output.parent / (output.name + ".time")
    cmd = [TIME_BIN, "-o", str(time_file), "-f", "%e %M %U %S %x",
           str(binary), "gazetteer", "build", *map(str, sources), "-o", str(output)]
    log("run: " + " ".join(cmd[5:]))
    err_path = output.parent / (output.name + ".stderr")
    res: dict = {"command": cmd[5:], "ok": False}
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = Sampler(proc.pid, output.parent)
        sampler.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            res["error"] = f"timed out after {timeout:.0f} s"
        outer = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    stderr = err_path.read_text(errors="replace")
    err_path.unlink()
    res["exit_code"] = rc
    res["outer_wall_s"] = outer
    res["stderr_tail"] = stderr.strip().splitlines()[-12:]
    try:
        fields = time_file.read_text().strip().splitlines()[-1].split()
        res["wall_s"] = float(fields[0])
        res["peak_rss_kib"] = int(fields[1])
        res["peak_rss_mib"] = int(fields[1]) / 1024.0
        res["user_s"] = float(fields[2])
        res["sys_s"] = float(fields[3])
    except (OSError, IndexError, ValueError) as e:
        res.setdefault("error", f"cannot read /usr/bin/time output: {e}")
    finally:
        if time_file.exists():
            time_file.unlink()
    m = SUMMARY_RE.search(stderr)
    if m:
        res["summary"] = {
            "places": _num(m["places"]), "name_keys": _num(m["keys"]),
            "alternate_names": _num(m["alts"]), "rows_all_sources": _num(m["rows"]),
            "internal_s": float(m["secs"]), "warnings": int(m["warn"]),
        }
    # RSS over time, at most ~200 points, and the peak disk the build took beside its output
    samples = sampler.samples
    step = max(1, len(samples) // 200)
    res["rss_samples"] = [(round(t, 2), kib) for t, kib in samples[::step]]
    res["peak_extra_disk_bytes"] = sampler.peak_disk_bytes()
    leftovers = [p.name for p in output.parent.iterdir()
                 if p.name.startswith(".geoevents-build-") or p.name.startswith(".geoevents-gazetteer-")]
    res["leftover_temp"] = leftovers
    if rc == 0 and output.exists():
        res["ok"] = True
        st = output.stat()
        res["output_bytes"] = st.st_size
        res["output_mode"] = oct(st.st_mode & 0o777)
    else:
        res.setdefault("error", f"exit status {rc}: " + " | ".join(res["stderr_tail"][-3:]))
    return res


def gazetteer_info(binary: Path, index: Path) -> dict:
    started = time.perf_counter()
    p = subprocess.run([str(binary), "gazetteer", "info", str(index), "--format", "json"],
                       capture_output=True, text=True)
    secs = time.perf_counter() - started
    if p.returncode != 0:
        return {"ok": False, "seconds": secs, "error": p.stderr.strip()[-500:]}
    info = json.loads(p.stdout)
    return {"ok": True, "seconds": secs, "info": info}


def main_dump_rows(info: dict) -> int:
    return sum(s.get("rows", 0) for s in info.get("sources", []) if s.get("kind") == "main_dump")


def time_process(cmd: list[str], runs: int, check=None) -> dict:
    """One warm-up, then `runs` timed runs of `cmd` as a whole process."""
    warm = subprocess.run(cmd, capture_output=True, text=True)
    out = {"command": cmd, "runs": runs, "ok": warm.returncode == 0,
           "warmup_exit_code": warm.returncode}
    if warm.returncode != 0:
        out["error"] = warm.stderr.strip()[-500:]
        return out
    if check is not None:
        problem = check(warm.stdout)
        if problem:
            out["check_failed"] = problem
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000.0)
        if p.returncode != 0:
            out["ok"] = False
            out["error"] = f"exit status {p.returncode} in a timed run"
    times.sort()
    out.update({
        "median_ms": statistics.median(times), "p95_ms": percentile(times, 95),
        "max_ms": times[-1], "min_ms": times[0], "mean_ms": statistics.fmean(times),
        "samples_ms": [round(x, 3) for x in times],
    })
    return out


def lookup_bench(binary: Path, index: Path, name: str, runs: int, expect_id=None) -> dict:
    def check(stdout: str):
        if "no match" in stdout:
            return f"`{name}`: no match"
        if expect_id is not None and f"[{expect_id}]" not in stdout:
            return f"`{name}`: geonameid {expect_id} not among the results"
        return None

    res = time_process([str(binary), "--gazetteer", str(index), "lookup", name], runs, check)
    res["name"] = name
    res["index"] = str(index)
    return res


# --------------------------------------------------------------------------------------------
# Synthetic inputs


def count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n


def ensure_input(rows: int, workdir: Path, seed: int) -> tuple[Path, dict]:
    """workdir/synth-ROWS/allCountries.txt, generated unless a file with ROWS rows is there."""
    d = workdir / f"synth-{rows}"
    d.mkdir(parents=True, exist_ok=True)
    path = d / "allCountries.txt"
    meta_path = d / "allCountries.synth.json"
    if path.exists():
        size = path.stat().st_size
        meta = None
        if meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text())
            except ValueError:
                meta = None
        if (meta and meta.get("rows") == rows and meta.get("bytes") == size
                and meta.get("seed") == seed
                and meta.get("generator_version") == synth_geonames.GENERATOR_VERSION):
            log(f"reusing {path} ({rows:,} rows, seed {seed})")
            return path, dict(meta, reused=True)
        log(f"{path} exists without matching metadata; counting its lines")
        n = count_lines(path)
        if n == rows:
            log(f"reusing {path} ({rows:,} rows, unknown seed)")
            return path, {"rows": rows, "bytes": size, "avg_line_bytes": size / rows,
                          "reused": True, "seed": None}
        log(f"{path} has {n:,} rows, not {rows:,}: regenerating")
    log(f"generating {rows:,} rows into {path}")
    facts = synth_geonames.generate(rows, str(path), seed)
    facts["reused"] = False
    meta_path.write_text(json.dumps(facts, indent=1))
    log(f"generated {facts['bytes'] / 1e6:,.0f} MB in {facts['seconds']:.1f} s "
        f"({facts['rows_per_second']:,.0f} rows/s, {facts['workers']} workers)")
    return path, facts


def frequent_name(path: Path, lines: int = 100_000) -> tuple[str, int]:
    """The most frequent primary name among the first `lines` rows, and how often it occurs."""
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= lines:
                break
            name = line.split("\t", 2)[1]
            counts[name] = counts.get(name, 0) + 1
    name = max(counts, key=counts.get)
    return name, counts[name]


def count_candidates(binary: Path, index: Path, name: str):
    """How many places a lookup of `name` finds (all of them, no limit)."""
    p = subprocess.run([str(binary), "--gazetteer", str(index), "lookup", name,
                        "--format", "jsonl", "--limit", "100000000"], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return len(json.loads(p.stdout.splitlines()[0])["results"])


def first_name(path: Path) -> str:
    with open(path, encoding="utf-8") as f:
        return f.readline().split("\t", 2)[1]


def linear_fit(xs: list[float], ys: list[float]):
    """Least squares y = a + b x; None with fewer than two distinct x."""
    if len(set(xs)) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


# --------------------------------------------------------------------------------------------
# Report


def machine_facts(binary: Path) -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass

    def git(*args):
        p = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return p.stdout.strip() if p.returncode == 0 else None

    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "host_cpu": cpu, "cpus": os.cpu_count(), "mem_gib": round(mem, 1) if mem else None,
        "kernel": platform.release(), "python": platform.python_version(),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty_files": [line.split(None, 1)[1] for line in
                            (git("status", "--porcelain", "--untracked-files=no") or "").splitlines()
                            if line.strip()],
        "binary": str(binary), "binary_version": version.stdout.strip(),
        "binary_bytes": binary.stat().st_size if binary.exists() else None,
    }


def render(results: dict) -> str:
    L: list[str] = []
    m = results["machine"]
    L.append("# geoevents gazetteer build benchmark\n")
    L.append(f"{m['date_utc']} UTC · {m['binary_version']} (commit {m['git_commit']}"
             f"{' + uncommitted changes to ' + ', '.join(m['git_dirty_files']) if m['git_dirty_files'] else ''}"
             f") · {m['host_cpu']}, {m['cpus']} CPUs, "
             f"{m['mem_gib']} GiB · Linux {m['kernel']} · Python {m['python']}\n")
    L.append("Whole-process figures: wall time and peak RSS from `/usr/bin/time -f \"%e %M\"`; "
             "RSS in MiB (KiB/1024), file sizes in MB (10^6 B). Caches are warm.\n")

    real = results.get("real")
    L.append("## 1. Real data build\n")
    if not real:
        L.append(f"**SKIPPED: shared data missing ({SHARED}).**\n")
    else:
        b = real["build"]
        L.append("Sources: " + ", ".join(f"`{s}`" for s in REAL_SOURCES) + ".\n")
        L.append("| rows read (main dumps) | rows, all sources | wall s | rows/s | peak RSS MiB "
                 "| user+sys s | index MB | places | name keys | alt names | warnings |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        if b.get("ok"):
            s = b.get("summary", {})
            L.append(f"| {fmt_int(real.get('rows_main'))} | {fmt_int(real.get('rows_all'))} "
                     f"| {b['wall_s']:.2f} | {fmt_int(real.get('rows_per_s'))} "
                     f"| {b['peak_rss_mib']:.0f} | {b['user_s'] + b['sys_s']:.2f} "
                     f"| {b['output_bytes'] / 1e6:.1f} | {fmt_int(s.get('places'))} "
                     f"| {fmt_int(s.get('name_keys'))} | {fmt_int(s.get('alternate_names'))} "
                     f"| {fmt_int(s.get('warnings'))} |")
        else:
            L.append(f"| FAILED: {b.get('error')} |||||||||||")
        if real.get("note"):
            L.append(f"\nNote: {real['note']}.")
        if real.get("per_source"):
            L.append("\nPer source (from `gazetteer info --format json`): " + "; ".join(
                f"{Path(s['file']).name} {s['rows']:,} rows / {s['kept']:,} kept / "
                f"{s['rejected']:,} rejected" for s in real["per_source"]) + ".")
        L.append("")

    L.append("## 2. Open + first lookup (whole process)\n")
    lk = results.get("lookups", [])
    if not lk:
        L.append("**SKIPPED.**\n")
    else:
        floor = results.get("version_floor") or {}
        fmed = floor.get("median_ms")
        L.append(f"One warm-up run, then the timed runs; wall ms by `time.perf_counter()` around "
                 f"`subprocess.run`. Target: median ≤ {TARGET_LOOKUP_MS:.0f} ms.\n")
        L.append("| index | command | runs | median ms | p95 ms | max ms | min ms "
                 "| median − floor ms | target |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
        if floor:
            L.append(f"| – | `geoevents --version` (floor) | {floor['runs']} "
                     f"| {floor['median_ms']:.2f} | {floor['p95_ms']:.2f} | {floor['max_ms']:.2f} "
                     f"| {floor['min_ms']:.2f} | – | – |")
        for r in lk:
            if "median_ms" not in r:
                L.append(f"| {r['label']} | `lookup {r['name']}` | FAILED: {r.get('error')} ||||||| FAIL |")
                continue
            ok = r["ok"] and not r.get("check_failed") and r["median_ms"] <= TARGET_LOOKUP_MS
            note = f" ({r['check_failed']})" if r.get("check_failed") else ""
            L.append(f"| {r['label']} | `lookup {r['name']}`{note} | {r['runs']} "
                     f"| {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['max_ms']:.2f} "
                     f"| {r['min_ms']:.2f} | {fmt_f(r['median_ms'] - fmed if fmed else None, 2)} "
                     f"| {verdict(ok)} |")
        L.append("")

    L.append("## 3. Synthetic scaling (allCountries.txt-like, default build options)\n")
    syn = results.get("synthetic", [])
    if not syn:
        L.append("**Not run.**\n")
    else:
        L.append("| rows | input MB | generated in s | wall s | rows/s | s per M rows "
                 "| marginal s per M rows | peak RSS MiB | user+sys s | extra disk GB "
                 "| index MB | name keys | alt names | warnings | 13M targets |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        prev = None
        for r in syn:
            gen = r["input"]
            gen_s = "reused" if gen.get("reused") else f"{gen['seconds']:.1f}"
            b = r["build"]
            if not b.get("ok"):
                L.append(f"| {r['rows']:,} | {gen['bytes'] / 1e6:,.0f} | {gen_s} "
                         f"| FAILED: {b.get('error')} ||||||||||||")
                continue
            s = b.get("summary", {})
            marginal = "–"
            if prev is not None:
                marginal = f"{(b['wall_s'] - prev[1]) / ((r['rows'] - prev[0]) / 1e6):.2f}"
            prev = (r["rows"], b["wall_s"])
            tgt = "–"
            if r["rows"] == FULL_ROWS:
                tgt = (f"time {verdict(b['wall_s'] <= TARGET_FULL_SECS)}, "
                       f"RSS {verdict(b['peak_rss_mib'] <= TARGET_FULL_RSS_MIB)}")
            disk = b.get("peak_extra_disk_bytes")
            L.append(f"| {r['rows']:,} | {gen['bytes'] / 1e6:,.0f} | {gen_s} | {b['wall_s']:.1f} "
                     f"| {r['rows'] / b['wall_s']:,.0f} | {b['wall_s'] / (r['rows'] / 1e6):.2f} "
                     f"| {marginal} | {b['peak_rss_mib']:,.0f} "
                     f"| {b['user_s'] + b['sys_s']:.1f} | {fmt_f(disk / 1e9 if disk else None, 2)} "
                     f"| {b['output_bytes'] / 1e6:,.0f} | {fmt_int(s.get('name_keys'))} "
                     f"| {fmt_int(s.get('alternate_names'))} | {fmt_int(s.get('warnings'))} "
                     f"| {tgt} |")
        L.append("")
        L.append("*s per M rows* = wall / rows; *marginal* = Δwall / Δrows between consecutive "
                 "sizes (fixed costs cancel: a constant marginal cost is linear growth). "
                 "*extra disk* = largest drop of free space on the work file system during the "
                 "build (spill files + output).\n")
        ex = results.get("extrapolation")
        if ex:
            L.append(f"**Linear fit over {', '.join(f'{x:,}' for x in ex['fit_sizes'])} rows:** "
                     f"wall ≈ {ex['wall_a']:.2f} s + {ex['wall_b_per_m']:.2f} s per M rows; "
                     f"peak RSS ≈ {ex['rss_a']:.0f} MiB + {ex['rss_b_per_m']:.1f} MiB per M rows "
                     f"(pessimistic for RSS: once the two sorts reach their {SORT_BUDGET_MIB} MiB "
                     f"budgets they spill to disk, so RSS should level off).\n")
            L.append("| 13,000,000 rows | wall s | peak RSS MiB | wall target ≤ 180 s "
                     "| RSS target ≤ 2048 MiB |")
            L.append("|---|---:|---:|---|---|")
            L.append(f"| extrapolated (fit) | {ex['wall_13m']:.1f} | {ex['rss_13m']:,.0f} "
                     f"| {verdict(ex['wall_13m'] <= TARGET_FULL_SECS)} "
                     f"| {verdict(ex['rss_13m'] <= TARGET_FULL_RSS_MIB)} |")
            if ex.get("measured_wall_13m") is not None:
                L.append(f"| measured | {ex['measured_wall_13m']:.1f} "
                         f"| {ex['measured_rss_13m']:,.0f} "
                         f"| {verdict(ex['measured_wall_13m'] <= TARGET_FULL_SECS)} "
                         f"| {verdict(ex['measured_rss_13m'] <= TARGET_FULL_RSS_MIB)} |")
            L.append("")
        big = results.get("largest_build_rss")
        if big:
            L.append(f"RSS of the {big['rows']:,}-row build over its run (MiB at each tenth of "
                     f"the wall time): " + " · ".join(f"{p}% {fmt_f(v, 0)}" for p, v in big["points"])
                     + "\n")
        slk = results.get("synthetic_lookups", [])
        if slk:
            L.append("Open + first lookup on the synthetic indexes (same method as section 2):\n")
            L.append("| rows | name (places it matches) | median ms | p95 ms "
                     "| max ms | target |")
            L.append("|---:|---|---:|---:|---:|---|")
            for r in slk:
                if "median_ms" not in r:
                    L.append(f"| {r['rows']:,} | `{r['name']}` | FAILED: {r.get('error')} ||| FAIL |")
                    continue
                ok = r["ok"] and not r.get("check_failed") and r["median_ms"] <= TARGET_LOOKUP_MS
                L.append(f"| {r['rows']:,} | `{r['name']}` ({r['note']}) | {r['median_ms']:.2f} "
                         f"| {r['p95_ms']:.2f} | {r['max_ms']:.2f} | {verdict(ok)} |")
            L.append("")

    L.append("## 4. Targets\n")
    L.append("| target | figure | value | result |")
    L.append("|---|---|---:|---|")
    for t in results.get("targets", []):
        L.append(f"| {t['target']} | {t['figure']} | {t['value']} | {t['result']} |")
    L.append("")
    probs = results.get("problems", [])
    if probs:
        L.append("## Problems seen\n")
        for p in probs:
            L.append(f"- {p}")
        L.append("")
    return "\n".join(L)


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,2500000,5000000",
                    help="synthetic row counts, comma-separated (1M, 2.5M and 500k also work)")
    ap.add_argument("--with-13m", action="store_true",
                    help=f"also build {FULL_ROWS:,} synthetic rows (about the size of allCountries)")
    ap.add_argument("--runs", type=int, default=1,
                    help="builds per data set; the median wall time and the largest RSS are reported")
    ap.add_argument("--lookup-runs", type=int, default=30,
                    help="timed runs per lookup, after one warm-up (at least 30)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/geoevents-bench"),
                    help="where inputs and indexes go (outside the repository)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the synthetic data")
    ap.add_argument("--allow-missing-shared", action="store_true",
                    help="exit 0 when ../shared/data/geonames is missing (that part is skipped)")
    ap.add_argument("--keep", action="store_true",
                    help="keep generated inputs and built indexes in the work directory")
    ap.add_argument("--no-build", action="store_true", help="skip `cargo build --release`")
    ap.add_argument("--build-timeout", type=float, default=3600.0,
                    help="seconds before a gazetteer build is killed")
    ap.add_argument("--no-save", action="store_true",
                    help="do not write bench-results/gazetteer_build.{md,json}")
    args = ap.parse_args(argv)

    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as e:
        ap.error(f"--sizes: {e}")
    if args.with_13m and FULL_ROWS not in sizes:
        sizes.append(FULL_ROWS)
    sizes = sorted(set(sizes))
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    args.lookup_runs = max(30, args.lookup_runs)
    workdir = args.workdir.resolve()
    if workdir == REPO or REPO in workdir.parents:
        ap.error(f"--workdir {workdir} is inside the repository; use a directory outside it")
    if not Path(TIME_BIN).exists():
        print(f"gazetteer_build.py: {TIME_BIN} is missing (apt-get install time)", file=sys.stderr)
        return 2

    failed = False
    problems: list[str] = []
    results: dict = {"options": {"sizes": sizes, "runs": args.runs,
                                 "lookup_runs": args.lookup_runs, "workdir": str(workdir),
                                 "seed": args.seed, "with_13m": args.with_13m}}

    # 0. build the binary
    if not args.no_build:
        log("cargo build --release")
        p = subprocess.run(["cargo", "build", "--release"], cwd=REPO)
        if p.returncode != 0:
            print("gazetteer_build.py: cargo build --release failed", file=sys.stderr)
            return 1
    built = REPO / "target" / "release" / "geoevents"
    if not built.exists():
        print(f"gazetteer_build.py: {built} is missing; run cargo build --release",
              file=sys.stderr)
        return 1
    # Benchmark a private copy, so that a rebuild in the repository during the run cannot swap
    # the binary under the measurements.
    workdir.mkdir(parents=True, exist_ok=True)
    binary = workdir / "geoevents"
    shutil.copy2(built, binary)
    results["machine"] = machine_facts(binary)
    results["machine"]["binary_copied_from"] = str(built)
    results["machine"]["binary_sha256"] = hashlib.sha256(binary.read_bytes()).hexdigest()
    to_delete: list[Path] = []

    def build_n(sources, output) -> dict:
        """--runs builds; the run with the median wall time, with the largest peak RSS of all."""
        runs = [timed_build(binary, sources, output, args.build_timeout) for _ in range(args.runs)]
        ok = [r for r in runs if r.get("ok")]
        if not ok:
            return runs[-1] | {"all_runs": runs}
        ok.sort(key=lambda r: r["wall_s"])
        chosen = dict(ok[(len(ok) - 1) // 2])
        chosen["peak_rss_kib"] = max(r["peak_rss_kib"] for r in ok)
        chosen["peak_rss_mib"] = chosen["peak_rss_kib"] / 1024.0
        chosen["all_runs"] = [{k: v for k, v in r.items() if k != "rss_samples"} for r in runs]
        if len(ok) < len(runs):
            chosen["ok_runs"] = len(ok)
        return chosen

    def note_build_problems(label: str, b: dict, expect_places=None):
        nonlocal failed
        if not b.get("ok"):
            failed = True
            problems.append(f"{label}: build failed: {b.get('error')}")
            return
        if b.get("leftover_temp"):
            problems.append(f"{label}: temporary files left beside the output: {b['leftover_temp']}")
        s = b.get("summary")
        if s is None:
            problems.append(f"{label}: the one-line build summary on stderr was not found")
        elif expect_places is not None and s["places"] != expect_places:
            problems.append(f"{label}: {s['places']:,} places from {expect_places:,} clean rows")
        if expect_places is not None and s and s["warnings"]:
            problems.append(f"{label}: {s['warnings']:,} warnings on clean synthetic rows")
        if b.get("output_mode") not in (None, "0o644", "0o664", "0o666"):
            msg = (f"index files are created with mode {b['output_mode']} (the temporary file's "
                   f"mode survives the rename), so other users cannot read them")
            if msg not in problems:
                problems.append(msg)

    # 1. real data
    shared_ok = all((SHARED / s).is_file() for s in REAL_SOURCES)
    real_index = workdir / "real" / "geonames-ua-cities15000.gaz"
    if not shared_ok:
        missing = [s for s in REAL_SOURCES if not (SHARED / s).is_file()]
        loud(f"SHARED DATA MISSING: {SHARED} (missing: {', '.join(missing)}). The real-data build "
             f"and real-data lookups are SKIPPED" + ("." if args.allow_missing_shared else
                                                      "; exit status will be 2 "
                                                      "(use --allow-missing-shared to accept)."))
        results["real"] = None
        problems.append(f"shared data missing at {SHARED}: real-data steps skipped")
    else:
        log("== 1. real data build")
        b = build_n([SHARED / s for s in REAL_SOURCES], real_index)
        to_delete.append(real_index)
        real = {"build": b}
        note_build_problems("real data", b)
        if b.get("ok"):
            info = gazetteer_info(binary, real_index)
            if info["ok"]:
                srcs = info["info"]["sources"]
                real["per_source"] = srcs
                real["rows_main"] = main_dump_rows(info["info"])
                real["rows_all"] = sum(s["rows"] for s in srcs)
                real["info_s"] = info["seconds"]
                s = b.get("summary")
                if s and s["rows_all_sources"] != real["rows_main"]:
                    real["note"] = ("the binary's summary line counts rows of all sources "
                                    f"({s['rows_all_sources']:,}), code tables included; rows/s "
                                    "here uses main-dump rows only")
            else:
                failed = True
                problems.append(f"real data: gazetteer info failed: {info.get('error')}")
                real["rows_main"] = 45_086 + 32_847
            real["rows_per_s"] = real["rows_main"] / b["wall_s"] if b["wall_s"] > 0 else None
        results["real"] = real

    # 2. open + first lookup
    log("== 2. open + first lookup")
    results["version_floor"] = time_process([str(binary), "--version"], args.lookup_runs)
    lookups = []
    if shared_ok and results["real"]["build"].get("ok"):
        for name in LOOKUP_NAMES:
            r = lookup_bench(binary, real_index, name, args.lookup_runs, EXPECTED_IDS.get(name))
            r["label"] = "real (UA + cities15000)"
            lookups.append(r)
            if not r["ok"]:
                failed = True
                problems.append(f"lookup {name} on the real index failed: {r.get('error')}")
            if r.get("check_failed"):
                problems.append(f"lookup on the real index: {r['check_failed']}")
            log(f"lookup {name}: median {r.get('median_ms', float('nan')):.2f} ms")
    results["lookups"] = lookups

    # 3. synthetic scaling
    synthetic = []
    synthetic_lookups = []
    for rows in sizes:
        log(f"== 3. synthetic {rows:,} rows")
        path, facts = ensure_input(rows, workdir, args.seed)
        to_delete += [path, path.parent / "allCountries.synth.json"]
        index = path.parent / "allCountries.gaz"
        to_delete.append(index)
        b = build_n([path], index)
        synthetic.append({"rows": rows, "input": facts, "build": b})
        note_build_problems(f"synthetic {rows:,}", b, expect_places=rows)
        if b.get("ok"):
            log(f"built {rows:,} rows in {b['wall_s']:.1f} s, peak RSS {b['peak_rss_mib']:,.0f} MiB")
            common, count = frequent_name(path)
            for name in (common, first_name(path)):
                r = lookup_bench(binary, index, name, args.lookup_runs)
                postings = count_candidates(binary, index, name)
                r.update(rows=rows, postings=postings,
                         note=("?" if postings is None else
                               f"{postings:,} place{'' if postings == 1 else 's'}"))
                synthetic_lookups.append(r)
                if not r["ok"] or r.get("check_failed"):
                    failed = failed or not r["ok"]
                    problems.append(f"lookup `{name}` on the synthetic {rows:,} index: "
                                    f"{r.get('error') or r.get('check_failed')}")
        else:
            failed = True
    results["synthetic"] = synthetic
    results["synthetic_lookups"] = synthetic_lookups

    ok_syn = [r for r in synthetic if r["build"].get("ok")]
    fit_rows = [r for r in ok_syn if r["rows"] != FULL_ROWS]
    if len(fit_rows) >= 2:
        xs = [r["rows"] / 1e6 for r in fit_rows]
        wall = linear_fit(xs, [r["build"]["wall_s"] for r in fit_rows])
        rss = linear_fit(xs, [r["build"]["peak_rss_mib"] for r in fit_rows])
        ex = {"fit_sizes": [r["rows"] for r in fit_rows],
              "wall_a": wall[0], "wall_b_per_m": wall[1], "wall_13m": wall[0] + wall[1] * 13,
              "rss_a": rss[0], "rss_b_per_m": rss[1], "rss_13m": rss[0] + rss[1] * 13}
        full = [r for r in ok_syn if r["rows"] == FULL_ROWS]
        if full:
            ex["measured_wall_13m"] = full[0]["build"]["wall_s"]
            ex["measured_rss_13m"] = full[0]["build"]["peak_rss_mib"]
        results["extrapolation"] = ex
    if ok_syn:
        big = ok_syn[-1]
        samples = big["build"].get("rss_samples") or []
        wall = big["build"]["wall_s"]
        if samples and wall > 0:
            pts = []
            for pct in range(10, 101, 10):
                upto = [kib for t, kib in samples if t <= wall * pct / 100.0]
                pts.append((pct, max(upto) / 1024.0 if upto else None))
            results["largest_build_rss"] = {"rows": big["rows"], "points": pts}
        # Memory should be bounded by the two external sorts (256 MiB each by default) plus
        # buffers: flag a build above that bound with slack, or RSS still growing steeply between
        # the two largest sizes once the sorts must have spilled.
        bound = SORT_BUDGET_MIB * 2 * 1.25 + 160
        for r in ok_syn:
            if r["build"]["peak_rss_mib"] > bound:
                problems.append(
                    f"peak RSS {r['build']['peak_rss_mib']:,.0f} MiB at {r['rows']:,} rows exceeds "
                    f"~{bound:,.0f} MiB, the bound the two {SORT_BUDGET_MIB} MiB sort budgets imply")
        if len(ok_syn) >= 2:
            lo, hi = ok_syn[-2], ok_syn[-1]
            r_lo, r_hi = lo["build"]["peak_rss_mib"], hi["build"]["peak_rss_mib"]
            growth = (r_hi - r_lo) / ((hi["rows"] - lo["rows"]) / 1e6)
            results["rss_growth_mib_per_m_largest"] = growth
            if r_hi > 2 * SORT_BUDGET_MIB and growth > 20:
                problems.append(
                    f"peak RSS still grows past the sort budgets: {r_lo:,.0f} MiB at "
                    f"{lo['rows']:,} rows, {r_hi:,.0f} MiB at {hi['rows']:,} rows "
                    f"({growth:.0f} MiB per M rows)")

    slow = [r for r in synthetic_lookups
            if "median_ms" in r and r["median_ms"] > TARGET_LOOKUP_MS]
    if slow:
        series = ", ".join(f"{r['median_ms']:.1f} ms for {r['note']} at {r['rows']:,} rows"
                           for r in synthetic_lookups
                           if "median_ms" in r and r["name"] == slow[0]["name"])
        problems.append(
            f"open + first lookup exceeds {TARGET_LOOKUP_MS:.0f} ms for a frequent name: the time "
            f"grows with the number of places the name matches ({series})")

    # targets
    targets = []
    full = [r for r in ok_syn if r["rows"] == FULL_ROWS]
    ex = results.get("extrapolation")
    if full:
        b = full[0]["build"]
        targets.append({"target": f"13M rows build ≤ {TARGET_FULL_SECS:.0f} s",
                        "figure": "measured wall", "value": f"{b['wall_s']:.1f} s",
                        "result": verdict(b["wall_s"] <= TARGET_FULL_SECS)})
        targets.append({"target": f"13M rows build ≤ {TARGET_FULL_RSS_MIB:.0f} MiB peak",
                        "figure": "measured peak RSS", "value": f"{b['peak_rss_mib']:,.0f} MiB",
                        "result": verdict(b["peak_rss_mib"] <= TARGET_FULL_RSS_MIB)})
    elif ex:
        targets.append({"target": f"13M rows build ≤ {TARGET_FULL_SECS:.0f} s",
                        "figure": "extrapolated wall (not measured)",
                        "value": f"{ex['wall_13m']:.1f} s",
                        "result": verdict(ex["wall_13m"] <= TARGET_FULL_SECS) + " (extrapolated)"})
        targets.append({"target": f"13M rows build ≤ {TARGET_FULL_RSS_MIB:.0f} MiB peak",
                        "figure": "extrapolated peak RSS (not measured)",
                        "value": f"{ex['rss_13m']:,.0f} MiB",
                        "result": verdict(ex["rss_13m"] <= TARGET_FULL_RSS_MIB) + " (extrapolated)"})
    else:
        targets.append({"target": "13M rows build", "figure": "–", "value": "–",
                        "result": "not measured"})
    for r in lookups:
        if "median_ms" in r:
            targets.append({"target": f"open + first lookup median ≤ {TARGET_LOOKUP_MS:.0f} ms",
                            "figure": f"real index, `lookup {r['name']}`",
                            "value": f"{r['median_ms']:.2f} ms",
                            "result": verdict(r["ok"] and not r.get("check_failed")
                                              and r["median_ms"] <= TARGET_LOOKUP_MS)})
    for r in synthetic_lookups:
        if r["rows"] == max(sizes) and "median_ms" in r:
            targets.append({"target": f"open + first lookup median ≤ {TARGET_LOOKUP_MS:.0f} ms",
                            "figure": f"synthetic {r['rows']:,} index, `lookup {r['name']}` ({r['note']})",
                            "value": f"{r['median_ms']:.2f} ms",
                            "result": verdict(r["ok"] and r["median_ms"] <= TARGET_LOOKUP_MS)})
    results["targets"] = targets
    results["problems"] = problems

    # 4. report
    md = render(results)
    print(md)
    if not args.no_save:
        RESULTS_DIR.mkdir(exist_ok=True)
        (RESULTS_DIR / "gazetteer_build.md").write_text(md + "\n")
        (RESULTS_DIR / "gazetteer_build.json").write_text(json.dumps(results, indent=1) + "\n")
        log(f"saved {RESULTS_DIR / 'gazetteer_build.md'} and .json")

    if not args.keep:
        for p in to_delete:
            if p.exists():
                p.unlink()
        for d in [workdir / "real", *(workdir / f"synth-{n}" for n in sizes)]:
            try:
                d.rmdir()
            except OSError:
                pass
        if binary.exists():
            binary.unlink()
        log(f"deleted generated inputs and indexes under {workdir} (--keep keeps them)")

    if not shared_ok and not args.allow_missing_shared:
        loud(f"SHARED DATA MISSING at {SHARED}: real-data steps were skipped (exit status 2)")
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
