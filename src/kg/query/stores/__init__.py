"""Stores behind one small interface, chosen by name: ``rdflib`` (default,
in memory), ``oxigraph`` (on disk under build/), or the URL of any SPARQL 1.1
endpoint. Every store answers with the same :class:`Result`."""
from __future__ import annotations

from kg.query.stores.base import Result, Store
from kg.errors import StoreError

NAMES = ("rdflib", "oxigraph")


def check_store_name(name: str) -> str:
    """The name, or a StoreError saying what a store name may be (before anything opens)."""
    if name in NAMES:
        return name
    if name.startswith(("http://", "https://")):
        from urllib.parse import urlsplit
        try:
            if urlsplit(name).hostname:
                return name
        except ValueError:
            pass
        raise StoreError("--store: the URL names no host")
    raise StoreError(f"--store: unknown store '{name}' (expected rdflib, oxigraph or an http(s) URL)")


def open_store(name: str = "rdflib", out=None) -> Store:
    if name == "rdflib":
        from kg.query.stores.rdflib_store import RdflibStore
        return RdflibStore.from_build(out)
    if name == "oxigraph":
        from kg.query.stores.oxigraph_store import OxigraphStore
        return OxigraphStore.from_build(out)
    if name.startswith(("http://", "https://")):
        from kg.query.stores.remote import RemoteStore
        return RemoteStore(name)
    raise StoreError(f"--store: unknown store '{name}' (expected rdflib, oxigraph or an http(s) URL)")


__all__ = ["Result", "Store", "open_store", "check_store_name", "NAMES"]
