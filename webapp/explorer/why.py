"""/why?s=&p=&o=: the derivation of a triple (kg.explain) as nested lists."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import BadRequest

from kg.pipeline.explain import Explainer, load_derivations
from kg.terms import parse_term, short

from ..common import kg
from .blueprint import bp
from .lookup import page_for


def explainer() -> Explainer:
    context = kg()
    return context.memo("explainer", lambda: Explainer(context.dataset(), load_derivations(context.out)))


@bp.route("/why")
def why():
    missing = [k for k in ("s", "p", "o") if not request.args.get(k)]
    if missing:
        raise BadRequest(f"/why needs the parameters s, p and o (missing: {', '.join(missing)})")
    triple = tuple(parse_term(request.args[k], k) for k in ("s", "p", "o"))
    tree = explainer().explain(triple)
    return render_template("explorer/why.html", tree=tree, triple=triple,
                           breadcrumbs=[("Home", "/"), *subject_crumb(triple[0]), ("Why?", None)])


def subject_crumb(subject) -> list:
    """The page of the triple's subject, when the explorer has one."""
    href = page_for(subject)
    return [(short(subject), href)] if href else []
