"""explain: the derivation of an inferred triple, down to asserted triples.

Each step names the OWL 2 RL rule (its name in the OWL 2 RL specification)
or the rule file that produced it; each asserted leaf names its ontology or
data file and line and, for a claim, the excerpts that ground it.
"""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import RDF

from kg.pipeline.build import DERIVATIONS
from kg.errors import NotFound
from kg.pipeline.load import INFERRED, GRAPH
from kg.pipeline.statement_lines import find_line
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
