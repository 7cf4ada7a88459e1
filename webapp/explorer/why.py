"""/why?s=&p=&o=: the derivation of a triple (kg.explain), in sentences with
labels (why_words) and, one click away, as triples for researchers."""
from __future__ import annotations

from flask import render_template, request
from rdflib import URIRef
from werkzeug.exceptions import BadRequest

from kg.pipeline.explain import Explainer, load_derivations
from kg.terms import parse_term

from ..common import kg, run
from .blueprint import bp
from .lookup import page_for
from .why_words import label, worded


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
    return render_template("explorer/why.html", tree=tree, words=worded(tree), triple=triple,
                           page_for=page_for, excerpt_href=excerpt_href,
                           breadcrumbs=[("Home", "/"), *subject_crumb(triple[0]), ("Why?", None)])


def excerpt_href(excerpt: str) -> str:
    """The excerpt highlighted in its source (its /id page if it has no position)."""
    rows = run("web-excerpt", excerpt=URIRef(excerpt)).rows
    if not rows:
        return "/id/excerpt/" + excerpt.rsplit("/", 1)[-1]
    row = rows[0]
    return f"/source/{str(row['source']).rsplit('/', 1)[-1]}#char={row['start']},{row['end']}"


def subject_crumb(subject) -> list:
    """The page of the triple's subject, when the explorer has one."""
    href = page_for(subject)
    return [(label(subject)[:60], href)] if href else []
