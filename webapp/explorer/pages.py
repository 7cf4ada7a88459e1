"""One page per resource: claim, source, work, proposition, and the concepts
(setting, factor, outcome). Slugs are checked here before any query."""
from __future__ import annotations


from flask import render_template

from kg.errors import NotFound

from ..common import PE, run, sparql_link
from . import crumbs
from .blueprint import bp
from .claim_table import JUDGED, STATED
from .chain_svg import page as explorer_page
from .diagram import chain_diagram, chain_list
from .lookup import checked, page_for
from .overview import stress_panel
from .text import in_context, marked_source
from ..linkeddata.properties import grouped


def excerpts(subject) -> list[dict]:
    """The excerpts grounding a resource, each with its context and a link into its source."""
    out = []
    for row in run("web-evidence", r=subject).rows:
        start, end = int(row["start"]), int(row["end"])
        slug = str(row["source"]).rsplit("/", 1)[-1]
        out.append({"excerpt": row["excerpt"], "exact": row["exact"], "start": start, "end": end,
                    "source": row["source"], "sourceLabel": row.get("sourceLabel"), "href": f"/source/{slug}#char={start},{end}",
                    "context": in_context(str(row["file"]), start, end)})
    return out


@bp.route("/claim/<slug>")
def claim(slug: str):
    subject, label = checked("claim", slug)
    relations = run("web-claim-relations", claim=subject).rows
    return render_template(
        "explorer/claim.html", subject=subject, label=label.get("label"), slug=slug,
        info=run("web-claim", claim=subject).rows, relations=relations,
        concepts=run("web-claim-concepts", claim=subject).rows, excerpts=excerpts(subject), PE=PE,
        basis_words={STATED: "stated by the source", JUDGED: "our reading of the source"},
        queries={n: sparql_link(n, claim=subject) for n in ("web-claim", "web-claim-relations", "web-claim-concepts")}
        | {"web-evidence": sparql_link("web-evidence", r=subject)},
        breadcrumbs=crumbs.for_claim(relations, label.get("label")))


@bp.route("/sources")
def sources():
    return render_template("explorer/sources.html", sources=run("web-sources").rows, query=sparql_link("web-sources"),
                           breadcrumbs=[("Home", "/"), ("Sources", None)])


@bp.route("/source/<slug>")
def source(slug: str):
    subject, label = checked("source", slug)
    files = [r["file"] for r in run("web-sources").rows if r["source"] == subject and r.get("file")]
    file_name = str(files[0]) if files else None  # the register in the data names the file
    if file_name is None:
        raise NotFound(f"no source text for {subject}")
    spans, refs = excerpt_refs(run("web-source-excerpts", source=subject).rows)
    return render_template(
        "explorer/source.html", subject=subject, label=label.get("label"), file_name=file_name,
        text=marked_source(file_name, spans, refs), count=len(spans), works=run("web-source", source=subject).rows,
        queries={"web-source": sparql_link("web-source", source=subject),
                 "web-source-excerpts": sparql_link("web-source-excerpts", source=subject)},
        breadcrumbs=crumbs.for_described("source", [], label.get("label")))


def excerpt_refs(rows) -> tuple[list, dict]:
    """The excerpts' spans, and for each span the pages of what it grounds (claims first)."""
    spans, refs = [], {}
    for row in rows:
        span = (int(row["start"]), int(row["end"]))
        spans.append(span)
        href = page_for(row["by"]) if row.get("by") is not None else None
        if href and (href, str(row.get("byLabel") or href)) not in refs.setdefault(span, []):
            refs[span].append((href, str(row.get("byLabel") or href)))
    for targets in refs.values():
        targets.sort(key=lambda t: not t[0].startswith("/claim/"))
    return sorted(set(spans)), refs


@bp.route("/work/<slug>")
def work(slug: str):
    return described("work", slug)


@bp.route("/<any(setting, factor, outcome):kind>/<slug>")
def concept(kind: str, slug: str):
    return described(kind, slug)


def described(kind: str, slug: str):
    """A work or concept: its properties, the claims about or by it, its excerpts."""
    subject, label = checked(kind, slug)
    props = run("web-resource-out", r=subject).rows
    title = label.get("label") or label.get("title") or slug
    return render_template(
        "explorer/described.html", subject=subject, kind=kind, slug=slug,
        label=title, definition=label.get("definition"), properties=grouped(props), claims=run("web-claims-by", r=subject).rows,
        excerpts=excerpts(subject),
        queries={"web-resource-out": sparql_link("web-resource-out", r=subject),
                 "web-claims-by": sparql_link("web-claims-by", r=subject),
                 "web-evidence": sparql_link("web-evidence", r=subject)},
        breadcrumbs=crumbs.for_described(kind, props, title))


@bp.route("/proposition/<slug>")
def proposition(slug: str):
    subject, label = checked("proposition", slug)
    rows = run("web-claims-on", prop=subject).rows
    on_it: dict[str, list[str]] = {}
    for row in rows:
        on_it.setdefault(str(row["claim"]), []).append(str(row["relation"]))
    return render_template(
        "explorer/proposition.html", subject=subject, label=label.get("label"),
        components=run("web-components", prop=subject).rows, on_it=on_it, excerpts=excerpts(subject),
        listed=chain_list(subject, label.get("label")), total=len(on_it), explorer_page=explorer_page,
        chain=chain_diagram(subject, label.get("label")), slug=slug, stress=stress_panel(slug, f"/proposition/{slug}"),
        queries={"web-chain": sparql_link("web-chain", prop=subject),
                 "web-claims-on": sparql_link("web-claims-on", prop=subject),
                 "web-components": sparql_link("web-components", prop=subject),
                 "web-evidence": sparql_link("web-evidence", r=subject)},
        breadcrumbs=crumbs.for_proposition(subject, label.get("label")))
