"""Any SPARQL 1.1 endpoint through SPARQLWrapper. Parameters travel as a
VALUES block built from parsed terms."""
from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kg.errors import QueryError, StoreError
from kg.query.stores.base import Result, Store, bind_in_text, capped, without_comments


def _term(cell: dict):
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    return Literal(cell["value"], datatype=URIRef(cell["datatype"]) if "datatype" in cell else None)


class RemoteStore(Store):
    name = "remote"

    def __init__(self, url: str, timeout: int = 60):
        self.url, self.timeout = url, timeout

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        client = SPARQLWrapper(self.url)
        client.setTimeout(self.timeout)
        client.setMethod(POST)
        # SPARQLWrapper guesses the query form from the text, comments included
        client.setQuery(without_comments(bind_in_text(text, bindings)))
        kind = client.queryType
        client.setReturnFormat(TURTLE if kind in ("CONSTRUCT", "DESCRIBE") else JSON)
        try:
            raw = client.query().response.read()
        except QueryBadFormed as err:
            raise QueryError(f"query rejected by {self.url}: {str(err).splitlines()[0]}") from None
        except (SPARQLWrapperException, OSError) as err:
            raise StoreError(f"{self.url}: {str(err).splitlines()[0]}") from None
        if kind in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            graph.parse(data=raw, format="turtle")
            list(capped(graph, max_rows))
            return Result("CONSTRUCT", graph=graph)
        data = json.loads(raw)
        if "boolean" in data:
            return Result("ASK", boolean=data["boolean"])
        names = data["head"]["vars"]
        rows = [{k: _term(v) for k, v in row.items()} for row in capped(data["results"]["bindings"], max_rows)]
        return Result("SELECT", names, rows)
