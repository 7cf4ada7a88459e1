"""Validate layer: pySHACL over the data, one line per violation naming the
data file and line, the focus node and the shape's message; plus what SHACL
cannot express: the register of sources (``registry``), a newcomer's
mistakes (``checks``) and the excerpt check (``excerpts``:
``source_text[start:end] == exact``) and the evidence relations' descriptions
(``relations``)."""
from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

from kg.errors import InputError
from kg.paths import project_dir
from kg.pipeline.checks import newcomer_problems
from kg.pipeline.excerpts import excerpt_problems
from kg.pipeline.graphs import Graphs
from kg.pipeline.lines import short, where
from kg.pipeline.registry import registry_problems
from kg.pipeline.relations import relation_problems
from kg.pipeline.sources import source_text, sources_in

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")


def load_shapes() -> Graph:
    shapes = Graph()
    for path in sorted((project_dir() / "shapes").glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as err:
            raise InputError(f"shapes/{path.name}", 1, 1, str(err).splitlines()[0]) from None
    return shapes


def union_of(dataset, by_graph) -> Graph:
    """One rdflib Graph of the inputs (the vocabularies' concepts are
    validated with the data); ``dataset`` an rdflib Dataset or the build's
    :class:`kg.pipeline.graphs.Graphs`, which makes it in one pass."""
    if isinstance(dataset, Graphs):
        return dataset.union()
    data = Graph()
    for graph_iri in by_graph:
        data.addN((s, p, o, data) for s, p, o in dataset.graph(graph_iri))
    return data


def shacl_problems(dataset, by_graph, data: Graph | None = None, explained=frozenset()) -> list[str]:
    """One line per violation, leaving out those about a value another check
    explains better (an undefined name, an unregistered source)."""
    data = union_of(dataset, by_graph) if data is None else data
    conforms, report, _text = shacl_validate(
        data, shacl_graph=load_shapes(), inference="none", allow_warnings=True
    )
    if conforms:
        return []
    if not isinstance(report, Graph):  # pySHACL could not run a shape (e.g. a bad SPARQL constraint)
        raise InputError("shapes", 1, 1, str(report).splitlines()[0])
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus, value = report.value(result, SH.focusNode), report.value(result, SH.value)
        if value in explained:
            continue
        message = report.value(result, SH.resultMessage) or report.value(result, SH.sourceConstraintComponent)
        found = f" (found {short(value)})" if value is not None and value != focus else ""
        at = where(focus, dataset, by_graph, report.value(result, SH.resultPath))
        lines.append(f"{at}: {short(focus)}: {message}{found}")
    return sorted(set(lines))


def validate(dataset, by_graph) -> list[str]:
    """All problems, one line each; empty when the data conforms. The
    source texts are read afresh (one may have changed since this process
    last read it). ``dataset``: an rdflib Dataset, or the build's
    :class:`kg.pipeline.graphs.Graphs`, whose checks other than SHACL read
    an index of its sets (an rdflib Graph of the union is made for SHACL
    alone, after the index is let go)."""
    source_text.cache_clear()
    held = isinstance(dataset, Graphs)
    data = dataset.index() if held else union_of(dataset, by_graph)
    sources = sources_in(data)
    register, unregistered = registry_problems(data, dataset, by_graph)
    mistakes, undefined = newcomer_problems(data, dataset, by_graph, sources)
    later = excerpt_problems(data, dataset, by_graph, sources) + relation_problems(data, dataset, by_graph)
    shacl = shacl_problems(dataset, by_graph, None if held else data, unregistered | undefined)
    return register + mistakes + shacl + later
