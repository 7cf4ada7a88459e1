"""A query worker: a process of its own that holds one store and answers
queries sent over a connection, so that a query which hangs, overflows a
stack or exhausts memory costs this process, never the server.

Started by :mod:`kg.serving.pool` as ``python -m kg.serving.worker STORE BUILD_DIR FD
MEMORY_MB NICENESS``. Before it opens the store it forbids outbound connections
(except to a remote store's host), limits its own address space and lowers
its CPU priority by NICENESS (the web server's own process, which renders
the pages, goes first on a busy machine). Before each query it checks the artefact's
manifest and reopens the store when a rebuild replaced it.

SIGUSR1 stops the query running (the pool sends it past the time limit, or
when a lighter client waits): rdflib evaluates in Python, so the signal
handler's exception ends the query between two steps and the worker stays,
its store loaded; the pool kills a worker that does not answer in time.
"""
from __future__ import annotations

import os
import resource
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import KgError
from kg.pipeline.manifest import artefact_key
from kg.offline import allowed_host, forbid_network

WARM_UP = "warm-up"


class Interrupted(BaseException):
    """The pool asked this worker to stop its query (a BaseException, so that
    no engine's ``except Exception`` swallows it)."""


_busy = [False]  # a query is running: only then does SIGUSR1 interrupt


def _interrupt(_signum, _frame) -> None:
    if _busy[0]:
        raise Interrupted()


class Holder:
    """The store this worker answers from, reopened when the artefact changes."""

    def __init__(self, store_name: str, out: Path):
        self.store_name, self.out = store_name, out
        self.stamp, self.store = None, None
        self.refresh()

    def refresh(self) -> None:
        stamp = artefact_key(self.out)  # changes with the artefact, not when a build only re-checked inputs
        if self.store is None or stamp != self.stamp:
            from kg.query.stores import open_store
            self.store, self.stamp = open_store(self.store_name, self.out), stamp
            self.warm_up()

    def warm_up(self) -> None:
        """Run one named query, so the first real one does not pay for rdflib's set-up."""
        from kg.query.named import named_queries
        self.store.query(named_queries()[WARM_UP].text)


def answer(holder: Holder, text: str, bindings, max_rows: int, fmt: str | None = None) -> tuple:
    """("ok", kind, vars, rows, boolean, triples), or with ``fmt`` ("bytes",
    kind, the answer serialized), or ("error", class name, message)."""
    try:
        holder.refresh()
        result = holder.store.query(text, bindings, max_rows=max_rows)
        if fmt is not None:
            from kg.query.formats import serialize
            return ("bytes", result.kind, serialize(result, fmt))
    except KgError as err:
        return ("error", type(err).__name__, str(err).splitlines()[0])
    except MemoryError:
        return ("error", "EngineFailure", "the query needed more memory than a worker may use")
    except RecursionError:
        return ("error", "QueryError", "the query is nested too deeply for the engine")
    except Exception as err:  # an engine's own failure on this query: report it, keep serving
        return ("error", "EngineFailure", f"the query engine failed: {type(err).__name__}")
    triples = list(result.graph) if result.graph is not None else None
    return ("ok", result.kind, result.vars, result.rows, result.boolean, triples)


def serve(connection: Connection, holder: Holder) -> None:
    connection.send(("ready", holder.stamp))
    while True:
        try:
            text, bindings, max_rows, fmt = connection.recv()
        except (EOFError, OSError):  # the server is gone: so is this worker
            return
        connection.send(interruptible_answer(holder, text, bindings, max_rows, fmt))


def interruptible_answer(holder: Holder, *request) -> tuple:
    _busy[0] = True
    try:
        return answer(holder, *request)
    except Interrupted:
        return ("error", "Interrupted", "the query was stopped")
    finally:
        _busy[0] = False


def main(argv: list[str]) -> int:
    store_name, out, fd, memory_mb, niceness = argv[0], Path(argv[1]), int(argv[2]), int(argv[3]), int(argv[4])
    sys.stdout = sys.stderr  # nothing this process prints may mix with the protocol
    forbid_network(allowed_host(store_name))
    signal.signal(signal.SIGUSR1, _interrupt)
    os.nice(niceness)
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection = Connection(fd)
    try:
        holder = Holder(store_name, out)
    except (KgError, OSError) as err:
        connection.send(("failed", str(err).splitlines()[0]))
        return 2
    serve(connection, holder)
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
