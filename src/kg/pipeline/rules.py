"""Domain rules: SPARQL CONSTRUCT files in rules/, one rule a file.

Each rule is evaluated over only the triples whose predicates it mentions
(a CONSTRUCT with constant predicates can match nothing else), and each
result keeps the triples that matched, so ``explain`` can show them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Variable
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.sparql import QueryContext

from kg.errors import InputError
from kg.paths import project_dir


@dataclass
class Rule:
    name: str
    path: Path
    statement: str
    query: object
    predicates: set | None  # None: the rule has a variable predicate or a path

    def matches(self, triples_with) -> list[tuple[tuple, tuple]]:
        """(conclusion, premises) for every solution. ``triples_with(p)`` yields
        the triples with predicate p (all triples when p is None)."""
        graph = Graph()
        for predicate in self.predicates if self.predicates is not None else (None,):
            for t in triples_with(predicate):
                graph.add(t)
        return self.matches_in(graph)

    def matches_in(self, graph) -> list[tuple[tuple, tuple]]:
        """(conclusion, premises) for every solution over ``graph``: an rdflib
        Graph, or any object with rdflib's ``triples((s, p, o))`` (None a
        wildcard; constant predicates only, so no property paths) and ``in``
        for a triple. The reasoner passes a view of its own indexes, which
        copies nothing (a Graph of the rule's triples cost more than the
        rule)."""
        algebra = self.query.algebra
        positive = _positive_patterns(algebra.p)
        results = []
        for solution in evalPart(QueryContext(graph), algebra.p):
            premises = tuple(t for t in _bind_all(positive, solution) if t in graph)
            for conclusion in _bind_all(algebra.template, solution):
                results.append((conclusion, premises))
        return results


def _children(part):
    return [part.get(key) for key in ("p", "p1", "p2") if hasattr(part, "get") and part.get(key) is not None]


def _positive_patterns(part) -> list[tuple]:
    """Triple patterns that a solution must match (not OPTIONAL, MINUS, NOT EXISTS)."""
    name = getattr(part, "name", None)
    if name == "BGP":
        return list(part.triples)
    if name == "Minus":
        return _positive_patterns(part.p1)
    if name == "LeftJoin":
        return _positive_patterns(part.p1)
    return [t for child in _children(part) for t in _positive_patterns(child)]


def _all_patterns(node) -> list[tuple]:
    """Every triple pattern anywhere in the algebra, FILTER (NOT) EXISTS included."""
    if getattr(node, "name", None) == "BGP":
        return list(node.triples)
    if isinstance(node, dict):
        return [t for value in node.values() for t in _all_patterns(value)]
    if isinstance(node, (list, tuple)) and not isinstance(node, str):
        return [t for value in node for t in _all_patterns(value)]
    return []


def _bind_all(patterns, solution) -> list[tuple]:
    out = []
    for pattern in patterns:
        bound = tuple(solution.get(t) if isinstance(t, Variable) else t for t in pattern)
        if None not in bound and not any(isinstance(t, RdfPath) for t in bound):
            out.append(bound)
    return out


def _predicates(query) -> set | None:
    predicates = set()
    for _s, p, _o in _all_patterns(query.algebra.p):
        if isinstance(p, (Variable, RdfPath)):
            return None
        predicates.add(p)
    return predicates


def rule_files(root: Path | None = None) -> list[Path]:
    return sorted(((root or project_dir()) / "rules").glob("*.rq"))


def load_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    statement = " ".join(
        line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")
    )
    try:
        query = prepareQuery(text)
    except Exception as err:  # pyparsing's errors carry line and column
        line, col = getattr(err, "lineno", 1), getattr(err, "col", 1)
        raise InputError(f"rules/{path.name}", line, col, str(err).splitlines()[0]) from None
    if query.algebra.name != "ConstructQuery":
        raise InputError(f"rules/{path.name}", 1, 1, "a rule must be a SPARQL CONSTRUCT query")
    return Rule(path.stem, path, statement, query, _predicates(query))


def load_rules(root: Path | None = None) -> list[Rule]:
    return [load_rule(p) for p in rule_files(root)]
