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

from .errors import InputError
from .paths import project_dir


@dataclass
class Rule:
    name: str
    path: Path
    statement: str
    query: object
    predicates: set | None  # None: the rule has a variable predicate

    def matches(self, store_triples) -> list[tuple[tuple, tuple]]:
        """(conclusion, premises) for every solution over the given triples."""
        graph = Graph()
        for t in store_triples:
            if self.predicates is None or t[1] in self.predicates:
                graph.add(t)
        ctx = QueryContext(graph)
        algebra = self.query.algebra
        results = []
        for solution in evalPart(ctx, algebra.p):
            premises = tuple(t for t in _bind_all(_patterns(algebra.p), solution) if t in graph)
            for conclusion in _bind_all(algebra.template, solution):
                results.append((conclusion, premises))
        return results


def _patterns(part) -> list[tuple]:
    """Triple patterns of the positive BGPs in an algebra tree."""
    found = []
    if getattr(part, "name", None) == "BGP":
        return list(part.triples)
    if getattr(part, "name", None) in ("Filter",) and hasattr(part, "p"):
        return _patterns(part.p)
    for key in ("p", "p1", "p2"):
        child = part.get(key) if hasattr(part, "get") else None
        if child is not None and getattr(part, "name", None) not in ("Minus",) and not (
            key == "p2" and getattr(part, "name", None) == "LeftJoin"
        ):
            found += _patterns(child)
    return found


def _bind_all(patterns, solution) -> list[tuple]:
    out = []
    for pattern in patterns:
        bound = tuple(solution.get(t) if isinstance(t, Variable) else t for t in pattern)
        if None not in bound and not any(isinstance(t, RdfPath) for t in bound):
            out.append(bound)
    return out


def _predicates(query) -> set | None:
    preds = set()
    for s, p, o in _patterns(query.algebra.p) + _filter_patterns(query.algebra.p):
        if isinstance(p, Variable):
            return None
        if isinstance(p, RdfPath):
            return None
        preds.add(p)
    return preds


def _filter_patterns(part) -> list[tuple]:
    """Patterns inside FILTER (NOT) EXISTS: they must see their triples too."""
    found = []
    expr = getattr(part, "expr", None) if hasattr(part, "get") else None
    for node in _walk(expr):
        if getattr(node, "name", None) == "BGP":
            found += list(node.triples)
    for key in ("p", "p1", "p2"):
        child = part.get(key) if hasattr(part, "get") else None
        if child is not None:
            found += _filter_patterns(child)
    return found


def _walk(node):
    if node is None:
        return
    yield node
    if hasattr(node, "values"):
        for value in node.values():
            if hasattr(value, "name") or isinstance(value, (list, tuple)):
                yield from _walk(value) if hasattr(value, "name") else (x for v in value for x in _walk(v))


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
