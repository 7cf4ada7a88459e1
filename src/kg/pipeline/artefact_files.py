"""Writing the build's files from the sets the build holds: ``kg.nq`` as
N-Quads lines, ``derivations.jsonl`` as one JSON object per inferred
triple, and the hash of a file's triples.

Each term's text is made once (a term recurs in thousands of triples) and
the lines are joined from those texts: rdflib's serializer, fed an rdflib
Dataset, made each term's text again for every triple it is in. The lines
are the ones rdflib writes: IRIs and blank nodes as ``term.n3()``, literals
as its N-Triples writer quotes them, the derivations' triples as
:func:`kg.terms.nt`, each row as ``json.dumps`` writes it.
"""
from __future__ import annotations

import hashlib
from itertools import islice
from json.encoder import encode_basestring_ascii as json_string

from rdflib import BNode, Literal


class _Texts(dict):
    """Term -> text, the text made (by ``make``) the first time a term is
    looked up: a lookup is a plain subscript, with no method call."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, term) -> str:
        text = self[term] = self.make(term)
        return text


class TermText:
    """Terms' N-Triples text, each made once: ``n3`` as rdflib's
    ``term.n3()`` (what explain's keys are made of), ``nq`` as rdflib's
    N-Quads writer writes a term."""

    def __init__(self) -> None:
        self._n3 = _Texts(lambda term: term.n3())
        self._nq = _Texts(lambda term: _quoted_literal(term) if type(term) is Literal else self._n3[term])

    def n3(self, term) -> str:
        return self._n3[term]

    def nq(self, term) -> str:
        return self._nq[term]

    def nt(self, triple) -> str:
        n3 = self._n3
        return f"{n3[triple[0]]} {n3[triple[1]]} {n3[triple[2]]}"

    def nq_lines(self, triples) -> list[str]:
        """Each triple as ``s p o`` in N-Quads' text (no graph, no dot)."""
        nq = self._nq
        return [f"{nq[s]} {nq[p]} {nq[o]}" for s, p, o in triples]


def _quoted_literal(literal: Literal) -> str:
    """A literal as rdflib's N-Triples and N-Quads writers quote it (escapes
    for backslash, newline, quote and carriage return; never triple quotes)."""
    text = '"%s"' % str(literal).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if literal.language:
        return f"{text}@{literal.language}"
    return f"{text}^^<{literal.datatype}>" if literal.datatype else text


LINES_A_WRITE = 50_000  # a write of one string per line cost a third of the writing


def write_nquads(handle, graphs, text: TermText) -> None:
    """``graphs``: (graph IRI, triples) pairs; one line per triple, in the
    order given (a text file ``handle`` opened for UTF-8), written
    ``LINES_A_WRITE`` lines at a time."""
    for iri, triples in graphs:
        tail = f" {text.nq(iri)} .\n"
        remaining = iter(triples)
        while chunk := text.nq_lines(islice(remaining, LINES_A_WRITE)):  # not a graph's lines at once: 250 MB at 100x
            handle.write(tail.join(chunk) + tail)


def write_derivations(handle, rows, text: TermText) -> None:
    """``rows``: (triple, rule, premise, premise …) tuples; a line each, as
    ``json.dumps({"t": nt(t), "rule": rule, "premises": [nt(p) …]})``."""
    nt = text.nt
    lines = (f'{{"t": {json_string(nt(row[0]))}, "rule": {json_string(row[1])}, '
             f'"premises": [{", ".join([json_string(nt(p)) for p in row[2:]])}]}}\n'
             for row in rows)
    while chunk := "".join(islice(lines, LINES_A_WRITE)):
        handle.write(chunk)


def triples_hash(triples, text: TermText | None = None) -> str:
    """The same for two files that state the same triples, however written
    (comments, order, prefixes, layout); blank nodes compared by shape."""
    text = text or TermText()
    if any(type(s) is BNode or type(o) is BNode for s, _p, o in triples):
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in triples)
        triples = to_canonical_graph(graph)
    lines = sorted({text.nt(t) for t in triples})
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
