"""Inconsistencies: the OWL 2 RL/RDF rules whose conclusion is ``false``.

The OWL 2 Profiles specification (section 4.3) gives these rules no
conclusion but "the graph is inconsistent": a member of ``owl:Nothing``
(cls-nothing2), of two disjoint classes (cax-dw, cax-adc) or of a class and
its complement (cls-com), ``owl:sameAs`` against ``owl:differentFrom`` or
``owl:AllDifferent`` (eq-diff1, eq-diff2/3), an irreflexive, asymmetric or
disjoint property used against its kind (prp-irp, prp-asyp, prp-pdw,
prp-adp), a negative property assertion that holds (prp-npa1/2), a maximum
cardinality of 0 exceeded (cls-maxc1, cls-maxqc1/2). owlrl records them as
error triples, which the noise filter would drop; here they are checked on
the closure (asserted and inferred triples) and each becomes one line naming
the rule, the resources and the files and lines that stated the premises.
Ill-typed literals (dt-not-type) are ``kg.pipeline.literals``'s.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from rdflib import OWL, RDF

from kg.pipeline.statement_lines import find_line
from kg.pipeline.reason import reason
from kg.pipeline.rules import load_rules
from kg.terms import short

TYPE, SAME_AS = RDF.type, OWL.sameAs
_MEMBERS = object()  # the key under which rdf:type is indexed by class (class -> members)


@dataclass(frozen=True)
class Inconsistency:
    rule: str
    message: str
    premises: tuple  # the triples that together are false


class Closure:
    """The closure indexed for the checks. ``index``: the closure already
    indexed by the caller (the engine's store: ``pairs(p)``, ``objects(s, p)``,
    ``subjects(p, o)``), read as it is; without one, one pass over
    ``triples`` sorts them by predicate, and a predicate's subject index is
    made the first time a check asks (most graphs have none of the
    vocabulary these rules need)."""

    def __init__(self, triples, index=None):
        self._index = index
        self._by_p: dict = {}
        if index is None:
            self._by_p = defaultdict(list)
            for s, p, o in triples:
                self._by_p[p].append((s, o))
            self._by_p[_MEMBERS] = [(c, x) for x, c in self._by_p.get(TYPE, ())]
        self._by_s: dict = {}

    def by_p(self, p) -> list:
        if self._index is None:
            return self._by_p.get(p, [])
        found = self._by_p.get(p)
        if found is None:
            found = self._by_p[p] = list(self._index.pairs(p))
        return found

    def objects(self, s, p) -> set:
        if self._index is not None:
            return set(self._index.objects(s, p))
        index = self._by_s.get(p)
        if index is None:
            index = self._by_s[p] = defaultdict(set)
            for subject, o in self.by_p(p):
                index[subject].add(o)
        return index.get(s, set())

    def instances(self, c) -> set:
        if self._index is not None:
            return set(self._index.subjects(TYPE, c))
        return self.objects(c, _MEMBERS)

    def items(self, head) -> list:
        """An rdf:List's members (stopping at a cycle or a missing cell)."""
        out, seen = [], set()
        while head is not None and head != RDF.nil and head not in seen:
            seen.add(head)
            out += sorted(self.objects(head, RDF.first))
            head = next(iter(self.objects(head, RDF.rest)), None)
        return out


def inconsistencies(triples, index=None) -> list[Inconsistency]:
    """``index``: see :class:`Closure` (e.g. :attr:`kg.pipeline.reason.Inference.index`)."""
    closure = Closure(triples, index)
    found = []
    for check in (_classes, _equality, _properties, _cardinalities):
        found += check(closure)
    return sorted(set(found), key=lambda i: (i.rule, i.message))


def _classes(g: Closure):
    for x in g.instances(OWL.Nothing):
        yield Inconsistency("cls-nothing2", f"{short(x)} is a member of owl:Nothing", ((x, TYPE, OWL.Nothing),))
    for rule, c1, c2, axiom in _disjoint_class_pairs(g):
        for x in sorted(g.instances(c1) & g.instances(c2)):
            word = "complementary" if rule == "cls-com" else "disjoint"
            yield Inconsistency(rule, f"{short(x)} is a member of {word} classes {short(c1)} and {short(c2)}",
                                (axiom, (x, TYPE, c1), (x, TYPE, c2)))


def _disjoint_class_pairs(g: Closure):
    for c1, c2 in g.by_p(OWL.disjointWith):
        yield "cax-dw", c1, c2, (c1, OWL.disjointWith, c2)
    for c1, c2 in g.by_p(OWL.complementOf):
        yield "cls-com", c1, c2, (c1, OWL.complementOf, c2)
    for axiom in g.instances(OWL.AllDisjointClasses):
        for members in g.objects(axiom, OWL.members):
            for c1, c2 in combinations(g.items(members), 2):
                yield "cax-adc", c1, c2, (axiom, OWL.members, members)


def _equality(g: Closure):
    for x, y in g.by_p(OWL.differentFrom):
        if x != y and (y in g.objects(x, SAME_AS) or x in g.objects(y, SAME_AS)):
            yield Inconsistency("eq-diff1", f"{short(x)} is owl:sameAs and owl:differentFrom {short(y)}",
                                ((x, OWL.differentFrom, y), (x, SAME_AS, y)))
    for axiom in g.instances(OWL.AllDifferent):
        for kind, rule in ((OWL.members, "eq-diff2"), (OWL.distinctMembers, "eq-diff3")):
            for members in g.objects(axiom, kind):
                for x, y in combinations(g.items(members), 2):
                    if x != y and y in g.objects(x, SAME_AS):
                        yield Inconsistency(rule, f"{short(x)} and {short(y)} are owl:AllDifferent and owl:sameAs",
                                            ((axiom, kind, members), (x, SAME_AS, y)))


def _properties(g: Closure):
    for p in g.instances(OWL.IrreflexiveProperty):
        for x, y in g.by_p(p):
            if x == y:
                yield Inconsistency("prp-irp", f"{short(x)} {short(p)} itself, and {short(p)} is irreflexive",
                                    ((p, TYPE, OWL.IrreflexiveProperty), (x, p, x)))
    for p in g.instances(OWL.AsymmetricProperty):
        for x, y in g.by_p(p):
            if x in g.objects(y, p):
                yield Inconsistency("prp-asyp", f"{short(x)} and {short(y)} {short(p)} each other, and it is asymmetric",
                                    ((p, TYPE, OWL.AsymmetricProperty), (x, p, y), (y, p, x)))
    for p1, p2, axiom in _disjoint_property_pairs(g):
        for x, y in g.by_p(p1):
            if y in g.objects(x, p2):
                yield Inconsistency("prp-pdw" if axiom[1] == OWL.propertyDisjointWith else "prp-adp",
                                    f"{short(x)} {short(p1)} and {short(p2)} {short(y)}, and they are disjoint",
                                    (axiom, (x, p1, y), (x, p2, y)))
    yield from _negative_assertions(g)


def _disjoint_property_pairs(g: Closure):
    for p1, p2 in g.by_p(OWL.propertyDisjointWith):
        yield p1, p2, (p1, OWL.propertyDisjointWith, p2)
    for axiom in g.instances(OWL.AllDisjointProperties):
        for members in g.objects(axiom, OWL.members):
            for p1, p2 in combinations(g.items(members), 2):
                yield p1, p2, (axiom, OWL.members, members)


def _negative_assertions(g: Closure):
    for x, i1 in g.by_p(OWL.sourceIndividual):
        for p in g.objects(x, OWL.assertionProperty):
            for kind, rule in ((OWL.targetIndividual, "prp-npa1"), (OWL.targetValue, "prp-npa2")):
                for i2 in g.objects(x, kind):
                    if i2 in g.objects(i1, p):
                        yield Inconsistency(rule, f"{short(i1)} {short(p)} {short(i2)}, asserted not to hold",
                                            ((x, OWL.sourceIndividual, i1), (i1, p, i2)))


def _cardinalities(g: Closure):
    """cls-maxc1, and cls-maxqc1/2 (on a class, or on owl:Thing)."""
    for kind in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        for x, n in g.by_p(kind):
            if str(n) != "0":
                continue
            classes = g.objects(x, OWL.onClass) if kind == OWL.maxQualifiedCardinality else {None}
            for p in g.objects(x, OWL.onProperty):
                for u in g.instances(x):
                    for y, c in ((y, c) for y in g.objects(u, p) for c in classes):
                        if c is None or c == OWL.Thing or y in g.instances(c):
                            rule = "cls-maxc1" if c is None else "cls-maxqc2" if c == OWL.Thing else "cls-maxqc1"
                            yield Inconsistency(rule, f"{short(u)} {short(p)} {short(y)}, and {short(u)} "
                                                      f"may have no {short(p)}", ((x, kind, n), (u, TYPE, x), (u, p, y)))


# ---------------------------------------------------------------- reporting
def problem_lines(found: list[Inconsistency], dataset, by_graph, why: dict | None = None) -> list[str]:
    """One line each: where, which rule, what, and where its premises were
    stated (an inferred premise is followed down to what was asserted).
    One line for the same rule from the same statements: owl:sameAs copies
    one clash onto every name of the resources."""
    lines, seen = [], set()
    for item in found:
        places = []
        for premise in item.premises:
            for leaf in _asserted_leaves(premise, dataset, by_graph, why or {}):
                if leaf not in places:
                    places.append(leaf)
        key = (item.rule, frozenset(places)) if places else item
        if key in seen:
            continue
        seen.add(key)
        stated = f" (stated at {', '.join(places)})" if places else ""
        lines.append(f"{places[0] if places else 'data'}: inconsistent ({item.rule}): {item.message}{stated}")
    return lines


def _asserted_leaves(triple, dataset, by_graph, why: dict, depth: int = 0) -> list[str]:
    for graph_iri, source in by_graph.items():
        if triple in dataset.graph(graph_iri):
            return [f"{source.display}:{find_line(source.path, triple)}"]
    _rule, premises = why.get(triple, ("", ()))
    if depth > 8:
        return []
    return [leaf for p in premises for leaf in _asserted_leaves(p, dataset, by_graph, why, depth + 1)]


def check(dataset, by_graph) -> list[str]:
    """For ``kg validate``: reason as ``kg build`` does, then check."""
    asserted = {(s, p, o) for s, p, o, _g in dataset.quads()}
    inference = reason(asserted, load_rules())
    return problem_lines(inconsistencies(inference.closure, inference.index), dataset, by_graph, inference.why)
