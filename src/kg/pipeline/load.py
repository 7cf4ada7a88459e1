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
from kg.pipeline.graphs import Graphs
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
    graph = Graph() if into is None else into
    triples, prefixes = parse_triples(item)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def parse_triples(item: InputFile, shared: dict | None = None) -> tuple[set, dict[str, str]]:
    """One Turtle file's triples (rdflib terms, the same objects for the same
    IRI or literal across the files that share ``shared``) and its prefixes;
    any parser failure is an InputError naming the file and line."""
    raw = item.path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - raw.rfind(b"\n", 0, err.start)
        raise InputError(item.display, line, col, "not UTF-8 text") from None
    fast = _parse_fast(text, item, shared)
    if fast is None or bracket_depth_bound(fast[0]) > MAX_NESTING:
        _check_nesting(text, item)  # before rdflib's parser, which recurses once per bracket
    if fast is None:
        parsed = _parse_rdflib(text, item)
        _check_terms(parsed[0], text, item.display)
        return parsed
    triples, prefixes, fresh = fast
    _check_terms(triples, text, item.display, fresh, shared)
    return triples, prefixes


def _check_nesting(text: str, item: InputFile) -> None:
    deep = too_deep(text, MAX_NESTING)
    if deep is not None:
        raise InputError(item.display, *_line_col(text, deep), f"brackets nested more than {MAX_NESTING} deep")


def bracket_depth_bound(triples) -> int | float:
    """At least as deep as brackets nest in the Turtle text the triples were
    parsed from, read off the triples (the text scan of ``kg.nesting`` takes
    seconds for a large file, the triples a tenth of that). Each ``[`` or
    non-empty ``(`` makes a blank node, and one written inside another is
    the object of a triple of that other (a property of ``[ ]``, an item
    or ``rdf:rest`` of a list): brackets nested n deep make a chain of at
    least n - 1 blank nodes, each the object of the one before (the
    innermost may be ``()``, rdf:nil). So the depth is at most one more
    than the longest such chain; infinite when blank nodes refer to one
    another in a cycle (written with labels, not brackets: the text is
    then scanned)."""
    nested: dict = {}
    for s, _p, o in triples:
        if type(o) is BNode and type(s) is BNode and s is not o:  # one object per blank node of a file
            nested.setdefault(s, []).append(o)
    if not nested:
        return 2
    longest: dict = {}  # blank node -> blank nodes in the longest chain starting at it
    for start in nested:
        if start in longest:
            continue
        path, stack = {start}, [(start, iter(nested[start]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.discard(node)
                longest[node] = 1 + max((longest[c] for c in nested.get(node, ())), default=0)
            elif child in path:
                return float("inf")
            elif child not in longest:
                path.add(child)
                stack.append((child, iter(nested.get(child, ()))))
    return 1 + max(longest.values())


def _parse_rdflib(text: str, item: InputFile) -> tuple[set, dict[str, str]]:
    """rdflib's parser: slower, but it says where and why a file is wrong."""
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=item.path.as_uri())
    except BadSyntax as err:
        raise InputError(item.display, *_position(err), err._why) from None
    except (ValueError, TypeError, RecursionError) as err:
        message = f"{type(err).__name__}: {err}".splitlines()[0]
        raise InputError(item.display, *_line_col(text, _quoted_offset(text, str(err))), message) from None
    canonical_triples(graph)
    return set(graph), {prefix: str(ns) for prefix, ns in graph.namespaces()}


class RdflibTerms:
    """Oxigraph terms as rdflib makes them when it parses: plain literals
    without a datatype, language-tagged ones without rdf:langString, one
    object per IRI and literal (in ``shared``, which several converters may
    hold: making an rdflib Literal costs more than parsing it), and blank
    nodes fresh for each converter (labels like _:b1 in two files stay two
    nodes)."""

    def __init__(self, shared: dict | None = None) -> None:
        self.terms: dict = {} if shared is None else shared
        self.blanks: dict[str, BNode] = defaultdict(BNode)
        self.fresh: list = []  # (Oxigraph term, rdflib term) made by this converter, in order

    def __call__(self, node):
        found = self.terms.get(node)
        if found is not None:
            return found
        kind = type(node)
        if kind is ox.BlankNode:
            return self.blanks[node.value]
        if kind is ox.NamedNode:
            found = URIRef(node.value)
        elif node.language:
            found = Literal(node.value, lang=node.language)
        elif node.datatype.value == XSD_STRING:
            found = Literal(node.value)
        else:
            found = Literal(node.value, datatype=self(node.datatype))
            # one term per number, whichever writer (kg.pipeline.literals)
            found = canonical(found) if node.datatype.value in CANONICAL else found
        self.terms[node] = found
        self.fresh.append((node, found))
        return found


def _parse_fast(text: str, item: InputFile, shared: dict | None = None) -> tuple[set, dict[str, str], list] | None:
    """Parse with Oxigraph's Turtle parser (about ten times faster than
    rdflib's, and it does not recurse per bracket); None when it rejects
    the file: rdflib's parser then says where and why, as it always has.
    Also the terms first made here (``RdflibTerms.fresh``): the others were
    checked in a file before."""
    try:
        parser = ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=item.path.as_uri())
        term = RdflibTerms(shared)
        triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parser]
        prefixes = dict(parser.prefixes)
    except (SyntaxError, ValueError):
        return None
    return set(triples), prefixes, term.fresh  # a triple stated twice is one triple


def _check_terms(triples, text: str, display: str, fresh: list | None = None, shared: dict | None = None) -> None:
    """What rdflib lets through with a warning at most: IRIs with characters
    no IRI may hold, literals as subjects, lone surrogates, and ill-typed
    literals (all of them, a line each; the file is parsed all the same, so that
    :func:`load_dataset` can go on and report the other files' too). Each
    term is checked once, however often it is used: with ``fresh`` (from
    Oxigraph's parser, which makes no literal subject), only the terms no
    file made before; a term found wrong is taken out of ``shared``, so
    that the next file using it is told too."""
    if fresh is None:
        for triple in triples:
            if type(triple[0]) is Literal:
                raise InputError(display, *_line_col(text, _offset_of(text, triple[0])), _term_problem(triple[0], 0))
        fresh = [(None, term) for term in {term for triple in triples for term in triple}]
    ill_typed = []
    for node, term in fresh:
        problem = _term_problem(term, 1)
        why = None if problem or type(term) is not Literal else \
            lexical_problem(term) or ("ill-typed" if term.ill_typed else None)
        if (problem or why) and shared is not None:
            shared.pop(node, None)
        if problem:
            raise InputError(display, *_line_col(text, _offset_of(text, term)), problem)
        if why:
            ill_typed.append((_line_col(text, _offset_of(text, term)), term, why))
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


def load_graphs(files: list[InputFile] | None = None, known=()) -> tuple[Graphs, dict[URIRef, InputFile]]:
    """All inputs, a set of triples per file's named graph; the ill-typed
    literals of every file are reported before the load stops. ``known``:
    IRIs (rdflib's) to be used as they are wherever the files name them
    (the reasoner's vocabulary: it compares terms by identity, and a look-up
    of an equal but other object calls rdflib's ``__eq__``)."""
    graphs, by_graph, ill_typed = Graphs(), {}, []
    shared = {ox.NamedNode(str(term)): term for term in known}
    for item in files if files is not None else input_files():
        try:
            triples, prefixes = parse_triples(item, shared)
        except IllTypedLiterals as err:
            ill_typed += err.lines
            continue
        graphs.add_graph(item.graph_iri, triples, prefixes)
        by_graph[item.graph_iri] = item
    if ill_typed:
        raise IllTypedLiterals(ill_typed)
    return graphs, by_graph


def load_dataset(files: list[InputFile] | None = None) -> tuple[Dataset, dict[URIRef, InputFile]]:
    """All inputs as one rdflib Dataset with a named graph per file (for
    the APIs that hand users a Dataset; the build holds :class:`Graphs`)."""
    graphs, by_graph = load_graphs(files)
    return graphs.dataset(), by_graph
