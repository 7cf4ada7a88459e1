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
from kg.pipeline.excerpts import EXCERPT_NAME, Excerpt, literal, occurrences
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
    defined = set(parse_file(_data_file(path)).subjects(RDF.type, PE.Excerpt))  # first: a bad file is one line
    prefixes = prefixes_of(path)
    missing = [f"@prefix {p}: <{ns}> ." for p, ns in NEEDED.items() if prefixes.get(p) != ns]
    if missing:
        raise KgError(f"{path}: the excerpts need these prefixes at the top of the file: {' '.join(missing)}")
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
        where = f"{_display(node.path)}:{subject_line(node.path, node.iri) or 1}"
        if text[node.start:node.end] == node.exact:
            if text[:node.start].endswith(node.prefix) and text[node.end:].startswith(node.suffix):
                report.unchanged += 1
            else:  # in place, but what surrounds it changed: a person decides whether it still says the same
                report.orphans.append(f"{where}: {short(node.iri)}: its text is still at {node.start}..{node.end} but "
                                      "the text around it changed; check it, then take its new pe:prefix and pe:suffix "
                                      f"from `kg excerpt {source.slug} --at {node.start}:{node.end}`")
            continue
        found = occurrences(text, node.prefix + node.exact + node.suffix) if node.prefix or node.suffix else []
        if len(found) == 1:
            start = found[0] + len(node.prefix)
            moves[node] = (start, start + len(node.exact))
        else:
            report.orphans.append(f"{where}: {short(node.iri)}: orphan, not moved: {_why_orphan(node, found, text)}; "
                                  f"fix it by hand: `kg excerpt {source.slug} --at START:END` prints the node for a place")
    report.moved += _apply(source, moves)
    record_sum(source.file_name, file_digest(sources_dir() / source.file_name))
    return report


def _why_orphan(node: _Node, found: list[int], text: str) -> str:
    alone = ", ".join(f"{s}..{s + len(node.exact)}" for s in occurrences(text, node.exact)[:5]) or "nowhere"
    if not (node.prefix or node.suffix):
        return (f"it records no pe:prefix or pe:suffix, so its place in the new text is not certain "
                f"(the quote alone is at {alone}; `kg excerpt --add-context` records them, before a text changes)")
    return f"its text with its pe:prefix and pe:suffix occurs {len(found)} times in the new text (the quote alone: {alone})"


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
    renames = {str(node.iri): _new_name(source, node, start, end) for node, (start, end) in moves.items()}
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


def _new_name(source: Source, node: _Node, start: int, end: int) -> str:
    """The name its new offsets give an excerpt named for its old ones (a
    name of another form is kept)."""
    name = str(node.iri)[len(ID + "excerpt/"):] if str(node.iri).startswith(ID + "excerpt/") else ""
    match = EXCERPT_NAME.match(name)
    if not match or (match["prefix"], int(match["start"]), int(match["end"])) != (source.prefix, node.start, node.end):
        return str(node.iri)
    return f"{source.excerpt_iri(start, end)}{match['tail'] or ''}"


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


# ---------------------------------------------------------------- --add-context

def add_context(source: Source) -> list[str]:
    """Record pe:prefix and pe:suffix on each of the source's excerpts that
    is at its offsets and has neither, so that a corrected copy of the text
    can be re-anchored; one line per data file changed."""
    text = source_text(source.file_name)
    todo: dict[Path, list[_Node]] = {}
    for node in _excerpts_of(source):
        if not (node.prefix or node.suffix) and text[node.start:node.end] == node.exact:
            todo.setdefault(node.path, []).append(node)
    changed = []
    for path, nodes in sorted(todo.items()):
        lines = path.read_text(encoding="utf-8").split("\n")
        for node in nodes:
            _append_context(lines, (subject_line(path, node.iri) or 1) - 1, Excerpt(source, node.start, node.end))
        _replace(path, "\n".join(lines), lambda graph, nodes=nodes: _without_context(graph, nodes))
        changed.append(f"{_display(path)}: pe:prefix and pe:suffix recorded on {len(nodes)} excerpt(s)")
    return changed


def _append_context(lines: list[str], first: int, excerpt: Excerpt) -> None:
    """One line of pe:prefix and pe:suffix after the node's pe:end line (no
    line of the node is changed, so a merge with other edits stays clean);
    at the end of the node when it is laid out otherwise."""
    extra = " ; ".join(f"pe:{p} {literal(v)}" for p, v in (("prefix", excerpt.prefix), ("suffix", excerpt.suffix)) if v)
    for number in range(first, len(lines)):
        line = lines[number].rstrip()
        if re.search(r"pe:end\s+\d+\s*;$", line):
            lines[number] += f"\n    {extra} ;"
            return
        if line.endswith("."):
            lines[number] = f"{line[:-1].rstrip()} ;\n    {extra} ."
            return


def _without_context(graph, nodes: list[_Node]) -> str | None:
    for node in nodes:
        if graph.value(node.iri, PE.prefix) is None and graph.value(node.iri, PE.suffix) is None:
            return f"could not add pe:prefix/pe:suffix to {short(node.iri)}"
    return None
