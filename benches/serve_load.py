#!/usr/bin/env python3
"""Load bench of `geoevents serve`, beside `geoevents map` on the command line (not run in CI).

    python3 benches/serve_load.py [--secs 20] [--soak-secs 600] [--binary PATH] [--threads 2]

Needs wrk (Debian: `apt-get install wrk`) and a release build (`cargo build --release`; the bench
never builds it). In one run:

  * starts `BINARY serve --addr 127.0.0.1:0 --threads N` and waits for it to listen;
  * `/lookup`: GET `?q=NAME` cycling over the names of benches/data/lookup_variants.tsv, with wrk
    at 1, 8 and 64 concurrent connections (keep-alive) for --secs each: requests per second,
    p50 and p99 latency, non-2xx answers and socket errors;
  * `/map`: POST of the shared example report (`../shared/examples/ukraine-report-2023-02-14.txt`,
    text/plain, `?date=2023-02-14`) at the same concurrency: documents per second;
  * the CLI on the same documents: `BINARY map --threads N --format geojsonseq -o -` (to /dev/null) on a
    JSON Lines file of --copies copies of the report (one process; gazetteer loading included),
    documents per second, best of three;
  * the server's peak resident memory (VmHWM) after the levels above;
  * a soak: --soak-secs of 64 connections, half /lookup and half /map, the server's resident memory
    (VmRSS) sampled every 10 s; memory is flat when the last samples are no higher than the ones
    after the first minute (within 5 %).

Targets (issue 22): /lookup p99 under 5 ms at 64 clients, /map at least 80 % of the CLI's
throughput, zero errors, memory flat over a 10-minute soak. Both wrk and the server share this
machine's cores, so the server's figures are a floor.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REPORT = os.path.join(ROOT, "..", "shared", "examples", "ukraine-report-2023-02-14.txt")
NAMES = os.path.join(HERE, "data", "lookup_variants.tsv")


def fail(message):
    print(f"serve_load: {message}", file=sys.stderr)
    sys.exit(2)


def start_server(binary, threads):
    proc = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0", "--threads", str(threads)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    m = re.search(r"http://([0-9.]+:[0-9]+)/", line)
    if not m:
        proc.kill()
        fail(f"the server did not start: {line!r}")
    return proc, f"http://{m.group(1)}"


def memory_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


LUA_LOOKUP = """
local names = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/lookup?q=" .. names[(i %% #names) + 1])
end
"""

LUA_MAP = """
local f = io.open("%s", "rb")
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "text/plain"
request = function()
  return wrk.format(nil, "/map?date=2023-02-14")
end
"""

LUA_MIXED = """
local names = {%s}
local f = io.open("%s", "rb")
local body = f:read("*a")
f:close()
local i = 0
request = function()
  i = i + 1
  if i %% 2 == 0 then
    return wrk.format("GET", "/lookup?q=" .. names[(i %% #names) + 1])
  end
  return wrk.format("POST", "/map?date=2023-02-14", {["Content-Type"] = "text/plain"}, body)
end
"""

# Errors wrk counts, with done() printing them as JSON for this script.
LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %d, \\"secs\\": %f, \\"p50_ms\\": %f, \\"p99_ms\\": %f, " ..
    "\\"non2xx\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


# wrk keeps to the last core, so it never preempts the server at random elsewhere.
PIN_WRK = ["taskset", "-c", str(os.cpu_count() - 1)] if shutil.which("taskset") else []


def run_wrk(base, script, clients, secs):
    # One wrk thread: the load generator shares the two cores with the server.
    threads = 1
    out = subprocess.run(
        PIN_WRK + ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{secs}s", "--timeout", "30s",
         "-s", script, base],
        capture_output=True, text=True, check=True,
    ).stdout
    m = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if not m:
        fail(f"no result from wrk:\n{out}")
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / r["secs"]
    return r


def names():
    found = []
    with open(NAMES, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            q = line.split("\t")[0]
            if q.isascii() and q.replace(" ", "").replace("-", "").replace("'", "").isalnum():
                found.append(q.replace(" ", "%20").replace("'", "%27"))
    return found


def cli_docs_per_sec(binary, threads, copies, tmp):
    text = open(REPORT, encoding="utf-8").read()
    path = os.path.join(tmp, "copies.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for i in range(copies):
            f.write(json.dumps({"id": f"r{i}", "text": text, "date": "2023-02-14"}) + "\n")
    best = None
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [binary, "map", "--threads", str(threads), "--format", "geojsonseq", "-o", "-",
             "--no-progress", path],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return copies / best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "geoevents"))
    ap.add_argument("--secs", type=int, default=20, help="seconds per level")
    ap.add_argument("--soak-secs", type=int, default=600, help="0 skips the soak")
    ap.add_argument("--threads", type=int, default=2, help="the server's and the CLI's workers")
    ap.add_argument("--copies", type=int, default=3000, help="documents of the CLI's run")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is missing: apt-get install wrk")
    if not os.path.exists(args.binary):
        fail(f"{args.binary} is missing: cargo build --release")
    if not os.path.exists(REPORT):
        fail(f"{REPORT} is missing: the bench needs ../shared beside the repository")
    tmp = tempfile.mkdtemp(prefix="serve-load-")
    listed = ",".join(json.dumps(n) for n in names())
    scripts = {
        "lookup": LUA_LOOKUP % listed,
        "map": LUA_MAP % os.path.abspath(REPORT),
        "mixed": LUA_MIXED % (listed, os.path.abspath(REPORT)),
    }
    for k, v in scripts.items():
        with open(os.path.join(tmp, k + ".lua"), "w") as f:
            f.write(v + LUA_DONE)
    server, base = start_server(args.binary, args.threads)
    try:
        # Warm up: the first requests page the gazetteer in.
        run_wrk(base, os.path.join(tmp, "lookup.lua"), 4, 2)
        run_wrk(base, os.path.join(tmp, "map.lua"), 4, 2)
        rows = []
        for endpoint in ["lookup", "map"]:
            for clients in [1, 8, 64]:
                r = run_wrk(base, os.path.join(tmp, endpoint + ".lua"), clients, args.secs)
                rows.append((endpoint, clients, r))
                print(f"/{endpoint:6} {clients:3} clients: {r['rps']:9.1f} req/s  p50 "
                      f"{r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms  non-2xx {r['non2xx']}  "
                      f"socket errors {r['socket_errors']}", flush=True)
        peak_mb = memory_kb(server.pid, "VmHWM") / 1024
        print(f"server peak RSS after the levels: {peak_mb:.0f} MB", flush=True)
        cli = cli_docs_per_sec(args.binary, args.threads, args.copies, tmp)
        best_map = max(r["rps"] for e, _, r in rows if e == "map")
        print(f"CLI `map --threads {args.threads}` on {args.copies} copies: {cli:.1f} documents/s; "
              f"/map best {best_map:.1f} documents/s = {100 * best_map / cli:.0f} % of the CLI",
              flush=True)
        lookup64 = next(r for e, c, r in rows if e == "lookup" and c == 64)
        errors = sum(r["non2xx"] + r["socket_errors"] for _, _, r in rows)
        soak = None
        if args.soak_secs > 0:
            samples = []
            wrk = subprocess.Popen(
                PIN_WRK + ["wrk", "-t", "2", "-c", "64", "-d", f"{args.soak_secs}s", "--timeout", "30s",
                 "-s", os.path.join(tmp, "mixed.lua"), base],
                stdout=subprocess.PIPE, text=True,
            )
            started = time.time()
            while wrk.poll() is None:
                samples.append((time.time() - started, memory_kb(server.pid, "VmRSS") / 1024))
                time.sleep(10)
            out = wrk.stdout.read()
            m = re.search(r"^RESULT (\{.*\})$", out, re.M)
            r = json.loads(m.group(1)) if m else {"requests": 0, "non2xx": -1, "socket_errors": -1,
                                                  "secs": 1}
            settled = [mb for t, mb in samples if t >= 60] or [mb for _, mb in samples]
            early = max(settled[: max(1, len(settled) // 4)])
            late = max(settled[-max(1, len(settled) // 4):])
            soak = {"secs": args.soak_secs, "requests": r["requests"], "errors":
                    r["non2xx"] + r["socket_errors"], "rss_first_mb": samples[0][1],
                    "rss_after_1min_mb": early, "rss_last_mb": late,
                    "rss_peak_mb": max(mb for _, mb in samples)}
            errors += soak["errors"]
            print(f"soak {args.soak_secs} s (64 clients, half /lookup, half /map): "
                  f"{r['requests']} requests, errors {soak['errors']}; RSS MB "
                  + " ".join(f"{mb:.0f}" for _, mb in samples), flush=True)
        print()
        print("| measure | figure | target |")
        print("|---|---|---|")
        print(f"| /lookup p99 at 64 clients | {lookup64['p99_ms']:.2f} ms | < 5 ms |")
        print(f"| /map vs CLI (documents/s) | {best_map:.1f} vs {cli:.1f} = "
              f"{100 * best_map / cli:.0f} % | >= 80 % |")
        print(f"| errors (non-2xx, socket) | {errors} | 0 |")
        if soak:
            flat = soak["rss_last_mb"] <= soak["rss_after_1min_mb"] * 1.05
            print(f"| RSS over the soak | {soak['rss_first_mb']:.0f} MB at start, "
                  f"{soak['rss_after_1min_mb']:.0f} after 1 min, {soak['rss_last_mb']:.0f} at the "
                  f"end, peak {soak['rss_peak_mb']:.0f} ({'flat' if flat else 'GROWING'}) | flat |")
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
