"""A hash join for rdflib's SPARQL engine.

rdflib joins two independently evaluated parts (a join that cannot push
bindings from one side into the other: one under DISTINCT, LIMIT or another
join) by comparing every left solution with every right one, which is
quadratic: a query joining two subqueries of 40,000 rows each never ends.
This evaluates the same join through a hash index of the right side on the
variables every right solution binds. The answers are the same solutions,
as a multiset (rdflib's own join first makes a set of the right side, which
drops repeated solutions that SPARQL keeps).

It is registered through rdflib's documented extension point for custom
evaluation (``rdflib.plugins.sparql.CUSTOM_EVALS``) and handles only
non-lazy joins; everything else falls through to rdflib.
"""
from __future__ import annotations

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart

NAME = "kg-hash-join"


def hash_join(ctx, part):
    if getattr(part, "name", None) != "Join" or part.get("lazy"):
        raise NotImplementedError  # rdflib evaluates it
    right = list(evalPart(ctx, part.p2))
    if not right:
        return iter(())
    always_bound = sorted(frozenset(right[0]._d).intersection(*(row._d for row in right[1:])))
    return _probe(evalPart(ctx, part.p1), right, always_bound)


def _probe(left, right, always_bound: list):
    """Each left solution meets only the right ones that agree with it on
    the variables both bind; ``compatible`` still checks the rest (a left
    solution may leave some of them unbound)."""
    indexes: dict[tuple, dict] = {}
    for solution in left:
        bound = solution._d
        key_vars = tuple(v for v in always_bound if v in bound)
        index = indexes.get(key_vars)
        if index is None:
            index = indexes[key_vars] = {}
            for row in right:
                index.setdefault(tuple(row._d[v] for v in key_vars), []).append(row)
        for row in index.get(tuple(bound[v] for v in key_vars), ()):
            if solution.compatible(row):
                yield solution.merge(row)


def install() -> None:
    """Idempotent: the rdflib store calls it when it is imported."""
    CUSTOM_EVALS[NAME] = hash_join
