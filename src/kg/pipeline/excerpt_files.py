"""Excerpt nodes written into data files: new ones appended (``kg excerpt
--into``), and excerpts re-anchored in a corrected copy of their source
(``kg excerpt --reanchor``).

Re-anchoring never guesses. An excerpt moves only where its exact text,
with the pe:prefix and pe:suffix it records, occurs exactly once in the new
text; every other excerpt that no longer matches is an orphan, reported
with its file and line and left as it is. A moved excerpt gets the name its
new offsets give it, everywhere the data uses it. Every rewritten file is
parsed and checked before it replaces the old one.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import KgError
from kg.paths import project_dir
from kg.pipeline.excerpts import Excerpt, occurrences
from kg.pipeline.lines import prefixes_of, short, subject_line, written_forms
from kg.pipeline.load import InputFile, input_files, parse_file
from kg.pipeline.registry import file_digest, record_sum
from kg.pipeline.sources import ID, PE, Source, source_text, sources_dir

NEEDED = {"pe": str(PE), "src": ID + "source/", "ex": ID + "excerpt/"}


def _data_file(path: Path) -> InputFile:
    return InputFile(path, "data")


def _replace(path: Path, text: str, check=lambda graph: None) -> None:
    """Write ``text`` to ``path`` only if it parses and ``check`` finds
    nothing wrong in its graph (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        problem = check(parse_file(InputFile(tmp, "data")))
        if problem:
            raise KgError(f"{path}: {problem}; the file is left as it was")
    except KgError:
        tmp.unlink()
        raise
    os.replace(tmp, path)


# ---------------------------------------------------------------- --into

def append_excerpts(path: Path, excerpts: list[Excerpt]) -> tuple[list[Excerpt], list[Excerpt]]:
    """Append the excerpts a file does not define yet; (written, already there)."""
    path = path.resolve()
    if not path.is_file():
        raise KgError(f"{path}: no such file; `kg source add` writes data/SLUG.ttl, or give an existing data file")
    prefixes = prefixes_of(path)
    missing = [f"@prefix {p}: <{ns}> ." for p, ns in NEEDED.items() if prefixes.get(p) != ns]
    if missing:
        raise KgError(f"{path}: the excerpts need these prefixes at the top of the file: {' '.join(missing)}")
    defined = set(parse_file(_data_file(path)).subjects(RDF.type, PE.Excerpt))
    new, there = [], []
    for excerpt in excerpts:
        iri = excerpt.source.excerpt_iri(excerpt.start, excerpt.end)
        (there if iri in defined or any(iri == excerpt.source.excerpt_iri(e.start, e.end) for e in new) else new).append(excerpt)
    if new:
        text = path.read_text(encoding="utf-8")
        text = text.rstrip("\n") + "\n\n" + "\n".join(e.turtle() for e in new)
        _replace(path, text)
    return new, there


# ---------------------------------------------------------------- --reanchor

@dataclass
class Anchored:
    moved: list[str] = field(default_factory=list)  # one line per moved excerpt
    orphans: list[str] = field(default_factory=list)  # FILE:LINE: why, one per orphan
    unchanged: int = 0


@dataclass(frozen=True)
class _Node:
    iri: URIRef
    path: Path
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def reanchor(source: Source) -> Anchored:
    """Move the source's excerpts to their place in its new text where that
    place is certain; record the new text's hash."""
    source_text.cache_clear()
    text = source_text(source.file_name)
    report, moves = Anchored(), {}
    for node in _excerpts_of(source):
        if text[node.start:node.end] == node.exact and text[:node.start].endswith(node.prefix) \
                and text[node.end:].startswith(node.suffix):
            report.unchanged += 1
            continue
        found = occurrences(text, node.prefix + node.exact + node.suffix)
        where = f"{_display(node.path)}:{subject_line(node.path, node.iri) or 1}"
        if len(found) == 1:
            start = found[0] + len(node.prefix)
            moves[node] = (start, start + len(node.exact))
        else:
            alone = ", ".join(f"{s}..{s + len(node.exact)}" for s in occurrences(text, node.exact)[:5]) or "nowhere"
            report.orphans.append(f"{where}: {short(node.iri)}: orphan, not moved: its text{_with_context(node)} "
                                  f"occurs {len(found)} times in the new text (the quote alone: {alone}); fix it by "
                                  f"hand: `kg excerpt {source.slug} --at START:END` prints the node for a place")
    report.moved += _apply(source, moves)
    record_sum(source.file_name, file_digest(sources_dir() / source.file_name))
    return report


def _with_context(node: _Node) -> str:
    return " with its pe:prefix and pe:suffix" if node.prefix or node.suffix else " (it records no pe:prefix or pe:suffix)"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(project_dir()))
    except ValueError:
        return str(path)


def _excerpts_of(source: Source) -> list[_Node]:
    nodes = []
    for item in input_files():
        if item.layer != "data":
            continue
        graph = parse_file(item)
        for iri in set(graph.subjects(PE.inSource, source.iri)):
            values = [graph.value(iri, p) for p in (PE.exact, PE.start, PE.end, PE.prefix, PE.suffix)]
            if None not in values[:3]:
                nodes.append(_Node(iri, item.path, str(values[0]), int(values[1]), int(values[2]),
                                   str(values[3] or ""), str(values[4] or "")))
    return nodes


def _apply(source: Source, moves: dict) -> list[str]:
    """Rewrite offsets where each moved node is defined, and its name
    wherever any data file uses it."""
    renames = {}
    for node, (start, end) in moves.items():
        named = node.iri == source.excerpt_iri(node.start, node.end)
        renames[str(node.iri)] = str(source.excerpt_iri(start, end)) if named else str(node.iri)
    lines = []
    for item in input_files():
        if item.layer != "data":
            continue
        text = item.path.read_text(encoding="utf-8")
        here = {n: m for n, m in moves.items() if n.path == item.path}
        new = _rename(_move_offsets(text, item.path, here), item.path, renames)
        if new == text:
            continue
        _replace(item.path, new, lambda graph: _not_moved(graph, here, renames))
        for node, (start, end) in here.items():
            iri = URIRef(renames[str(node.iri)])
            lines.append(f"{_display(item.path)}: {short(node.iri)} ({node.start}..{node.end}) "
                             f"-> {short(iri)} ({start}..{end})")
    return lines


def _not_moved(graph, moves: dict, renames: dict[str, str]) -> str | None:
    for node, (start, end) in moves.items():
        iri = URIRef(renames[str(node.iri)])
        if (graph.value(iri, PE.start), graph.value(iri, PE.end)) != (Literal(start), Literal(end)):
            return f"could not rewrite the offsets of {short(node.iri)} (is its node laid out as kg excerpt writes it?)"
    return None


def _move_offsets(text: str, path: Path, moves: dict) -> str:
    lines = text.split("\n")
    for node, (start, end) in moves.items():
        first = (subject_line(path, node.iri) or 1) - 1
        for number in range(first, len(lines)):
            lines[number] = re.sub(rf"(pe:start\s+){node.start}(?!\d)", rf"\g<1>{start}", lines[number])
            lines[number] = re.sub(rf"(pe:end\s+){node.end}(?!\d)", rf"\g<1>{end}", lines[number])
            if lines[number].rstrip().endswith("."):
                break  # the end of the node's statement
    return "\n".join(lines)


def _rename(text: str, path: Path, renames: dict[str, str]) -> str:
    changed = {old: new for old, new in renames.items() if old != new}
    if not changed:
        return text
    prefixes = prefixes_of(path)
    forms = {}
    for old, new in changed.items():
        for written, replacement in zip(written_forms(old, prefixes), written_forms(new, prefixes)):
            forms[written] = replacement
    pattern = re.compile("|".join(rf"(?<![\w:-]){re.escape(f)}(?![\w-])" for f in sorted(forms, key=len, reverse=True)))
    return pattern.sub(lambda m: forms[m.group(0)], text)
