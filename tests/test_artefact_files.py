"""The build's own writers give what rdflib's gave: the same N-Quads lines,
the same derivation rows, the same hash of a file's triples."""
from __future__ import annotations

import hashlib
import io
import json

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from kg.pipeline.artefact_files import TermText, triples_hash, write_derivations, write_nquads
from kg.terms import nt

EX = "http://example.org/"
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")
S, P, B = URIRef(EX + "s"), URIRef(EX + "p"), BNode("b1")
AWKWARD = [
    Literal("plain"), Literal("two\nlines"), Literal('a "quoted" word'), Literal("back\\slash"),
    Literal("carriage\rreturn"), Literal("tab\tand ünïcödé ✓ 𝄞"), Literal('ends with a quote"'),
    Literal("Hallo", lang="de"), Literal("85", datatype=XSD.decimal), Literal("2024", datatype=XSD.gYear),
    Literal('"""triple"""\n', datatype=XSD.string), URIRef(EX + "o"), B,
]


def quads():
    return {G1: {(S, P, o) for o in AWKWARD} | {(B, P, S)}, G2: {(S, P, AWKWARD[1])}}


def test_nquads_lines_are_rdflibs():
    dataset = Dataset()
    for iri, triples in quads().items():
        for t in triples:
            dataset.graph(iri).add(t)
    theirs = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    mine = io.StringIO()
    write_nquads(mine, quads().items(), TermText())
    assert sorted(mine.getvalue().splitlines()) == sorted(line for line in theirs.splitlines() if line)


def test_derivation_rows_are_json_dumps_rows():
    rows = [((S, P, o), ("prp-dom", [(S, P, AWKWARD[1]), (B, P, S)])) for o in AWKWARD] + [((S, P, B), ("owlrl", ()))]
    mine = io.StringIO()
    write_derivations(mine, [(t, rule, *premises) for t, (rule, premises) in rows], TermText())
    expected = "".join(json.dumps({"t": nt(t), "rule": rule, "premises": [nt(p) for p in premises]}) + "\n"
                       for t, (rule, premises) in rows)
    assert mine.getvalue() == expected


def _hash_through_rdflib(graph: Graph) -> str:
    """How the build hashed a file's triples before it held them as sets."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(graph)
    return hashlib.sha256("\n".join(sorted(nt(t) for t in graph)).encode("utf-8")).hexdigest()


def test_triples_hash_is_the_rdflib_graphs_hash():
    for triples in quads().values():
        graph = Graph()
        for t in triples:
            graph.add(t)
        assert triples_hash(triples) == _hash_through_rdflib(graph)


def test_triples_hash_ignores_blank_node_labels_but_not_content():
    one = {(S, P, BNode("x")), (BNode("x"), P, Literal("a"))}
    other = {(S, P, BNode("y")), (BNode("y"), P, Literal("a"))}
    changed = {(S, P, BNode("y")), (BNode("y"), P, Literal("b"))}
    assert triples_hash(one) == triples_hash(other) != triples_hash(changed)
