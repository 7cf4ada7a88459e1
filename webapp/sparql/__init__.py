"""/sparql: the SPARQL 1.1 Protocol, read-only, over the app's store."""
from __future__ import annotations

from flask import Blueprint, render_template

from .protocol import answer, read_request

bp = Blueprint("sparql", __name__, template_folder="templates")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    text = read_request()
    if text is None:
        return render_template("sparql/form.html", query="", examples=examples(), result=None)
    return answer(text, examples)


def examples() -> list:
    """The research questions in queries/*.rq, whatever exists now."""
    from kg.query.named import named_queries
    return [q for q in named_queries().values() if q.group == ""]
