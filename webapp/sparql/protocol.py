"""Reading a SPARQL Protocol request and answering it in the negotiated format."""
from __future__ import annotations


from flask import Response, render_template, request
from werkzeug.exceptions import BadRequest, Forbidden, NotAcceptable, UnsupportedMediaType

from kg.errors import QueryError
from kg.serving.guard import READ_ONLY, check_graph, check_query

from ..common import RDF_BY_MIME, RDF_TYPES, kg
from ..public import client

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
    if mime == "application/sparql-update" or "update" in request.args or \
            (mime in FORMS and "update" in request.form):
        raise Forbidden(READ_ONLY)
    if request.method == "POST" and mime == "application/sparql-query":
        text = _body_text()
    elif request.method == "POST" and mime not in FORMS:
        raise UnsupportedMediaType("POST needs application/x-www-form-urlencoded or application/sparql-query")
    else:
        text = _one("query")
    if text is None or not text.strip():
        if request.accept_mimetypes.accept_html or not request.headers.get("Accept"):
            return None
        raise BadRequest("missing the query parameter")
    return text


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _one(name: str) -> str | None:
    """A parameter given at most once (the SPARQL 1.1 Protocol: two queries are a 400)."""
    values = request.values.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"the {name} parameter is given {len(values)} times; give it once")
    return values[0] if values else None


def _body_text() -> str:
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the query is not UTF-8 text") from None


def check_dataset_parameters(graphs: frozenset) -> None:
    """default-graph-uri / named-graph-uri: never fetched; the dataset is fixed."""
    for param in ("default-graph-uri", "named-graph-uri"):
        for iri in request.values.getlist(param):
            check_graph(iri, param, graphs)
            raise QueryError(f"{param} is not supported here; name the graph with FROM or GRAPH in the query")


def answer(text: str, examples) -> Response:
    context = kg()
    query = check_query(text, context.graphs, context.limits)
    check_dataset_parameters(context.graphs)
    mime = negotiate("CONSTRUCT" if query.kind in ("CONSTRUCT", "DESCRIBE") else "SELECT")
    if mime == "text/html":
        result = context.endpoint.query(query.text, client=client())
        return Response(render_template("sparql/form.html", query=text, examples=examples(), result=result))
    fmt = RDF_BY_MIME[mime][1] if mime in RDF_BY_MIME else RESULT_FORMAT[mime]
    _kind, body = context.endpoint.query_serialized(query.text, fmt, client=client())
    return Response(body, mimetype=mime)


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


def _names_html() -> bool:
    return any(value == "text/html" for value, _q in request.accept_mimetypes)
