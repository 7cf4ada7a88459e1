"""SHACL while the rest of the build runs.

pyshacl-turbo and Oxigraph do their work in Rust and let go of Python's
lock while they do, so the shapes can be checked on a second core while
this one parses the files into rdflib terms, runs the other checks and
reasons. A thread reads the ontology and data files into a pyoxigraph Store
(one named graph per file, as the build holds them) and validates that
Store with the shapes; :meth:`ShaclInBackground.findings` waits for it.
Nothing is copied out of the build's own sets, and no rdflib Graph of the
union is made. The build still stops on a violation before it writes
anything: only the reasoning may have been done in vain.

Where the Store cannot stand for the build's graphs, ``findings`` returns
None and the caller validates as before: a file Oxigraph rejects (rdflib's
parser then reads it or says where it is wrong). Results on blank nodes are
also left to the caller (a blank node in the Store is not the build's, so
the result could not be placed in a file): see ``kg.pipeline.validate``.
"""
from __future__ import annotations

import threading

import pyoxigraph as ox

from kg.pipeline.shacl import Finding, load_shapes, shacl_findings


class ShaclInBackground:
    """Started on creation; ``files``: the build's input files
    (:class:`kg.pipeline.load.InputFile`), read by the thread itself."""

    def __init__(self, files) -> None:
        self._files = list(files)
        self.shapes = None  # the shapes graph the results refer to (their blank nodes are its own)
        self._found: list[Finding] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-shacl", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.shapes = load_shapes()
            store = _store_of(self._files)
            if store is not None:
                self._found = shacl_findings(store, self.shapes)
        except BaseException as err:  # noqa: BLE001 (handed to the thread that asks for the findings)
            self._error = err

    def findings(self) -> list[Finding] | None:
        """The results (empty when the data conforms); None when the Store
        could not be made; the error of a shape the engine cannot run
        (an InputError naming shapes/) is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._found

    def wait(self) -> None:
        """Let the thread finish (on the way out of a failed build: a thread
        still inside Rust code should not outlive the interpreter)."""
        self._thread.join()


def _store_of(files) -> ox.Store | None:
    store = ox.Store()
    for item in files:
        try:
            store.load(input=item.path.read_bytes(), format=ox.RdfFormat.TURTLE,
                       base_iri=item.path.as_uri(), to_graph=ox.NamedNode(item.graph_iri))
        except (OSError, SyntaxError, ValueError):
            return None  # the build's own load says what is wrong, or reads it with rdflib
    return store
