"""Benchmark the reasoning stage: our engine against the other OWL 2 RL
reasoners, each run in its own process, on the real graph (1x) and the
generated projects (10x, 100x; ``bench/generate.py``).

    python bench/reasoning.py [--sizes 1,10,100] [--reps 3] [--owlrl-max 10] [--turbo-max 1]

Engines: ours (``kg.pipeline.reason``), ``reasonable`` (Rust), plain owlrl
(up to --owlrl-max: about 40 s at 1x, minutes at 10x) and owlrl-turbo (up
to --turbo-max). The external engines get the same domain rules (rules/*.rq)
as ours, applied to their closure until nothing new comes, the way
``kg.pipeline.reason`` falls back to owlrl. Install them with
``pip install -e '.[bench]'``; an engine that is not installed is left out
and said so.

The runs of one size are interleaved (ours, reasonable, ours, reasonable …;
the slow engines once), so that the machine's noise weighs on all alike.
Each run is a fresh process that reads the input (pickled once per size),
then times the engine from the input set of rdflib triples to its closure
as rdflib triples. Ours is timed with the domain rules (``reason()``); the
others for one call of the engine on the input (``median_s``: favourable to
them), and to the fixpoint with the domain rules (``with_rules_s``, which
their closure is compared at). Above --rules-max (owlrl's rounds take
many minutes at 10x, reasonable's at 100x) the closures are compared
without the domain rules, ours included (ours still timed with them).
Figures per engine and size
(bench/results/reasoning.json): median time,
peak RSS of the process (input included; ``rss_input_mb`` is the process
after reading the input), inferred triples after the noise filter
(``kg.pipeline.noise``), and whether that set equals the reference: owlrl's
where owlrl ran at that size, else ours. Where it differs: how many triples
it misses, grouped by the rule our engine derived them with (``prp-spo2`` is
a property chain), and how many it adds, grouped by predicate."""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from generate import WORK, scaled_triples  # noqa: E402

from rdflib import XSD, Literal  # noqa: E402

from kg.pipeline.noise import is_noise  # noqa: E402
from kg.pipeline.reason import _reason_with_owlrl, reason  # noqa: E402
from kg.pipeline.rules import load_rules  # noqa: E402

HERE = WORK / "reasoning"
ENGINES = ("kg", "reasonable", "owlrl", "owlrl-turbo")
NEEDS = {"reasonable": "reasonable", "owlrl-turbo": "owlrl_turbo"}
LABELS = {"kg": "ours", "reasonable": "reasonable (Rust)", "owlrl": "plain owlrl", "owlrl-turbo": "owlrl-turbo"}


# ------------------------------------------------------------------ in the child process
def with_rules(closure, known: set, rules) -> set:
    """Everything that holds, from a closure ``known``: the domain rules,
    then ``closure`` again, until the rules add nothing (what reason.py
    does around owlrl)."""
    while True:
        by_predicate = defaultdict(list)
        for t in known:
            by_predicate[t[1]].append(t)
        new = {conclusion for rule in rules
               for conclusion, _premises in rule.matches(lambda p: known if p is None else by_predicate[p])}
        if new <= known:
            return known
        known = known | new
        known.update(closure(known))


def reasonable_closure(triples) -> list:
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(list(triples))
    return reasoner.reason()


def _graph(triples):
    from rdflib import Graph

    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph


def turbo_closure(triples):
    import owlrl_turbo

    return owlrl_turbo.expand(_graph(triples))


def owlrl_closure(triples):
    import owlrl

    graph = _graph(triples)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def _plain(t):
    """RDF 1.1: "x"^^xsd:string is "x"; reasonable writes the datatype out."""
    o = t[2]
    if type(o) is Literal and o.datatype == XSD.string:
        return t[0], t[1], Literal(str(o))
    return t


CLOSURES = {"reasonable": reasonable_closure, "owlrl-turbo": turbo_closure, "owlrl": owlrl_closure}


def timed_run(engine: str, triples: set, rules, with_domain_rules: bool = True) -> dict:
    """Ours: reason() (the domain rules included). The others: one call of
    the engine on the input, timed (the input and output conversions
    included), then, untimed, the domain rules and the engine again until
    nothing new comes (``with_rules_s``), for the closure to compare."""
    start = time.perf_counter()
    if engine == "kg":
        result = reason(triples, rules)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if not with_domain_rules:  # timed with them, compared without them, like the others
            del result
            result = reason(triples, [])
        return {"seconds": seconds, "with_rules_s": seconds, "inferred": result.inferred, "why": result.why,
                "peak": peak}
    first = CLOSURES[engine](triples)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    known = {_plain(t) for t in first} | triples

    def closure(ts):
        return (_plain(t) for t in CLOSURES[engine](ts))

    if with_domain_rules:
        known = with_rules(closure, known, rules)
    return {"seconds": seconds, "with_rules_s": time.perf_counter() - start, "peak": peak, "why": {},
            "inferred": {t for t in known if t not in triples and not is_noise(t)}}


def _line(t) -> str:
    """N-Triples-like, on one line whatever the literal (a key to compare closures by)."""
    text = " ".join(term.n3() for term in t) + " ."
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def one_run(engine: str, size: int, dump: Path | None, with_domain_rules: bool = True) -> dict:
    """One timed run in this (fresh) process; with ``dump``, also write the
    inferred triples there (sorted N-Triples, a tab and our rule)."""
    with open(HERE / f"input-{size}x.pickle", "rb") as f:
        triples = pickle.load(f)
    rules = load_rules()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = timed_run(engine, triples, rules, with_domain_rules)
    inferred, why = run["inferred"], run["why"]
    lines = {t: _line(t) for t in inferred}
    if dump:
        with open(dump, "w", encoding="utf-8") as out:
            for t, line in sorted(lines.items(), key=lambda item: item[1]):
                out.write(f"{line}\t{why.get(t, ('',))[0]}\n")
    return {"engine": engine, "size": size, "closure_with_domain_rules": with_domain_rules, "triples_in": len(triples), "inferred": len(inferred),
            "seconds": round(run["seconds"], 3), "with_rules_s": round(run["with_rules_s"], 3),
            "peak_rss_mb": round(run["peak"] / 1024, 1),
            "rss_input_mb": round(before / 1024, 1),
            "closure_sha256": hashlib.sha256("\n".join(sorted(lines.values())).encode()).hexdigest()}


# ------------------------------------------------------------------ in the parent
def available(engine: str) -> bool:
    return engine not in NEEDS or importlib.util.find_spec(NEEDS[engine]) is not None


def schedule(engines: list[str], reps: int, slow: set[str]) -> list[str]:
    """Interleaved order: every fast engine once per round, the slow ones in the first round only."""
    order = []
    for rep in range(reps):
        order += [e for e in engines if e not in slow or rep == 0]
    return order


def read_dump(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f)


def compare(rows: dict[str, dict], dumps: dict[str, Path], reference: str) -> None:
    """Closure equality with the reference, and what each other engine misses and adds."""
    ours = read_dump(dumps["kg"]) if "kg" in dumps else {}
    expected = set(read_dump(dumps[reference]))
    for engine, row in rows.items():
        row["reference"] = reference
        if engine == reference:
            row["closure_equal"] = True
            continue
        got = set(read_dump(dumps[engine]))
        missing, added = expected - got, got - expected
        row["closure_equal"] = not missing and not added
        row["missing"], row["added"] = len(missing), len(added)
        row["missing_by_rule"] = dict(Counter(ours.get(line, "?") or "?" for line in missing).most_common(8))
        row["added_by_predicate"] = dict(Counter(line.split(" ")[1] for line in added).most_common(8))


def bench_size(size: int, engines: list[str], reps: int, slow: set[str], with_domain_rules: bool) -> list[dict]:
    HERE.mkdir(parents=True, exist_ok=True)
    print(f"size {size}x: generating the input …", file=sys.stderr, flush=True)
    with open(HERE / f"input-{size}x.pickle", "wb") as f:
        pickle.dump(scaled_triples(size), f, protocol=pickle.HIGHEST_PROTOCOL)
    runs, dumps = defaultdict(list), {}
    for engine in schedule(engines, reps, slow):
        dump = None if engine in dumps else HERE / f"{engine}-{size}x.nt"
        print(f"size {size}x: {engine} (run {len(runs[engine]) + 1}) …", file=sys.stderr, flush=True)
        command = ([sys.executable, __file__, "--one", f"{engine}:{size}"] + (["--dump", str(dump)] if dump else [])
                   + ([] if with_domain_rules else ["--no-domain-rules"]))
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{engine} at {size}x failed:\n{done.stderr[-2000:]}")
        runs[engine].append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {runs[engine][-1]['seconds']} s, {runs[engine][-1]['peak_rss_mb']} MB", file=sys.stderr, flush=True)
        if dump:
            dumps[engine] = dump
    rows = {}
    for engine, mine in runs.items():
        row = dict(mine[0])
        row.pop("seconds")
        row.update(median_s=round(statistics.median(r["seconds"] for r in mine), 3), times_s=[r["seconds"] for r in mine],
                   with_rules_s=round(statistics.median(r["with_rules_s"] for r in mine), 3),
                   peak_rss_mb=max(r["peak_rss_mb"] for r in mine), reps=len(mine))
        rows[engine] = row
    compare(rows, dumps, "owlrl" if "owlrl" in rows else "kg")
    return list(rows.values())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--reps", type=int, default=3, help="runs of the fast engines (ours, reasonable)")
    parser.add_argument("--owlrl-max", type=int, default=10)
    parser.add_argument("--turbo-max", type=int, default=1)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "reasoning.json")
    parser.add_argument("--rules-max", type=int, default=1,
                        help="largest size at which the other engines' closure gets the domain rules "
                             "(their rounds with owlrl take many minutes at 10x, with reasonable at 100x)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--no-domain-rules", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, size = args.one.split(":")
        print(json.dumps(one_run(engine, int(size), args.dump, not args.no_domain_rules)))
        return 0
    wanted = [e for e in args.engines.split(",") if e]
    for engine in wanted:
        if not available(engine):
            print(f"{engine} is not installed (pip install -e '.[bench]'): left out", file=sys.stderr)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        engines = [e for e in wanted if available(e) and not (e == "owlrl" and size > args.owlrl_max)
                   and not (e == "owlrl-turbo" and size > args.turbo_max)]
        mine = bench_size(size, engines, args.reps, {"owlrl", "owlrl-turbo"}, size <= args.rules_max)
        rows += mine
        write_json(args.out, rows)  # after each size: a run stopped at 100x keeps 1x and 10x
        for r in mine:
            same = "equal to" if r["closure_equal"] else f"DIFFERENT from ({r.get('missing')} missing, {r.get('added')} added)"
            print(f"{size}x {r['engine']}: {r['median_s']} s, {r['peak_rss_mb']} MB, {r['inferred']} inferred, "
                  f"closure {same} {r['reference']}'s", file=sys.stderr)
    write_json(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
