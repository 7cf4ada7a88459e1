"""/search?q=: word-level, ranked search over labels, titles and excerpts
(kg.query.search_index, built beside the store files), results grouped by
kind with the matches highlighted and honest totals; ``kind=`` shows all of
one kind, 50 a page."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template, request
from markupsafe import Markup, escape
from rdflib import URIRef
from werkzeug.exceptions import BadRequest

from kg.query.search_index import START, STOP, Document, SearchIndex, open_index

from ..common import ID, kg, run
from .blueprint import bp
from .lookup import page_for

PER_KIND, PER_PAGE = 5, 50
KIND_NAMES = {"claim": "Claims", "excerpt": "Excerpts", "work": "Works", "proposition": "Propositions",
              "setting": "Settings", "factor": "Practitioner factors", "outcome": "Outcomes",
              "source": "Sources", "design": "Study designs", "measurement": "Measurements"}


def search_index() -> SearchIndex:
    """The index file of the local build; in memory over a remote store (whose data the build may not hold)."""
    context = kg()
    remote = context.store_name.startswith(("http://", "https://"))
    return context.memo("search-index", lambda: open_index(None if remote else context.out, documents))


def documents():
    """One document per resource: its first label, the rest of its texts as the body."""
    texts: dict[str, dict[str, list[str]]] = {}
    for row in run("web-search-documents").rows:
        entry = texts.setdefault(str(row["r"]), {"label": [], "exact": []})
        text = " ".join(str(row["text"]).split())
        if text not in entry[str(row["field"])]:
            entry[str(row["field"])].append(text)
    for iri, entry in texts.items():
        kind = iri[len(ID):].split("/", 1)[0]
        label = entry["exact"][0] if kind == "excerpt" and entry["exact"] else (entry["label"] or entry["exact"])[0]
        body = " · ".join(t for t in entry["label"] + entry["exact"] if t != label)
        yield Document(iri, kind, label, body)


@bp.route("/search")
def search():
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KIND_NAMES:
        raise BadRequest(f"kind must be one of {', '.join(KIND_NAMES)}, not {kind!r}")
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise BadRequest(f"page must be a whole number from 1, not {page!r}")
    index = search_index()
    counts = index.counts(q) if q else {}
    groups = []
    for name in ([kind] if kind else counts):
        limit, offset = (PER_PAGE, (int(page) - 1) * PER_PAGE) if kind else (PER_KIND, 0)
        hits = [result(h) for h in index.search(q, name, limit, offset)]
        groups.append({"kind": name, "name": KIND_NAMES.get(name, name), "total": counts.get(name, 0),
                       "hits": hits, "first": offset + 1,
                       "more": _link(q, kind=name) if not kind and counts.get(name, 0) > len(hits) else None})
    pages = -(-counts.get(kind, 0) // PER_PAGE) if kind else 1
    return render_template("explorer/search.html", q=q, kind=kind, groups=groups, total=sum(counts.values()),
                           page=int(page), pages=pages, link=_link, kind_names=KIND_NAMES,
                           breadcrumbs=[("Home", "/"), ("Search", None)])


def result(hit) -> dict:
    """A hit with its page (an excerpt's: highlighted in its source) and, for an excerpt, what it grounds."""
    out = {"kind": hit.kind, "label": marked(hit.label), "body": marked(hit.body), "href": page_for(URIRef(hit.iri))
           or "/id/" + hit.iri[len(ID):], "grounds": []}
    if hit.kind == "excerpt":
        rows = run("web-excerpt", excerpt=URIRef(hit.iri)).rows
        if rows:
            out["href"] = f"/source/{str(rows[0]['source']).rsplit('/', 1)[-1]}#char={rows[0]['start']},{rows[0]['end']}"
            out["source"] = str(rows[0].get("sourceLabel") or "")
        out["grounds"] = list(dict.fromkeys((page_for(r["by"]), str(r.get("byLabel") or r["by"]))
                                            for r in rows if r.get("by") is not None and page_for(r["by"])))
    return out


def marked(text: str) -> Markup:
    """Highlight markers from the index as <mark>, everything else escaped."""
    return Markup(str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>"))


def _link(q: str, **params) -> str:
    return "/search?" + urlencode({"q": q, **{k: v for k, v in params.items() if v}})
