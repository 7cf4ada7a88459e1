"""explain: the derivation of an inferred triple, down to asserted triples.

Each step names the OWL 2 RL rule (its name in the OWL 2 RL specification)
or the rule file that produced it; each asserted leaf names its ontology or
data file and line and, for a claim, the excerpts that ground it.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, Namespace
from rdflib.namespace import RDF

from kg.pipeline.build import DERIVATIONS
from kg.errors import NotFound
from kg.pipeline.load import INFERRED, GRAPH
from kg.paths import build_dir, project_dir
from kg.terms import nt, parse_nt, short

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")


def load_derivations(out: Path | None = None) -> dict:
    why = {}
    with open((out or build_dir()) / DERIVATIONS, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            why[row["t"]] = (row["rule"], row["premises"])
    return why


class Explainer:
    def __init__(self, dataset, why: dict):
        dataset.default_union = True  # leaves look up excerpts across graphs
        self.dataset, self.why = dataset, why

    def explain(self, triple) -> dict:
        """The derivation tree of a triple, or NotFound if it does not hold."""
        key = nt(triple)
        graph = self._asserted_in(triple)
        if graph is None and key not in self.why and (triple + (INFERRED,)) not in self.dataset:
            raise NotFound(f"neither asserted nor inferred: {' '.join(short(t) for t in triple)}")
        return self._node(key, set(), 0)

    def _node(self, key: str, seen: set, depth: int) -> dict:
        triple = parse_nt(key)
        node = {"triple": [short(t) for t in triple], "nt": key}
        graph = self._asserted_in(triple)
        if graph is not None:
            node.update(self._leaf(triple, graph))
            return node
        rule, premises = self.why.get(key, ("owlrl", []))
        node["rule"] = rule
        if key in seen or depth > 40:
            node["premises"] = []
            return node
        node["premises"] = [self._node(p if isinstance(p, str) else nt(p), seen | {key}, depth + 1)
                            for p in premises]
        return node

    def _asserted_in(self, triple):
        for s, p, o, g in self.dataset.quads(triple + (None,)):
            ident = getattr(g, "identifier", g)
            if ident != INFERRED:
                return ident
        return None

    def _leaf(self, triple, graph_iri) -> dict:
        name = str(graph_iri)[len(GRAPH):]  # "data/matrix-b5"
        path = project_dir() / f"{name}.ttl"
        leaf = {"asserted": True, "file": f"{name}.ttl", "line": find_line(path, triple)}
        subject = triple[0]
        if (subject, RDF.type, PE.Claim) in self.dataset or (subject, PE.evidence, None) in self.dataset:
            leaf["excerpts"] = [
                {"iri": str(ex), "exact": str(self.dataset.value(ex, PE.exact)),
                 "start": int(self.dataset.value(ex, PE.start)), "end": int(self.dataset.value(ex, PE.end))}
                for ex in sorted(set(self.dataset.objects(subject, PE.evidence)))
                if self.dataset.value(ex, PE.exact) is not None
            ]
        return leaf


@lru_cache(maxsize=64)
def _file_lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _prefixes(path: Path) -> tuple[tuple[str, str], ...]:
    pairs = re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", "\n".join(_file_lines(path)))
    return tuple(pairs)


def _forms(term, path: Path) -> list[str]:
    if isinstance(term, Literal):
        return [str(term)[:40]]
    forms = [f"<{term}>"]
    for prefix, ns in _prefixes(path):
        if str(term).startswith(ns) and len(str(term)) > len(ns):
            forms.append(f"{prefix}:{str(term)[len(ns):]}")
    if term == RDF.type:
        forms.append(" a ")
    return forms


def find_line(path: Path, triple) -> int:
    """Line of the statement in a Turtle file: within a block that starts
    with the subject, the first line naming the predicate with the object
    on it or after it; else the subject's first line; else 1."""
    lines = _file_lines(path)
    subjects, predicates, objects = (_forms(term, path) for term in triple)
    first = None
    for i, line in enumerate(lines):
        if not any(line.startswith(f) and line[len(f):len(f) + 1] in (" ", "\t", "") for f in subjects):
            continue
        first = i if first is None else first
        block = _block(lines, i)
        for j in block:
            rest = "\n".join(lines[j:block[-1] + 1])
            if any(f in f" {lines[j]} " for f in predicates) and any(f in rest for f in objects):
                return j + 1
    return first + 1 if first is not None else 1


def _block(lines, i) -> list[int]:
    out = []
    for j in range(i, len(lines)):
        out.append(j)
        if lines[j].rstrip().endswith(" .") or lines[j].rstrip() == ".":
            break
    return out


def render_text(node: dict, indent: str = "") -> str:
    head = " ".join(node["triple"])
    if node.get("asserted"):
        out = [f"{indent}{head}\n{indent}    asserted in {node['file']}:{node['line']}"]
        for ex in node.get("excerpts", []):
            out.append(f"{indent}    excerpt [{ex['start']}:{ex['end']}]: \"{ex['exact']}\"")
        return "\n".join(out)
    lines = [f"{indent}{head}\n{indent}    by {node['rule']} from:"]
    for child in node.get("premises", []):
        lines.append(render_text(child, indent + "    "))
    return "\n".join(lines)
