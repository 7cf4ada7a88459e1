"""/claims: every claim, filtered by readable facets with slug values
(``?relation=supports&setting=probation-supervision``), sorted, 50 a page.

relation, proposition, basis and link describe one and the same link from
the claim to a proposition: ``relation=challenges&proposition=X`` is the
claims that challenge X, not those that challenge something and bear on X.
"""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from flask import render_template, request
from werkzeug.exceptions import BadRequest

from ..common import sparql_link
from .blueprint import bp
from .claim_table import BASES, RELATIONS, ClaimRow, ClaimTable, claim_table
from .overview import CENTRAL

PER_PAGE = 50
LINK_FACETS = ("setting", "factor", "outcome")
FACETS = ("proposition", "relation", "basis", "link", "setting", "factor", "outcome", "source")
CHOICES = {"relation": RELATIONS, "basis": tuple(BASES), "link": ("asserted", "inferred")}
SORTS = {"label": lambda r: r.label.lower(), "work": lambda r: (r.stated is None, r.stated[1].lower() if r.stated else ""),
         "source": lambda r: (not r.sources, r.sources[0][1] if r.sources else ""),
         "setting": lambda r: sorted(r.links.get("setting", {"~"}))}


@bp.route("/claims")
def claims():
    chosen = chosen_facets()
    sort = request.args.get("sort", "label")
    if sort not in SORTS:
        raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    page = _page_number()
    table = claim_table()
    kept = sorted((r for r in table.rows.values() if matches(r, chosen)), key=SORTS[sort])
    shown = kept[(page - 1) * PER_PAGE:page * PER_PAGE]
    prop = chosen.get("proposition", CENTRAL)
    return render_template(
        "explorer/claims.html", rows=shown, total=len(kept), page=page, pages=max(1, -(-len(kept) // PER_PAGE)),
        first=(page - 1) * PER_PAGE + 1, chosen=chosen, options=facet_options(table, kept), sort=sort, sorts=SORTS,
        prop=prop, prop_labels=proposition_labels(), basis_words=BASES, table=table, link=lambda **kw: claims_href(chosen, sort, **kw),
        query=sparql_link("web-claim-table"), breadcrumbs=[("Home", "/"), ("Claims", None)])


def chosen_facets() -> dict[str, str]:
    """The facet parameters given, as slugs (a full IRI is cut to its slug); 400 for a value outside a fixed set."""
    chosen = {}
    for facet in FACETS:
        value = request.args.get(facet, "").strip()
        if not value:
            continue
        value = value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if facet in CHOICES and value not in CHOICES[facet]:
            raise BadRequest(f"{facet} must be one of {', '.join(CHOICES[facet])}, not {value!r}")
        chosen[facet] = value
    return chosen


def _page_number() -> int:
    text = request.args.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(f"page must be a whole number from 1, not {text!r}")
    return int(text)


def matches(row: ClaimRow, chosen: dict[str, str]) -> bool:
    for facet in LINK_FACETS:
        if facet in chosen and chosen[facet] not in row.links.get(facet, ()):
            if not (facet == "setting" and chosen[facet] == "none" and not row.links.get("setting")):
                return False
    if "source" in chosen and chosen["source"] not in {slug for slug, _label in row.sources}:
        return False
    wants_link = {k: chosen[k] for k in ("proposition", "relation", "basis", "link") if k in chosen}
    if wants_link:
        asserted = None if "link" not in wants_link else wants_link["link"] == "asserted"
        return bool(row.bearing(wants_link.get("relation"), wants_link.get("proposition"),
                                wants_link.get("basis"), asserted))
    return True


def facet_options(table: ClaimTable, kept: list[ClaimRow]) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet, (value, label, claims among those kept), most claims first."""
    counts: dict[str, Counter] = {f: Counter() for f in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for row in kept:
        for facet in LINK_FACETS:
            counts[facet].update(row.links.get(facet, ()))
        for slug, label in row.sources:
            counts["source"][slug] += 1
            labels[("source", slug)] = label
        counts["relation"].update({b.relation for b in row.bearings})
        counts["proposition"].update({b.prop for b in row.bearings})
        counts["basis"].update({b.basis for b in row.bearings})
        counts["link"].update({"asserted" if b.asserted else "inferred" for b in row.bearings})
    for slug, label in proposition_labels().items():
        labels[("proposition", slug)] = label
    for (kind, slug), concept in table.concepts.items():
        labels[(kind, slug)] = concept.label
    return {f: [(v, labels.get((f, v), BASES.get(v, v)), n) for v, n in counts[f].most_common()] for f in FACETS}


def proposition_labels() -> dict[str, str]:
    from ..common import run
    return {str(r["prop"]).rsplit("/", 1)[-1]: str(r["label"]) for r in run("web-propositions").rows}


def claims_href(chosen: dict, sort: str, **changes) -> str:
    params = {**chosen, "sort": sort, **changes}
    return "/claims?" + urlencode({k: v for k, v in params.items() if v and not (k == "sort" and v == "label")})
