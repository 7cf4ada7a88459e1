"""Writing a :class:`~kg.query.stores.base.Result` in the SPARQL 1.1 result formats
(JSON, CSV, TSV; XML through rdflib) and a graph in the RDF formats.

JSON, CSV and TSV are written here, directly from the rows: going through
rdflib's result object and serializers cost more than the query itself on
the endpoint's common answers. The query workers serialize, so the server
process only forwards bytes.
"""
from __future__ import annotations

import csv
import io
import json

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer

TABLE_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")


def serialize(result, fmt: str) -> bytes:
    """``fmt``: one of TABLE_FORMATS for SELECT/ASK, GRAPH_FORMATS for CONSTRUCT."""
    if result.kind == "CONSTRUCT":
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"unknown graph format {fmt!r}")
        return rdf_text(result.graph, fmt).encode("utf-8")
    if fmt == "json":
        return _json(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "xml":
        buffer = io.BytesIO()
        result.to_rdflib().serialize(buffer, format="xml")
        return buffer.getvalue()
    raise ValueError(f"unknown result format {fmt!r}")


# ---------------------------------------------------------------- RDF
class _KeepsDecimals:
    """rdflib writes "85"^^xsd:decimal as a bare 85.0, which reads back as
    another term ("85.0"): a decimal without a point is written quoted."""

    def label(self, node, position):
        if type(node) is Literal and node.datatype == XSD.decimal and "." not in node:
            return node.n3()
        return super().label(node, position)


class _Turtle(_KeepsDecimals, TurtleSerializer):
    pass


class _Trig(_KeepsDecimals, TrigSerializer):
    pass


def rdf_text(graph, fmt: str) -> str:
    """The graph (a Dataset for TriG) in an RDF format, every term as it is
    in the graph (see kg.pipeline.literals)."""
    writer = {"turtle": _Turtle, "trig": _Trig}.get(fmt)
    if writer is None:
        return graph.serialize(format=fmt)
    buffer = io.BytesIO()
    writer(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


# ---------------------------------------------------------------- JSON
def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _json(result) -> bytes:
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode("utf-8")
    bindings = [{name: _json_term(term) for name, term in row.items()} for row in result.rows]
    body = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- CSV and TSV
def _csv(result) -> bytes:
    """SPARQL 1.1 CSV: IRIs and literals by their plain value, blank nodes as _:x."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.vars)
        for row in result.rows:
            writer.writerow([_csv_term(row.get(v)) for v in result.vars])
    return buffer.getvalue().encode("utf-8")


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv(result) -> bytes:
    """SPARQL 1.1 TSV: variables with '?', terms in their Turtle form."""
    if result.kind == "ASK":
        return ("?_askResult\n" + ("true" if result.boolean else "false") + "\n").encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join(_tsv_term(row[v]) if v in row else "" for v in result.vars))
    return ("\n".join(lines) + "\n").encode("utf-8")


ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term) -> str:
    """A term as in Turtle, on one line (never a long \"\"\"string\"\"\")."""
    if isinstance(term, Literal):
        text = '"' + str(term).translate(ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    if isinstance(term, (URIRef, BNode)):
        return term.n3()
    return str(term)
