"""The query layer: the stores (rdflib, Oxigraph, a remote SPARQL 1.1 server),
the named queries in ``queries/``, the result formats, the artefact reader and
publishing to a Graph Store. It reads what the pipeline built; it never builds."""
from __future__ import annotations


def run(query: str, store: str = "rdflib", params: dict[str, str] | None = None, out=None):
    """Run a named query, a ``.rq`` file or SPARQL text on a store and return its
    :class:`~kg.query.stores.base.Result`. ``params`` maps a named query's declared
    parameters to terms written as on the command line (``claim=claim:b5-…``)."""
    from kg.query.named import bind_params, check_syntax, resolve
    from kg.query.stores import open_store
    text, declared = resolve(query)
    check_syntax(text)
    bindings = bind_params([f"{name}={value}" for name, value in (params or {}).items()], declared)
    return open_store(store, out).query(text, bindings)
