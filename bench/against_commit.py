"""Time this checkout's reasoner against another commit's, in one run.

    python bench/against_commit.py [--against main] [--chains 100,200,400,800] [--reps 5]

Two workloads, each engine in its own fresh process, the two alternating so
that the machine's noise falls on both alike:

- a transitive property over a chain of n links (n(n-1)/2 closure triples):
  the cost the closure's size requires, or more;
- the real graph at 1x (ontology, data and domain rules, as ``kg build``
  reasons over them).

The other commit's ``src/`` is taken with ``git archive`` into a temporary
folder; both read this checkout's ontology and data. Figures are CPU seconds
(``time.process_time``, less disturbed than wall time by the other jobs on a
shared machine): the median and the minimum of --reps runs. Writes
bench/results/against_commit.json.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def chain_triples(n: int) -> set:
    from rdflib import OWL, RDF, URIRef
    p = URIRef("http://example.org/p")
    nodes = [URIRef(f"http://example.org/n{k}") for k in range(n + 1)]
    return {(p, RDF.type, OWL.TransitiveProperty)} | {(a, p, b) for a, b in zip(nodes, nodes[1:])}


def real_triples():
    from kg.pipeline.load import load_dataset
    from kg.pipeline.rules import load_rules
    dataset, _ = load_dataset()
    return {(s, p, o) for s, p, o, _g in dataset.quads()}, load_rules()


def one(workload: str, reps: int) -> dict:
    """Run in the fresh process (--one): whichever kg is on sys.path."""
    from kg.pipeline.reason import reason
    if workload == "real":
        triples, rules = real_triples()
    else:
        triples, rules = chain_triples(int(workload)), []
    times = []
    for _ in range(reps):
        start = time.process_time()
        result = reason(triples, rules)
        times.append(time.process_time() - start)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "inferred": len(result.inferred), "engine": result.engine}


def extract(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run(src: Path, workload: str, reps: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "KG_PROJECT_DIR": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--one", workload, "--reps", str(reps)],
                          capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default="main")
    parser.add_argument("--chains", default="100,200,400,800")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--chain-reps", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "against_commit.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.reps)))
        return 0
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sources = {"this": ROOT / "src", args.against: extract(args.against, Path(tmp))}
        workloads = [("real", args.reps)] + [(n, args.chain_reps) for n in args.chains.split(",")]
        for workload, reps in workloads:
            for name, src in sources.items():
                print(f"{workload}: {name} …", file=sys.stderr, flush=True)
                row = {"workload": "real graph 1x" if workload == "real" else f"transitive chain of {workload}",
                       "code": name if name != "this" else f"this ({commit})", **run(src, workload, reps)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_json(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
