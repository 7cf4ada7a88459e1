"""What the OWL 2 RL closure adds that nobody wants to read.

Used on our own inferences and on plain owlrl's alike, so the two can be
compared: triples about the built-in vocabularies (rdf:, rdfs:, owl:, xsd:
subjects), literal typing, reflexive owl:sameAs / subclass / subproperty /
equivalence, the trivial owl:Thing, triples about anonymous class
expressions (blank nodes), which have no IRI to show or link to, and
triples whose predicate is not an IRI (derived through an anonymous
inverse property; RDF has no such triple, and no store would read it).
"""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

BUILTIN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
REFLEXIVE = frozenset((OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                       OWL.equivalentProperty))
TRIVIAL = frozenset((OWL.Thing, RDFS.Resource, OWL.Nothing))
LITERAL_CLASSES = frozenset((RDFS.Literal, RDFS.Datatype))
TYPE = RDF.type
NOT_IRI = (Literal, BNode)


def is_builtin(term) -> bool:
    return isinstance(term, URIRef) and str.startswith(term, BUILTIN)


def is_noise(triple) -> bool:
    s, p, o = triple
    # exact types first: this runs on every inferred triple, and rdflib's
    # isinstance checks go through abstract base classes
    if type(s) is not URIRef and isinstance(s, NOT_IRI):
        return True
    if type(p) is not URIRef:
        return True
    if type(o) is not URIRef and type(o) is not Literal and isinstance(o, BNode):
        return True
    if str.startswith(s, BUILTIN):
        return True
    if p in REFLEXIVE and s == o:
        return True
    if o in TRIVIAL:
        return True
    return o in LITERAL_CLASSES and p == TYPE


def without_noise(triples):
    return {t for t in triples if not is_noise(t)}
