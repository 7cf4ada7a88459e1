"""Breadcrumbs back up the evidence chain: a claim under the proposition it
bears on (and that one under the rule it is a component of), a work under the
source that lists it, a concept under its broader concepts."""
from __future__ import annotations

from ..common import PE, run

HOME = ("Home", "/")
SKOS_BROADER = "http://www.w3.org/2004/02/skos/core#broader"
LISTINGS = {"setting": ("Gap map", "/gaps"), "factor": ("Gap map", "/gaps"), "outcome": ("Claims", "/claims"),
            "work": ("Sources", "/sources"), "source": ("Sources", "/sources")}


def short_label(label) -> str:
    text = str(label)
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


def slug_of(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def proposition_trail(prop, depth: int = 5) -> list[tuple[str, str]]:
    """The rules a proposition is a component of, outermost first (not the proposition itself)."""
    trail, seen = [], {str(prop)}
    current = prop
    for _ in range(depth):
        parents = [r for r in run("web-resource-in", r=current).rows if str(r["p"]) == PE + "hasComponent"]
        if not parents or str(parents[0]["s"]) in seen:
            break
        current = parents[0]["s"]
        seen.add(str(current))
        trail.insert(0, (short_label(parents[0].get("slabel") or slug_of(current)), f"/proposition/{slug_of(current)}"))
    return trail


def for_proposition(subject, label) -> list:
    return [HOME, *proposition_trail(subject), (short_label(label), None)]


def for_claim(relations, label) -> list:
    """Home › the rule › the proposition the claim bears on (asserted first) › the claim."""
    ranked = sorted(relations, key=lambda r: not r["asserted"].toPython())
    if not ranked:
        return [HOME, ("Claims", "/claims"), (short_label(label), None)]
    prop = ranked[0]["prop"]
    here = (short_label(ranked[0]["propLabel"]), f"/proposition/{slug_of(prop)}")
    return [HOME, *proposition_trail(prop), here, (short_label(label), None)]


def for_described(kind: str, props, label) -> list:
    """A work under the source listing it; a concept under its broader ones (nearest last)."""
    up = {"work": PE + "listedIn", "source": None}.get(kind, SKOS_BROADER)
    parents = [(short_label(r.get("olabel") or slug_of(r["o"])), _page(kind, r["o"]))
               for r in props if up and str(r["p"]) == up][:1]
    return [HOME, LISTINGS.get(kind, ("Claims", "/claims")), *parents, (short_label(label), None)]


def _page(kind: str, iri) -> str:
    return f"/source/{slug_of(iri)}" if kind == "work" else f"/{kind}/{slug_of(iri)}"
