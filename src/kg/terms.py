"""Terms and triples to and from text: N-Triples form, prefixed names."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.util import from_n3

from kg.errors import QueryError

PREFIXES = {
    "pe": "https://w3id.org/practitioner-evidence/ontology#",
    "id": "https://w3id.org/practitioner-evidence/id/",
    "work": "https://w3id.org/practitioner-evidence/id/work/",
    "claim": "https://w3id.org/practitioner-evidence/id/claim/",
    "prop": "https://w3id.org/practitioner-evidence/id/proposition/",
    "ex": "https://w3id.org/practitioner-evidence/id/excerpt/",
    "meas": "https://w3id.org/practitioner-evidence/id/measurement/",
    "rel": "https://w3id.org/practitioner-evidence/id/relation/",
    "setting": "https://w3id.org/practitioner-evidence/id/setting/",
    "factor": "https://w3id.org/practitioner-evidence/id/factor/",
    "outcome": "https://w3id.org/practitioner-evidence/id/outcome/",
    "design": "https://w3id.org/practitioner-evidence/id/design/",
    "concept": "https://w3id.org/practitioner-evidence/id/concept/",
    "src": "https://w3id.org/practitioner-evidence/id/source/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "cito": "http://purl.org/spar/cito/",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
}


def nt(triple) -> str:
    return " ".join(term.n3() for term in triple)


def parse_nt(text: str):
    graph = Graph()
    graph.parse(data=text + " .", format="nt")
    return next(iter(graph))


def namespace_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def short(term) -> str:
    """A prefixed name where one fits, else the N-Triples form."""
    if isinstance(term, URIRef):
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            local = str(term)[len(ns):]
            if str(term).startswith(ns) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
    return term.n3()


BAD_IRI_CHARACTERS = ' <>"{}|\\^`\n\t'


def parse_term(text: str, name: str = "term"):
    """An IRI (<…> or prefixed name), a literal in N3 form, or a bare number."""
    text = text.strip()
    if text == "a":
        return URIRef(PREFIXES["rdf"] + "type")
    if text.startswith("<"):
        iri = text[1:-1] if text.endswith(">") else ""
        if not iri or any(c in iri for c in BAD_IRI_CHARACTERS):
            raise QueryError(f"{name}: not a valid IRI: {text}")
        return URIRef(iri)
    if text.startswith(("http://", "https://")):
        return parse_term(f"<{text}>", name)
    if ":" in text and not text.startswith('"'):
        prefix, local = text.split(":", 1)
        if prefix in PREFIXES:
            return parse_term(f"<{PREFIXES[prefix]}{local}>", name)
        raise QueryError(f"{name}: unknown prefix '{prefix}:' in {text}")
    try:
        term = from_n3(text)
    except Exception:
        term = None
    if isinstance(term, (Literal, URIRef)):
        return term
    return Literal(text)
