"""SHACL while the rest of the build runs.

A forked child (``kg.pipeline.forked``) reads the ontology and data files
into the N-Quads a pyoxigraph Store of them would dump (one named graph per
file, as the build holds them, under a short name; ``_dump_of``) and validates them with
pyshacl-turbo, on the second core, while this
process parses the files into rdflib terms, runs the other checks and
reasons; :meth:`ShaclInBackground.findings` waits for its results. Nothing
is copied out of the build's own sets, no rdflib Graph of the union is
made, and the child is forked before the build holds anything: the memory
SHACL takes (pyshacl-turbo's copy of the data: about 1 GB at 100x) is given back to
the system when it ends, not kept by this process's allocator for the rest
of the build. The build still stops on a violation before it writes
anything: only the reasoning may have been done in vain.

The shapes are parsed here, before the fork, so that the results' blank
nodes (property shapes) are this process's. Where the dump cannot stand
for the build's graphs, ``findings`` returns None and the caller validates
as before: a file Oxigraph rejects (rdflib's parser then reads it or says
where it is wrong). Results on blank nodes are also left to the caller (a
blank node in the dump is not the build's, so the result could not be
placed in a file): see ``kg.pipeline.validate``.
"""
from __future__ import annotations

import pyoxigraph as ox

from kg.errors import InputError
from kg.pipeline.forked import Forked
from kg.pipeline.lines import declared_prefixes
from kg.pipeline.shacl import Finding, StoreDump, ascii_nquads, load_shapes, shacl_findings


class ShaclInBackground:
    """Started on creation; ``files``: the build's input files
    (:class:`kg.pipeline.load.InputFile`), read by the child itself."""

    def __init__(self, files) -> None:
        files = list(files)
        self.shapes = None  # the shapes graph the results refer to (their blank nodes are its own)
        self._job: Forked | None = None
        self._error: InputError | None = None
        self._found: list[Finding] | None = None
        try:
            self.shapes = shapes = load_shapes()
        except InputError as err:  # raised when the findings are asked for, as any other problem of the shapes
            self._error = err
            return
        self._job = Forked(lambda: _findings(files, shapes))

    def findings(self) -> list[Finding] | None:
        """The results (empty when the data conforms); None when the dump
        could not be made; the error of a shape the engine cannot run
        (an InputError naming shapes/) is raised here."""
        if self._error is not None:
            raise self._error
        if self._job is not None:
            job, self._job = self._job, None
            self._found = job.result()
        return self._found

    def wait(self) -> None:
        """On the way out of a build: a child still validating is stopped."""
        if self._job is not None:
            self._job.cancel()


def _findings(files, shapes) -> list[Finding] | None:
    dump = _dump_of(files)
    return None if dump is None else shacl_findings(dump, shapes)


def _prefixes(files) -> dict[str, str]:
    """The prefixes the files declare (the first file to declare one wins,
    as in the build's graphs), for the engine's messages."""
    found: dict[str, str] = {}
    for item in files:
        try:
            text = item.path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        for name, namespace in declared_prefixes(text).items():
            found.setdefault(name, namespace)
    return found


def _dump_of(files) -> StoreDump | None:
    """The files' triples as the N-Quads a Store of them would dump (a named
    graph per file, each file's blank nodes its own), made without the
    Store: parsed and written back a file at a time (the lines of
    Oxigraph's N-Triples each end in " .\\n": the graph goes before it).
    The graphs are named ``urn:g:N``: SHACL validates their union and no
    result names a graph, and the files' graph IRIs made a fifth of the
    dump. None when Oxigraph rejects a file: the build's own load says
    what is wrong, or reads it with rdflib."""
    parts = []
    for number, item in enumerate(files):
        try:
            triples = ox.parse(input=item.path.read_bytes(), format=ox.RdfFormat.TURTLE,
                               base_iri=item.path.as_uri(), rename_blank_nodes=True)
            lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        except (OSError, SyntaxError, ValueError):
            return None
        lines = lines.replace(b" .\n", f" <urn:g:{number}> .\n".encode("ascii"))
        parts.append(ascii_nquads(lines))
        del lines, triples
    return StoreDump("".join(parts), _prefixes(files))
