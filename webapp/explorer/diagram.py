"""The evidence chain diagram of a proposition: inline on its page and as
/proposition/<slug>/chain.svg (image/svg+xml)."""
from __future__ import annotations

from flask import Response
from markupsafe import Markup

from ..common import kg, run
from .blueprint import bp
from .chain import build_chain
from .chain_svg import more_link, render
from .lookup import checked


def chain_diagram(subject, label) -> Markup:
    """The SVG of a proposition's chain (empty when no claim bears on it)."""
    def draw():
        chain = build_chain(str(subject), str(label), run("web-chain", prop=subject).rows)
        return render(chain, more_link) if chain.groups else Markup("")
    return kg().memo(("chain-svg", str(subject)), draw)  # the graph does not change while serving


def chain_list(subject, label):
    """The whole chain, every claim, for the page's list (the diagram shows the first few of each group)."""
    return kg().memo(("chain-list", str(subject)),
                     lambda: build_chain(str(subject), str(label), run("web-chain", prop=subject).rows, limit=None))


@bp.route("/proposition/<slug>/chain.svg")
def chain_svg(slug: str):
    subject, label = checked("proposition", slug)
    svg = chain_diagram(subject, label.get("label"))
    if not svg:
        svg = Markup('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="30">'
                     '<text x="4" y="20">No claim bears on this proposition.</text></svg>')
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + str(svg), mimetype="image/svg+xml")
