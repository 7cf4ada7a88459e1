"""A forward-chaining OWL 2 RL engine that records why it derived each triple.

It implements the OWL 2 RL/RDF rules (names as in the OWL 2 Profiles
specification, section 4.3) that this ontology's constructs need, and each
derived triple keeps the rule and premises of its first derivation, which is
what ``explain`` walks. Every triple is examined once as it enters (the
semi-naive strategy), joined against indexes of everything derived so far.

Results are compared with ``owlrl.DeductiveClosure(OWLRL_Semantics)`` by the
test suite, after the same noise filter (``kg.noise``). Constructs outside
the implemented rules (intersections, unions, someValuesFrom, cardinalities,
keys …) are reported by :func:`unsupported_constructs`; the reasoner then
falls back to owlrl itself.

Triples with a literal subject (literal typing) are never produced: they are
noise and no rule here takes them as a premise.

Terms are interned (one Python object per distinct term) and literals are
recognised by ``type(term) is Literal``: rdflib's term equality and its
abstract-class ``isinstance`` checks are what the inner loops spent most of
their time on.
"""
from __future__ import annotations

from collections import defaultdict, deque
from typing import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, BNode, Literal
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

TYPE, SUB_CLASS, SUB_PROP = RDF.type, RDFS.subClassOf, RDFS.subPropertyOf
DOMAIN, RANGE = RDFS.domain, RDFS.range
EQ_CLASS, EQ_PROP, INVERSE = OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf
SAME_AS, HAS_VALUE, ON_PROP = OWL.sameAs, OWL.hasValue, OWL.onProperty
CHAIN, FIRST, REST, NIL = OWL.propertyChainAxiom, RDF.first, RDF.rest, RDF.nil
SYMMETRIC, TRANSITIVE = OWL.SymmetricProperty, OWL.TransitiveProperty
LIST_PREDICATES = frozenset((CHAIN, FIRST, REST))
VOCABULARY = (TYPE, SUB_CLASS, SUB_PROP, DOMAIN, RANGE, EQ_CLASS, EQ_PROP, INVERSE, SAME_AS,
              HAS_VALUE, ON_PROP, CHAIN, FIRST, REST, NIL, SYMMETRIC, TRANSITIVE)

UNSUPPORTED = frozenset((
    OWL.intersectionOf, OWL.unionOf, OWL.someValuesFrom, OWL.allValuesFrom,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality, OWL.hasKey,
    OWL.propertyDisjointWith, OWL.disjointWith, OWL.complementOf, OWL.oneOf,
    OWL.differentFrom, OWL.sourceIndividual, OWL.members, OWL.distinctMembers,
    OWL.AllDisjointClasses, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
    OWL.IrreflexiveProperty, OWL.AsymmetricProperty, OWL.onClass,
))


def unsupported_constructs(triples: Iterable[Triple]) -> set[Node]:
    """OWL terms in the input that this engine has no rules for."""
    used = set()
    for _s, p, o in triples:
        if p in UNSUPPORTED:
            used.add(p)
        elif o in UNSUPPORTED and p == TYPE:
            used.add(o)
    return used


class Store:
    """Every triple known, and indexes of those already processed.

    A triple enters the indexes only when the engine takes it off the agenda,
    so each combination of premises is joined once, when its last premise is
    processed (the semi-naive strategy)."""

    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.sp: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.po: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))

    def add(self, t: Triple) -> bool:
        if t in self.triples:
            return False
        self.triples.add(t)
        return True

    def index(self, t: Triple) -> None:
        s, p, o = t
        self.sp[s][p].add(o)
        self.po[p][o].add(s)

    def objects(self, s: Node, p: Node) -> set[Node]:
        by_p = self.sp.get(s)
        return by_p.get(p, set()) if by_p else set()

    def subjects(self, p: Node, o: Node) -> set[Node]:
        by_o = self.po.get(p)
        return by_o.get(o, set()) if by_o else set()

    def pairs(self, p: Node) -> Iterator[tuple[Node, Node]]:
        for o, subjects in list(self.po.get(p, {}).items()):
            for s in list(subjects):
                yield s, o

    def value(self, s: Node, p: Node) -> Node | None:
        values = self.objects(s, p)
        return next(iter(values)) if values else None


class Engine:
    """Run OWL 2 RL rules to a fixpoint, keeping one derivation per triple."""

    def __init__(self) -> None:
        self.store = Store()
        self.why: dict[Triple, tuple[str, tuple[Triple, ...]]] = {}
        self._agenda: deque[Triple] = deque()
        # link predicate -> [(chain property, list head, chain, position)];
        # None when a chain axiom or list cell arrived since it was built
        self._chain_links: dict[Node, list] | None = None
        self._has_same_as = False  # no eq-rep-* work until an owl:sameAs arrives
        # one object per distinct term, so that set and dict look-ups succeed
        # on identity instead of calling rdflib's (slow) term equality
        self._terms: dict[Node, Node] = {term: term for term in VOCABULARY}

    # ------------------------------------------------------------ public
    def intern(self, t: Triple) -> Triple:
        terms = self._terms
        return tuple(terms.setdefault(term, term) for term in t)

    def assert_triples(self, triples: Iterable[Triple]) -> None:
        for t in triples:
            t = self.intern(t)
            if self.store.add(t):
                self._agenda.append(t)

    def derive(self, t: Triple, rule: str, premises: tuple[Triple, ...]) -> bool:
        """Add a derived triple (also used for domain rules)."""
        if type(t[0]) is Literal or t in self.store.triples:
            return False
        self.store.add(t)
        self.why[t] = (rule, premises)
        self._agenda.append(t)
        return True

    def run(self) -> int:
        """Process the agenda to a fixpoint; returns triples derived."""
        before = len(self.why)
        while self._agenda:
            self._fire(self._agenda.popleft())
        return len(self.why) - before

    # ------------------------------------------------------------ dispatch
    def _fire(self, t: Triple) -> None:
        s, p, o = t
        self.store.index(t)
        if p in LIST_PREDICATES:
            self._chain_links = None
            if p != CHAIN:  # a list cell may complete a chain axiom seen before
                for prop, head in list(self.store.pairs(CHAIN)):
                    self._chain_schema((prop, CHAIN, head))
        self._properties(t)
        handler = self._schema_handlers.get(p)
        if handler is not None:
            handler(t)
        if self._has_same_as and p is not SAME_AS and (
                self.store.objects(s, SAME_AS) or self.store.objects(o, SAME_AS)):
            self._replace_same(t)

    @property
    def _schema_handlers(self) -> dict:
        handlers = self.__dict__.get("_handlers")
        if handlers is None:
            restriction = lambda t: self._restriction_schema(t[0])  # noqa: E731
            handlers = self.__dict__["_handlers"] = {
                TYPE: self._typed, SUB_CLASS: self._sub_class, SUB_PROP: self._sub_property,
                DOMAIN: self._domain_range_schema, RANGE: self._domain_range_schema,
                EQ_CLASS: self._equivalent_class, EQ_PROP: self._equivalent_property,
                INVERSE: self._inverse_schema, CHAIN: self._chain_schema,
                HAS_VALUE: restriction, ON_PROP: restriction, SAME_AS: self._same_as,
            }
        return handlers

    # ------------------------------------------------------------ prp-*: a data triple meets the schema
    def _properties(self, t: Triple) -> None:
        s, p, o = t
        st = self.store
        for c in st.objects(p, DOMAIN):
            self.derive((s, TYPE, c), "prp-dom", ((p, DOMAIN, c), t))
        if type(o) is not Literal:
            for c in st.objects(p, RANGE):
                self.derive((o, TYPE, c), "prp-rng", ((p, RANGE, c), t))
            types = st.objects(p, TYPE)
            if SYMMETRIC in types:
                self.derive((o, p, s), "prp-symp", ((p, TYPE, SYMMETRIC), t))
            if TRANSITIVE in types:
                self._transitive_step(t)
            for q in st.objects(p, INVERSE):
                self.derive((o, q, s), "prp-inv1", ((p, INVERSE, q), t))
            for q in st.subjects(INVERSE, p):
                self.derive((o, q, s), "prp-inv2", ((q, INVERSE, p), t))
        for q in st.objects(p, SUB_PROP):
            self.derive((s, q, o), "prp-spo1", ((p, SUB_PROP, q), t))
        for q in st.objects(p, EQ_PROP):
            self.derive((s, q, o), "prp-eqp1", ((p, EQ_PROP, q), t))
        for q in st.subjects(EQ_PROP, p):
            self.derive((s, q, o), "prp-eqp2", ((q, EQ_PROP, p), t))
        for c in st.subjects(ON_PROP, p):
            value = st.value(c, HAS_VALUE)
            if value is not None and value == o:
                self.derive((s, TYPE, c), "cls-hv2", ((c, HAS_VALUE, o), (c, ON_PROP, p), t))
        self._chains_through(t)

    def _transitive_step(self, t: Triple) -> None:
        s, p, o = t
        axiom = (p, TYPE, TRANSITIVE)
        for z in list(self.store.objects(o, p)):
            self.derive((s, p, z), "prp-trp", (axiom, t, (o, p, z)))
        for w in list(self.store.subjects(p, s)):
            self.derive((w, p, o), "prp-trp", (axiom, (w, p, s), t))

    # ------------------------------------------------------------ prp-spo2: property chains
    def _chain_list(self, head: Node) -> list[Node]:
        """The list's members, or [] while it is not yet complete down to rdf:nil."""
        items, node, seen = [], head, set()
        while node != NIL:
            first = self.store.value(node, FIRST)
            if first is None or node in seen:
                return []
            seen.add(node)
            items.append(first)
            node = self.store.value(node, REST)
            if node is None:
                return []
        return items

    def _chains_through(self, t: Triple) -> None:
        if self._chain_links is None:
            links: dict[Node, list] = defaultdict(list)
            for prop, head in list(self.store.pairs(CHAIN)):
                chain = self._chain_list(head)
                for k, link in enumerate(chain):
                    links[link].append((prop, head, chain, k))
            self._chain_links = dict(links)
        for prop, head, chain, k in self._chain_links.get(t[1], ()):
            self._complete_chain(prop, head, chain, k, t)

    def _complete_chain(self, prop, head, chain, k, t: Triple) -> None:
        lefts = self._walk(t[0], chain[:k][::-1], backward=True)
        rights = self._walk(t[2], chain[k + 1:], backward=False)
        for start, left in lefts:
            for end, right in rights:
                premises = ((prop, CHAIN, head),) + tuple(reversed(left)) + (t,) + tuple(right)
                self.derive((start, prop, end), "prp-spo2", premises)

    def _walk(self, node, links, backward: bool):
        paths = [(node, [])]
        for link in links:
            step = []
            for here, path in paths:
                if backward:
                    step += [(w, path + [(w, link, here)]) for w in self.store.subjects(link, here)]
                else:
                    step += [(z, path + [(here, link, z)]) for z in self.store.objects(here, link)]
            paths = step
        return paths

    def _chain_schema(self, t: Triple) -> None:
        prop, _, head = t
        chain = self._chain_list(head)
        if not chain:
            return
        for s, o in list(self.store.pairs(chain[0])):
            self._complete_chain(prop, head, chain, 0, (s, chain[0], o))

    # ------------------------------------------------------------ cax-*, cls-hv1: a typed individual
    def _typed(self, t: Triple) -> None:
        x, _, c = t
        st = self.store
        for d in st.objects(c, SUB_CLASS):
            self.derive((x, TYPE, d), "cax-sco", ((c, SUB_CLASS, d), t))
        for d in st.objects(c, EQ_CLASS):
            self.derive((x, TYPE, d), "cax-eqc1", ((c, EQ_CLASS, d), t))
        for d in st.subjects(EQ_CLASS, c):
            self.derive((x, TYPE, d), "cax-eqc2", ((d, EQ_CLASS, c), t))
        value, prop = st.value(c, HAS_VALUE), st.value(c, ON_PROP)
        if value is not None and prop is not None:
            self.derive((x, prop, value), "cls-hv1", ((c, HAS_VALUE, value), (c, ON_PROP, prop), t))
        if c == TRANSITIVE:
            for s, o in list(st.pairs(x)):
                self._transitive_step((s, x, o))
        elif c == SYMMETRIC:
            for s, o in list(st.pairs(x)):
                if type(o) is not Literal:
                    self.derive((o, x, s), "prp-symp", (t, (s, x, o)))

    def _restriction_schema(self, c: Node) -> None:
        value, prop = self.store.value(c, HAS_VALUE), self.store.value(c, ON_PROP)
        if value is None or prop is None:
            return
        premises = ((c, HAS_VALUE, value), (c, ON_PROP, prop))
        for x in list(self.store.subjects(TYPE, c)):
            self.derive((x, prop, value), "cls-hv1", premises + ((x, TYPE, c),))
        for x in list(self.store.subjects(prop, value)):
            self.derive((x, TYPE, c), "cls-hv2", premises + ((x, prop, value),))
        for sub in list(self.store.objects(prop, SUB_PROP)) + list(self.store.subjects(SUB_PROP, prop)):
            self._scm_hv_for(sub)
        self._scm_hv_for(prop)

    # ------------------------------------------------------------ scm-*: schema meets schema
    def _sub_class(self, t: Triple) -> None:
        c1, _, c2 = t
        st = self.store
        for x in list(st.subjects(TYPE, c1)):
            self.derive((x, TYPE, c2), "cax-sco", (t, (x, TYPE, c1)))
        self._schema_order(t, EQ_CLASS, "scm-sco", "scm-eqc2")
        for p in list(st.subjects(DOMAIN, c1)):
            self.derive((p, DOMAIN, c2), "scm-dom1", ((p, DOMAIN, c1), t))
        for p in list(st.subjects(RANGE, c1)):
            self.derive((p, RANGE, c2), "scm-rng1", ((p, RANGE, c1), t))

    def _schema_order(self, t: Triple, equivalent: Node, transitive_rule: str, mutual_rule: str) -> None:
        """scm-sco/scm-spo: subClassOf and subPropertyOf are transitive;
        scm-eqc2/scm-eqp2: each under the other makes them equivalent."""
        a, relation, b = t
        st = self.store
        for c in list(st.objects(b, relation)):
            self.derive((a, relation, c), transitive_rule, (t, (b, relation, c)))
        for z in list(st.subjects(relation, a)):
            self.derive((z, relation, b), transitive_rule, ((z, relation, a), t))
        if a in st.objects(b, relation):
            self.derive((a, equivalent, b), mutual_rule, (t, (b, relation, a)))
            self.derive((b, equivalent, a), mutual_rule, ((b, relation, a), t))

    def _sub_property(self, t: Triple) -> None:
        p1, _, p2 = t
        st = self.store
        for s, o in list(st.pairs(p1)):
            self.derive((s, p2, o), "prp-spo1", (t, (s, p1, o)))
        self._schema_order(t, EQ_PROP, "scm-spo", "scm-eqp2")
        for c in list(st.objects(p2, DOMAIN)):
            self.derive((p1, DOMAIN, c), "scm-dom2", ((p2, DOMAIN, c), t))
        for c in list(st.objects(p2, RANGE)):
            self.derive((p1, RANGE, c), "scm-rng2", ((p2, RANGE, c), t))
        self._scm_hv_for(p1)

    def _scm_hv_for(self, p1: Node) -> None:
        """scm-hv: restrictions with one value on a property and its super-property."""
        st = self.store
        for c1 in list(st.subjects(ON_PROP, p1)):
            value = st.value(c1, HAS_VALUE)
            if value is None:
                continue
            for p2 in list(st.objects(p1, SUB_PROP)):
                for c2 in list(st.subjects(ON_PROP, p2)):
                    if value in st.objects(c2, HAS_VALUE):
                        premises = ((c1, HAS_VALUE, value), (c1, ON_PROP, p1),
                                    (c2, HAS_VALUE, value), (c2, ON_PROP, p2), (p1, SUB_PROP, p2))
                        self.derive((c1, SUB_CLASS, c2), "scm-hv", premises)

    def _domain_range_schema(self, t: Triple) -> None:
        p, kind, c = t
        st = self.store
        rule = "prp-dom" if kind == DOMAIN else "prp-rng"
        for s, o in list(st.pairs(p)):
            target = s if kind == DOMAIN else o
            if type(target) is not Literal:
                self.derive((target, TYPE, c), rule, (t, (s, p, o)))
        scm = "scm-dom1" if kind == DOMAIN else "scm-rng1"
        for d in list(st.objects(c, SUB_CLASS)):
            self.derive((p, kind, d), scm, (t, (c, SUB_CLASS, d)))
        scm = "scm-dom2" if kind == DOMAIN else "scm-rng2"
        for p0 in list(st.subjects(SUB_PROP, p)):
            self.derive((p0, kind, c), scm, (t, (p0, SUB_PROP, p)))

    def _equivalent_class(self, t: Triple) -> None:
        c1, _, c2 = t
        self.derive((c1, SUB_CLASS, c2), "scm-eqc1", (t,))
        self.derive((c2, SUB_CLASS, c1), "scm-eqc1", (t,))
        for x in list(self.store.subjects(TYPE, c1)):
            self.derive((x, TYPE, c2), "cax-eqc1", (t, (x, TYPE, c1)))
        for x in list(self.store.subjects(TYPE, c2)):
            self.derive((x, TYPE, c1), "cax-eqc2", (t, (x, TYPE, c2)))

    def _equivalent_property(self, t: Triple) -> None:
        p1, _, p2 = t
        self.derive((p1, SUB_PROP, p2), "scm-eqp1", (t,))
        self.derive((p2, SUB_PROP, p1), "scm-eqp1", (t,))
        for s, o in list(self.store.pairs(p1)):
            self.derive((s, p2, o), "prp-eqp1", (t, (s, p1, o)))
        for s, o in list(self.store.pairs(p2)):
            self.derive((s, p1, o), "prp-eqp2", (t, (s, p2, o)))

    def _inverse_schema(self, t: Triple) -> None:
        p, _, q = t
        for s, o in list(self.store.pairs(p)):
            if type(o) is not Literal:
                self.derive((o, q, s), "prp-inv1", (t, (s, p, o)))
        for s, o in list(self.store.pairs(q)):
            if type(o) is not Literal:
                self.derive((o, p, s), "prp-inv2", (t, (s, q, o)))

    # ------------------------------------------------------------ eq-*: owl:sameAs
    def _same_as(self, t: Triple) -> None:
        x, _, y = t
        self._has_same_as = True
        if x == y or type(y) is Literal:
            return
        self.derive((y, SAME_AS, x), "eq-sym", (t,))
        for z in list(self.store.objects(y, SAME_AS)):
            if z != x:
                self.derive((x, SAME_AS, z), "eq-trans", (t, (y, SAME_AS, z)))
        for p, objects in list(self.store.sp.get(x, {}).items()):
            for o in list(objects):
                self.derive((y, p, o), "eq-rep-s", (t, (x, p, o)))
        for p, by_o in list(self.store.po.items()):
            for s in list(by_o.get(x, ())):
                self.derive((s, p, y), "eq-rep-o", (t, (s, p, x)))

    def _replace_same(self, t: Triple) -> None:
        s, p, o = t
        for s2 in list(self.store.objects(s, SAME_AS)):
            if s2 != s:
                self.derive((s2, p, o), "eq-rep-s", ((s, SAME_AS, s2), t))
        if type(o) is not Literal:
            for o2 in list(self.store.objects(o, SAME_AS)):
                if o2 != o:
                    self.derive((s, p, o2), "eq-rep-o", ((o, SAME_AS, o2), t))


def is_blank(t: Triple) -> bool:
    return any(isinstance(term, BNode) for term in t)
