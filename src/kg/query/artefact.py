"""Reading the built artefact into rdflib, with a cache beside it.

Parsing ``kg.nq`` into rdflib's in-memory store costs most of a process's
start on the default store (about 0.8 s at the real graph's size: rdflib's
store indexes every triple as it is added), and ``kg serve`` starts three
such processes (the web app and two query workers). The first load writes
the store, indexes and all, to ``kg.rdflib.pickle``; later loads read that
back in about a third of the time. The cache is keyed by the artefact's
hash in the manifest (so a new artefact invalidates it), the rdflib and
Python versions and this module's format; a cache that does not match,
cannot be read or cannot be written is ignored and the artefact parsed as
before. It is a file the build folder's owner made, read by the same owner,
like ``__pycache__``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Dataset

from kg.pipeline.load import RdflibTerms
from kg.pipeline.manifest import ARTEFACT, artefact_key
from kg.paths import build_dir

CACHE = "kg.rdflib.pickle"
FORMAT = "1"  # bump when what is pickled changes
log = logging.getLogger("kg.query.artefact")


def load_artefact(out: Path | str | None = None) -> Dataset:
    """The built dataset in rdflib: from the cache when it matches the
    build, else parsed from the artefact (and the cache written)."""
    out = Path(out or build_dir())
    stamp = cache_stamp(out)
    if stamp is not None:
        dataset = _read_cache(out / CACHE, stamp)
        if dataset is not None:
            return dataset
    dataset = parse_artefact(out / ARTEFACT)
    if stamp is not None:
        _write_cache(out / CACHE, stamp, dataset)
    return dataset


def parse_artefact(path: Path) -> Dataset:
    """The artefact read with Oxigraph's N-Quads parser (four times faster
    than rdflib's; the terms come out the same)."""
    dataset = Dataset()
    term, graphs = RdflibTerms(), {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = dataset.default_graph if isinstance(name, ox.DefaultGraph) \
                else dataset.graph(term(name))
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return dataset


def cache_stamp(out: Path) -> bytes | None:
    """What a cache must have been made from to be used (None: no manifest,
    so nothing to key a cache by)."""
    key = artefact_key(out)
    if key is None:
        return None
    versions = f"{FORMAT} rdflib {rdflib.__version__} python {sys.version_info[:2]}".encode()
    return hashlib.sha256(key.encode() + b"\0" + versions).hexdigest().encode()


def _read_cache(path: Path, stamp: bytes) -> Dataset | None:
    try:
        with open(path, "rb") as handle:
            if handle.readline().rstrip(b"\n") != stamp:
                return None
            store = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as err:  # a damaged or foreign cache: parse the artefact instead
        log.warning("%s: not used (%s)", path, type(err).__name__)
        return None
    return Dataset(store=store)


def _write_cache(path: Path, stamp: bytes, dataset: Dataset) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(stamp + b"\n")
            pickle.dump(dataset.store, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # processes loading at once each write their own, the last one stays
    except Exception as err:  # e.g. a read-only build folder: no cache, nothing else changes
        log.info("%s: not written (%s)", path, type(err).__name__)
        tmp.unlink(missing_ok=True)
