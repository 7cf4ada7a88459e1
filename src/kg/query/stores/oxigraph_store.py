"""pyoxigraph on disk under build/, loaded from the artefact and reloaded
only when the artefact changed. Each load goes to its own folder
``oxigraph-<manifest hash>``, made under a temporary name and renamed into
place, so a process that has the previous one open keeps reading a whole
store while the next is made (old or new, never half)."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.pipeline.manifest import ARTEFACT, MANIFEST, artefact_key
from kg.paths import build_dir
from kg.query.stores.base import Result, Store, bind_in_text, capped

KEEP = 2  # store folders kept: the current one and the one before, which a reader may still hold
LAYOUT = "union-in-default-graph, optimized"  # part of the folder's stamp: a new layout never reuses an old folder


@lru_cache(maxsize=1 << 16)
def to_rdflib(term):
    """The rdflib term of an Oxigraph term (cached: building rdflib literals
    is what most of a query's time went to for small results)."""
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
        key = artefact_key(out)
        if key is None:
            raise StoreError(f"{out / MANIFEST}: no build here: run kg build")
        stamp = hashlib.sha256((key + LAYOUT).encode()).hexdigest()
        path = out / f"oxigraph-{stamp[:16]}"
        with _locked(out / "oxigraph.lock"):
            if not path.is_dir():
                _load_into(path, out / ARTEFACT)
                _prune(out)
        return cls(ox.Store.read_only(str(path)))

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        try:
            answer = self.store.query(bind_in_text(text, bindings))
        except SyntaxError as err:
            raise QueryError(f"query syntax error: {err}") from None
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"query failed: {err}") from None
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = []
            for solution in capped(answer, max_rows):
                rows.append({n: to_rdflib(solution[n]) for n in names if solution[n] is not None})
            return Result("SELECT", names, rows)
        graph = Graph()
        for triple in capped(answer, max_rows):
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return Result("CONSTRUCT", graph=graph)


def _load_into(path: Path, artefact: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    store = ox.Store(str(tmp))
    store.bulk_load(path=str(artefact), format=ox.RdfFormat.N_QUADS)
    # The default graph holds the union of the named graphs, stored once
    # (Oxigraph's union-default-graph mode answers the same but deduplicates
    # across graphs at query time: 3-5x slower on the competency questions).
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default)
                      for q in ox.parse(path=str(artefact), format=ox.RdfFormat.N_QUADS))
    store.flush()
    # Compacts what the bulk loads wrote: 6 s at 100x the graph's size, and
    # the competency questions then run 1.5-3x faster (0.8 -> 0.25 s for cq02).
    store.optimize()
    del store  # closes the database before it is renamed
    os.replace(tmp, path)


def _prune(out: Path) -> None:
    folders = sorted((p for p in out.glob("oxigraph-*") if not p.name.endswith(".tmp")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _locked(path: Path):
    """One process at a time makes a store folder (workers start together)."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
