"""Every claim as one row a reviewer can filter: who states it, the settings
where it says the worker matters, its factors and outcomes, and how it bears
on each proposition with the basis of that link.

Built once per app from four page queries (queries/web/web-claim-table.rq,
web-claim-links.rq, web-concepts.rq, web-claim-bearings.rq): the graph does not change while
serving, and the claims list, the stress-test chart and its segments' links
all count from this one table, so a chart's number is the length of the
list it links to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..common import ID, PE, kg, run

RELATIONS = ("supports", "qualifies", "challenges")
STATED, JUDGED = PE + "StatedBySource", PE + "JudgedByModeller"
# basis slug -> what a reviewer reads
BASES = {"stated": "stated by the source", "judged": "our reading of the source",
         "inferred": "inferred by the reasoner", "unrecorded": "asserted; basis not recorded"}
# link kinds that name a setting
CONCEPT_KIND = {"comparison": "setting", "more": "setting", "less": "setting", "no-more": "setting"}


def slug_of(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


@dataclass
class Bearing:
    relation: str     # supports | qualifies | challenges
    prop: str         # the proposition's slug
    asserted: bool
    basis: str        # a key of BASES


@dataclass
class ClaimRow:
    slug: str
    label: str
    stated: tuple[str, str] | None = None   # (explorer path, label) of the work or source
    sources: list[tuple[str, str]] = field(default_factory=list)  # (slug, label) of the sources it comes from
    links: dict[str, set[str]] = field(default_factory=dict)  # kind -> slugs
    bearings: list[Bearing] = field(default_factory=list)

    def bearing(self, relation: str | None = None, prop: str | None = None, basis: str | None = None,
                asserted: bool | None = None) -> list[Bearing]:
        return [b for b in self.bearings
                if (relation is None or b.relation == relation) and (prop is None or b.prop == prop)
                and (basis is None or b.basis == basis) and (asserted is None or b.asserted == asserted)]


@dataclass
class Concept:
    kind: str
    slug: str
    label: str
    power: int | None = None


@dataclass
class ClaimTable:
    rows: dict[str, ClaimRow]
    concepts: dict[tuple[str, str], Concept]  # (kind, slug) -> concept; kind "setting" covers comparison too

    def label(self, kind: str, slug: str) -> str:
        concept = self.concepts.get((CONCEPT_KIND.get(kind, kind), slug))
        return concept.label if concept else slug


def claim_table() -> ClaimTable:
    return kg().memo("claim-table", _build)


def _build() -> ClaimTable:
    rows: dict[str, ClaimRow] = {}
    for r in run("web-claim-table").rows:
        row = rows.setdefault(slug_of(r["claim"]), ClaimRow(slug_of(r["claim"]), str(r["label"])))
        if r.get("stated") is not None:
            _set_stated(row, r)
    labels = {str(r["concept"]): r for r in run("web-concepts").rows}
    concepts: dict = {}
    for r in run("web-claim-links").rows:
        row = rows.get(slug_of(r["claim"]))
        if row is None:
            continue
        kind, slug = str(r["kind"]), slug_of(r["value"])
        row.links.setdefault(kind, set()).add(slug)
        concept_kind = CONCEPT_KIND.get(kind, kind)
        if (concept_kind, slug) not in concepts:
            found = labels.get(str(r["value"]), {})
            power = found.get("power")
            concepts[(concept_kind, slug)] = Concept(concept_kind, slug, str(found.get("label") or slug),
                                                     int(power) if power is not None else None)
    _add_bearings(rows)
    return ClaimTable(rows, concepts)


def _set_stated(row: ClaimRow, r) -> None:
    stated = str(r["stated"])
    kind = stated[len(ID):].split("/", 1)[0] if stated.startswith(ID) else ""
    if row.stated is None:
        row.stated = (f"/{kind}/{slug_of(stated)}", str(r.get("statedLabel") or slug_of(stated)))
    if kind == "source":
        source = (slug_of(stated), str(r.get("statedLabel") or slug_of(stated)))
    elif r.get("listing") is not None:
        source = (slug_of(r["listing"]), str(r.get("listingLabel") or slug_of(r["listing"])))
    else:
        return
    if source not in row.sources:
        row.sources.append(source)


def _add_bearings(rows: dict[str, ClaimRow]) -> None:
    """One Bearing per (claim, relation, proposition); the strongest basis recorded wins."""
    seen: dict[tuple, Bearing] = {}
    for r in run("web-claim-bearings").rows:
        row = rows.get(slug_of(r["claim"]))
        if row is None:
            continue
        asserted = bool(r["asserted"].toPython())
        key = (row.slug, str(r["relation"])[len(PE):], slug_of(r["prop"]))
        basis = _basis(r.get("basis"), asserted)
        if key in seen:
            if _rank(basis) < _rank(seen[key].basis):
                seen[key].basis = basis
            continue
        seen[key] = Bearing(key[1], key[2], asserted, basis)
        row.bearings.append(seen[key])


def _basis(term, asserted: bool) -> str:
    if term is not None and str(term) == STATED:
        return "stated"
    if term is not None and str(term) == JUDGED:
        return "judged"
    return "unrecorded" if asserted else "inferred"


def _rank(basis: str) -> int:
    return list(BASES).index(basis)
