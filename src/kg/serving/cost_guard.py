"""Queries refused before they run because their cost is unbounded by
their shape, whatever the data: the cartesian product of two patterns that
match every triple, and regular expressions that backtrack exponentially in
Python's ``re`` (which rdflib's REGEX uses).

A time limit stops such a query too, but only after it has held a worker
(and a core) for the whole limit; refusing it at once keeps the workers for
the queries that can finish. Both checks look at the parsed algebra.
"""
from __future__ import annotations

import re

from rdflib import Literal, Variable
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import Refused

# a group that holds a quantifier or an alternation, itself quantified: (a+)+, (a|aa)*, (\w+\s){2,}
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})")


def refuse_costly(algebra) -> None:
    for node in walk(algebra):
        if node.name == "BGP":
            _refuse_cartesian(list(node.triples))
        elif node.name == "Join" and _is_bgp(node.get("p1")) and _is_bgp(node.get("p2")):
            _refuse_cartesian(list(node.p1.triples) + list(node.p2.triples))
        elif node.name in ("Builtin_REGEX", "Builtin_REPLACE"):
            _refuse_backtracking(node.get("pattern"))


def walk(node):
    """Every node of a parsed query's algebra."""
    if isinstance(node, CompValue):
        yield node
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return
    for child in children:
        yield from walk(child)


def _is_bgp(node) -> bool:
    return isinstance(node, CompValue) and node.name == "BGP"


def _refuse_cartesian(patterns: list) -> None:
    """Two groups of patterns that share no variable, each with a pattern of
    three variables: every triple times every triple."""
    groups: list[tuple[set, bool]] = []  # (variables, has an all-variable pattern)
    for pattern in patterns:
        names = {t for t in pattern if isinstance(t, Variable)}
        unconstrained = len(names) == 3
        joined = [g for g in groups if g[0] & names]
        for g in joined:
            groups.remove(g)
            names |= g[0]
            unconstrained = unconstrained or g[1]
        groups.append((names, unconstrained))
    if sum(1 for _names, unconstrained in groups if unconstrained) >= 2:
        raise Refused("the query joins patterns that match every triple and share no variable "
                      "(a cartesian product of the whole graph); give them a variable in common")


def _refuse_backtracking(pattern) -> None:
    if isinstance(pattern, Literal) and NESTED_QUANTIFIER.search(str(pattern)):
        raise Refused(f"the regular expression {str(pattern)[:60]!r} nests quantifiers, which can take "
                      "exponential time; rewrite it without a quantified group that holds a quantifier or '|'")
