"""The store interface and the one result type all stores return."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result as RdflibResult

from kg.errors import ResultTooLarge


@dataclass
class Result:
    kind: str  # "SELECT", "ASK", "CONSTRUCT" (DESCRIBE answers as CONSTRUCT)
    vars: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # var name -> rdflib term
    boolean: bool | None = None
    graph: Graph | None = None

    def to_rdflib(self) -> RdflibResult:
        """An rdflib Result, for rdflib's serializers (json, xml, csv, tsv)."""
        if self.kind == "CONSTRUCT":
            result = RdflibResult("CONSTRUCT")
            result.graph = self.graph
            return result
        if self.kind == "ASK":
            result = RdflibResult("ASK")
            result.askAnswer = bool(self.boolean)
            return result
        from rdflib import Variable
        result = RdflibResult("SELECT")
        result.vars = [Variable(v) for v in self.vars]
        result.bindings = [{Variable(k): v for k, v in row.items()} for row in self.rows]
        return result

    def values(self, var: str) -> list:
        return [row.get(var) for row in self.rows]


class Store:
    name = "store"

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        """The whole answer; over ``max_rows`` rows or triples, ResultTooLarge."""
        raise NotImplementedError

    def close(self) -> None:
        pass


def capped(items, max_rows: int | None):
    """The items, refusing the whole answer when there are more than max_rows."""
    for count, item in enumerate(items, 1):
        if max_rows is not None and count > max_rows:
            raise ResultTooLarge(f"the answer has more than {max_rows} results (the cap); "
                                 "add a LIMIT or narrow the pattern")
        yield item


def from_rdflib_result(result, max_rows: int | None = None) -> Result:
    if result.type == "SELECT":
        names = [str(v) for v in result.vars]
        rows = [{n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in capped(result, max_rows)]
        return Result("SELECT", names, rows)
    if result.type == "ASK":
        return Result("ASK", boolean=bool(result.askAnswer))
    graph = Graph()
    for t in capped(result, max_rows):
        graph.add(t)
    return Result("CONSTRUCT", graph=graph)


def values_block(bindings: dict) -> str:
    """A VALUES block from already-parsed rdflib terms (never from raw text)."""
    if not bindings:
        return ""
    if not all(isinstance(v, (URIRef, Literal)) for v in bindings.values()):
        raise ValueError("bindings must be IRIs or literals")
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def without_comments(text: str) -> str:
    """The text with comment lines blanked (same length, so offsets hold)."""
    return "\n".join(" " * len(line) if line.lstrip().startswith("#") else line for line in text.splitlines())


def bind_in_text(text: str, bindings: dict | None) -> str:
    """The query with its parameters bound by a VALUES block at the start of
    its WHERE group, so they constrain the pattern whether or not the query
    projects them (a trailing VALUES only joins with projected variables)."""
    if not bindings:
        return text
    match = WHERE_OPEN.search(without_comments(text))
    if match is None:
        return f"{text}\n{values_block(bindings)}\n"
    return f"{text[:match.end()]}\n  {values_block(bindings)}\n{text[match.end():]}"
