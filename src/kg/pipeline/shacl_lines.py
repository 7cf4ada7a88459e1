"""Where a SHACL result points a reader: ``FILE:LINE`` of the triple that
offends, found in the order a reader would look.

1. the file stating (focus, path, value), at that triple's line;
2. the file stating (focus, path, anything), at the first such line (a
   count that is too high, a value the path should not have);
3. the file stating the triple that made the focus a target of the shape
   (``sh:targetSubjectsOf p``: (focus, p, _); ``sh:targetClass c``:
   (focus, rdf:type, c)), so that a value missing from a node that should
   not be there names where it was added, not where the node is defined;
4. where the focus is described (``lines.where``).

A file found to state the triple but whose text hides the line (a literal
written another way, a nested blank node) is named with the focus's line.

An inverse path ``~p`` is the triple (value, p, focus). The line is read
from the file's text (rdflib keeps no positions): within a block that
starts with the subject, the predicate and then the object as whole tokens.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.paths import InvPath

from kg.pipeline.lines import prefixes_of, subject_line, where, written_forms

NUMERIC = ("integer", "decimal", "double", "boolean")


def locate(finding, dataset, by_graph, shapes) -> str:
    """``FILE:LINE`` (or ``FILE``) for one ``shacl.Finding``."""
    focus, path, value = finding.focus, finding.path, finding.value
    first = None  # a file that states the triple, should its line not be found
    for pattern in _patterns(focus, path, value) + _target_patterns(focus, finding.shape, shapes):
        for item in _holding(pattern, dataset, by_graph):
            line = triple_line(item.path, pattern)
            if line:
                return f"{item.display}:{line}"
            first = first or item
    if first is not None:
        line = subject_line(first.path, focus)
        return f"{first.display}:{line}" if line else first.display
    return where(focus, dataset, by_graph, path if isinstance(path, URIRef) else None)


def _patterns(focus, path, value) -> list[tuple]:
    if isinstance(path, URIRef):
        return [(focus, path, value)] * (value is not None) + [(focus, path, None)]
    if isinstance(path, InvPath) and isinstance(path.arg, URIRef):
        return [(value, path.arg, focus)] * (value is not None) + [(None, path.arg, focus)]
    return []


def _target_patterns(focus, shape, shapes) -> list[tuple]:
    """Why ``focus`` was validated: the targets of the node shape that holds
    ``shape`` (the shape itself, or the one with it as ``sh:property``)."""
    node_shapes = [shape] + list(shapes.subjects(SH.property, shape))
    patterns = []
    for node_shape in node_shapes:
        patterns += [(focus, p, None) for p in shapes.objects(node_shape, SH.targetSubjectsOf)]
        patterns += [(None, p, focus) for p in shapes.objects(node_shape, SH.targetObjectsOf)]
        patterns += [(focus, RDF.type, c) for c in shapes.objects(node_shape, SH.targetClass)]
    return patterns


def _holding(pattern, dataset, by_graph):
    return [item for graph_iri, item in by_graph.items() if pattern in dataset.graph(graph_iri)]


def triple_line(path: Path, triple) -> int | None:
    """The line in a Turtle file where ``triple`` is stated: where its
    object is written after its predicate, in a block that starts with its
    subject (a None object: the predicate's line; a None subject: any block
    naming the object after the predicate). None when not found."""
    subject, predicate, obj = triple
    prefixes = prefixes_of(path)
    stat = path.stat()
    text, bare = _texts(str(path), stat.st_mtime_ns, stat.st_size)
    starts = _token_pattern(written_forms(str(subject), prefixes)) if subject is not None else None
    predicate_at = _token_pattern(_forms(predicate, prefixes))
    object_at = _token_pattern(_forms(obj, prefixes)) if obj is not None else None
    in_text = text if isinstance(obj, Literal) else bare  # a quoted literal is matched with its quotes
    for block_start, block_end in _blocks(bare, starts):
        for hit in predicate_at.finditer(bare, block_start, block_end):
            if object_at is None:
                return _line_of(text, hit.start())
            for found in object_at.finditer(in_text, hit.end(), _segment_end(bare, hit.end(), block_end)):
                if bare[found.start()] == in_text[found.start()]:  # starts outside a quotation
                    return _line_of(text, found.start())
    return None


STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


@lru_cache(maxsize=16)
def _texts(path: str, _mtime: int, _size: int) -> tuple[str, str]:
    """A file's text, and the same with its quotations blanked out (names
    and numbers inside a quotation are not terms)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return text, _mask_strings(text)


def _mask_strings(text: str) -> str:
    """The text with every character inside a quoted string (but the quotes
    and line breaks) turned into a space, so offsets stay the same."""
    return STRING.sub(lambda m: m.group()[0] + re.sub(r"[^\n]", " ", m.group()[1:-1]) + m.group()[-1], text)


def _forms(term, prefixes) -> list[str]:
    if isinstance(term, Literal):
        quoted = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"')
        forms = [quoted + '"'] if "\n" not in str(term) else [quoted[:40]]  # a long one by its start
        bare = term.datatype is not None and str(term.datatype).rsplit("#", 1)[-1] in NUMERIC
        return forms + [str(term)] * bare
    return written_forms(str(term), prefixes) + ["a"] * (term == RDF.type)


def _token_pattern(forms: list[str]):
    # a form counts only as a whole token: pe:end is not pe:endNote, 7 is not 17 or 7.5
    return re.compile(r"(?<![\w.:+-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w:-]|\.\d)")


def _blocks(text: str, starts):
    """(start, end) offsets of each statement block: from a line starting
    with the subject to the line ending in ``.`` (the whole text when
    ``starts`` is None: the subject is unknown)."""
    if starts is None:
        yield 0, len(text)
        return
    for start in re.finditer(r"^(?=" + starts.pattern + ")", text, re.MULTILINE):
        end = BLOCK_END.search(text, start.start())
        yield start.start(), end.end() if end else len(text)


BLOCK_END = re.compile(r"\.[ \t]*$", re.MULTILINE)


def _segment_end(text: str, start: int, block_end: int) -> int:
    """Where a predicate's objects end: the next ``;`` that ends a line, or
    the block's end."""
    found = re.compile(r";[ \t]*(?:#[^\n]*)?\n").search(text, start, block_end)
    return found.end() if found else block_end


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
