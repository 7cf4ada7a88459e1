"""Any SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol (a form POST).
Parameters travel as a VALUES block built from parsed terms.

What the remote answers is passed on only when it is whole and exact:
- SELECT and ASK are asked as SPARQL JSON, CONSTRUCT and DESCRIBE as
  N-Triples (Turtle as the remote writes it may shorten ``1.0`` to ``1``,
  turning a decimal into an integer; N-Triples keeps every term's form);
- an answer the remote says it cut short (Virtuoso's ``X-SPARQL-MaxRows``
  header) or that holds exactly its cap (``KG_REMOTE_CAP``, default 10,000:
  Virtuoso's ``ResultSetMaxRows``, which cuts without saying so when asked
  through some clients) is refused as too large (422), like our own cap;
- errors keep the remote's own first line (:mod:`kg.query.stores.http`).

The client is urllib rather than SPARQLWrapper: SPARQLWrapper installs a
process-wide urllib opener for digest authentication and hides the
response's headers on errors, and this module needs neither.
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request

from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import QueryError, ResultTooLarge, StoreError
from kg.query.stores.base import Result, Store, bind_in_text, capped, without_comments
from kg.query.stores.http import endpoint, send

TRUNCATED_HEADER = "X-SPARQL-MaxRows"
DEFAULT_REMOTE_CAP = 10_000
KEYWORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
ACCEPT = {"table": "application/sparql-results+json",
          "graph": "application/n-triples, text/turtle;q=0.5"}


def _term(cell: dict):
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    return Literal(cell["value"], datatype=URIRef(cell["datatype"]) if "datatype" in cell else None)


def query_kind(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside
    comments, strings and IRIs (the prologue holds none of them)."""
    code = re.sub(r'<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', " ", without_comments(text))
    found = KEYWORD.search(code)
    if found is None:
        raise QueryError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return found.group(1).upper()


class RemoteStore(Store):
    name = "remote"

    def __init__(self, url: str, timeout: float = 60, user: str | None = None):
        self.point = endpoint(url, user)
        self.url, self.timeout = self.point.url, timeout
        self.cap = int(os.environ.get("KG_REMOTE_CAP") or DEFAULT_REMOTE_CAP)

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        text = bind_in_text(text, bindings)
        kind = query_kind(text)
        graph = kind in ("CONSTRUCT", "DESCRIBE")
        headers, body = self._post(text, ACCEPT["graph" if graph else "table"])
        if graph:
            return Result("CONSTRUCT", graph=self._graph(headers, body, max_rows))
        data = _json(body, self.url)
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]))
        bindings_ = data.get("results", {}).get("bindings", [])
        self._refuse_truncated(headers, len(bindings_))
        rows = [{k: _term(v) for k, v in row.items()} for row in capped(bindings_, max_rows)]
        return Result("SELECT", list(data.get("head", {}).get("vars", [])), rows)

    def _post(self, text: str, accept: str):
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": text}).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        try:
            with send(self.point, request, self.timeout) as response:
                return response.headers, response.read()
        except StoreError as err:
            if getattr(err, "code", None) == 400:  # the remote refused the query itself
                raise QueryError(f"the store refused the query: {err.said or 'no reason given'}") from None
            raise

    def _graph(self, headers, body: bytes, max_rows) -> Graph:
        mime = headers.get_content_type()
        fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}.get(mime)
        if fmt is None:
            raise StoreError(f"{self.url}: answered a graph as {mime}, not N-Triples or Turtle")
        graph = Graph()
        try:
            graph.parse(data=body.decode("utf-8"), format=fmt)
        except Exception as err:  # rdflib's parsers raise several kinds
            raise StoreError(f"{self.url}: its answer does not parse as {mime}: {str(err).splitlines()[0]}") from None
        self._refuse_truncated(headers, len(graph))
        list(capped(graph, max_rows))
        return graph

    def _refuse_truncated(self, headers, count: int) -> None:
        said = headers.get(TRUNCATED_HEADER)
        if said or count == self.cap:
            raise ResultTooLarge(f"the store cut its answer at {said or count} results (its cap): refused "
                                 "rather than passed on incomplete; add a LIMIT or narrow the pattern")


def _json(body: bytes, url: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        raise StoreError(f"{url}: its answer is not SPARQL JSON") from None
