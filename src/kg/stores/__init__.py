"""Stores behind one small interface, chosen by name: ``rdflib`` (default,
in memory), ``oxigraph`` (on disk under build/), or the URL of any SPARQL 1.1
endpoint. Every store answers with the same :class:`Result`."""
from __future__ import annotations

from .base import Result, Store
from ..errors import StoreError

NAMES = ("rdflib", "oxigraph")


def open_store(name: str = "rdflib", out=None) -> Store:
    if name == "rdflib":
        from .rdflib_store import RdflibStore
        return RdflibStore.from_build(out)
    if name == "oxigraph":
        from .oxigraph_store import OxigraphStore
        return OxigraphStore.from_build(out)
    if name.startswith(("http://", "https://")):
        from .remote import RemoteStore
        return RemoteStore(name)
    raise StoreError(f"--store: unknown store '{name}' (expected rdflib, oxigraph or an http(s) URL)")


__all__ = ["Result", "Store", "open_store", "NAMES"]
