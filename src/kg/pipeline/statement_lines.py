"""Where a triple is stated in a Turtle file: the line a reader would look
at, found from the file's text (rdflib's parser keeps no positions)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF

from kg.pipeline.lines import declared_prefixes


@lru_cache(maxsize=64)
def _file_lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _prefixes(path: Path) -> tuple[tuple[str, str], ...]:
    return tuple(declared_prefixes("\n".join(_file_lines(path))).items())


def _forms(term, path: Path) -> list[str]:
    if isinstance(term, Literal):
        return [str(term)[:40]]
    forms = [f"<{term}>"]
    for prefix, ns in _prefixes(path):
        if str(term).startswith(ns) and len(str(term)) > len(ns):
            forms.append(f"{prefix}:{str(term)[len(ns):]}")
    if term == RDF.type:
        forms.append(" a ")
    return forms


def find_line(path: Path, triple) -> int:
    """Line of the statement in a Turtle file: within a block that starts
    with the subject, the first line naming the predicate with the object
    on it or after it; else the subject's first line; else 1."""
    lines = _file_lines(path)
    subjects, predicates, objects = (_forms(term, path) for term in triple)
    first = None
    for i, line in enumerate(lines):
        if not any(line.startswith(f) and line[len(f):len(f) + 1] in (" ", "\t", "") for f in subjects):
            continue
        first = i if first is None else first
        block = _block(lines, i)
        for j in block:
            rest = "\n".join(lines[j:block[-1] + 1])
            if any(f in f" {lines[j]} " for f in predicates) and any(f in rest for f in objects):
                return j + 1
    return first + 1 if first is not None else 1


def _block(lines, i) -> list[int]:
    out = []
    for j in range(i, len(lines)):
        out.append(j)
        if lines[j].rstrip().endswith(" .") or lines[j].rstrip() == ".":
            break
    return out
