"""Benchmark the reasoning stage: ours against plain owlrl, side by side.

    python bench/reasoning.py [--sizes 1,10,100] [--reps 3] [--owlrl-max 1]

Writes bench/results/reasoning.json: median time, peak memory (the
process's maximum resident set, each engine and size in a fresh process),
triples in and out per engine and size, and a SHA-256 of the inferred set
(noise removed, sorted N-Triples), so that where both engines ran the
figures also show that they reached the same closure. Plain owlrl runs only
up to --owlrl-max (about 45 s at 1x, 10 minutes at 10x)."""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
import resource
import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from generate import scaled_triples  # noqa: E402

from kg.pipeline.reason import _reason_with_owlrl, reason  # noqa: E402
from kg.pipeline.rules import load_rules  # noqa: E402


def one_run(engine: str, size: int, reps: int) -> dict:
    """Run in this (fresh) process and report; called with --one."""
    triples, rules = scaled_triples(size), load_rules()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    func = (lambda: reason(triples, rules)) if engine == "kg" else (lambda: _reason_with_owlrl(triples, rules))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    closure = hashlib.sha256("\n".join(sorted(
        " ".join(term.n3() for term in t) for t in result.inferred)).encode()).hexdigest()
    return {"closure_sha256": closure, "size": size, "engine": engine, "triples_in": len(triples),
            "triples_inferred": len(result.inferred), "median_s": round(statistics.median(times), 3),
            "peak_rss_mb": round(peak / 1024, 1), "rss_before_mb": round(base / 1024, 1), "reps": reps}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--owlrl-max", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "reasoning.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, size = args.one.split(":")
        print(json.dumps(one_run(engine, int(size), args.reps)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        engines = ["kg"] + (["owlrl"] if size <= args.owlrl_max else [])
        for name in engines:
            print(f"size {size}x: {name} …", file=sys.stderr, flush=True)
            reps = args.reps if name == "kg" else 1
            done = subprocess.run([sys.executable, __file__, "--one", f"{name}:{size}", "--reps", str(reps)],
                                  capture_output=True, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    for size in {r["size"] for r in rows}:
        hashes = {r["closure_sha256"] for r in rows if r["size"] == size}
        engines = [r["engine"] for r in rows if r["size"] == size]
        if len(engines) > 1:
            same = "the same closure" if len(hashes) == 1 else "DIFFERENT closures"
            print(f"{size}x: {' and '.join(engines)} reached {same}", file=sys.stderr)
    out = args.out
    write_json(out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
