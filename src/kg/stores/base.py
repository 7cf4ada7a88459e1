"""The store interface and the one result type all stores return."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result as RdflibResult


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

    def query(self, text: str, bindings: dict | None = None) -> Result:
        raise NotImplementedError

    def close(self) -> None:
        pass


def from_rdflib_result(result) -> Result:
    if result.type == "SELECT":
        names = [str(v) for v in result.vars]
        rows = [{n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in result]
        return Result("SELECT", names, rows)
    if result.type == "ASK":
        return Result("ASK", boolean=bool(result.askAnswer))
    graph = Graph()
    for t in result:
        graph.add(t)
    return Result("CONSTRUCT", graph=graph)


def values_clause(bindings: dict) -> str:
    """A VALUES block from already-parsed rdflib terms (never from raw text)."""
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values() if isinstance(v, (URIRef, Literal)))
    if len(terms.split(" ")) < len(bindings) and bindings:
        raise ValueError("bindings must be IRIs or literals")
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"
