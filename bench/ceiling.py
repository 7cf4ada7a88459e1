"""The endpoint against its ceiling: `/sparql` of `kg serve` against a bare
`oxigraph serve` (from PyPI) on the same dataset, the same query
(competency question 1, SPARQL JSON results) and the same load generator
(wrk, 2 threads, 8 connections, on 127.0.0.1), one after the other in one
run.

    python bench/ceiling.py [--size 1] [--store oxigraph] [--duration 10]

Writes bench/results/ceiling.json: requests/s and latency of each, and the
ratio (the goal: kg serve at least 50% of the bare server)."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from resultfile import write_json  # noqa: E402

from queries import ensure_built, project_for  # noqa: E402
from servers import kg_serving, oxigraph_serving  # noqa: E402
from web_load import run_wrk, warm_up  # noqa: E402

ACCEPT = "application/sparql-results+json"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1)
    parser.add_argument("--store", default="oxigraph", choices=("rdflib", "oxigraph"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "ceiling.json")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    project, build = project_for(args.size)
    ensure_built(project, build)
    query = (project / "queries" / "cq01-claims-on-central-rule.rq").read_text(encoding="utf-8")
    (BENCH / "work").mkdir(exist_ok=True)
    report = {"size": args.size, "store": args.store, "query": "cq01-claims-on-central-rule",
              "accept": ACCEPT, "duration_s": args.duration, "cpus": os.cpu_count(),
              "date": time.strftime("%Y-%m-%d")}

    with oxigraph_serving(build / "kg.nq", BENCH / "work" / f"oxigraph-serve-x{args.size}") as base:
        path = "/query?" + urlencode({"query": query})
        warm_up(base, path, ACCEPT)
        print(f"… bare oxigraph serve: {args.duration} s", file=sys.stderr, flush=True)
        report["oxigraph_serve"] = run_wrk(base + path, ACCEPT, args.duration, 2, 8)

    env = {"KG_PROJECT_DIR": str(project), "KG_BUILD_DIR": str(build)}
    with kg_serving(args.store, BENCH / "work" / "ceiling-kg-serve.log", ("--rate-limit", "0"), env) as (base, _p):
        path = "/sparql?" + urlencode({"query": query})
        warm_up(base, path, ACCEPT)
        print(f"… kg serve --store {args.store}: {args.duration} s", file=sys.stderr, flush=True)
        report["kg_serve"] = run_wrk(base + path, ACCEPT, args.duration, 2, 8)

    report["ratio"] = round(report["kg_serve"]["rps"] / report["oxigraph_serve"]["rps"], 3)
    write_json(args.out, report)
    for name in ("oxigraph_serve", "kg_serve"):
        r = report[name]
        print(f"{name:15} {r['rps']:8.1f} req/s  p95 {r['p95_ms']:8.1f} ms  errors "
              f"{r['socket_errors'] + r['non_2xx_3xx']}")
    print(f"kg serve / oxigraph serve: {report['ratio']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
