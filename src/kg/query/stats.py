"""Counts for ``kg stats``: from named queries, on any store."""
from __future__ import annotations

from kg.query.named import named_queries
from kg.terms import short


def _run(store, name):
    return store.query(named_queries()[name].text)


def overview(store) -> dict:
    graphs = {short(r["g"]).replace("https://w3id.org/practitioner-evidence/graph/", "graph/"): int(r["n"])
              for r in _run(store, "stats-graphs").rows}
    things = {str(r["kind"]): int(r["n"]) for r in _run(store, "stats-kinds").rows}
    inferred = {short(r["p"]): int(r["n"]) for r in _run(store, "stats-inferred").rows}
    return {"triples per named graph": graphs, "resources": things,
            "evidence relations by direction and basis": relations(store),
            "inferred triples by predicate": inferred}


def relations(store) -> dict:
    """Asserted evidence relations counted by direction and basis ("Supports / StatedBySource": 40)."""
    rows = _run(store, "stats-relations").rows
    return {f"{short(r['direction']).split(':')[-1]} / {short(r['basis']).split(':')[-1]}": int(r["n"]) for r in rows}


def by_source(store) -> dict:
    out = {}
    for r in _run(store, "stats-by-source").rows:
        out[short(r["source"])] = {k: int(r[k]) for k in ("works", "claims", "excerpts", "measurements")}
    return {"per source": {k: ", ".join(f"{n} {v}" for n, v in row.items()) for k, row in out.items()}}
