"""The real `kg serve` (waitress, in a subprocess on a loopback port) answering
real clients: SPARQLWrapper against /sparql, rdflib dereferencing an IRI."""
from __future__ import annotations

import urllib.request

from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

ID = "https://w3id.org/practitioner-evidence/id/"
PE = "https://w3id.org/practitioner-evidence/ontology#"
CLAIM = "b5-therapist-relationship-completion-criminal-justice"
CENTRAL = ID + "proposition/trickier-situation-worker-matters"


def endpoint(base: str) -> SPARQLWrapper:
    client = SPARQLWrapper(base + "/sparql")
    client.setMethod("POST")
    return client


def test_sparqlwrapper_select_json_finds_a_claim_supporting_the_central_rule(live_server):
    client = endpoint(live_server)
    client.setQuery(f"PREFIX pe: <{PE}> SELECT ?claim WHERE {{ ?claim pe:supports <{CENTRAL}> }}")
    client.setReturnFormat(JSON)
    claims = {b["claim"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert ID + "claim/" + CLAIM in claims


def test_sparqlwrapper_ask_is_true_for_an_inferred_triple_and_false_for_nonsense(live_server):
    client = endpoint(live_server)
    client.setReturnFormat(JSON)
    client.setQuery(f"PREFIX pe: <{PE}> ASK {{ <{ID}claim/{CLAIM}> pe:bearsOn <{CENTRAL}> }}")
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"PREFIX pe: <{PE}> ASK {{ <{CENTRAL}> pe:supports <{ID}claim/{CLAIM}> }}")
    assert client.query().convert()["boolean"] is False


def test_sparqlwrapper_construct_returns_a_graph(live_server):
    client = endpoint(live_server)
    client.setQuery(f"PREFIX pe: <{PE}> CONSTRUCT {{ ?c pe:supports <{CENTRAL}> }} WHERE {{ ?c pe:supports <{CENTRAL}> }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(ID + "claim/" + CLAIM), URIRef(PE + "supports"), URIRef(CENTRAL)) in graph


def test_sparqlwrapper_gets_a_400_for_a_malformed_query(live_server):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
    client = endpoint(live_server)
    client.setQuery("SELECT ?x WHERE { ?x ")
    client.setReturnFormat(JSON)
    try:
        client.query()
    except QueryBadFormed:
        return
    raise AssertionError("a malformed query was answered")


def test_rdflib_dereferences_a_claim_iri_by_content_negotiation(live_server):
    graph = Graph().parse(f"{live_server}/id/claim/{CLAIM}")
    local = URIRef(ID + "claim/" + CLAIM)
    assert (local, URIRef(PE + "supports"), URIRef(CENTRAL)) in graph
    assert any(isinstance(o, Literal) for o in graph.objects(local, None))


def test_the_server_negotiates_turtle_and_html_for_the_same_iri(live_server):
    def get(accept):
        request = urllib.request.Request(f"{live_server}/id/claim/{CLAIM}", headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.headers.get_content_type(), r.headers.get("Vary", ""), r.read()
    turtle, vary, body = get("text/turtle")
    assert turtle == "text/turtle" and "Accept" in vary and b"pe:supports" in body or b"supports" in body
    assert get("text/html")[0] == "text/html"
