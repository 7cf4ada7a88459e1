"""Parsing SPARQL safely from threads, and one line for a malformed query,
with where it is wrong.

rdflib's SPARQL parser (pyparsing, with a packrat cache shared by the whole
process) is not thread-safe: two threads parsing at once corrupt each
other's parse ("Param.postParse2() missing 1 required positional
argument"), so under concurrent load good queries were refused at random.
Every parse in a serving process goes through :func:`parse_query` and
:func:`parse_update`, one at a time (parsing holds the GIL anyway).

rdflib reports grammar errors with pyparsing's line and column, but an
undeclared prefix only after parsing, as "Unknown namespace prefix : foo"
with no position: the position is found here, at the first use of the
prefix outside comments, strings and IRIs. The CLI and the endpoint both
word their errors through :func:`syntax_message`.
"""
from __future__ import annotations

import re
import threading

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

PARSE_LOCK = threading.Lock()

UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S*)")
# what a prefixed name cannot start inside of: IRIs, strings, comments
SKIPPED = re.compile(r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                     r"'(?:[^'\\\n]|\\.)*'|#[^\n]*")


def parse_query(text: str):
    """rdflib's parsed and translated query (an ``rdflib.plugins.sparql.sparql.Query``)."""
    with PARSE_LOCK:
        return translateQuery(parseQuery(text))


def parse_update(text: str):
    with PARSE_LOCK:
        return parseUpdate(text)


def syntax_message(err: Exception, text: str) -> str:
    """'syntax error at line L, column C: what' for rdflib's parse errors."""
    if isinstance(err, ParseException):
        return f"syntax error at line {err.lineno}, column {err.col}: {err.msg}"
    message = str(err).splitlines()[0] if str(err) else type(err).__name__
    unknown = UNKNOWN_PREFIX.search(message)
    if unknown:
        prefix = unknown.group(1)
        where = prefix_position(text, prefix)
        at = f"line {where[0]}, column {where[1]}: " if where else ""
        return f"syntax error at {at}unknown prefix '{prefix}:' (declare it with PREFIX {prefix}: <…>)"
    return f"query rejected: {message}"


def prefix_position(text: str, prefix: str) -> tuple[int, int] | None:
    """(line, column), both from 1, of the first ``prefix:`` used as a prefixed name."""
    blanked = SKIPPED.sub(lambda m: " " * len(m.group(0)) if "\n" not in m.group(0)
                          else re.sub(r"[^\n]", " ", m.group(0)), text)
    found = re.search(r"(?<![\w.:-])" + re.escape(prefix) + r":", blanked)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return line, column
