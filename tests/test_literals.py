"""Literals: an ill-typed literal (dt-not-type) stops validation with its
file, line and column, every one of them in the file; decimals are loaded in
one canonical form (Oxigraph's), and every writer we have (N-Quads, TriG,
Turtle, JSON-LD, the export command, the dumps) gives back the artefact's
terms exactly."""
from __future__ import annotations

import pytest
from rdflib import XSD, ConjunctiveGraph, Graph, Literal

from kg.cli import main
from kg.pipeline.literals import canonical, lexical_problem

GOOD = [("2008", XSD.gYear), ("-0044", XSD.gYear), ("2008Z", XSD.gYear), ("2008-02", XSD.gYearMonth),
        ("2024-02-29", XSD.date), ("2000-02-29T24:00:00", XSD.dateTime), ("12:30:00.5+01:00", XSD.time),
        ("85", XSD.decimal), ("-.5", XSD.decimal), ("+3.", XSD.decimal), ("007", XSD.integer),
        ("255", XSD.unsignedByte), ("1.5E-3", XSD.double), ("INF", XSD.float), ("true", XSD.boolean),
        ("0", XSD.boolean), ("P1Y2M3DT4H5M6.7S", XSD.duration), ("PT0S", XSD.dayTimeDuration),
        ("0aFF", XSD.hexBinary), ("aGVsbG8=", XSD.base64Binary), ("en-GB", XSD.language),
        ("a token", XSD.token)]
BAD = [("20x1", XSD.gYear), ("208", XSD.gYear), ("2008-13", XSD.gYearMonth), ("2023-02-29", XSD.date),
       ("2008-04-31", XSD.date), ("2008-01-01T25:00:00", XSD.dateTime), ("85%", XSD.decimal),
       ("1,000", XSD.decimal), ("", XSD.decimal), ("1.5", XSD.integer), ("256", XSD.unsignedByte),
       ("-1", XSD.nonNegativeInteger), ("0", XSD.positiveInteger), ("yes", XSD.boolean), ("P", XSD.duration),
       ("PT", XSD.duration), ("P1Y", XSD.dayTimeDuration), ("abc", XSD.hexBinary), ("%%", XSD.base64Binary),
       ("en_GB", XSD.language), ("1e", XSD.double)]


@pytest.mark.parametrize("lexical,datatype", GOOD, ids=[f"{d.split('#')[1]}:{v}" for v, d in GOOD])
def test_a_lexical_form_in_its_datatypes_lexical_space_passes(lexical, datatype):
    assert lexical_problem(Literal(lexical, datatype=datatype, normalize=False)) is None


@pytest.mark.parametrize("lexical,datatype", BAD, ids=[f"{d.split('#')[1]}:{v}" for v, d in BAD])
def test_a_lexical_form_outside_its_datatypes_lexical_space_is_ill_typed(lexical, datatype):
    assert lexical_problem(Literal(lexical, datatype=datatype, normalize=False))


@pytest.mark.parametrize("written,canonical_form", [
    ("85", "85"), ("85.0", "85"), ("085.50", "85.5"), ("-0", "0"), (".5", "0.5"), ("+1.", "1"),
    ("120419", "120419"), ("0.25", "0.25")])
def test_decimals_have_one_canonical_form_oxigraphs(written, canonical_form):
    """XML Schema 1.1's canonical form, which Oxigraph stores."""
    import pyoxigraph
    assert str(canonical(Literal(written, datatype=XSD.decimal))) == canonical_form
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p"),
                              pyoxigraph.Literal(written, datatype=pyoxigraph.NamedNode(str(XSD.decimal)))))
    assert [q.object.value for q in store] == [canonical_form]


def test_kg_validate_reports_every_ill_typed_literal_with_file_line_and_column(project_copy, capsys):
    (project_copy / "data" / "zz-typed.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix ex: <http://example.org/> .\n\n"
        'ex:work ex:year "20x1"^^xsd:gYear .\n'
        'ex:other ex:day "2023-02-29"^^xsd:date ;\n'
        '    ex:count "1.5"^^xsd:integer .\n', encoding="utf-8")
    (project_copy / "data" / "zz-typed-too.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://example.org/w> <http://example.org/on> "2023-13-01"^^xsd:date .\n', encoding="utf-8")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ill-typed literal ")[0] for line in err if "ill-typed" in line] == [
        "data/zz-typed-too.ttl:2:48", "data/zz-typed.ttl:4:17", "data/zz-typed.ttl:5:17", "data/zz-typed.ttl:6:14"]
    assert any(line.startswith('data/zz-typed.ttl:4:17: ill-typed literal "20x1"^^') and "dt-not-type" in line
               for line in err)


def test_every_writer_gives_back_the_artefacts_terms(built, tmp_path):
    """N-Quads (the artefact), TriG and JSON-LD (export, dumps), Turtle
    (export, dumps, /id pages): the same literals, term for term."""
    artefact = ConjunctiveGraph()
    artefact.parse(built / "kg.nq", format="nquads")
    expected = _literals(artefact)
    assert any(datatype == XSD.decimal for datatype, _lang, _text in expected)
    for fmt, reader in (("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"), ("ttl", "turtle")):
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--format", fmt, "--output", str(out)]) == 0
        back = ConjunctiveGraph() if fmt != "ttl" else Graph()
        back.parse(out, format=reader)
        assert _literals(back) == expected, fmt


def _literals(graph) -> set:
    triples = graph.quads() if isinstance(graph, ConjunctiveGraph) else ((s, p, o, None) for s, p, o in graph)
    return {(o.datatype, o.language, str(o)) for _s, _p, o, _g in triples if isinstance(o, Literal)}


def test_an_ill_typed_literal_in_two_files_is_reported_in_both(project_copy, capsys):
    """The loader makes each term once for all files and checks it when it
    is made: one found ill-typed is made (and reported) again in the next
    file that uses it."""
    for name in ("zz-a.ttl", "zz-b.ttl"):
        (project_copy / "data" / name).write_text(
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            '<http://example.org/w> <http://example.org/on> "2023-13-01"^^xsd:date .\n', encoding="utf-8")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ill-typed literal ")[0] for line in err if "ill-typed" in line] == [
        "data/zz-a.ttl:2:48", "data/zz-b.ttl:2:48"]
