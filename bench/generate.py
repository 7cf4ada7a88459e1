"""Synthetic graphs of the real graph's shape: the asserted data replicated
N times with fresh IRIs (works, claims, excerpts, measurements, settings …
get a ``-copyK`` suffix), the ontology once. Excerpts keep their offsets into
the same source texts, so the excerpt checks still hold at every size."""
from __future__ import annotations

from rdflib import URIRef

from kg.load import load_dataset

ID = "https://w3id.org/practitioner-evidence/id/"


def _rename(term, k: int):
    if k and isinstance(term, URIRef) and str(term).startswith(ID) and "/scheme/" not in str(term):
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
