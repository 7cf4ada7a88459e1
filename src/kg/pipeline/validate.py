"""Validate layer: the SHACL shapes over the data (``shacl``), one line per
violation naming the data file and line where the offending triple is
stated (``shacl_lines``), the focus node and the shape's message; plus what SHACL
cannot express: the register of sources (``registry``), a newcomer's
mistakes (``checks``) and the excerpt check (``excerpts``:
``source_text[start:end] == exact``) and the evidence relations' descriptions
(``relations``)."""
from __future__ import annotations

from rdflib import BNode, Graph, Namespace
from rdflib.namespace import SH

from kg.pipeline.checks import newcomer_problems
from kg.pipeline.excerpts import excerpt_problems
from kg.pipeline.graphs import Graphs
from kg.pipeline.lines import short
from kg.pipeline.registry import registry_problems
from kg.pipeline.relations import relation_problems
from kg.pipeline.shacl import load_shapes, shacl_findings
from kg.pipeline.shacl_background import ShaclInBackground
from kg.pipeline.shacl_lines import locate
from kg.pipeline.sources import source_text, sources_in

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
__all__ = ["load_shapes", "shacl_problems", "start_validation", "union_of", "validate"]


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


def shacl_problems(dataset, by_graph, data=None, explained=frozenset(),
                   background: ShaclInBackground | None = None) -> list[str]:
    """One line per violation, leaving out those about a value another check
    explains better (an undefined name, an unregistered source). ``data``:
    the union of the files as an rdflib Graph or a pyoxigraph Store (see
    ``shacl``); made from ``dataset`` when not given. ``background``: the
    shapes being checked in a child process (:class:`ShaclInBackground`): its
    results are used unless one is on a blank node, which only the build's
    own terms can place in a file."""
    found = background.findings() if background is not None else None
    if found is not None and not any(_blank(finding) for finding in found if finding.severity == SH.Violation):
        shapes = background.shapes
    else:
        shapes = load_shapes()
        data = union_of(dataset, by_graph) if data is None else data
        found = shacl_findings(data, shapes)
    if all(finding.severity != SH.Violation for finding in found):
        return []  # the data conforms (warnings alone do not stop a build)
    lines = []
    for finding in found:
        focus, value = finding.focus, finding.value
        if value in explained:
            continue
        shown = f" (found {short(value)})" if value is not None and value != focus else ""
        at = locate(finding, dataset, by_graph, shapes)
        lines.append(f"{at}: {short(focus)}: {finding.message}{shown}")
    return sorted(set(lines))


def _blank(finding) -> bool:
    return isinstance(finding.focus, BNode) or isinstance(finding.value, BNode)


def validate(dataset, by_graph, shacl: ShaclInBackground | None = None) -> list[str]:
    """All problems, one line each; empty when the data conforms. The
    source texts are read afresh (one may have changed since this process
    last read it). ``dataset``: an rdflib Dataset, or the build's
    :class:`kg.pipeline.graphs.Graphs`, whose checks other than SHACL read
    an index of its sets. ``shacl``: the shapes already being checked in
    the background (the build starts it before it parses); without it, or
    where it cannot stand for ``dataset``, an rdflib Graph of the union is
    made for SHACL alone, after the index is let go."""
    return start_validation(dataset, by_graph, shacl).problems()


class Validation:
    """The checks other than SHACL, done; SHACL's lines made when asked
    for (by then the child checking them may have finished)."""

    def __init__(self, early: tuple[list, list, list], shacl_inputs: tuple, shacl) -> None:
        self.early = early  # register, mistakes, later: the lines of the checks done
        self._inputs = shacl_inputs
        self._shacl = shacl

    @property
    def failed_early(self) -> bool:
        return any(self.early)

    def problems(self) -> list[str]:
        """Every line, in the order the checks have always given them."""
        dataset, by_graph, data, explained = self._inputs
        register, mistakes, later = self.early
        return register + mistakes + shacl_problems(dataset, by_graph, data, explained, self._shacl) + later


def start_validation(dataset, by_graph, shacl: ShaclInBackground | None = None) -> Validation:
    """:func:`validate` in two steps, for the build: the checks other than
    SHACL now; SHACL's lines when :meth:`Validation.problems` is called, so
    that the build can reason while a child process validates."""
    source_text.cache_clear()
    held = isinstance(dataset, Graphs)
    data = dataset.index() if held else union_of(dataset, by_graph)
    sources = sources_in(data)
    register, unregistered = registry_problems(data, dataset, by_graph)
    mistakes, undefined = newcomer_problems(data, dataset, by_graph, sources)
    later = excerpt_problems(data, dataset, by_graph, sources) + relation_problems(data, dataset, by_graph)
    return Validation((register, mistakes, later), (dataset, by_graph, None if held else data,
                                                    unregistered | undefined), shacl)
