"""Load layer: every ontology and data file into its own named graph.

Graph IRIs: ``graph/ontology/core`` for ``ontology/core.ttl``,
``graph/data/matrix-b5`` for ``data/matrix-b5.ttl``; inferences go to
``graph/inferred``. A Turtle error is one line ``FILE:LINE:COL: message``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import InputError
from .paths import project_dir

GRAPH = "https://w3id.org/practitioner-evidence/graph/"
INFERRED = URIRef(GRAPH + "inferred")
LAYERS = ("ontology", "data")


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


def parse_file(item: InputFile) -> Graph:
    """Parse one Turtle file, turning any parser failure into an InputError."""
    raw = item.path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - raw.rfind(b"\n", 0, err.start)
        raise InputError(item.display, line, col, "not UTF-8 text") from None
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=item.path.as_uri())
    except BadSyntax as err:
        raise InputError(item.display, *_position(err), err._why) from None
    except (ValueError, TypeError, RecursionError) as err:
        raise InputError(item.display, 1, 1, f"{type(err).__name__}: {err}".splitlines()[0]) from None
    return graph


def _position(err: BadSyntax) -> tuple[int, int]:
    text = err._str.decode("utf-8", "replace") if isinstance(err._str, bytes) else str(err._str)
    offset = min(err._i, len(text))
    return err.lines + 1, offset - text.rfind("\n", 0, offset)


def load_dataset(files: list[InputFile] | None = None) -> tuple[Dataset, dict[URIRef, InputFile]]:
    """All inputs as one Dataset with a named graph per file."""
    dataset = Dataset()
    by_graph = {}
    for item in files if files is not None else input_files():
        graph = parse_file(item)
        target = dataset.graph(item.graph_iri)
        for triple in graph:
            target.add(triple)
        for prefix, ns in graph.namespaces():
            dataset.bind(prefix, ns, override=False)
        by_graph[item.graph_iri] = item
    return dataset, by_graph
