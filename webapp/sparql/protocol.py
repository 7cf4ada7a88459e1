"""Reading a SPARQL Protocol request and answering it in the negotiated format."""
from __future__ import annotations

import io

from flask import Response, abort, render_template, request
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql.parser import parseUpdate
from werkzeug.exceptions import BadRequest, Forbidden, NotAcceptable

from kg.errors import QueryError
from kg.queries import check_syntax

from ..common import RDF_BY_MIME, RDF_TYPES, kg, text_error

# format parameter -> MIME type
TABULAR = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
           "csv": "text/csv", "tsv": "text/tab-separated-values", "html": "text/html"}
GRAPHS = {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
          "ntriples": "application/n-triples", "jsonld": "application/ld+json",
          "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml", "xml": "application/rdf+xml",
          "html": "text/html"}
RESULT_FORMAT = {"application/sparql-results+json": "json", "application/json": "json",
                 "application/sparql-results+xml": "xml", "application/xml": "xml",
                 "text/csv": "csv", "text/tab-separated-values": "tsv"}


def read_request() -> str | None:
    """The query text of a GET or POST, or None when there is none (the form).
    Updates in any form are refused with 403."""
    mime = request.mimetype
    if "update" in request.values or mime == "application/sparql-update":
        raise Forbidden("this endpoint is read-only: SPARQL Update is not allowed")
    if request.method == "POST" and mime == "application/sparql-query":
        text = request.get_data(as_text=True)
    elif request.method == "POST" and mime not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise BadRequest("POST needs application/x-www-form-urlencoded or application/sparql-query")
    else:
        text = request.values.get("query")
    if text is None or not text.strip():
        if request.accept_mimetypes.accept_html or not request.headers.get("Accept"):
            return None
        raise BadRequest("missing the query parameter")
    return text


def checked(text: str) -> None:
    try:
        check_syntax(text)
    except QueryError:
        if _is_update(text):
            raise Forbidden("this endpoint is read-only: SPARQL Update is not allowed") from None
        raise


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
        return True
    except Exception:  # not an update either: the query's own syntax error is reported
        return False


def answer(text: str, examples) -> Response:
    checked(text)
    kind = _kind(text)
    mime = negotiate(kind)
    result = kg().store.query(text)
    if mime == "text/html":
        return Response(render_template("sparql/form.html", query=text, examples=examples(), result=result))
    if result.kind == "CONSTRUCT":
        return Response(result.graph.serialize(format=RDF_BY_MIME[mime][1]), mimetype=mime)
    return Response(serialize_table(result, RESULT_FORMAT[mime]), mimetype=mime)


def _kind(text: str) -> str:
    from rdflib.plugins.sparql import prepareQuery
    name = prepareQuery(text).algebra.name
    return "CONSTRUCT" if name in ("ConstructQuery", "DescribeQuery") else "SELECT"


def negotiate(kind: str) -> str:
    table = GRAPHS if kind == "CONSTRUCT" else TABULAR
    fmt = request.values.get("format")
    if fmt:
        if fmt in table:
            return table[fmt]
        if fmt in table.values() or fmt in RESULT_FORMAT and kind != "CONSTRUCT":
            return fmt
        raise NotAcceptable(f"format '{fmt}' is not offered for this query (try {', '.join(table)})")
    if kind == "CONSTRUCT":
        offers = [m for m, _ in RDF_TYPES.values()] + ["text/html"]
    else:
        offers = list(RESULT_FORMAT) + ["text/html"]
    if not request.headers.get("Accept"):
        return offers[0]
    best = request.accept_mimetypes.best_match(offers)
    if best is None:
        raise NotAcceptable("none of the Accept types is offered; offered: " + ", ".join(offers))
    if best != "text/html" and _names_html() and \
            request.accept_mimetypes["text/html"] >= request.accept_mimetypes[best]:
        return "text/html"  # a browser: it names text/html and takes the rest as a fallback
    return best


def serialize_table(result, fmt: str) -> str:
    if fmt == "tsv":
        return _tsv(result)
    buffer = io.BytesIO()
    result.to_rdflib().serialize(buffer, format=fmt)
    return buffer.getvalue().decode("utf-8")


def _tsv(result) -> str:
    """SPARQL 1.1 Query Results TSV: variables with '?', terms in Turtle form."""
    if result.kind == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join(_tsv_term(row[v]) if v in row else "" for v in result.vars))
    return "\n".join(lines) + "\n"


def _tsv_term(term) -> str:
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3().replace("\t", "\\t").replace("\n", "\\n")
    return str(term)


def _names_html() -> bool:
    return any(value == "text/html" for value, _q in request.accept_mimetypes)
