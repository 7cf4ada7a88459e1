"""A full-text index of the graph's readable text (labels, titles, excerpts)
for the explorer's search: SQLite FTS5 from Python's standard library.

Word-level and ranked (BM25), with English stemming (the porter tokenizer:
"relationships" finds "relationship") and diacritics folded. The index is a
file beside the other store files, ``search-<hash>.sqlite``, keyed on the
artefact's hash like the Oxigraph store, so a new build makes a new index;
it is written to a temporary file and renamed, so a reader never sees half
of one. Without a build folder (a remote store) the index lives in memory.

Users type words, not FTS5 syntax: every word is quoted, so no input is a
syntax error; a word ending in ``*`` matches as a prefix.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from kg.pipeline.manifest import artefact_key

LAYOUT = "search-1"  # bump when the table or tokenizer changes
KEEP = 2
START, STOP = "\x02", "\x03"  # around a match in a highlighted text


@dataclass(frozen=True)
class Document:
    iri: str
    kind: str      # claim, work, excerpt, setting, … (the IRI's kind)
    label: str     # what a result is called
    body: str = ""  # more text to match: other titles, an excerpt's quote


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str     # highlighted: START … STOP around each match
    body: str      # a highlighted snippet of the body ("" when it has none)


class SearchIndex:
    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.lock = threading.Lock()  # one connection, shared by the server's threads

    def search(self, text: str, kind: str | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
        match = match_expression(text)
        if match is None:
            return []
        where, params = ("docs MATCH ?" + (" AND kind = ?" if kind else "")), [match] + ([kind] if kind else [])
        sql = (f"SELECT iri, kind, highlight(docs, 2, '{START}', '{STOP}'), "
               f"snippet(docs, 3, '{START}', '{STOP}', '…', 24) FROM docs WHERE {where} "
               f"ORDER BY bm25(docs, 0, 0, 4.0, 1.0) LIMIT ? OFFSET ?")
        with self.lock:
            rows = self.db.execute(sql, params + [limit, offset]).fetchall()
        return [Hit(*row) for row in rows]

    def counts(self, text: str) -> dict[str, int]:
        """How many documents of each kind match (the honest totals)."""
        match = match_expression(text)
        if match is None:
            return {}
        with self.lock:
            rows = self.db.execute("SELECT kind, count(*) FROM docs WHERE docs MATCH ? GROUP BY kind "
                                   "ORDER BY count(*) DESC", [match]).fetchall()
        return dict(rows)


def match_expression(text: str) -> str | None:
    """The user's words as an FTS5 query: each word quoted, all required."""
    words = re.findall(r"[\w’']+\*?", text)
    terms = []
    for word in words[:32]:
        prefix = word.endswith("*")
        word = word.rstrip("*").strip("'’")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def open_index(out: Path | None, documents: Callable[[], Iterable[Document]]) -> SearchIndex:
    """The index for the build in ``out`` (made from ``documents`` if there is
    none for this artefact yet), or one in memory when there is no build."""
    key = artefact_key(out) if out is not None else None
    if key is None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, documents())
        return SearchIndex(connection)
    stamp = hashlib.sha256((key + LAYOUT).encode()).hexdigest()[:16]
    path = Path(out) / f"search-{stamp}.sqlite"
    if not path.exists():
        _write(path, documents())
        _prune(Path(out))
    return SearchIndex(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


def _write(path: Path, documents: Iterable[Document]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        _fill(connection, documents)
    finally:
        connection.close()
    os.replace(tmp, path)  # another process may have made the same file meanwhile: same content


def _fill(connection: sqlite3.Connection, documents: Iterable[Document]) -> None:
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(iri UNINDEXED, kind UNINDEXED, label, body, "
                       "tokenize = 'porter unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                           ((d.iri, d.kind, d.label, d.body) for d in documents))
    connection.commit()


def _prune(out: Path) -> None:
    files = sorted(out.glob("search-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
