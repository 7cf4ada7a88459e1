"""A resource's properties as a person reads them: what the data states
apart from what the reasoner inferred, a value said twice through
equivalent or sub-properties (pe:exact and oa:exact) shown once under the
more specific property with the others named beside it, all the types in
one row, and property names that link to the ontology on this site."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from kg.terms import short

from ..common import PE, kg, run

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class PropertyRow:
    predicate: URIRef
    label: str
    href: str | None
    values: list = field(default_factory=list)   # (term, label)
    also: list = field(default_factory=list)     # short names of the folded properties


def folds() -> dict[str, set[str]]:
    """property -> the properties it implies (memoized per app)."""
    def make():
        implied: dict[str, set[str]] = {}
        for row in run("web-property-folds").rows:
            implied.setdefault(str(row["narrow"]), set()).add(str(row["broad"]))
        return implied
    return kg().memo("property-folds", make)


def ontology_href(term) -> str | None:
    """/ontology#Name for a term of the project's vocabulary (None for others)."""
    text = str(term)
    return "/ontology#" + text[len(PE):] if isinstance(term, URIRef) and text.startswith(PE) else None


def grouped(rows) -> dict[str, list[PropertyRow]]:
    """{"asserted": rows, "inferred": rows} with equivalent statements folded."""
    implied = folds()
    by_object: dict = {}
    for row in rows:
        by_object.setdefault(row["o"], []).append(row)
    out: dict[str, dict[str, PropertyRow]] = {"asserted": {}, "inferred": {}}
    for obj, stated in by_object.items():
        for row in stated:
            p = str(row["p"])
            if any(_folds_into(p, str(other["p"]), implied) for other in stated if other is not row):
                continue  # said again, more specifically, by another property
            side = "asserted" if _asserted(row, stated, implied) else "inferred"
            entry = out[side].setdefault(p, PropertyRow(row["p"], _label(row), ontology_href(row["p"])))
            entry.values.append((obj, row.get("olabel")))
            for other in stated:
                if other is not row and str(other["p"]) in implied.get(p, ()):
                    name = short(other["p"])
                    if name not in entry.also:
                        entry.also.append(name)
    return {side: sorted(rows.values(), key=_order) for side, rows in out.items()}


def _folds_into(p: str, q: str, implied: dict) -> bool:
    """p's statement is shown under q's: q implies p, and, if they are
    equivalent (each implies the other), q is the project's own (pe:) one."""
    if p not in implied.get(q, ()):
        return False
    if q not in implied.get(p, ()):
        return True
    return (q.startswith(PE), p) > (p.startswith(PE), q)


def _asserted(row, stated, implied) -> bool:
    """A row counts as asserted when it, or a property it folds, is stated in the data."""
    p = str(row["p"])
    return row["asserted"].toPython() or any(
        other["asserted"].toPython() for other in stated if str(other["p"]) in implied.get(p, ()))


def _label(row) -> str:
    if str(row["p"]) == RDF_TYPE:
        return "type"
    return str(row.get("plabel") or short(row["p"]))


def _order(row: PropertyRow):
    return (str(row.predicate) != RDF_TYPE, row.label.lower())
