"""Latency of every competency question on each store, on the real graph and
on synthetic graphs of its shape.

    python bench/queries.py [--sizes 1,100] [--stores rdflib,oxigraph,remote] [--reps 20]

Size 1 is the project's own build (build/); size N is the project that
``bench/generate.py N`` writes under bench/work/xN, built there first if it
is not (that takes minutes at 100x). Stores: ``rdflib`` and ``oxigraph`` as
``kg query --store`` opens them, and ``remote``: a real ``oxigraph serve``
from PyPI on a free loopback port, loaded from the same artefact, queried
through SPARQLWrapper like any SPARQL endpoint. Each query runs once to warm
up, then --reps times (fewer, at least 3, past --budget seconds; none when
the first run took longer than that); the median and the 95th percentile of the wall time
(the query and reading its whole result) go to bench/results/queries.json,
and a table is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from resultfile import write_json  # noqa: E402

from generate import ensure_project  # noqa: E402
from servers import oxigraph_serving  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def project_for(size: int) -> tuple[Path, Path]:
    """(project folder, build folder) of a size, (re)generated if needed."""
    if size == 1:
        return ROOT, ROOT / "build"
    project = ensure_project(size, progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))
    return project, project / "build"


def ensure_built(project: Path, build: Path) -> None:
    env = {**os.environ, "KG_PROJECT_DIR": str(project), "KG_BUILD_DIR": str(build)}
    subprocess.run([sys.executable, "-m", "kg.cli", "build"], env=env, check=True)


@contextmanager
def opened(store: str, build: Path):
    from kg.query.stores import open_store
    if store == "remote":
        with oxigraph_serving(build / "kg.nq", BENCH / "work" / f"oxigraph-serve-{build.parent.name}") as base:
            yield open_store(base + "/query")
        return
    handle = open_store(store, out=build)
    try:
        yield handle
    finally:
        getattr(handle, "close", lambda: None)()


def time_queries(handle, queries: dict, reps: int, budget: float) -> dict:
    """Each query ``reps`` times, fewer (at least 3) when that would take more
    than ``budget`` seconds."""
    rows = {}
    for name, query in queries.items():
        start = time.perf_counter()
        result = handle.query(query.text)  # warm-up, and the size of the answer
        first = time.perf_counter() - start
        count = len(result.rows) if result.kind == "SELECT" else (len(result.graph) if result.graph else 1)
        times = []
        for _ in range(0 if first > budget else max(3, min(reps, int(budget / max(first, 1e-6))))):
            start = time.perf_counter()
            handle.query(query.text)
            times.append(time.perf_counter() - start)
        times = times or [first]  # one run past the budget: that run is the figure
        rows[name] = {"rows": count, "median_ms": round(statistics.median(times) * 1000, 2),
                      "p95_ms": round(percentile(times, 95) * 1000, 2), "reps": len(times)}
        print(f"… {name}: median {rows[name]['median_ms']} ms, p95 {rows[name]['p95_ms']} ms",
              file=sys.stderr, flush=True)
    return rows


def table(report: list[dict]) -> str:
    stores = sorted({r["store"] for r in report}, key=["rdflib", "oxigraph", "remote"].index)
    sizes = sorted({r["size"] for r in report})
    names = sorted({n for r in report for n in r["queries"]})
    head = "| query | " + " | ".join(f"{s}x {st} median / p95 (ms)" for s in sizes for st in stores) + " |"
    lines = [head, "|---" * (1 + len(sizes) * len(stores)) + "|"]
    by = {(r["size"], r["store"]): r["queries"] for r in report}
    for name in names:
        cells = []
        for size in sizes:
            for store in stores:
                q = by.get((size, store), {}).get(name)
                cells.append(f"{q['median_ms']} / {q['p95_ms']}" if q else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100")
    parser.add_argument("--stores", default="rdflib,oxigraph,remote")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--rdflib-max-size", type=int, default=10,
                        help="largest size run on rdflib (default 10: at 100x a query takes seconds to minutes)")
    parser.add_argument("--budget", type=float, default=30, help="seconds per query and store at most (default 30)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "queries.json")
    args = parser.parse_args(argv)
    from kg.query.named import named_queries

    report = []
    for size in (int(s) for s in args.sizes.split(",")):
        project, build = project_for(size)
        ensure_built(project, build)
        os.environ["KG_PROJECT_DIR"], os.environ["KG_BUILD_DIR"] = str(project), str(build)
        queries = {n: q for n, q in sorted(named_queries().items()) if n.startswith("cq")}
        for store in args.stores.split(","):
            if store == "rdflib" and size > args.rdflib_max_size:
                print(f"… {size}x on rdflib: skipped (past --rdflib-max-size)", file=sys.stderr, flush=True)
                continue
            print(f"… {size}x on {store}: opening", file=sys.stderr, flush=True)
            start = time.perf_counter()
            with opened(store, build) as handle:
                opened_s = time.perf_counter() - start
                rows = time_queries(handle, queries, args.reps, args.budget)
            manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
            report.append({"size": size, "store": store, "open_s": round(opened_s, 2), "queries": rows,
                           "triples": manifest["asserted_triples"] + manifest["inferred_triples"]})
    write_json(args.out, {"machine": platform.platform(), "cpus": os.cpu_count(), "runs": report})
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
