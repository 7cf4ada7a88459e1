"""Fairness under hostile load: what well-behaved clients keep of their
throughput when hostile clients share the server.

A real ``kg serve`` on 127.0.0.1 (defaults: its request budget per client
is on). Every client binds its socket to an address of its own
(127.0.0.2, 127.0.0.3, …), so the server sees distinct clients, as on the
open web; a load test whose clients share one address measures the rate
limiter, not fairness.

- good clients fetch, in a loop, the home page, the claims list and two
  small /sparql queries;
- hostile clients send queries that pass every check of the guard but run
  to the time limit or the result cap: long joins, unbounded property
  paths, costly regular expressions over every literal, answers over the
  cap. Each is made distinct (a number in a FILTER), so the server's memory
  of costly queries cannot refuse them by their text.

Two phases: clean (good clients alone), then mixed (good and hostile
together), alternated ``--rounds`` times so that a change in the machine's
other load weighs on both alike (the machine is shared and noisy). For the good clients: requests per second, the share of the
clean throughput kept, p95 of pages and of /sparql, 5xx answers, and
requests unanswered within 30 s.

    python bench/hostile_load.py [--seconds 30] [--rounds 2] [--good 4] [--hostile 4] [--label after]

Writes bench/results/hostile.json (one entry per label, so a "before" run
stays beside the "after" one). Goal: the good clients keep at least 80% of
their clean throughput, pages' p95 under 1 s, nothing unanswered, no 5xx.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from servers import kg_serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "hostile.json"
UNANSWERED_AFTER = 30.0  # seconds
GOOD_SPARQL = [
    "SELECT ?c WHERE { ?c a <https://w3id.org/practitioner-evidence/ontology#Claim> } LIMIT 20",
    "ASK { ?s a <https://w3id.org/practitioner-evidence/ontology#Proposition> }",
]
GOOD = [("page", "/"), ("page", "/claims")] + [("sparql", q) for q in GOOD_SPARQL]
HOSTILE = {  # shape -> query text; {n} makes each one distinct
    "long join": 'SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?p ?b . ?b ?q ?c . ?c ?r ?d . ?d ?t ?e '
                 'FILTER(?e != "r{n}") }}',
    "property path": 'SELECT (COUNT(*) AS ?n) WHERE {{ ?s (<urn:x:none>|!<urn:x:none>)* ?o . ?o ?p ?x '
                     'FILTER(?x != "r{n}") }}',
    "regex over every literal": 'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . ?t ?p ?u '
                                'FILTER(regex(concat(str(?o), str(?u)), ".*e.*a.*o.*r{n}", "i")) }}',
    "result cap": 'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "r{n}") }}',
}


def fetch(port: int, source: str, path: str, accept: str) -> tuple[int | None, float, str]:
    """(status or None if unanswered in time, seconds, the start of an error's
    text) of one GET from ``source``."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=UNANSWERED_AFTER,
                                            source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        said = body[:100].decode("utf-8", "replace").strip() if response.status >= 400 else ""
        return response.status, time.perf_counter() - began, said
    except (socket.timeout, TimeoutError):
        return None, time.perf_counter() - began, ""
    except OSError as err:
        return 0, time.perf_counter() - began, str(err)  # refused or reset: counted apart from unanswered
    finally:
        connection.close()


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {"page": [], "sparql": []}
        self.statuses: dict[str, dict] = {"good": {}, "hostile": {}}
        self.good_ok = 0
        self.said: dict[str, str] = {}  # "who status" -> the first error text seen

    def add(self, who: str, kind: str, status, took: float, said: str = "") -> None:
        with self.lock:
            key = "unanswered" if status is None else str(status)
            self.statuses[who][key] = self.statuses[who].get(key, 0) + 1
            if said:
                self.said.setdefault(f"{who} {key}", said)
            if who == "good" and status == 200:
                self.good_ok += 1
                self.latency[kind].append(took)


def good_client(port: int, source: str, deadline: float, tally: Tally) -> None:
    i = 0
    while time.monotonic() < deadline:
        kind, what = GOOD[i % len(GOOD)]
        i += 1
        path, accept = (what, "text/html") if kind == "page" else (sparql_path(what), "application/sparql-results+json")
        tally.add("good", kind, *fetch(port, source, path, accept))


def hostile_client(port: int, source: str, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        shape = rng.choice(sorted(HOSTILE))
        query = HOSTILE[shape].format(n=rng.randrange(10**9))
        status, took, said = fetch(port, source, sparql_path(query), "application/sparql-results+json")
        tally.add("hostile", shape, status, took, said)
        if status in (429, 503):
            time.sleep(0.05)  # a hostile client retries at once, nearly


def phase(port: int, seconds: float, good: int, hostile: int, tally: Tally) -> None:
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=good_client, args=(port, f"127.0.0.{2 + n}", deadline, tally))
               for n in range(good)]
    threads += [threading.Thread(target=hostile_client, args=(port, f"127.0.0.{100 + n}", deadline, tally, n))
                for n in range(hostile)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def p95(values: list) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[int(0.95 * (len(values) - 1))] * 1000, 1)


def summary(tally: Tally, seconds: float, hostile: int) -> dict:
    good = tally.statuses["good"]
    return {"hostile_clients": hostile, "good_per_second": round(tally.good_ok / seconds, 2),
            "pages_per_second": round(len(tally.latency["page"]) / seconds, 2),
            "sparql_per_second": round(len(tally.latency["sparql"]) / seconds, 2),
            "page_p95_ms": p95(tally.latency["page"]), "sparql_p95_ms": p95(tally.latency["sparql"]),
            "good_unanswered": good.get("unanswered", 0),
            "good_5xx": sum(n for s, n in good.items() if s.isdigit() and s.startswith("5")),
            "statuses": tally.statuses, "error_texts": tally.said}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--seconds", type=float, default=30, help="seconds of each phase in each round")
    args.add_argument("--rounds", type=int, default=2)
    args.add_argument("--good", type=int, default=4)
    args.add_argument("--hostile", type=int, default=4)
    args.add_argument("--store", default="rdflib")
    args.add_argument("--workers", type=int, help="kg serve --workers (default: kg serve's own)")
    args.add_argument("--label", default="after", help="the name this run is kept under in the results file")
    opts = args.parse_args()
    log = ROOT / "bench" / "work" / "hostile-kg-serve.log"
    options = ("--workers", str(opts.workers)) if opts.workers else ()
    with kg_serving(opts.store, log, options) as (base, _process):
        port = urllib.parse.urlsplit(base).port
        for kind, what in GOOD * 3:  # warm the workers and the pages
            fetch(port, "127.0.0.1", what if kind == "page" else sparql_path(what), "*/*")
        alone, shared = Tally(), Tally()
        for _ in range(opts.rounds):
            phase(port, opts.seconds, opts.good, 0, alone)
            phase(port, opts.seconds, opts.good, opts.hostile, shared)
    clean = summary(alone, opts.seconds * opts.rounds, 0)
    mixed = summary(shared, opts.seconds * opts.rounds, opts.hostile)
    kept = round(mixed["good_per_second"] / (clean["good_per_second"] or 1), 3)
    run = {"store": opts.store, "good_clients": opts.good, "hostile_clients": opts.hostile,
           "seconds_per_phase": opts.seconds, "rounds": opts.rounds, "load_average": os.getloadavg()[0], "cpus": os.cpu_count(), "python": platform.python_version(),
           "clean": clean, "mixed": mixed, "good_throughput_kept": kept,
           "goal_met": kept >= 0.8 and (mixed["page_p95_ms"] or 1e9) < 1000
           and mixed["good_unanswered"] == 0 and mixed["good_5xx"] == 0}
    runs = _previous_runs()
    runs[opts.label] = run
    write_json(OUT, {"what": __doc__.splitlines()[0], "runs": runs})
    print(f"clean: {clean['good_per_second']} good/s, pages p95 {clean['page_p95_ms']} ms")
    print(f"mixed: {mixed['good_per_second']} good/s (kept {kept:.0%}), pages p95 {mixed['page_p95_ms']} ms, "
          f"/sparql p95 {mixed['sparql_p95_ms']} ms, unanswered {mixed['good_unanswered']}, 5xx {mixed['good_5xx']}")
    print(f"wrote {OUT}")
    return 0


def _previous_runs() -> dict:
    try:
        return json.loads(OUT.read_text(encoding="utf-8")).get("runs", {})
    except (OSError, ValueError):
        return {}


if __name__ == "__main__":
    sys.exit(main())
