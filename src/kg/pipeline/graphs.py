"""The parsed inputs as the build holds them: one set of triples (rdflib
terms) per named graph.

An rdflib Dataset costs about 50 µs and several hundred bytes per triple
added (its store keeps three indexes and a context map per triple); the
build only needs the sets, their union (to reason over) and, for the
checks' error lines, "is this triple, or this subject, stated in that
file". :class:`Graphs` answers what the checks ask of a Dataset
(``graph(iri)``, ``in``, ``quads()``) and makes an rdflib Graph or Dataset
only when asked (pySHACL and the non-SHACL checks read an rdflib Graph;
``load_dataset`` hands users a Dataset).
"""
from __future__ import annotations

from rdflib import Dataset, Graph, URIRef


class TripleSet:
    """A named graph's triples: membership of a triple, or of a pattern with
    None for any term (a subject index is made the first time one is asked)."""

    def __init__(self, triples: set) -> None:
        self.triples_set = triples
        self._by_subject: dict | None = None

    def __len__(self) -> int:
        return len(self.triples_set)

    def __iter__(self):
        return iter(self.triples_set)

    def __contains__(self, pattern) -> bool:
        s, p, o = pattern
        if s is not None and p is not None and o is not None:
            return pattern in self.triples_set
        return next(self.triples(pattern), None) is not None

    def triples(self, pattern):
        s, p, o = pattern
        if s is None:
            candidates = self.triples_set
        else:
            if self._by_subject is None:
                self._by_subject = {}
                for t in self.triples_set:
                    self._by_subject.setdefault(t[0], []).append(t)
            candidates = self._by_subject.get(s, ())
        return (t for t in candidates if (p is None or t[1] == p) and (o is None or t[2] == o))


class Graphs:
    """The inputs' named graphs, each a :class:`TripleSet`, and the prefixes
    their files declare."""

    def __init__(self) -> None:
        self.named: dict[URIRef, TripleSet] = {}
        self.prefixes: dict[str, str] = {}

    def add_graph(self, iri: URIRef, triples: set, prefixes: dict[str, str]) -> None:
        self.named[iri] = TripleSet(triples)
        for prefix, namespace in prefixes.items():
            self.prefixes.setdefault(prefix, namespace)

    def graph(self, iri) -> TripleSet:
        return self.named.get(iri) or TripleSet(set())

    def quads(self, pattern=None):
        s, p, o, g = pattern if pattern is not None else (None, None, None, None)
        for iri, triples in self.named.items():
            if g is None or g == iri:
                yield from ((*t, iri) for t in triples.triples((s, p, o)))

    def asserted(self) -> set:
        """Every triple of every graph: what the reasoner starts from."""
        out = set()
        for triples in self.named.values():
            out |= triples.triples_set
        return out

    def union(self) -> Graph:
        """All graphs in one rdflib Graph (made afresh: the caller lets it go)."""
        data = Graph()
        for prefix, namespace in self.prefixes.items():
            data.bind(prefix, namespace, override=False)
        for triples in self.named.values():
            data.addN((s, p, o, data) for s, p, o in triples)
        return data

    def dataset(self) -> Dataset:
        dataset = Dataset()
        for prefix, namespace in self.prefixes.items():
            dataset.bind(prefix, namespace, override=False)
        for iri, triples in self.named.items():
            graph = dataset.graph(iri)
            graph.addN((s, p, o, graph) for s, p, o in triples)
        return dataset
