"""Validate layer: the SHACL shapes over the data (``shacl``), one line per
violation naming the data file and line where the offending triple is
stated (``shacl_lines``), the focus node and the shape's message; plus what SHACL
cannot express: the register of sources (``registry``), a newcomer's
mistakes (``checks``) and the excerpt check (``excerpts``:
``source_text[start:end] == exact``) and the evidence relations' descriptions
(``relations``)."""
from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import SH

from kg.pipeline.checks import newcomer_problems
from kg.pipeline.excerpts import excerpt_problems
from kg.pipeline.graphs import Graphs
from kg.pipeline.lines import short
from kg.pipeline.registry import registry_problems
from kg.pipeline.relations import relation_problems
from kg.pipeline.shacl import load_shapes, shacl_findings
from kg.pipeline.shacl_lines import locate
from kg.pipeline.sources import source_text, sources_in

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
__all__ = ["load_shapes", "shacl_problems", "union_of", "validate"]


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


def shacl_problems(dataset, by_graph, data=None, explained=frozenset()) -> list[str]:
    """One line per violation, leaving out those about a value another check
    explains better (an undefined name, an unregistered source). ``data``:
    the union of the files as an rdflib Graph or a pyoxigraph Store (see
    ``shacl``); made from ``dataset`` when not given."""
    data = union_of(dataset, by_graph) if data is None else data
    shapes = load_shapes()
    findings = shacl_findings(data, shapes)
    if all(finding.severity != SH.Violation for finding in findings):
        return []  # the data conforms (warnings alone do not stop a build)
    lines = []
    for finding in findings:
        focus, value = finding.focus, finding.value
        if value in explained:
            continue
        found = f" (found {short(value)})" if value is not None and value != focus else ""
        at = locate(finding, dataset, by_graph, shapes)
        lines.append(f"{at}: {short(focus)}: {finding.message}{found}")
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
