"""The VoID/DCAT description and the dumps (N-Quads as built, TriG, Turtle; gzipped too)."""
from __future__ import annotations

import gzip

from flask import Response, abort
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from kg.pipeline.build import ARTEFACT
from kg.query.formats import rdf_text

from kg.errors import NotFound
from kg.query.publish import GRAPHS, PUBLISHED

from ..common import REMOTE_ONLY, kg, run

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef("https://w3id.org/practitioner-evidence/dataset")
DUMPS = {  # file name -> (MIME type, how to make it)
    "kg.nq": "application/n-quads",
    "kg.trig": "application/trig",
    "kg.ttl": "text/turtle",
}


def dump_bytes(name: str) -> bytes:
    context = kg()
    if name == "kg.nq":
        return (context.out / ARTEFACT).read_bytes()
    if name == "kg.trig":
        return context.memo("dump:trig", lambda: rdf_text(context.dataset(), "trig").encode("utf-8"))
    return context.memo("dump:ttl", lambda: rdf_text(_union(context.dataset()), "turtle").encode("utf-8"))


def _union(dataset) -> Graph:
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def dump_response(name: str) -> Response:
    if kg().remote:
        raise NotFound(REMOTE_ONLY)
    gz = name.endswith(".gz")
    base = name[:-3] if gz else name
    if base not in DUMPS:
        abort(404)
    body = dump_bytes(base)
    if gz:
        body = kg().memo(f"dump:{name}", lambda: gzip.compress(body, mtime=0))
        return Response(body, mimetype="application/gzip",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return Response(body, mimetype=DUMPS[base])


def triple_count() -> int:
    """Triples in the dataset: counted in the store itself when it is remote."""
    if kg().remote:
        ours = [row for row in run("stats-graphs").rows  # not the server's own graphs, nor graph/published
                if str(row.get("g", "")).startswith(GRAPHS) and str(row["g"]) != str(PUBLISHED)]
        return sum(int(row["n"]) for row in ours)
    return len(kg().dataset())


def void_graph(site: str) -> Graph:
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    add = graph.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal("Practitioner Evidence Graph", lang="en")))
    add((DATASET, DCTERMS.description, Literal(
        "Evidence on how much the individual worker matters in tricky situations: works, claims, "
        "propositions, verbatim excerpts, settings, practitioner factors and outcomes.", lang="en")))
    add((DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    add((DATASET, VOID.uriSpace, Literal("https://w3id.org/practitioner-evidence/id/")))
    add((DATASET, VOID.vocabulary, URIRef("https://w3id.org/practitioner-evidence/ontology#")))
    add((DATASET, VOID.sparqlEndpoint, URIRef(f"{site}/sparql")))
    add((DATASET, VOID.triples, Literal(triple_count(), datatype=XSD.integer)))
    for name, mime in DUMPS.items() if not kg().remote else ():  # a remote store: no dumps here
        for suffix, media in (("", mime), (".gz", "application/gzip")):
            url = URIRef(f"{site}/dumps/{name}{suffix}")
            add((DATASET, VOID.dataDump, url))
            dist = URIRef(f"{DATASET}#dist-{name}{suffix}")
            add((DATASET, DCAT.distribution, dist))
            add((dist, RDF.type, DCAT.Distribution))
            add((dist, DCAT.downloadURL, url))
            add((dist, DCAT.mediaType, Literal(media)))
    service = URIRef(f"{site}/sparql")
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, service))
    add((service, DCAT.servesDataset, DATASET))
    add((DATASET, URIRef(str(DCAT) + "accessService"), service))
    return graph
