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


class TripleIndex:
    """A set of triples with the lookups the non-SHACL checks make of an
    rdflib Graph, each with its predicate given: ``subjects(p, o)``,
    ``objects(s, p)``, ``value(s, p)``, ``subject_objects(p)``; and
    iteration. One pass sorts the triples by predicate; a predicate's
    indexes are made the first time it is asked for (the checks ask for a
    dozen of them), so a lookup is a dict access, not a walk through
    rdflib's store and its contexts."""

    def __init__(self, triples: set) -> None:
        self._triples = triples
        self._pairs: dict = {}
        for s, p, o in triples:
            found = self._pairs.get(p)
            if found is None:
                found = self._pairs[p] = []
            found.append((s, o))
        self._forward: dict = {}  # predicate -> subject -> objects
        self._backward: dict = {}  # predicate -> object -> subjects

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple) -> bool:
        return triple in self._triples

    def _index(self, cache: dict, p, key: int) -> dict:
        found = cache.get(p)
        if found is None:
            found = cache[p] = {}
            for pair in self._pairs.get(p, ()):
                found.setdefault(pair[key], []).append(pair[1 - key])
        return found

    def subject_objects(self, predicate):
        return iter(self._pairs.get(predicate, ()))

    def subjects(self, predicate, obj=None):
        if obj is None:
            return iter(self._index(self._forward, predicate, 0))
        return iter(self._index(self._backward, predicate, 1).get(obj, ()))

    def objects(self, subject, predicate):
        index = self._forward.get(predicate)
        if index is None:
            index = self._index(self._forward, predicate, 0)
        return iter(index.get(subject, ()))

    def value(self, subject, predicate, default=None):
        index = self._forward.get(predicate)
        if index is None:
            index = self._index(self._forward, predicate, 0)
        found = index.get(subject)
        return found[0] if found else default


class Graphs:
    """The inputs' named graphs, each a :class:`TripleSet`, and the prefixes
    their files declare."""

    def __init__(self) -> None:
        self.named: dict[URIRef, TripleSet] = {}
        self.prefixes: dict[str, str] = {}
        self._asserted: set | None = None

    def add_graph(self, iri: URIRef, triples: set, prefixes: dict[str, str]) -> None:
        self.named[iri] = TripleSet(triples)
        self._asserted = None
        for prefix, namespace in prefixes.items():
            self.prefixes.setdefault(prefix, namespace)

    def graph(self, iri) -> TripleSet:
        return self.named.get(iri) or TripleSet(set())

    def quads(self, pattern=None):
        s, p, o, g = pattern if pattern is not None else (None, None, None, None)
        for iri, triples in self.named.items():
            if g is None or g == iri:
                yield from ((*t, iri) for t in triples.triples((s, p, o)))

    def __len__(self) -> int:
        """Distinct triples, as ``len`` of an rdflib Dataset counts them."""
        return len(self.asserted())

    def asserted(self) -> set:
        """Every triple of every graph: what the reasoner starts from and the
        checks' index holds (made once: the build asks for it from both)."""
        if self._asserted is None:
            self._asserted = set()
            for triples in self.named.values():
                self._asserted |= triples.triples_set
        return self._asserted

    def index(self) -> TripleIndex:
        """All graphs' triples, indexed for the non-SHACL checks."""
        return TripleIndex(self.asserted())

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
