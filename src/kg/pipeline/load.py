"""Load layer: every ontology and data file into its own named graph.

Graph IRIs: ``graph/ontology/core`` for ``ontology/core.ttl``,
``graph/data/matrix-b5`` for ``data/matrix-b5.ttl``; inferences go to
``graph/inferred``. A Turtle error is one line ``FILE:LINE:COL: message``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import InputError, ValidationFailed
from kg.pipeline.literals import canonical, canonical_triples, lexical_problem
from kg.nesting import too_deep
from kg.paths import project_dir

GRAPH = "https://w3id.org/practitioner-evidence/graph/"
INFERRED = URIRef(GRAPH + "inferred")
LAYERS = ("ontology", "data")
MAX_NESTING = 64  # brackets inside one another in a data file, checked before the parser recurses
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CANONICAL = ("http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#integer")
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class IllTypedLiterals(ValidationFailed):
    """Literals whose lexical form is not in their datatype's lexical space
    (OWL 2 RL's dt-not-type), one ``FILE:LINE:COL`` line each."""


@dataclass(frozen=True)
class InputFile:
    path: Path
    layer: str  # "ontology" or "data"

    @property
    def graph_iri(self) -> URIRef:
        return URIRef(f"{GRAPH}{self.layer}/{self.path.stem}")

    @property
    def display(self) -> str:
        return f"{self.layer}/{self.path.name}"


def input_files(root: Path | None = None) -> list[InputFile]:
    root = root or project_dir()
    return [InputFile(p, layer) for layer in LAYERS for p in sorted((root / layer).glob("*.ttl"))]


def parse_file(item: InputFile, into: Graph | None = None) -> Graph:
    """Parse one Turtle file (into ``into``, or a new graph), turning any
    parser failure into an InputError."""
    raw = item.path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - raw.rfind(b"\n", 0, err.start)
        raise InputError(item.display, line, col, "not UTF-8 text") from None
    deep = too_deep(text, MAX_NESTING)
    if deep is not None:
        raise InputError(item.display, *_line_col(text, deep), f"brackets nested more than {MAX_NESTING} deep")
    graph = Graph() if into is None else into
    if _parse_fast(text, item, graph):
        _check_terms(graph, text, item.display)
        return graph
    try:
        graph.parse(data=text, format="turtle", publicID=item.path.as_uri())
    except BadSyntax as err:
        raise InputError(item.display, *_position(err), err._why) from None
    except (ValueError, TypeError, RecursionError) as err:
        message = f"{type(err).__name__}: {err}".splitlines()[0]
        raise InputError(item.display, *_line_col(text, _quoted_offset(text, str(err))), message) from None
    _check_terms(graph, text, item.display)
    canonical_triples(graph)
    return graph


class RdflibTerms:
    """Oxigraph terms as rdflib makes them when it parses: plain literals
    without a datatype, language-tagged ones without rdf:langString, one
    object per IRI, and blank nodes fresh for each converter (labels like
    _:b1 in two files stay two nodes)."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.blanks: dict[str, BNode] = defaultdict(BNode)

    def __call__(self, node):
        kind = type(node)
        if kind is ox.NamedNode:
            value = node.value
            found = self.iris.get(value)
            if found is None:
                found = self.iris[value] = URIRef(value)
            return found
        if kind is ox.BlankNode:
            return self.blanks[node.value]
        if node.language:
            return Literal(node.value, lang=node.language)
        datatype = node.datatype.value
        if datatype == XSD_STRING:
            return Literal(node.value)
        literal = Literal(node.value, datatype=self(node.datatype))
        # one term per number, whichever writer (kg.pipeline.literals)
        return canonical(literal) if datatype in CANONICAL else literal


def _parse_fast(text: str, item: InputFile, graph: Graph) -> bool:
    """Parse with Oxigraph's Turtle parser (about ten times faster than
    rdflib's) into ``graph``; False, with ``graph`` untouched, when it rejects
    the file: rdflib's parser then says where and why, as it always has."""
    try:
        parser = ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=item.path.as_uri())
        term = RdflibTerms()
        triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parser]
        prefixes = dict(parser.prefixes)
    except (SyntaxError, ValueError):
        return False
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True)
    for triple in triples:
        graph.add(triple)
    return True


def _check_terms(graph: Graph, text: str, display: str) -> None:
    """What rdflib lets through with a warning at most: IRIs with characters
    no IRI may hold, literals as subjects, lone surrogates, and ill-typed
    literals (all of them, a line each; the file is parsed all the same, so that
    :func:`load_dataset` can go on and report the other files' too)."""
    ill_typed = []
    for triple in graph:
        for position, term in enumerate(triple):
            problem = _term_problem(term, position)
            if problem:
                where = _line_col(text, _offset_of(text, term))
                raise InputError(display, *where, problem)
        if isinstance(triple[2], Literal):
            why = lexical_problem(triple[2]) or ("ill-typed" if triple[2].ill_typed else None)
            if why:
                ill_typed.append((_line_col(text, _offset_of(text, triple[2])), triple[2], why))
    if ill_typed:
        raise IllTypedLiterals([f"{display}:{line}:{col}: ill-typed literal {term.n3()[:80]} (dt-not-type): {why}"
                                for (line, col), term, why in sorted(ill_typed, key=lambda item: item[0])])


def _term_problem(term, position: int) -> str | None:
    if isinstance(term, URIRef) and BAD_IRI.search(term):
        return f"bad IRI <{term}>: it may not hold spaces, control characters or any of <>\"{{}}|^`\\"
    if isinstance(term, Literal):
        if position == 0:
            return f"a literal cannot be a subject: {term.n3()[:60]}"
    if isinstance(term, (URIRef, Literal)):
        try:
            str(term).encode("utf-8")
        except UnicodeEncodeError:
            return f"not valid Unicode (a lone surrogate) in {type(term).__name__}"
    return None


def _offset_of(text: str, term) -> int:
    found = text.find(f'"{term}' if isinstance(term, Literal) else str(term))
    if found < 0 and isinstance(term, URIRef):  # written as a prefixed name or with escapes
        found = text.find(str(term).rsplit("/", 1)[-1][:20] or str(term))
    return max(found, 0)


def _quoted_offset(text: str, message: str) -> int:
    quoted = re.search(r"'([^']+)'", message)
    return max(text.find(quoted.group(1)), 0) if quoted else 0


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _position(err: BadSyntax) -> tuple[int, int]:
    text = err._str.decode("utf-8", "replace") if isinstance(err._str, bytes) else str(err._str)
    offset = len(text) if err._i < 0 else min(err._i, len(text))  # -1: at the end
    return err.lines + 1, offset - text.rfind("\n", 0, offset)


def load_dataset(files: list[InputFile] | None = None) -> tuple[Dataset, dict[URIRef, InputFile]]:
    """All inputs as one Dataset with a named graph per file."""
    dataset = Dataset()
    by_graph, ill_typed = {}, []
    for item in files if files is not None else input_files():
        graph = dataset.graph(item.graph_iri)
        try:
            parse_file(item, into=graph)
        except IllTypedLiterals as err:  # every file's are reported, then the load stops
            ill_typed += err.lines
        for prefix, ns in graph.namespaces():
            dataset.bind(prefix, ns, override=False)
        by_graph[item.graph_iri] = item
    if ill_typed:
        raise IllTypedLiterals(ill_typed)
    return dataset, by_graph
