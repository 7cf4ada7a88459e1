"""pyoxigraph on disk under build/oxigraph, loaded from the artefact and
reloaded only when the artefact changed (the manifest's hash is recorded)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..build import ARTEFACT, MANIFEST
from ..errors import QueryError
from ..paths import build_dir
from .base import Result, Store, bind_in_text


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_build(cls, out=None) -> "OxigraphStore":
        out = Path(out or build_dir())
        stamp = hashlib.sha256((out / MANIFEST).read_bytes()).hexdigest()
        path, marker = out / "oxigraph", out / "oxigraph.loaded"
        if not (path.is_dir() and marker.exists() and marker.read_text() == stamp):
            shutil.rmtree(path, ignore_errors=True)
            store = ox.Store(str(path))
            store.bulk_load(path=str(out / ARTEFACT), format=ox.RdfFormat.N_QUADS)
            store.flush()
            marker.write_text(stamp)
            return cls(store)
        return cls(ox.Store.read_only(str(path)))

    def query(self, text: str, bindings: dict | None = None) -> Result:
        try:
            answer = self.store.query(bind_in_text(text, bindings), use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryError(f"query syntax error: {err}") from None
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"query failed: {err}") from None
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = []
            for solution in answer:
                rows.append({n: to_rdflib(solution[n]) for n in names if solution[n] is not None})
            return Result("SELECT", names, rows)
        graph = Graph()
        for triple in answer:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return Result("CONSTRUCT", graph=graph)
