"""Home (the central rule and its stress test), the gap map, the claim list with facets, search."""
from __future__ import annotations

from collections import Counter, OrderedDict

from flask import render_template, request
from rdflib import Literal

from ..common import PE, iri, run, sparql_link
from .blueprint import bp

CENTRAL = "trickier-situation-worker-matters"
RELATIONS = ("supports", "challenges", "qualifies")


@bp.route("/")
def home():
    rule = iri("proposition", CENTRAL)
    label = run("web-label", r=rule).rows
    rows = run("web-stress-test", prop=rule).rows
    return render_template(
        "explorer/home.html", rule=rule, label=label[0].get("label") if label else CENTRAL,
        components=run("web-components", prop=rule).rows, groups=stress_groups(rows),
        totals=Counter(_relation(r) for r in {(row["claim"], row["relation"]): row for row in rows}.values()),
        stress_query=sparql_link("web-stress-test", prop=rule),
        components_query=sparql_link("web-components", prop=rule))


def _relation(row) -> str:
    return str(row["relation"])[len(PE):]


def stress_groups(rows) -> list[dict]:
    """Claims grouped by setting, settings in order of formal power (the query's order)."""
    groups: OrderedDict = OrderedDict()
    for row in rows:
        key = row.get("setting")
        group = groups.setdefault(key, {"setting": key, "label": row.get("settingLabel") or "No setting given",
                                        "power": row.get("power"), "claims": OrderedDict()})
        group["claims"].setdefault(row["claim"], {"claim": row["claim"], "label": row["label"], "relations": set()})
        group["claims"][row["claim"]]["relations"].add(_relation(row))
    ordered = sorted(groups.values(), key=lambda g: (g["setting"] is None, int(g["power"]) if g["power"] is not None else -1))
    for group in ordered:
        group["counts"] = Counter(r for c in group["claims"].values() for r in c["relations"])
    return ordered


@bp.route("/gaps")
def gaps():
    settings = run("web-settings").rows
    factors = run("web-top-factors").rows
    cells = {(row["setting"], row["factor"]): row for row in run("web-gap-map").rows}
    return render_template("explorer/gaps.html", settings=settings, factors=factors, cells=cells,
                           query=sparql_link("web-gap-map"),
                           breadcrumbs=[("Home", "/"), ("Evidence gap map", None)])


FACETS = ("setting", "factor", "outcome", "relation", "proposition", "source", "asserted or inferred")


@bp.route("/claims")
def claims():
    chosen = {f: request.args.get(f) for f in FACETS if request.args.get(f)}
    table, labels = claim_facets()
    kept = {c: v for c, v in table.items() if all(value in v["facets"].get(f, ()) for f, value in chosen.items())}
    counts = {f: Counter(value for v in kept.values() for value in v["facets"].get(f, ())) for f in FACETS}
    return render_template("explorer/claims.html", claims=sorted(kept.items(), key=lambda kv: str(kv[1]["label"])),
                           counts=counts, labels=labels, chosen=chosen, facets=FACETS,
                           query=sparql_link("web-claim-facets"),
                           breadcrumbs=[("Home", "/"), ("Claims", None)])


def claim_facets():
    table, labels = {}, {}
    for row in run("web-claim-facets").rows:
        entry = table.setdefault(str(row["claim"]), {"claim": row["claim"], "label": row["label"], "facets": {}})
        if "facet" in row and "value" in row:
            entry["facets"].setdefault(str(row["facet"]), set()).add(str(row["value"]))
            labels[str(row["value"])] = str(row.get("valueLabel") or str(row["value"]).rsplit("#", 1)[-1])
    return table, labels


@bp.route("/search")
def search():
    q = request.args.get("q", "").strip()
    rows = run("web-search", q=Literal(q)).rows if q else []
    return render_template("explorer/search.html", q=q, rows=rows,
                           query=sparql_link("web-search", q=Literal(q)) if q else None,
                           breadcrumbs=[("Home", "/"), ("Search", None)])
