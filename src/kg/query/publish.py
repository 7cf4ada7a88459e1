"""kg publish: every named graph into a remote store with the SPARQL 1.1
Graph Store Protocol (HTTP PUT of N-Triples per graph, indirect graph
identification ``?graph=IRI``).

- Graphs go in the order of their IRIs, so two runs do the same thing.
- Before anything is sent, one GET with a 10 s limit checks that the URL
  is a Graph Store (it answers a graph or 404 for a graph it lacks); a URL
  that is something else fails then, in one line, instead of hanging.
- Last, the list of graphs published goes into a graph of its own,
  ``graph/published`` (SPARQL Service Description terms), so that
  ``--prune`` can delete, on the next publish, the graphs of ours that the
  build no longer has, and nothing else.
- Credentials: see :mod:`kg.query.stores.http`.
"""
from __future__ import annotations

import urllib.parse
import urllib.request

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, Namespace

from kg.errors import StoreError
from kg.query.artefact import load_artefact
from kg.query.stores.http import Endpoint, endpoint, send

GRAPHS = "https://w3id.org/practitioner-evidence/graph/"
PUBLISHED = URIRef(GRAPHS + "published")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PROBE_TIMEOUT = 10.0  # seconds: a Graph Store answers a GET of one graph at once
PUT_TIMEOUT = 300.0  # seconds for one graph to load
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RDF_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
             "application/rdf+xml": "xml", "application/x-turtle": "turtle"}


def publish(url: str, user: str | None = None, prune: bool = False, out=None):
    """Yield (what was done: "loaded" or "deleted", graph IRI, triples) as it goes."""
    try:
        point = endpoint(url, user)
        before = published_graphs(point)  # also the check that this is a Graph Store
    except StoreError as err:
        raise StoreError(f"publish: {err}") from None
    dataset = load_artefact(out)
    graphs = sorted((g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier),
                    key=lambda g: str(g.identifier))
    for graph in graphs:
        _request(point, "PUT", graph.identifier, graph.serialize(format="nt", encoding="utf-8"))
        yield "loaded", str(graph.identifier), len(graph)
    names = [str(g.identifier) for g in graphs]
    if prune:
        for gone in sorted(set(before) - set(names)):
            _request(point, "DELETE", URIRef(gone), None)
            yield "deleted", gone, 0
    _request(point, "PUT", PUBLISHED, record(names).serialize(format="nt", encoding="utf-8"))


def record(names: list[str]) -> Graph:
    """graph/published: the named graphs a publish sent."""
    graph = Graph()
    dataset = URIRef(str(PUBLISHED))
    graph.add((dataset, RDF.type, SD.Dataset))
    for name in names:
        node = BNode()
        graph.add((dataset, SD.namedGraph, node))
        graph.add((node, SD.name, URIRef(name)))
    return graph


def published_graphs(point: Endpoint) -> list[str]:
    """The graphs of ours the last publish sent ([] if none); StoreError if
    the URL does not behave as a Graph Store."""
    request = urllib.request.Request(_target(point, PUBLISHED), headers={"Accept": RDF_ACCEPT})
    try:
        with send(point, request, PROBE_TIMEOUT) as response:
            mime, body = response.headers.get_content_type(), response.read()
    except StoreError as err:
        if getattr(err, "code", None) == 404:
            return []
        if "no answer within" in str(err):
            raise StoreError(f"{point.url}: no answer within {PROBE_TIMEOUT:g} s to a Graph Store GET: "
                             "is it a SPARQL 1.1 Graph Store endpoint (e.g. Oxigraph's /store)?") from None
        raise
    if mime not in RDF_TYPES:
        raise StoreError(f"{point.url}: not a Graph Store: a GET of a graph answered {mime}, not RDF "
                         "(give the store's Graph Store endpoint, e.g. Oxigraph's /store)")
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format=RDF_TYPES[mime])
    except Exception as err:  # rdflib's parsers raise several kinds
        raise StoreError(f"{point.url}: <{PUBLISHED}> does not parse: {str(err).splitlines()[0]}") from None
    return sorted(str(n) for n in graph.objects(None, SD.name) if str(n).startswith(GRAPHS))


def _target(point: Endpoint, graph) -> str:
    joiner = "&" if "?" in point.url else "?"
    return f"{point.url}{joiner}{urllib.parse.urlencode({'graph': str(graph)})}"


def _request(point: Endpoint, method: str, graph, body: bytes | None) -> None:
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    request = urllib.request.Request(_target(point, graph), data=body, method=method, headers=headers)
    try:
        with send(point, request, PUT_TIMEOUT) as response:
            response.read()
    except StoreError as err:
        if method == "DELETE" and getattr(err, "code", None) == 404:
            return  # already gone
        raise StoreError(f"publish: {method} <{graph}>: {err}") from None
