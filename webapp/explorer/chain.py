"""The evidence chain of a proposition as a tree: proposition → components →
claims → works → excerpts, built from the rows of queries/web/web-chain.rq.

Each claim appears once, under the most specific proposition it bears on (a
component rather than the whole, whose link to the claim is inferred from the
component's). A group shows at most ``limit`` claims; the rest are counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PE = "https://w3id.org/practitioner-evidence/ontology#"


@dataclass
class Excerpt:
    iri: str
    exact: str
    source: str
    start: int
    end: int


@dataclass
class ClaimNode:
    iri: str
    label: str
    relation: str  # supports | challenges | qualifies
    work: tuple[str, str] | None = None  # (iri, label)
    excerpts: list[Excerpt] = field(default_factory=list)


@dataclass
class Group:
    iri: str
    label: str
    claims: list[ClaimNode] = field(default_factory=list)
    more: int = 0  # claims left out of the diagram


@dataclass
class Chain:
    iri: str
    label: str
    groups: list[Group]


def build_chain(root: str, root_label: str, rows, limit: int | None = 8) -> Chain:
    groups, claims = _collect(rows)
    placed = _place(root, groups, claims)
    ordered = [placed[root]] if root in placed else []
    ordered += [g for iri, g in placed.items() if iri != root]
    for group in ordered:
        group.more = max(0, len(group.claims) - limit) if limit is not None else 0
        group.claims = sorted(group.claims, key=_by_work)[:limit]
    return Chain(root, root_label, ordered)


def _by_work(claim: ClaimNode):
    return (claim.work is None, claim.work[1] if claim.work else "", claim.label)


def _collect(rows):
    """Group labels, and for each (group, claim) one ClaimNode with its work and excerpts."""
    groups: dict[str, str] = {}
    claims: dict[tuple[str, str], ClaimNode] = {}
    for row in rows:
        node, claim = str(row["node"]), str(row["claim"])
        groups.setdefault(node, str(row["nodeLabel"]))
        entry = claims.setdefault((node, claim), ClaimNode(
            claim, str(row["claimLabel"]), str(row["relation"])[len(PE):]))
        if entry.work is None and row.get("work") is not None:
            entry.work = (str(row["work"]), str(row.get("workLabel") or row["work"]))
        if row.get("excerpt") is not None and all(str(row["excerpt"]) != e.iri for e in entry.excerpts):
            entry.excerpts.append(Excerpt(str(row["excerpt"]), str(row["exact"]), str(row["source"]),
                                          int(row["start"]), int(row["end"])))
    return groups, claims


def _place(root: str, groups: dict[str, str], claims: dict) -> dict[str, Group]:
    """Claims under their components; on the root only those bearing on no component."""
    on_component = {claim for (node, claim) in claims if node != root}
    placed = {iri: Group(iri, label) for iri, label in groups.items()}
    for (node, claim), entry in claims.items():
        if node == root and claim in on_component:
            continue
        placed[node].claims.append(entry)
    return {iri: g for iri, g in placed.items() if g.claims or g.more}
