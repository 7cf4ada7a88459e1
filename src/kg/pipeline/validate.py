"""Validate layer: pySHACL over the data, one line per violation naming the
data file, the focus node and the shape's message; plus the excerpt check
(``source_text[start:end] == exact``) that SHACL cannot express."""
from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

from kg.errors import InputError
from kg.paths import project_dir
from kg.pipeline.sources import source_file_for_iri, source_text

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")


def load_shapes() -> Graph:
    shapes = Graph()
    for path in sorted((project_dir() / "shapes").glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as err:
            raise InputError(f"shapes/{path.name}", 1, 1, str(err).splitlines()[0]) from None
    return shapes


def _file_of(node, dataset, by_graph) -> str:
    for graph_iri, item in by_graph.items():
        if (node, None, None) in dataset.graph(graph_iri):
            return item.display
    return "data"


def shacl_problems(dataset, by_graph) -> list[str]:
    data = Graph()  # the vocabularies' concepts are validated with the data
    for graph_iri in by_graph:
        for t in dataset.graph(graph_iri):
            data.add(t)
    conforms, report, _text = shacl_validate(
        data, shacl_graph=load_shapes(), inference="none", allow_warnings=True
    )
    if conforms:
        return []
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage) or report.value(result, SH.sourceConstraintComponent)
        lines.append(f"{_file_of(focus, dataset, by_graph)}: {focus.n3()}: {message}")
    return sorted(set(lines))


def excerpt_problems(dataset, by_graph) -> list[str]:
    lines = []
    for graph_iri, item in by_graph.items():
        graph = dataset.graph(graph_iri)
        for excerpt in set(graph.subjects(RDF.type, PE.Excerpt)):
            exact, start, end, src = (graph.value(excerpt, p) for p in (PE.exact, PE.start, PE.end, PE.inSource))
            if None in (exact, start, end, src):
                continue  # the shapes report what is missing
            name = source_file_for_iri(str(src))
            if name is None:
                lines.append(f"{item.display}: {excerpt.n3()}: pe:inSource {src.n3()} is not one of sources/")
            elif source_text(name)[int(start):int(end)] != str(exact):
                lines.append(f"{item.display}: {excerpt.n3()}: text at {start}..{end} of {name} differs from pe:exact")
    return sorted(lines)


def validate(dataset, by_graph) -> list[str]:
    """All problems, one line each; empty when the data conforms. The
    source texts are read afresh (one may have changed since this process
    last read it)."""
    source_text.cache_clear()
    return shacl_problems(dataset, by_graph) + excerpt_problems(dataset, by_graph)
