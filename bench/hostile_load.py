"""Good queries under hostile load: throughput and 95th-percentile latency of
competency question 1 against a real ``kg serve`` on 127.0.0.1, alone and
with 10% and 50% hostile queries mixed in (updates, SERVICE, remote FROM,
syntax errors, deep nesting, result-cap and time-limit breakers).

    python bench/hostile_load.py [--seconds 20] [--threads 4] [--store rdflib]

Writes bench/results/hostile.json. Goal: good queries keep at least 80% of
their throughput with hostile ones mixed in.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from servers import kg_serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "queries" / "cq01-claims-on-central-rule.rq").read_text(encoding="utf-8")
HOSTILE = [  # ad-hoc hostile requests, as a client on the open web might send them
    "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "SELECT * WHERE { ?s ?p }",
    "SELECT * WHERE " + "{" * 200 + "}" * 200,
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    'SELECT ?s WHERE { ?s ?p ?o FILTER regex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a|aa)+$") }',
    "SELECT * WHERE { ?s ?p ?o }",  # over the result cap
    # passes every check and runs into the time limit (then is remembered and refused for a while)
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x:none>|!<urn:x:none>)* ?o . ?o ?p ?x }",
]
JSON = {"Accept": "application/sparql-results+json"}


def get(base: str, query: str) -> int:
    request = urllib.request.Request(base + "/sparql?" + urllib.parse.urlencode({"query": query}), headers=JSON)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as err:
        err.read()
        return err.code


def serving(store: str, timeout: float):
    log = ROOT / "bench" / "work" / "hostile-kg-serve.log"
    return kg_serving(store, log, options=("--timeout", str(timeout), "--rate-limit", "0"))


def phase(base: str, share: float, seconds: float, threads: int) -> dict:
    latencies, statuses, lock = [], {"good": {}, "hostile": {}}, threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int):
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            hostile = rng.random() < share
            query = rng.choice(HOSTILE) if hostile else GOOD
            began = time.perf_counter()
            status = get(base, query)
            took = time.perf_counter() - began
            with lock:
                kind = "hostile" if hostile else "good"
                statuses[kind][status] = statuses[kind].get(status, 0) + 1
                if not hostile and status == 200:
                    latencies.append(took)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else None
    return {"hostile_share": share, "good_per_second": round(len(latencies) / seconds, 2),
            "good_p95_ms": round(p95 * 1000, 1) if p95 else None,
            "statuses": {k: {str(s): n for s, n in sorted(v.items())} for k, v in statuses.items()}}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--seconds", type=float, default=20)
    args.add_argument("--threads", type=int, default=4)
    args.add_argument("--store", default="rdflib")
    args.add_argument("--timeout", type=float, default=10)
    opts = args.parse_args()
    with serving(opts.store, opts.timeout) as (base, _process):
        for _ in range(10):  # warm both workers
            get(base, GOOD)
        phases = [phase(base, share, opts.seconds, opts.threads) for share in (0.0, 0.1, 0.5)]
    alone = phases[0]["good_per_second"] or 1
    for p in phases:
        p["good_throughput_kept"] = round(p["good_per_second"] / alone, 3)
    report = {"what": "cq01 via /sparql on 127.0.0.1, kg serve defaults but no request budget",
              "store": opts.store, "threads": opts.threads, "seconds_per_phase": opts.seconds,
              "time_limit_s": opts.timeout, "cpus": os.cpu_count(), "python": platform.python_version(),
              "phases": phases, "goal_met": all(p["good_throughput_kept"] >= 0.8 for p in phases)}
    out = ROOT / "bench" / "results" / "hostile.json"
    write_json(out, report)
    for p in phases:
        print(f"hostile {p['hostile_share']:.0%}: {p['good_per_second']} good/s, p95 {p['good_p95_ms']} ms, "
              f"kept {p['good_throughput_kept']:.0%}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
