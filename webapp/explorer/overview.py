"""Home (the central rule and its stress test, also on every proposition's page), the gap map, the favicon."""
from __future__ import annotations

from flask import render_template, request, send_from_directory
from werkzeug.exceptions import BadRequest

from ..common import iri, kg, run, sparql_link
from . import stress_svg
from .blueprint import bp
from .claim_table import claim_table
from .stress import comparison, stress_test

CENTRAL = "trickier-situation-worker-matters"


@bp.route("/")
def home():
    rule = iri("proposition", CENTRAL)
    label = run("web-label", r=rule).rows
    return render_template(
        "explorer/home.html", rule=rule, label=label[0].get("label") if label else CENTRAL,
        components=run("web-components", prop=rule).rows, stress=stress_panel(CENTRAL, "/"),
        components_query=sparql_link("web-components", prop=rule))


def stress_panel(prop: str, here: str) -> dict:
    """What the stress-test panel of a proposition's page shows; ?basis=stated
    restricts it to the links the sources state themselves."""
    basis = request.args.get("basis") or None
    if basis not in (None, "stated"):
        raise BadRequest(f"basis must be 'stated' or left out, not {basis!r}")
    table = claim_table()
    test, charts = kg().memo(("stress", prop, basis), lambda: _drawn(table, prop, basis))
    return {"test": test, "here": here, "table": table, "comparison": comparison, "charts": charts,
            "query": sparql_link("web-stress-test", prop=iri("proposition", prop))}


def _drawn(table, prop: str, basis: str | None):
    """The stress test and its two charts, made once per app (the graph does not change while serving)."""
    test = stress_test(table, prop, basis)
    return test, [stress_svg.render(test, layout) for layout in ("wide", "narrow")]


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico; the site's icon is a small SVG."""
    return send_from_directory(bp.root_path + "/../static", "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.route("/gaps")
def gaps():
    settings = run("web-settings").rows
    factors = run("web-top-factors").rows
    cells = {(row["setting"], row["factor"]): row for row in run("web-gap-map").rows}
    return render_template("explorer/gaps.html", settings=settings, factors=factors, cells=cells,
                           query=sparql_link("web-gap-map"),
                           breadcrumbs=[("Home", "/"), ("Evidence gap map", None)])
