"""Linked Data: /id/<kind>/<slug> with content negotiation, /ontology, /void, dumps."""
from __future__ import annotations

import re

from flask import Blueprint, abort, redirect, render_template, request

from kg.errors import NotFound

from ..common import KINDS, RDF_TYPES, SLUG, iri, pick_rdf_type, rdf_response, run, sparql_link
from .dumps import dump_response, void_graph
from .properties import grouped, ontology_href

bp = Blueprint("linkeddata", __name__, template_folder="templates")

# kinds with an explorer page: the HTML of /id/<kind>/<slug> is a 303 to it
EXPLORER_KINDS = ("claim", "source", "work", "setting", "factor", "outcome", "proposition")


def split_suffix(slug: str) -> tuple[str, str | None]:
    stem, dot, suffix = slug.rpartition(".")
    if dot and suffix in RDF_TYPES:
        return stem, suffix
    return slug, None


@bp.route("/id/<kind>/<path:slug>")
def resource(kind: str, slug: str):
    slug, suffix = split_suffix(slug)
    if kind not in KINDS or not re.match(SLUG, slug) or "/" in slug:
        abort(404)
    subject = iri(kind, slug)
    mime = pick_rdf_type(suffix, offers_html=True)
    if mime == "text/html":
        return html_page(kind, slug, subject)
    graph = run("web-describe", r=subject).graph
    if not len(graph):
        raise NotFound(f"no such resource: {subject}")
    return rdf_response(graph, mime)


def html_page(kind: str, slug: str, subject):
    out = run("web-resource-out", r=subject)
    incoming = run("web-resource-in", r=subject)
    if not out.rows and not incoming.rows:
        raise NotFound(f"no such resource: {subject}")
    if kind in EXPLORER_KINDS:
        response = redirect(f"/{kind}/{slug}", code=303)
        response.headers["Vary"] = "Accept"
        return response
    label = run("web-label", r=subject).rows
    excerpt = excerpt_view(subject) if kind == "excerpt" else None
    title = (f"“{excerpt['exact']}”" if excerpt else None) or (label[0].get("label") if label else None)
    page = render_template("linkeddata/resource.html", subject=subject, kind=kind, slug=slug, excerpt=excerpt,
                           label=title, properties=grouped(out.rows), incoming=incoming.rows,
                           out_query=sparql_link("web-resource-out", r=subject),
                           in_query=sparql_link("web-resource-in", r=subject),
                           breadcrumbs=[("Home", "/"), (kind, None), (_short(title or slug), None)])
    return page, 200, {"Vary": "Accept"}


def excerpt_view(subject) -> dict | None:
    """An excerpt's text, the link to it highlighted in its source, and what it grounds."""
    rows = run("web-excerpt", excerpt=subject).rows
    if not rows:
        return None
    first = rows[0]
    source = str(first["source"]).rsplit("/", 1)[-1]
    return {"exact": str(first["exact"]), "source": source, "sourceLabel": first.get("sourceLabel") or source,
            "href": f"/source/{source}#char={first['start']},{first['end']}",
            "start": first["start"], "end": first["end"],
            "grounds": list(dict.fromkeys((r["by"], r.get("byLabel")) for r in rows if r.get("by") is not None))}


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


@bp.app_context_processor
def template_helpers():
    return {"ontology_href": ontology_href}


@bp.route("/ontology")
def ontology():
    mime = pick_rdf_type(None, offers_html=True)
    if mime != "text/html":
        return rdf_response(run("web-ontology-graph").graph, mime)
    terms = run("web-ontology").rows
    page = render_template("linkeddata/ontology.html", terms=terms, query=sparql_link("web-ontology"),
                           breadcrumbs=[("Home", "/"), ("Ontology", None)])
    return page, 200, {"Vary": "Accept"}


@bp.route("/void")
def void():
    return rdf_response(void_graph(request.host_url.rstrip("/")), "text/turtle")


@bp.route("/dumps/<name>")
def dumps(name: str):
    return dump_response(name)
