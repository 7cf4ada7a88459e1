"""The endpoint's own writers of the SPARQL result formats: what they write
reads back, with rdflib's parsers, as the same rows (IRIs, blank nodes,
literals with a language or a datatype, unbound values, quotes, commas and
line breaks), and ASK answers both ways."""
import csv
import io

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result as RdflibResult

from kg.query.formats import serialize
from kg.query.stores.base import Result

ROWS = [
    {"s": URIRef("https://w3id.org/practitioner-evidence/id/claim/a"), "o": Literal("plain, \"quoted\"\nline")},
    {"s": URIRef("https://example.org/b"), "o": Literal("relation", lang="en-GB")},
    {"s": BNode("x1"), "o": Literal("3", datatype=XSD.integer)},
    {"s": URIRef("https://example.org/c")},  # ?o unbound
]
SELECT = Result("SELECT", ["s", "o"], ROWS)


def _read(body: bytes, fmt: str):
    return RdflibResult.parse(io.BytesIO(body), format=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_reads_back_as_the_same_rows(fmt):
    parsed = _read(serialize(SELECT, fmt), fmt)
    assert [str(v) for v in parsed.vars] == ["s", "o"]
    rows = [{str(k): v for k, v in row.items() if v is not None} for row in parsed.bindings]
    expected = [dict(row) for row in ROWS]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert set(got) == set(want)
        for name, term in want.items():
            if isinstance(term, BNode):
                assert isinstance(got[name], BNode)
            else:
                assert got[name] == term and type(got[name]) is type(term)


def test_csv_follows_the_sparql_csv_rules():
    body = serialize(SELECT, "csv").decode("utf-8")
    assert body.startswith("s,o\r\n")
    assert 'https://w3id.org/practitioner-evidence/id/claim/a,"plain, ""quoted""\nline"\r\n' in body
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows == [["s", "o"], ["https://w3id.org/practitioner-evidence/id/claim/a", 'plain, "quoted"\nline'],
                    ["https://example.org/b", "relation"], ["_:x1", "3"], ["https://example.org/c", ""]]


def test_tsv_writes_each_row_on_one_line():
    lines = serialize(SELECT, "tsv").decode("utf-8").split("\n")
    assert lines[0] == "?s\t?o" and len(lines) == 6 and lines[-1] == ""
    assert lines[1] == '<https://w3id.org/practitioner-evidence/id/claim/a>\t"plain, \\"quoted\\"\\nline"'


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("answer", [True, False])
def test_ask(fmt, answer):
    body = serialize(Result("ASK", boolean=answer), fmt)
    if fmt in ("csv", "tsv"):  # SPARQL 1.1 defines none; the same convention as JSON's head
        assert body.decode().split()[1] == str(answer).lower()
    else:
        assert _read(body, fmt).askAnswer is answer


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        serialize(SELECT, "yaml")
