"""Benchmark SHACL validation: pySHACL against pyshacl-turbo, side by side.

    python bench/shacl.py [--sizes 1,10] [--reps 3]

Each engine validates the union of the ontology and data (what `kg build`
validates) of the real graph (1x) and the generated projects (bench/generate.py's
triples), each run in a fresh process, the runs interleaved (rep by rep,
size by size, engine by engine) so that a noisy machine slows all alike.
Engines: pySHACL and pyshacl-turbo on an rdflib Graph, and pyshacl-turbo
on a pyoxigraph Store holding the same triples (kg/pipeline/shacl.py hands
it over as N-Quads). Figures: median seconds of validation alone (the data
is loaded before the clock starts), peak resident memory of the whole
process (loading included), the peak during validation (Linux: the peak is
reset just before it) and how much that is above the memory held before, the number of results and a SHA-256 of
the result set, equal across engines when their reports are the same.

Writes bench/results/shacl.json."""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import scaled_triples  # noqa: E402
from resultfile import write_json  # noqa: E402

from kg.pipeline.shacl import load_shapes, shacl_findings  # noqa: E402

ENGINES = {"pyshacl": ("pyshacl", "graph"), "pyshacl-turbo": ("pyshacl-turbo", "graph"),
           "pyshacl-turbo-store": ("pyshacl-turbo", "store")}


def _input(triples, kind: str):
    from rdflib import Graph

    graph = Graph()
    for triple in triples:
        graph.add(triple)
    if kind == "graph":
        return graph
    import pyoxigraph as ox

    store = ox.Store()  # in memory, like the build's
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def one_run(name: str, size: int) -> dict:
    """Validate once in this (fresh) process and report; called with --one."""
    engine, kind = ENGINES[name]
    triples, shapes = scaled_triples(size), load_shapes()
    data = _input(triples, kind)
    gc.collect()
    before = _rss_reset_peak()
    start = time.perf_counter()
    findings = shacl_findings(data, shapes, engine=engine)
    seconds = time.perf_counter() - start
    during = _status_kb("VmHWM")  # the peak since the reset: validation's own
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    keys = sorted(" ".join(str(term) for term in (f.focus, f.path, f.value, f.component, f.severity))
                  for f in findings)  # source shapes are blank nodes of this process's shapes graph: left out
    return {"engine": name, "size": size, "triples_in": len(triples), "seconds": round(seconds, 3),
            "peak_rss_mb": round(peak / 1024, 1), "validation_peak_rss_mb": round(during / 1024, 1),
            "added_rss_mb": round((during - before) / 1024, 1),
            "results": len(findings), "results_sha256": hashlib.sha256("\n".join(keys).encode()).hexdigest()}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _rss_reset_peak() -> int:
    """The resident set now, after resetting the process's peak (Linux:
    writing 5 to clear_refs), so that VmHWM then measures what follows."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


def summarise(samples: list[dict]) -> list[dict]:
    rows = []
    for size in sorted({s["size"] for s in samples}):
        for name in ENGINES:
            mine = [s for s in samples if s["size"] == size and s["engine"] == name]
            if not mine:
                continue
            rows.append({**{k: mine[0][k] for k in ("engine", "size", "triples_in", "results", "results_sha256")},
                         "median_s": round(statistics.median(s["seconds"] for s in mine), 3),
                         "peak_rss_mb": max(s["peak_rss_mb"] for s in mine),
                         "validation_peak_rss_mb": max(s["validation_peak_rss_mb"] for s in mine),
                         "added_rss_mb": max(s["added_rss_mb"] for s in mine),
                         "same_report_every_rep": len({s["results_sha256"] for s in mine}) == 1, "reps": len(mine)})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "shacl.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        name, size = args.one.rsplit(":", 1)
        print(json.dumps(one_run(name, int(size))))
        return 0
    sizes, names = [int(s) for s in args.sizes.split(",")], args.engines.split(",")
    samples = []
    for rep in range(args.reps):
        for size in sizes:
            for name in (names if rep % 2 == 0 else names[::-1]):  # alternate who goes first
                print(f"rep {rep + 1}/{args.reps}, {size}x: {name} …", file=sys.stderr, flush=True)
                done = subprocess.run([sys.executable, __file__, "--one", f"{name}:{size}"],
                                      capture_output=True, text=True, check=True)
                samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(json.dumps(samples[-1]), file=sys.stderr, flush=True)
    rows = summarise(samples)
    for size in sizes:
        reports = {r["results_sha256"] for r in rows if r["size"] == size}
        print(f"{size}x: {'the same report' if len(reports) == 1 else 'DIFFERENT reports'} from every engine",
              file=sys.stderr)
    write_json(args.out, {"rows": rows, "samples": samples})
    return 0


if __name__ == "__main__":
    sys.exit(main())
