"""Load benchmark of the web app: `kg serve` on each store, `wrk` as the load
generator in a second process, both on 127.0.0.1.

    python bench/web_load.py [--stores rdflib,oxigraph] [--duration 10] [--quick]

For each store the script starts `kg serve --store NAME` on a free loopback
port (the request budget off: this measures throughput, not the per-client
limit), waits until /sparql answers, sends one warm-up request per target,
then runs wrk (2 threads, 8 connections) for a bounded time against the home
page, a claim page, the claim's /id/ IRI as Turtle and /sparql with
competency question 1. Writes bench/results/web.json and prints a table of
requests/s and 95th-percentile latency. Needs Debian's `wrk` (apt-get install wrk).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from servers import kg_serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "web.json"
SCRIPT = ROOT / "bench" / "wrk_report.lua"
CLAIM = "b5-therapist-relationship-completion-criminal-justice"


def targets() -> dict[str, tuple[str, str]]:
    """name -> (path and query string, Accept header)."""
    cq01 = (ROOT / "queries" / "cq01-claims-on-central-rule.rq").read_text(encoding="utf-8")
    return {
        "home": ("/", "text/html"),
        "claim page": (f"/claim/{CLAIM}", "text/html"),
        "/id/ as Turtle": (f"/id/claim/{CLAIM}", "text/turtle"),
        "/sparql cq01": ("/sparql?" + urlencode({"query": cq01}), "application/sparql-results+json"),
    }


def warm_up(base: str, path: str, accept: str) -> int:
    request = urllib.request.Request(base + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as r:
        r.read()
        return r.status


def run_wrk(url: str, accept: str, seconds: int, threads: int, connections: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
               "-H", f"Accept: {accept}", "-s", str(SCRIPT), url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^RESULT (\{.*\})$", out.stdout, re.M)
    if out.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed ({out.returncode}): {(out.stderr or out.stdout).strip()[:300]}")
    return json.loads(match.group(1))


PAGES = {  # explorer pages a reviewer opens, timed one request at a time
    "home": "/", "proposition": "/proposition/trickier-situation-worker-matters", "claim": f"/claim/{CLAIM}",
    "source": "/source/matrix-b5", "gap map": "/gaps", "claims list": "/claims", "why?": None,
}


def page_latency(base: str, requests: int) -> dict:
    """Median and 95th percentile of each page, ``requests`` sequential requests."""
    from statistics import median
    out = {}
    for name, path in PAGES.items():
        if path is None:  # the claim page's first "why?" link
            page = urllib.request.urlopen(base + PAGES["claim"], timeout=60).read().decode("utf-8")
            found = re.search(r'href="(/why\?[^"]+)"', page)
            if not found:
                continue
            path = found.group(1).replace("&amp;", "&")
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                answer.read()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[name] = {"p50_ms": round(median(times), 1), "p95_ms": round(times[max(0, int(0.95 * len(times)) - 1)], 1),
                     "requests": requests}
    return out


def bench_store(store: str, args) -> dict:
    log_path = ROOT / "bench" / "work" / f"serve-{store}.log"
    started = time.monotonic()
    with kg_serving(store, log_path, options=("--rate-limit", "0")) as (base, _process):
        results = {"startup_s": round(time.monotonic() - started, 2), "targets": {}}
        print(f"… {store}: explorer pages, one request at a time", file=sys.stderr, flush=True)
        results["pages"] = page_latency(base, 10 if args.duration <= 3 else 40)
        for name, (path, accept) in targets().items():
            warm_up(base, path, accept)
            print(f"… {store}: {name} for {args.duration} s", file=sys.stderr, flush=True)
            results["targets"][name] = run_wrk(base + path, accept, args.duration, args.threads, args.connections)
        return results


def table(report: dict) -> str:
    lines = [f"{'store':9} {'target':16} {'req/s':>9} {'p95 ms':>9} {'p50 ms':>9} {'errors':>7}"]
    for store, result in report["stores"].items():
        for name, r in result["targets"].items():
            errors = r["socket_errors"] + r["non_2xx_3xx"]
            lines.append(f"{store:9} {name:16} {r['rps']:9.1f} {r['p95_ms']:9.1f} {r['p50_ms']:9.1f} {errors:7d}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="rdflib,oxigraph")
    parser.add_argument("--duration", type=int, default=10, help="seconds per target (default 10)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="3 s per target")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 3
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be between 1 and 120 seconds")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    stores = [s for s in args.stores.split(",") if s]
    unknown = [s for s in stores if s not in ("rdflib", "oxigraph")]
    if unknown:
        parser.error(f"unknown store {unknown[0]!r}: expected rdflib or oxigraph")
    report = {"tool": "wrk", "threads": args.threads, "connections": args.connections,
              "duration_s": args.duration, "host": "127.0.0.1", "cpus": os.cpu_count(),
              "python": platform.python_version(), "date": time.strftime("%Y-%m-%d"),
              "paths": {name: path[:80] for name, (path, _a) in targets().items()},
              "stores": {store: bench_store(store, args) for store in stores}}
    write_json(args.output, report)
    print(table(report))
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
