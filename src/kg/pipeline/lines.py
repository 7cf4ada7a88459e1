"""Where a resource is written: the line of its subject in its Turtle file.

Data errors name ``FILE:LINE`` so that an editor jumps to the node. rdflib
keeps no positions, so the file is read again: a statement's subject is the
first token of a line that starts in column 1 (the layout of every file in
``data/``), expanded with the file's ``@prefix`` lines. A node written only
as an object falls back to the first line that mentions it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, URIRef

ID = "https://w3id.org/practitioner-evidence/id/"
PE = "https://w3id.org/practitioner-evidence/ontology#"
PREFIX = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
SUBJECT = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]]*|:[^\s;,()\[\]]*)")


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a Turtle text declares (``@prefix`` or ``PREFIX`` lines;
    a later declaration of a name wins, as in the parser)."""
    return {found.group(1) or "": found.group(2) for found in PREFIX.finditer(text)}


def prefixes_of(path: Path) -> dict[str, str]:
    stat = path.stat()
    return _index(str(path), stat.st_mtime_ns, stat.st_size)[1]


def subject_line(path: Path, node) -> int | None:
    """The line where ``node`` is written as a subject in ``path`` (else
    where it is first mentioned), or None."""
    stat = path.stat()
    subjects, prefixes, text = _index(str(path), stat.st_mtime_ns, stat.st_size)
    found = subjects.get(str(node))
    return found if found is not None else _mentioned(text, str(node), prefixes)


@lru_cache(maxsize=64)
def _index(path: str, _mtime: int, _size: int) -> tuple[dict[str, int], dict[str, str], str]:
    text = Path(path).read_text(encoding="utf-8-sig")
    prefixes: dict[str, str] = {}
    subjects: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        declared = PREFIX.match(line)
        if declared:
            prefixes[declared.group(1) or ""] = declared.group(2)
            continue
        token = SUBJECT.match(line)
        if token:
            iri = expand(token.group(1), prefixes)
            if iri is not None:
                subjects.setdefault(iri, number)
    return subjects, prefixes, text


def expand(token: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    return None if namespace is None else namespace + local.replace("\\", "")


def written_forms(iri: str, prefixes: dict[str, str]) -> list[str]:
    """How an IRI may be written in a file with these prefixes."""
    forms = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and namespace:
            forms.append(f"{prefix}:{iri[len(namespace):]}")
    return forms


def _mentioned(text: str, iri: str, prefixes: dict[str, str]) -> int | None:
    for form in written_forms(iri, prefixes):
        hit = re.search(re.escape(form) + r"(?![\w-])", text)
        if hit:
            return text.count("\n", 0, hit.start()) + 1
    return None


NODE_ORDER = {BNode: 10, URIRef: 30}  # rdflib's order of node kinds (SPARQL's ORDER BY)


def node_key(node) -> tuple:
    """An IRI's or blank node's place in rdflib's order (by kind, then
    text), without a call to ``Identifier.__lt__``."""
    return NODE_ORDER.get(type(node), 0), str(node)


def in_order(nodes) -> list:
    """IRIs and blank nodes in rdflib's order, as ``sorted`` gives them
    (``__lt__`` per comparison took seconds for the 100,000 excerpts of the
    100x project)."""
    return sorted(nodes, key=node_key)


def stated(dataset, by_graph):
    """Every triple of every input graph (one stated in two files comes
    twice): quicker to walk through the build's sets than through the
    union's rdflib store."""
    for graph_iri in by_graph:
        yield from dataset.graph(graph_iri)


def where(node, dataset, by_graph, predicate=None) -> str:
    """``FILE:LINE`` of the file that states ``node`` as a subject (the one
    stating it with ``predicate`` when given), or just the file when the line
    is not found."""
    holding = [item for graph_iri, item in by_graph.items() if (node, None, None) in dataset.graph(graph_iri)]
    if predicate is not None:
        holding = [i for i in holding if (node, predicate, None) in dataset.graph(i.graph_iri)] or holding
    if not holding:
        return "data"
    item = holding[0]
    line = subject_line(item.path, node)
    return f"{item.display}:{line}" if line else item.display


def short(term) -> str:
    """A term as the data files write it: pe:start, ex:b5-1-2, claim:x, "4"."""
    text = str(term)
    if not isinstance(term, URIRef):
        return literal_text(term)
    if text.startswith(PE):
        return "pe:" + text[len(PE):]
    if text.startswith(ID):
        kind, _, slug = text[len(ID):].partition("/")
        return f"{'ex' if kind == 'excerpt' else 'src' if kind == 'source' else kind}:{slug}"
    return f"<{text}>"


def literal_text(term) -> str:
    text = str(term)
    return f"\"{text[:60]}\"" if getattr(term, "datatype", None) is None or "string" in str(term.datatype) else text
