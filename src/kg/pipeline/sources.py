"""The source texts and their register: which files there are, and the
``pe:Source`` node in ``data/sources.ttl`` that names each one.

A source is registered once, in the data: ``src:{slug} a pe:Source`` with
``dcterms:identifier`` (its file name in ``sources/``) and
``pe:excerptPrefix`` (the short prefix of its excerpts' names,
``ex:{prefix}-{start}-{end}``). ``sources/SHA256SUMS`` records each file's
hash; ``kg.pipeline.registry`` checks that the three agree.

Offsets are Unicode code points into the file decoded as UTF-8, end exclusive,
so ``text[start:end] == exact`` in Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.errors import KgError
from kg.paths import project_dir

ID = "https://w3id.org/practitioner-evidence/id/"
SOURCE_NS = ID + "source/"


class _Namespace(Namespace):
    """rdflib's Namespace makes a new URIRef at each ``PE.start``; the
    checks ask hundreds of thousands of times: each term is kept once made."""

    def __getattr__(self, name: str):
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found before __getattr__ from now on
        return term


PE = _Namespace("https://w3id.org/practitioner-evidence/ontology#")
REGISTER = "data/sources.ttl"  # where the pe:Source nodes live


@dataclass(frozen=True)
class Source:
    iri: URIRef
    file_name: str | None  # dcterms:identifier
    prefix: str | None  # pe:excerptPrefix
    label: str = ""

    @property
    def slug(self) -> str:
        return str(self.iri)[len(SOURCE_NS):] if str(self.iri).startswith(SOURCE_NS) else str(self.iri)

    def excerpt_iri(self, start: int, end: int) -> URIRef:
        return URIRef(f"{ID}excerpt/{self.prefix}-{start}-{end}")


def sources_dir() -> Path:
    return project_dir() / "sources"


@lru_cache(maxsize=None)
def source_text(file_name: str) -> str:
    path = sources_dir() / file_name
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def sources_in(graph) -> list[Source]:
    """Every pe:Source in a graph (or dataset), in file-name order."""
    found = []
    for iri in set(graph.subjects(RDF.type, PE.Source)):
        name, prefix, label = (graph.value(iri, p) for p in (DCTERMS.identifier, PE.excerptPrefix, RDFS.label))
        found.append(Source(iri, _str(name), _str(prefix), _str(label) or ""))
    return sorted(found, key=lambda s: (s.file_name or "", str(s.iri)))


def _str(term) -> str | None:
    return None if term is None else str(term)


def registered() -> list[Source]:
    """The sources registered in data/sources.ttl (read afresh when it changed)."""
    path = project_dir() / REGISTER
    if not path.is_file():
        return []
    stat = path.stat()
    return list(_registered(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _registered(path: str, _mtime: int, _size: int) -> tuple[Source, ...]:
    from kg.pipeline.load import InputFile, parse_file
    return tuple(sources_in(parse_file(InputFile(Path(path), "data"))))


def source_for_iri(iri) -> Source | None:
    return next((s for s in registered() if str(s.iri) == str(iri)), None)


def source_file_for_iri(iri) -> str | None:
    found = source_for_iri(iri)
    return found.file_name if found else None


def find_source(name: str) -> Source:
    """A registered source by its slug, its file name or a path to its file;
    a one-line error naming what to run when it is not registered."""
    sources = registered()
    wanted = Path(name).name
    for source in sources:
        if name in (source.slug, str(source.iri), f"src:{source.slug}") or wanted == source.file_name:
            if not source.prefix or not source.file_name:
                raise KgError(f"{REGISTER}: src:{source.slug} needs dcterms:identifier (its file name) and "
                              "pe:excerptPrefix (its excerpts' prefix); `kg validate` says which is missing")
            return source
    known = ", ".join(s.slug for s in sources) or "none"
    if (sources_dir() / wanted).is_file() or Path(name).is_file():
        raise KgError(f"{name}: not a registered source; register it with "
                      f"`kg source add {name} --title TITLE --kind KIND` (registered: {known})")
    raise KgError(f"{name}: no such source; give a slug ({known}) or a file in sources/")
