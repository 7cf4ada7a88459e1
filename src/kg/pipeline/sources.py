"""The source texts: where they live, their slugs, and locating quotes in them.

Offsets are Unicode code points into the file decoded as UTF-8, end exclusive,
so ``text[start:end] == exact`` in Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.paths import project_dir

ID = "https://w3id.org/practitioner-evidence/id/"

# file name -> (slug, short excerpt prefix)
SOURCE_SLUGS = {
    "000_c403c629176c5146.txt": ("matrix-b5", "b5"),
    "001_b8656b4c9e0d4bbe.txt": ("matrix-b5-web", "b5web"),
    "002_4b2aa2f9c05a640f.txt": ("compendium", "comp"),
    "003_353dc51055098928.txt": ("matrix-e5", "e5"),
    "004_d7508ab3757505d4.txt": ("alliance-blog", "blog"),
}


@dataclass(frozen=True)
class Location:
    source_file: str
    start: int
    end: int
    exact: str

    @property
    def excerpt_iri(self) -> str:
        prefix = SOURCE_SLUGS[self.source_file][1]
        return f"{ID}excerpt/{prefix}-{self.start}-{self.end}"

    @property
    def source_iri(self) -> str:
        return f"{ID}source/{SOURCE_SLUGS[self.source_file][0]}"


class QuoteNotFound(ValueError):
    """The quote does not occur verbatim in the source."""


def sources_dir() -> Path:
    return project_dir() / "sources"


@lru_cache(maxsize=None)
def source_text(file_name: str) -> str:
    path = sources_dir() / file_name
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def source_file_for_iri(iri: str) -> str | None:
    for file_name, (slug, _prefix) in SOURCE_SLUGS.items():
        if iri == f"{ID}source/{slug}":
            return file_name
    return None


def locate(file_name: str, exact: str, occurrence: int = 1) -> Location:
    """Find the n-th occurrence of ``exact`` in a source file."""
    text = source_text(file_name)
    start = -1
    for _ in range(occurrence):
        start = text.find(exact, start + 1)
        if start < 0:
            raise QuoteNotFound(f"{file_name}: quote not found: {exact[:60]!r}")
    return Location(file_name, start, start + len(exact), exact)
