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

Like owlrl, the engine lets a literal stand in subject position while it
reasons (an inverse or symmetric property whose value is a literal, a
chain or ``owl:sameAs`` through one): such triples can be stepping stones
to triples about IRIs. They, and triples whose predicate is a blank node
(an anonymous inverse), are noise and never reach the artefact.

The guard :func:`unsupported_constructs` also sends to owlrl the inputs
whose closure owlrl computes differently from the rule tables or where this
engine would have to copy its one-off behaviour: statements about the
reasoning vocabulary itself (``rdfs:subPropertyOf owl:sameAs``), datatype
IRIs used as classes of IRIs (owlrl's one-time dt-type rules),
``owl:sameAs`` to a literal, and property-chain lists that are not proper
lists (a cell without exactly one ``rdf:first`` and ``rdf:rest``, no
``rdf:nil`` at the end, a cycle).

Transitive properties join each new triple only with the edges that did not
come from transitivity itself (the left-linear form of the rule), so a chain
of n links costs what its n²/2 closure triples cost, not n³.

Terms are interned (one Python object per distinct term) and literals are
recognised by ``type(term) is Literal``: rdflib's term equality and its
abstract-class ``isinstance`` checks are what the inner loops spent most of
their time on. For the same reason the hot joins test whether a conclusion
is known before they build its premises (most conclusions restate a known
triple), and compare terms with ``is``, never ``==``.

Memory: the indexes hold a single value as the bare term (a set only from
two values on), and each derivation is one flat tuple (rule, premise …),
exposed as the ``(rule, premises)`` mapping ``reason()`` promises by
:class:`Derivations` (whose ``flat()`` yields the rows without re-packing).
The domain rules (``kg.pipeline.rules``) read the indexes through
:class:`GraphView` rather than a copy into an rdflib Graph.
"""
from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import KgError

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
CLASS, PROPERTY_KINDS = OWL.Class, frozenset((OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property))
THING, NOTHING = OWL.Thing, OWL.Nothing
INTERNED = VOCABULARY + (CLASS, THING, NOTHING) + tuple(PROPERTY_KINDS)  # compared with ``is``
# the terms the rules match in predicate position: a graph that talks about
# them (``ex:p rdfs:subPropertyOf owl:sameAs``) is reasoning about reasoning
RULE_PREDICATES = frozenset(VOCABULARY) - {NIL, SYMMETRIC, TRANSITIVE}
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
W3 = "http://www.w3.org/"
WATCHED = UNSUPPORTED | {TYPE, SAME_AS, EQ_CLASS, FIRST, REST, CHAIN}
DECLARATIONS = frozenset((OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property,
                          OWL.Class, RDFS.Class, RDFS.Datatype))
ANNOTATIONS = frozenset((RDFS.label, RDFS.comment, OWL.versionInfo))
DATATYPES = frozenset((RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, OWL.real, OWL.rational))


def _is_builtin(term: Node) -> bool:
    """An rdf:, rdfs:, owl: or xsd: IRI other than owl:Thing and owl:Nothing
    (whose schema triples, scm-cls, the engine derives as owlrl does)."""
    return type(term) is URIRef and str.startswith(term, BUILTIN_NAMESPACES) and term not in (THING, NOTHING)


def _is_harmless(p: Node, o: Node) -> bool:
    """What an ontology file often says about a built-in term, which no rule
    here or in owlrl turns into anything but noise: a declaration
    (``rdfs:label a owl:AnnotationProperty``) or a label or comment."""
    return (p == TYPE and o in DECLARATIONS) or (type(o) is Literal and p in ANNOTATIONS)


def _is_datatype(term: Node) -> bool:
    return type(term) is URIRef and (str.startswith(term, str(XSD)) or term in DATATYPES)


def unsupported_constructs(triples: Iterable[Triple]) -> set[Node]:
    """OWL terms or usages in the input that this engine has no rules for,
    or on which owlrl's closure is not the rule tables' (see the module
    docstring); empty when the engine gives owlrl's closure. KgError for a
    property chain whose list cannot be read one way."""
    used, watched = set(), defaultdict(list)
    # one cheap pass (C-level string tests first: this runs on every build),
    # then the few predicates that need a closer look
    for t in triples:
        s, p, o = t
        if p in WATCHED:
            watched[p].append(t)
        if type(s) is URIRef and str.startswith(s, W3) and _is_builtin(s) and not _is_harmless(p, o):
            used.add(s)
        if type(o) is URIRef and str.startswith(o, W3) and o in RULE_PREDICATES:
            used.add(o)
    used.update(p for p in watched if p in UNSUPPORTED)
    used.update(o for _s, _p, o in watched[TYPE] if o in UNSUPPORTED or _is_datatype(o))
    if any(type(o) is Literal or _is_builtin(o) for _s, _p, o in watched[SAME_AS]):
        used.add(SAME_AS)
    used.update(o for _s, _p, o in watched[EQ_CLASS] if _is_builtin(o))
    if _ill_formed_chain_lists(watched):
        used.add(CHAIN)
    return used


def _ill_formed_chain_lists(watched: dict[Node, list[Triple]]) -> bool:
    """A chain list owlrl and this engine would read differently: a cell
    without rdf:first or rdf:rest (no rdf:nil at the end), or one that is
    owl:sameAs something (its members would move). Raises KgError for a list
    no reasoner reads one way: a cell with several rdf:first or rdf:rest (owlrl
    takes one at random) or a cycle (owlrl stops)."""
    firsts, rests = defaultdict(list), defaultdict(list)
    for s, _p, o in watched[FIRST]:
        firsts[s].append(o)
    for s, _p, o in watched[REST]:
        rests[s].append(o)
    same = {term for s, _p, o in watched[SAME_AS] for term in (s, o)}
    ill_formed = False
    for prop, _p, head in watched[CHAIN]:
        node, seen = head, set()
        while node != NIL and not (node in same or not firsts[node] or not rests[node]):
            if node in seen or len(firsts[node]) > 1 or len(rests[node]) > 1:
                what = "comes round again" if node in seen else "has several rdf:first or rdf:rest"
                raise KgError(f"the owl:propertyChainAxiom list of {prop.n3()} is not a list: "
                              f"its cell {node.n3()} {what}")
            seen.add(node)
            node = rests[node][0]
        ill_formed = ill_formed or node != NIL
    return ill_formed


class Store:
    """Every triple known, and indexes of those already processed.

    A triple enters the indexes only when the engine takes it off the agenda,
    so each combination of premises is joined once, when its last premise is
    processed (the semi-naive strategy).

    In the indexes (subject -> predicate -> objects, predicate -> object ->
    subjects) a single value is held as the term itself and only two or more
    as a set: most subjects have one value per predicate and most objects one
    subject, and an empty-ish set costs 216 bytes where the term costs none.
    Read them through :meth:`objects`, :meth:`subjects`, :meth:`pairs`."""

    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.sp: dict[Node, dict[Node, Node | set[Node]]] = {}
        self.po: dict[Node, dict[Node, Node | set[Node]]] = {}

    def add(self, t: Triple) -> bool:
        triples = self.triples
        n = len(triples)
        triples.add(t)
        return len(triples) != n

    def index(self, t: Triple) -> None:
        # _put twice, spelled out: this runs once for every triple
        s, p, o = t
        by_p = self.sp.get(s)
        if by_p is None:
            self.sp[s] = {p: o}
        else:
            held = by_p.get(p)
            if held is None:
                by_p[p] = o
            elif type(held) is set:
                held.add(o)
            elif held is not o:
                by_p[p] = {held, o}
        by_o = self.po.get(p)
        if by_o is None:
            self.po[p] = {o: s}
        else:
            held = by_o.get(o)
            if held is None:
                by_o[o] = s
            elif type(held) is set:
                held.add(s)
            elif held is not s:
                by_o[o] = {held, s}

    def objects(self, s: Node, p: Node):
        """The objects of (s, p): a set, or a tuple of one (or none)."""
        by_p = self.sp.get(s)
        return _values(by_p.get(p)) if by_p else ()

    def subjects(self, p: Node, o: Node):
        by_o = self.po.get(p)
        return _values(by_o.get(o)) if by_o else ()

    def pairs(self, p: Node) -> Iterator[tuple[Node, Node]]:
        for o, subjects in list(self.po.get(p, {}).items()):
            if type(subjects) is set:
                for s in list(subjects):
                    yield s, o
            else:
                yield subjects, o

    def value(self, s: Node, p: Node) -> Node | None:
        values = self.objects(s, p)
        return next(iter(values)) if values else None


class GraphView:
    """A :class:`Store`'s processed triples as rdflib's SPARQL evaluator
    reads a graph: ``triples((s, p, o))`` with None as a wildcard, and ``in``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __contains__(self, t: Triple) -> bool:
        return t in self.store.triples

    def triples(self, pattern) -> Iterator[Triple]:
        s, p, o = pattern
        st = self.store
        if p is None:
            for s2, by_p in list(st.sp.items()) if s is None else [(s, st.sp.get(s) or {})]:
                for p2 in list(by_p):
                    yield from self._with(s2, p2, o)
        elif s is not None:
            yield from self._with(s, p, o)
        elif o is not None:
            for s2 in list(st.subjects(p, o)):
                yield s2, p, o
        else:
            for s2, o2 in st.pairs(p):
                yield s2, p, o2

    def _with(self, s, p, o) -> Iterator[Triple]:
        for o2 in list(self.store.objects(s, p)):
            if o is None or o2 == o:
                yield s, p, o2


def _values(held):
    if held is None:
        return ()
    return held if type(held) is set else (held,)


class Derivations(Mapping):
    """The engine's derivations as the mapping ``reason()`` promises:
    triple -> (rule name, premises). The engine keeps each as one flat tuple
    (rule, premise, premise …), a tuple less per derived triple (about
    100 MB at 100x); :meth:`flat` yields them so, without the copy."""

    def __init__(self, flat: dict) -> None:
        self._flat = flat

    def __getitem__(self, t):
        row = self._flat[t]
        return row[0], row[1:]

    def get(self, t, default=None):
        row = self._flat.get(t)
        return default if row is None else (row[0], row[1:])

    def __contains__(self, t) -> bool:
        return t in self._flat

    def __iter__(self):
        return iter(self._flat)

    def __len__(self) -> int:
        return len(self._flat)

    def flat(self) -> Iterator[tuple]:
        """(triple, rule, premise, premise …) for every derived triple."""
        for t, row in self._flat.items():
            yield (t,) + row


class Engine:
    """Run OWL 2 RL rules to a fixpoint, keeping one derivation per triple."""

    def __init__(self) -> None:
        self.store = Store()
        self._triples = self.store.triples
        # triple -> (rule, premise, premise …), flat; Derivations reads it
        self.why: dict[Triple, tuple] = {}
        self._agenda: deque[Triple] = deque()
        # link predicate -> [(chain property, list head, chain, position)];
        # None when a chain axiom or list cell arrived since it was built
        self._chain_links: dict[Node, list] | None = None
        self._has_same_as = False  # no eq-rep-* work until an owl:sameAs arrives
        self._thing_used = False  # no rdf:type owl:Thing until owl:Thing has consequences
        # transitive property -> subject -> objects, for the edges that did
        # not come from prp-trp: the left-linear join partner
        self._trp_base: dict[Node, dict[Node, set[Node]]] = {}
        # one object per distinct term, so that set and dict look-ups succeed
        # on identity instead of calling rdflib's (slow) term equality
        self._terms: dict[Node, Node] = {term: term for term in INTERNED}
        # the handlers by predicate, as plain functions: bound methods kept
        # on the engine would make it a reference cycle, and all it holds
        # (millions of tuples) would wait for the cyclic garbage collector
        engine = Engine
        restriction = engine._restriction_schema
        self._handlers = {
            TYPE: engine._typed, SUB_CLASS: engine._sub_class, SUB_PROP: engine._sub_property,
            DOMAIN: engine._domain_range_schema, RANGE: engine._domain_range_schema,
            EQ_CLASS: engine._equivalent_class, EQ_PROP: engine._equivalent_property,
            INVERSE: engine._inverse_schema, CHAIN: engine._chain_schema,
            HAS_VALUE: restriction, ON_PROP: restriction, SAME_AS: engine._same_as,
        }

    # ------------------------------------------------------------ public
    def intern(self, t: Triple) -> Triple:
        """``t`` with this engine's object for each term (``t`` itself when
        it has them already: no second tuple of the graph's triples)."""
        put = self._terms.setdefault
        s, p, o = t
        kept = put(s, s), put(p, p), put(o, o)
        return t if kept[0] is s and kept[1] is p and kept[2] is o else kept

    def assert_triples(self, triples: Iterable[Triple]) -> None:
        for t in triples:
            t = self.intern(t)
            if self.store.add(t):
                self._agenda.append(t)
        # cls-thing, cls-nothing1: axioms that scm-cls then builds on
        for c, rule in ((THING, "cls-thing"), (NOTHING, "cls-nothing1")):
            self.derive((c, TYPE, CLASS), rule, ())

    def derive(self, t: Triple, rule: str, premises: tuple[Triple, ...]) -> bool:
        """Add a derived triple (also used for domain rules).

        Two kinds of typing are left out while they can lead nowhere (they
        are noise, and a quarter of the real graph's closure): a literal's
        datatype (the guard keeps datatypes out of every premise but this
        one) and membership of owl:Thing (with the sub-class, domain and
        range triples that lead to it), until something is said about
        owl:Thing: :meth:`_thing_in_use` then derives what was left out."""
        s, p, o = t
        if o is THING and not self._thing_used and (p is TYPE or p is SUB_CLASS or p is DOMAIN or p is RANGE):
            return False
        if (p is TYPE and type(s) is Literal and _is_datatype(o)) or type(p) is Literal:
            return False
        triples = self._triples
        n = len(triples)
        triples.add(t)
        if len(triples) == n:
            return False
        self.why[t] = (rule,) + premises  # one tuple, not two: see Derivations
        self._agenda.append(t)
        return True

    def run(self) -> int:
        """Process the agenda to a fixpoint; returns triples derived."""
        before = len(self.why)
        agenda, fire = self._agenda, self._fire
        pop = agenda.popleft
        while agenda:
            fire(pop())
        return len(self.why) - before

    # ------------------------------------------------------------ dispatch
    def _fire(self, t: Triple) -> None:
        s, p, o = t
        self.store.index(t)
        if not self._thing_used and (
                (s is THING and o is not THING and o is not CLASS)
                or (o is THING and s is not THING and (p is EQ_CLASS or p is SAME_AS))):
            self._thing_in_use()
        if p in LIST_PREDICATES:
            self._chain_links = None
            if p != CHAIN:  # a list cell may complete a chain axiom seen before
                for prop, head in list(self.store.pairs(CHAIN)):
                    self._chain_schema((prop, CHAIN, head))
        self._properties(t)
        handler = self._handlers.get(p)
        if handler is not None:
            handler(self, t)
        if self._has_same_as and p is not SAME_AS and (
                self.store.objects(s, SAME_AS) or self.store.objects(o, SAME_AS)
                or self.store.objects(p, SAME_AS)):
            self._replace_same(t)

    def _thing_in_use(self) -> None:
        """owl:Thing has a consequence (a super-class, an equivalent, a
        restriction on it …): run again the triples whose object it is, so
        that the typings derive() left out are derived and followed."""
        self._thing_used = True
        about = [(s, p, THING) for p in list(self.store.po) for s in list(self.store.subjects(p, THING))]
        for t in about:
            self._fire(t)
        for c in list(self.store.subjects(TYPE, CLASS)):
            self._scm_cls((c, TYPE, CLASS))

    # ------------------------------------------------------------ prp-*: a data triple meets the schema
    def _properties(self, t: Triple) -> None:
        # the hottest code: every triple passes here, so the index look-ups
        # are spelled out instead of going through Store.objects/subjects
        s, p, o = t
        st, derive, known = self.store, self.derive, self._triples
        schema = st.sp.get(p)
        if schema:
            get = schema.get
            held = get(DOMAIN)
            if held is not None:
                # most conclusions are known already (a subject's every triple
                # gives its domain's type): test before building premises
                for c in _values(held):
                    if (s, TYPE, c) not in known:
                        derive((s, TYPE, c), "prp-dom", ((p, DOMAIN, c), t))
            held = get(RANGE)
            if held is not None:
                for c in _values(held):
                    if (o, TYPE, c) not in known:
                        derive((o, TYPE, c), "prp-rng", ((p, RANGE, c), t))
            held = get(TYPE)
            if held is not None:
                # ``is``, not ``in`` a tuple: rdflib's == is slow Python
                single = type(held) is not set
                if held is SYMMETRIC or (not single and SYMMETRIC in held):
                    derive((o, p, s), "prp-symp", ((p, TYPE, SYMMETRIC), t))
                if held is TRANSITIVE or (not single and TRANSITIVE in held):
                    self._transitive_step(t)
            held = get(INVERSE)
            if held is not None:
                for q in _values(held):
                    derive((o, q, s), "prp-inv1", ((p, INVERSE, q), t))
            # p's reflexive sub- and equivalent property (scm-op) restate t
            held = get(SUB_PROP)
            if held is not None:
                for q in _values(held):
                    if q is not p and (s, q, o) not in known:
                        derive((s, q, o), "prp-spo1", ((p, SUB_PROP, q), t))
            held = get(EQ_PROP)
            if held is not None:
                for q in _values(held):
                    if q is not p:
                        derive((s, q, o), "prp-eqp1", ((p, EQ_PROP, q), t))
        po = st.po
        by_o = po.get(INVERSE)
        if by_o:
            for q in _values(by_o.get(p)):
                derive((o, q, s), "prp-inv2", ((q, INVERSE, p), t))
        by_o = po.get(EQ_PROP)
        if by_o:
            for q in _values(by_o.get(p)):
                if q is not p:
                    derive((s, q, o), "prp-eqp2", ((q, EQ_PROP, p), t))
        by_o = po.get(ON_PROP)
        if by_o:
            for c in _values(by_o.get(p)):
                if o in st.objects(c, HAS_VALUE):
                    derive((s, TYPE, c), "cls-hv2", ((c, HAS_VALUE, o), (c, ON_PROP, p), t))
        links = self._chain_links
        if links is None or p in links:
            self._chains_through(t)

    def _transitive_step(self, t: Triple) -> None:
        """prp-trp in its left-linear form: T(w, z) from T(w, s) and a base
        edge B(s, z), where T is every p triple and B those that did not come
        from prp-trp. B+ is the closure of T (an edge first derived by
        prp-trp is in B+ already), and each T triple meets only its out-edges
        in B: a chain costs its closure's size, not that size times n."""
        s, p, o = t
        axiom = (p, TYPE, TRANSITIVE)
        base = self._trp_base.setdefault(p, {})
        for z in list(base.get(o, ())):
            self.derive((s, p, z), "prp-trp", (axiom, t, (o, p, z)))
        if self.why.get(t, ("",))[0] == "prp-trp":
            return
        base.setdefault(s, set()).add(o)
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
        st, known = self.store, self._triples
        for d in st.objects(c, SUB_CLASS):
            if d is not c and (x, TYPE, d) not in known:
                self.derive((x, TYPE, d), "cax-sco", ((c, SUB_CLASS, d), t))
        for d in st.objects(c, EQ_CLASS):
            self.derive((x, TYPE, d), "cax-eqc1", ((c, EQ_CLASS, d), t))
        for d in st.subjects(EQ_CLASS, c):
            self.derive((x, TYPE, d), "cax-eqc2", ((d, EQ_CLASS, c), t))
        for value in st.objects(c, HAS_VALUE):
            for prop in st.objects(c, ON_PROP):
                self.derive((x, prop, value), "cls-hv1", ((c, HAS_VALUE, value), (c, ON_PROP, prop), t))
        if c is TRANSITIVE:
            # every x triple so far is a base edge (none came from prp-trp)
            base = self._trp_base.setdefault(x, {})
            pairs = list(st.pairs(x))
            for s, o in pairs:
                base.setdefault(s, set()).add(o)
            for s, o in pairs:
                for z in list(base.get(o, ())):
                    self.derive((s, x, z), "prp-trp", (t, (s, x, o), (o, x, z)))
        elif c is SYMMETRIC:
            for s, o in list(st.pairs(x)):
                self.derive((o, x, s), "prp-symp", (t, (s, x, o)))
        elif c is CLASS:
            self._scm_cls(t)
        elif c in PROPERTY_KINDS:
            self.derive((x, SUB_PROP, x), "scm-op", (t,))
            self.derive((x, EQ_PROP, x), "scm-op", (t,))

    def _scm_cls(self, t: Triple) -> None:
        """scm-cls: a class is its own sub- and equivalent class, under
        owl:Thing and over owl:Nothing (noise, but premises of scm-sco)."""
        c = t[0]
        for conclusion in ((c, SUB_CLASS, c), (c, EQ_CLASS, c), (c, SUB_CLASS, THING), (NOTHING, SUB_CLASS, c)):
            self.derive(conclusion, "scm-cls", (t,))

    def _restriction_schema(self, t: Triple) -> None:
        """cls-hv1/2 for the pairs of value and property that include t (a
        restriction may name several of each: every pair counts)."""
        c, kind, new = t
        values = [new] if kind is HAS_VALUE else list(self.store.objects(c, HAS_VALUE))
        props = [new] if kind is ON_PROP else list(self.store.objects(c, ON_PROP))
        for value in values:
            for prop in props:
                self._restriction_pair(c, value, prop)

    def _restriction_pair(self, c: Node, value: Node, prop: Node) -> None:
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
        if c1 is c2:  # scm-cls's reflexive triple: every rule would restate its premise
            return
        st, known = self.store, self._triples
        for x in list(st.subjects(TYPE, c1)):
            if (x, TYPE, c2) not in known:
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
        # like owlrl, never a reflexive triple from transitivity (scm-cls and
        # scm-op state those for declared classes and properties)
        for c in list(st.objects(b, relation)):
            if c is not a:
                self.derive((a, relation, c), transitive_rule, (t, (b, relation, c)))
        for z in list(st.subjects(relation, a)):
            if z is not b:
                self.derive((z, relation, b), transitive_rule, ((z, relation, a), t))
        if a in st.objects(b, relation):
            self.derive((a, equivalent, b), mutual_rule, (t, (b, relation, a)))
            self.derive((b, equivalent, a), mutual_rule, ((b, relation, a), t))

    def _sub_property(self, t: Triple) -> None:
        p1, _, p2 = t
        if p1 is p2:  # scm-op's reflexive triple: a premise of scm-hv only
            self._scm_hv_for(p1)
            return
        st, known = self.store, self._triples
        for s, o in list(st.pairs(p1)):
            if (s, p2, o) not in known:
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
            for value in list(st.objects(c1, HAS_VALUE)):
                for p2 in list(st.objects(p1, SUB_PROP)):
                    for c2 in list(st.subjects(ON_PROP, p2)):
                        if value in st.objects(c2, HAS_VALUE):
                            premises = ((c1, HAS_VALUE, value), (c1, ON_PROP, p1),
                                        (c2, HAS_VALUE, value), (c2, ON_PROP, p2), (p1, SUB_PROP, p2))
                            self.derive((c1, SUB_CLASS, c2), "scm-hv", premises)

    def _domain_range_schema(self, t: Triple) -> None:
        p, kind, c = t
        st, known = self.store, self._triples
        domain = kind is DOMAIN
        rule = "prp-dom" if domain else "prp-rng"
        # a domain or range that arrives late (scm-dom1 …) mostly restates
        # types already derived: test before building premises
        for s, o in list(st.pairs(p)):
            x = s if domain else o
            if (x, TYPE, c) not in known:
                self.derive((x, TYPE, c), rule, (t, (s, p, o)))
        scm = "scm-dom1" if domain else "scm-rng1"
        for d in list(st.objects(c, SUB_CLASS)):
            self.derive((p, kind, d), scm, (t, (c, SUB_CLASS, d)))
        scm = "scm-dom2" if domain else "scm-rng2"
        for p0 in list(st.subjects(SUB_PROP, p)):
            self.derive((p0, kind, c), scm, (t, (p0, SUB_PROP, p)))

    def _equivalent_class(self, t: Triple) -> None:
        c1, _, c2 = t
        if c1 is c2:
            return
        self.derive((c1, SUB_CLASS, c2), "scm-eqc1", (t,))
        self.derive((c2, SUB_CLASS, c1), "scm-eqc1", (t,))
        for x in list(self.store.subjects(TYPE, c1)):
            self.derive((x, TYPE, c2), "cax-eqc1", (t, (x, TYPE, c1)))
        for x in list(self.store.subjects(TYPE, c2)):
            self.derive((x, TYPE, c1), "cax-eqc2", (t, (x, TYPE, c2)))

    def _equivalent_property(self, t: Triple) -> None:
        p1, _, p2 = t
        if p1 is p2:
            return
        self.derive((p1, SUB_PROP, p2), "scm-eqp1", (t,))
        self.derive((p2, SUB_PROP, p1), "scm-eqp1", (t,))
        for s, o in list(self.store.pairs(p1)):
            self.derive((s, p2, o), "prp-eqp1", (t, (s, p1, o)))
        for s, o in list(self.store.pairs(p2)):
            self.derive((s, p1, o), "prp-eqp2", (t, (s, p2, o)))

    def _inverse_schema(self, t: Triple) -> None:
        p, _, q = t
        for s, o in list(self.store.pairs(p)):
            self.derive((o, q, s), "prp-inv1", (t, (s, p, o)))
        for s, o in list(self.store.pairs(q)):
            self.derive((o, p, s), "prp-inv2", (t, (s, q, o)))

    # ------------------------------------------------------------ eq-*: owl:sameAs
    def _same_as(self, t: Triple) -> None:
        x, _, y = t
        self._has_same_as = True
        if x == y:
            return
        self.derive((y, SAME_AS, x), "eq-sym", (t,))
        for z in list(self.store.objects(y, SAME_AS)):
            if z != x:
                self.derive((x, SAME_AS, z), "eq-trans", (t, (y, SAME_AS, z)))
        for p in list(self.store.sp.get(x, ())):
            for o in list(self.store.objects(x, p)):
                self.derive((y, p, o), "eq-rep-s", (t, (x, p, o)))
        for p in list(self.store.po):
            for s in list(self.store.subjects(p, x)):
                self.derive((s, p, y), "eq-rep-o", (t, (s, p, x)))
        for s, o in list(self.store.pairs(x)):
            self.derive((s, y, o), "eq-rep-p", (t, (s, x, o)))

    def _replace_same(self, t: Triple) -> None:
        s, p, o = t
        for s2 in list(self.store.objects(s, SAME_AS)):
            if s2 != s:
                self.derive((s2, p, o), "eq-rep-s", ((s, SAME_AS, s2), t))
        for o2 in list(self.store.objects(o, SAME_AS)):
            if o2 != o:
                self.derive((s, p, o2), "eq-rep-o", ((o, SAME_AS, o2), t))
        for p2 in list(self.store.objects(p, SAME_AS)):
            if p2 != p:
                self.derive((s, p2, o), "eq-rep-p", ((p, SAME_AS, p2), t))


def is_blank(t: Triple) -> bool:
    return any(isinstance(term, BNode) for term in t)
