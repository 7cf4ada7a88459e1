"""Synthetic graphs of the real graph's shape: the asserted evidence
replicated N times with fresh IRIs (works, claims, excerpts, measurements get
a ``-copyK`` suffix), the ontology and the shared vocabulary once.

The vocabulary (settings, practitioner factors, outcomes, designs, concept
schemes), the propositions under test and the sources stay single: new
evidence is about the same settings and propositions, the way a new source
adds studies and claims, not a new world. Copying the settings too would make
``pe:trickierThan`` (an order between all settings) grow with the square of
the size and its transitive closure with the cube, which no real growth of
the evidence does. Excerpts keep their offsets into the same source texts,
so the excerpt checks still hold at every size."""
from __future__ import annotations

from rdflib import URIRef

from kg.load import load_dataset

ID = "https://w3id.org/practitioner-evidence/id/"


SHARED = tuple(f"{ID}{kind}/" for kind in (
    "scheme", "setting", "factor", "outcome", "design", "concept", "proposition", "source"))


def _rename(term, k: int):
    if k and isinstance(term, URIRef) and str(term).startswith(ID) and not str(term).startswith(SHARED):
        return URIRef(f"{term}-copy{k}")
    return term


def scaled_triples(factor: int) -> set:
    dataset, by_graph = load_dataset()
    ontology, data = set(), set()
    for graph_iri, item in by_graph.items():
        target = ontology if item.layer == "ontology" else data
        target.update(dataset.graph(graph_iri))
    out = set(ontology)
    for k in range(factor):
        out.update(tuple(_rename(t, k) for t in triple) for triple in data)
    return out
