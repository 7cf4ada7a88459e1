"""Random small graphs for the differential test against owlrl.

Each graph is a handful of statements over a small vocabulary (IRIs, blank
nodes, literals of several datatypes), drawn from every construct the engine
claims (``kg.pipeline.engine``) and from the inputs that once made it differ
from owlrl: ``owl:sameAs`` on individuals, classes, properties and literals,
values that are literals on inverse, symmetric, transitive and chained
properties, restrictions with several values, property chains whose list is
ill-formed or cyclic, anonymous inverses, ``owl:Thing``/``owl:Nothing`` and
datatypes used as classes. The same seed always gives the same graph.
"""
from __future__ import annotations

import random

from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, Namespace

EX = Namespace("http://example.org/")
TYPE = RDF.type

# The prefixes of the small Turtle graphs the OWL 2 RL tests write by hand.
PREFIXES = """
@prefix ex:   <http://example.org/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""


class Vocabulary:
    def __init__(self, rnd: random.Random, seed: int):
        self.rnd = rnd
        self.individuals = [EX[f"i{n}"] for n in range(4)] + [BNode(f"g{seed}b{n}") for n in range(2)]
        self.literals = [Literal(1), Literal("x"), Literal("2.5", datatype=XSD.decimal),
                         Literal("x", lang="en"), Literal("2001", datatype=XSD.gYear)]
        self.classes = [EX[f"C{n}"] for n in range(4)] + [OWL.Thing, OWL.Nothing]
        self.properties = [EX[f"p{n}"] for n in range(4)]
        self.seed = seed
        self.fresh = 0

    def pick(self, *pools):
        return self.rnd.choice([term for pool in pools for term in pool])

    def bnode(self):
        self.fresh += 1
        return BNode(f"g{self.seed}n{self.fresh}")

    def value(self):
        return self.pick(self.individuals, self.literals) if self.rnd.random() < 0.4 else self.pick(self.individuals)


def data(v: Vocabulary):
    return [(v.pick(v.individuals), v.pick(v.properties), v.value())]


def typed(v: Vocabulary):
    return [(v.pick(v.individuals), TYPE, v.pick(v.classes))]


def declaration(v: Vocabulary):
    if v.rnd.random() < 0.5:
        return [(v.pick(v.classes), TYPE, OWL.Class)]
    kind = v.pick([OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property])
    return [(v.pick(v.properties), TYPE, kind)]


def class_axiom(v: Vocabulary):
    return [(v.pick(v.classes), v.pick([RDFS.subClassOf, OWL.equivalentClass]), v.pick(v.classes))]


def property_axiom(v: Vocabulary):
    relation = v.pick([RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf])
    return [(v.pick(v.properties), relation, v.pick(v.properties))]


def anonymous_inverse(v: Vocabulary):
    inverse = v.bnode()
    return [(inverse, OWL.inverseOf, v.pick(v.properties)), (inverse, RDFS.subPropertyOf, v.pick(v.properties))]


def domain_range(v: Vocabulary):
    target = v.pick(v.classes, [XSD.decimal]) if v.rnd.random() < 0.2 else v.pick(v.classes)
    return [(v.pick(v.properties), v.pick([RDFS.domain, RDFS.range]), target)]


def characteristic(v: Vocabulary):
    return [(v.pick(v.properties), TYPE, v.pick([OWL.SymmetricProperty, OWL.TransitiveProperty]))]


def has_value(v: Vocabulary):
    restriction = v.pick([v.bnode()], v.classes[:4])
    triples = [(restriction, OWL.onProperty, v.pick(v.properties)), (restriction, OWL.hasValue, v.value())]
    if v.rnd.random() < 0.2:  # several properties or values on one restriction
        triples.append((restriction, v.pick([OWL.onProperty, OWL.hasValue]), v.pick(v.properties, v.individuals)))
    return triples


def chain(v: Vocabulary):
    links = [v.pick(v.properties) for _ in range(v.rnd.randint(1, 3))]
    cells = [v.bnode() for _ in links]
    triples = [(v.pick(v.properties), OWL.propertyChainAxiom, cells[0])]
    for k, (cell, link) in enumerate(zip(cells, links)):
        triples.append((cell, RDF.first, link))
        triples.append((cell, RDF.rest, cells[k + 1] if k + 1 < len(cells) else RDF.nil))
    flaw = v.rnd.random()
    if flaw < 0.05:
        triples.remove((cells[-1], RDF.rest, RDF.nil))  # never reaches rdf:nil
    elif flaw < 0.08:
        triples[-1] = (cells[-1], RDF.rest, cells[0])  # cyclic
    elif flaw < 0.11:
        triples.append((cells[0], RDF.first, v.pick(v.properties)))  # two firsts
    return triples


def same_as(v: Vocabulary):
    pool = v.pick([v.individuals, v.individuals, v.classes, v.properties])
    other = v.pick(v.literals) if v.rnd.random() < 0.1 else v.pick(pool)
    return [(v.pick(pool), OWL.sameAs, other)]


def datatype_member(v: Vocabulary):
    return [(v.pick(v.individuals), TYPE, v.pick([XSD.integer, XSD.decimal]))]


MAKERS = [(data, 8), (typed, 4), (declaration, 2), (class_axiom, 3), (property_axiom, 4),
          (anonymous_inverse, 1), (domain_range, 2), (characteristic, 3), (has_value, 2),
          (chain, 2), (same_as, 2), (datatype_member, 1)]


def random_graph(seed: int) -> list[tuple]:
    """4 to 16 statements, in the order drawn (the test shuffles them)."""
    rnd = random.Random(seed)
    vocabulary = Vocabulary(rnd, seed)
    makers = [maker for maker, weight in MAKERS for _ in range(weight)]
    triples: list[tuple] = []
    for _ in range(rnd.randint(4, 16)):
        for t in rnd.choice(makers)(vocabulary):
            if t not in triples:
                triples.append(t)
    return triples
