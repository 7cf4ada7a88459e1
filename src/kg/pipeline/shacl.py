"""SHACL layer: the shapes in ``shapes/`` evaluated over the data, as plain
results (focus, path, value, message) for ``validate`` to locate in files.

The engine is pyshacl-turbo (a Rust SHACL engine with pySHACL's API): 8x
faster than pySHACL on the real graph, 4x on the generated 10x one, for a
little more memory (bench/results/shacl.json). It is adopted because
``tests/test_shacl_engines.py`` plants one violation of every constraint
kind ``shapes/`` uses and finds the same report from both engines (same
verdict; same focus, path, value, constraint component, source shape and
severity). A constraint component named in ``PYSHACL_COMPONENTS`` would be
evaluated by pySHACL instead (that set is empty: no kind differs); the
differential test keeps both engines importable, so pySHACL stays a
dependency.

``data`` is an rdflib Graph (the union of the ontology and data files), or
an rdflib Dataset, a pyoxigraph Store or a :class:`StoreDump` of one, each
validated as the union of its default and named graphs (no copy into one graph needed: pyshacl-turbo reads
the union itself; pySHACL, which would validate each graph alone, gets a
copy). pyshacl-turbo 0.6.5 reads a Store's plain strings as
``xsd:string`` literals, which rdflib holds apart from the plain ones of the
shapes graph ("S" in ``sh:in ("S" "K")`` or ``sh:hasValue`` would be a false
violation): for a Store it gets the shapes with their plain strings typed
``xsd:string`` (the same RDF terms), and results give strings back plain.
``tests/test_shacl_engines.py`` checks the Store against pySHACL too.
"""
from __future__ import annotations

import codecs
import importlib
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.collection import Collection
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.namespace import RDF, SH, XSD

from kg.errors import InputError
from kg.paths import project_dir

ENGINES = {"pyshacl": "pyshacl", "pyshacl-turbo": "pyshacl_turbo"}  # imported when used: pySHACL takes ~1 s
ENGINE = "pyshacl-turbo"
PYSHACL_COMPONENTS: frozenset = frozenset()  # kinds where the engines disagree; none found


class StoreDump(NamedTuple):
    """N-Quads as ``Store.dump`` writes them, with every character past
    ASCII written as an escape (``ascii_nquads``): what pyshacl-turbo makes
    of a Store before it validates, made by the caller so that the Store
    (or the files) can be let go first. Validated as a Store is (the union
    of its graphs; plain strings read as ``xsd:string``)."""
    text: str
    namespaces: dict  # prefix -> namespace, for the engine's messages (pe:colour, not the whole IRI)

    @classmethod
    def of(cls, store: ox.Store, namespaces: dict | None = None) -> "StoreDump":
        return cls(ascii_nquads(store.dump(format=ox.RdfFormat.N_QUADS)), dict(namespaces or {}))


def ascii_nquads(data: bytes) -> str:
    """UTF-8 N-Quads as a str of ASCII alone, each other character written
    ``\\uXXXX`` or ``\\UXXXXXXXX`` (N-Quads allows these escapes in IRIs and
    strings: the same terms). Python holds a str with one character past
    ASCII at two or four bytes a character, and the engine, which reads
    UTF-8, is given another copy of it: at 100x (380 MB of N-Quads) 1.1 GB
    more than this str. The codec's error handler escapes each run of such
    characters (four times quicker than a regular expression's)."""
    if data.isascii():
        return data.decode("ascii")
    return data.decode("utf-8").encode("ascii", ESCAPE).decode("ascii")


def _escaped(error: UnicodeEncodeError) -> tuple[str, int]:
    return "".join(f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"
                   for code in map(ord, error.object[error.start:error.end])), error.end


ESCAPE = "kg-nquads-escape"
codecs.register_error(ESCAPE, _escaped)


class Finding(NamedTuple):
    """One SHACL result; the first four fields are ``shacl_results``'s."""
    focus: object
    path: object
    value: object
    message: object
    component: object
    shape: object
    severity: object


def load_shapes() -> Graph:
    shapes = Graph()
    for path in sorted((project_dir() / "shapes").glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as err:
            raise InputError(f"shapes/{path.name}", 1, 1, str(err).splitlines()[0]) from None
    return shapes


def shacl_results(data, shapes: Graph | None = None) -> list[tuple]:
    """(focus, path, value, message) for every result; empty when the data
    conforms. ``path`` and ``value`` may be None (e.g. a missing value)."""
    return [finding[:4] for finding in shacl_findings(data, shapes)]


def shacl_findings(data, shapes: Graph | None = None, engine: str | None = None) -> list[Finding]:
    """Every result in full. With ``engine`` given, that engine alone;
    otherwise pyshacl-turbo, with pySHACL for the ``PYSHACL_COMPONENTS``."""
    shapes = load_shapes() if shapes is None else shapes
    if engine is not None:
        return findings_of(report_of(data, shapes, engine))
    found = [f for f in findings_of(report_of(data, shapes, ENGINE)) if f.component not in PYSHACL_COMPONENTS]
    if PYSHACL_COMPONENTS:
        found += [f for f in findings_of(report_of(data, shapes, "pyshacl")) if f.component in PYSHACL_COMPONENTS]
    return found


def report_of(data, shapes: Graph, engine: str) -> Graph:
    """The validation report graph of one engine. A shape the engine cannot
    run (e.g. a bad SPARQL constraint) is an InputError naming shapes/."""
    options = {"shacl_graph": shapes, "inference": "none", "allow_warnings": True}
    if isinstance(data, ox.Store) and engine == "pyshacl":  # it would validate each named graph alone
        data = _union_graph(data.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"))
    elif isinstance(data, StoreDump) and engine == "pyshacl":
        data = _union_graph(data.text)
    elif isinstance(data, Dataset) and engine == "pyshacl":
        data = _union_graph(data)
    elif isinstance(data, ox.Store):
        options["shacl_graph"] = _typed_strings(shapes)
    elif isinstance(data, StoreDump):  # as pyshacl-turbo takes a Store (its input_graph), without the Store
        options["shacl_graph"] = _typed_strings(shapes)
        data = _dump_input(data, shapes)
    engine_validate = importlib.import_module(ENGINES[engine]).validate
    try:
        _conforms, report, _text = engine_validate(data, **options)
    except MemoryError:
        raise
    except Exception as err:  # a bad shape: ValueError (turbo), re.error, ConstraintLoadError, ParseException
        raise InputError("shapes", 1, 1, (str(err).splitlines() or [type(err).__name__])[0]) from None
    if not isinstance(report, Graph):
        raise InputError("shapes", 1, 1, str(report).splitlines()[0])
    return report


def _dump_input(dump: StoreDump, shapes: Graph):
    """What pyshacl-turbo makes of a Store (``pyshacl_turbo.rdf.Input``), with
    the prefixes for its messages; a Store again if a release has moved it."""
    try:
        from pyshacl_turbo.rdf import Input
    except ImportError:  # pragma: no cover (pyshacl-turbo 0.6.5 has it)
        store = ox.Store()
        store.load(input=dump.text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return store
    return Input(dump.text, "oxigraph-nquads", None, {}, {**dict(shapes.namespaces()), **dump.namespaces},
                 preserve_ids=True)


def _union_graph(quads) -> Graph:
    """One graph of the triples of a Dataset, or of N-Quads text."""
    dataset = quads if isinstance(quads, Dataset) else Dataset().parse(data=quads, format="nquads")
    union = Graph()
    for s, p, o, _graph in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _typed_strings(shapes: Graph) -> Graph:
    typed = Graph()
    for prefix, namespace in shapes.namespaces():  # the engine writes its messages with them
        typed.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in shapes:
        typed.add((s, p, _string(o, XSD.string)))
    return typed


def _string(term, datatype):
    """A plain string as ``datatype`` (None or xsd:string); other terms as they are."""
    if isinstance(term, Literal) and term.language is None and term.datatype in (None, XSD.string):
        return Literal(str(term), datatype=datatype)
    return term


def findings_of(report: Graph) -> list[Finding]:
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        component = report.value(result, SH.sourceConstraintComponent)
        message = _string(report.value(result, SH.resultMessage), None) or component
        path = path_of(report, report.value(result, SH.resultPath))
        results.append(Finding(report.value(result, SH.focusNode), path,
                               _string(report.value(result, SH.value), None), message, component,
                               report.value(result, SH.sourceShape), report.value(result, SH.resultSeverity)))
    return results


def path_of(graph: Graph, node):
    """A result path as an rdflib term or path (``~p`` for an inverse path,
    ``p / q`` for a sequence): the report's blank nodes mean nothing outside it."""
    if not isinstance(node, BNode):
        return node
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return InvPath(path_of(graph, inverse))
    if (node, RDF.first, None) in graph:
        return SequencePath(*(path_of(graph, step) for step in Collection(graph, node)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return AlternativePath(*(path_of(graph, step) for step in Collection(graph, alternatives)))
    for predicate, mod in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        step = graph.value(node, predicate)
        if step is not None:
            return MulPath(path_of(graph, step), mod)
    return node
