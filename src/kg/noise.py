"""What the OWL 2 RL closure adds that nobody wants to read.

Used on our own inferences and on plain owlrl's alike, so the two can be
compared: triples about the built-in vocabularies (rdf:, rdfs:, owl:, xsd:
subjects), literal typing, reflexive owl:sameAs / subclass / subproperty /
equivalence, the trivial owl:Thing, and triples about anonymous class
expressions (blank nodes), which have no IRI to show or link to.
"""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

BUILTIN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
TRIVIAL = {OWL.Thing, RDFS.Resource, OWL.Nothing}


def is_builtin(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BUILTIN)


def is_noise(triple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or is_builtin(s):
        return True
    if s == o and p in REFLEXIVE:
        return True
    if o in TRIVIAL:
        return True
    return p == RDF.type and is_builtin(o) and o in (RDFS.Literal, RDFS.Datatype)


def without_noise(triples):
    return {t for t in triples if not is_noise(t)}
