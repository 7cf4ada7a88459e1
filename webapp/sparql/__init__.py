"""/sparql: the SPARQL 1.1 Protocol, read-only, over the app's store."""
from __future__ import annotations

import re

from flask import Blueprint, render_template, request

from kg.errors import KgError

from .protocol import answer, read_request

bp = Blueprint("sparql", __name__, template_folder="templates")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    text = read_request()
    if text is None:
        return render_template("sparql/form.html", query="", examples=examples(), result=None)
    try:
        return answer(text, examples)
    except KgError as err:
        if not wants_form():
            raise
        return render_template("sparql/form.html", query=text, examples=examples(), result=None,
                               error=form_error(str(err), text)), err.status


def wants_form() -> bool:
    """The form's own request (format=html), or a browser that names text/html first."""
    if request.values.get("format") == "html":
        return True
    accept = request.accept_mimetypes
    return any(v == "text/html" for v, _q in accept) and accept.best_match(["text/plain", "text/html"]) == "text/html"


def form_error(message: str, text: str) -> dict:
    """The error's message, and where the parser stopped: line, column and that line of the query."""
    where = re.search(r"line (\d+), column (\d+)", message)
    error = {"message": message.splitlines()[0] if message else "the query was refused"}
    if where:
        line, column = int(where.group(1)), int(where.group(2))
        lines = text.splitlines() or [""]
        error.update(line=line, column=column, text=lines[min(line, len(lines)) - 1])
    return error


def examples() -> list:
    """The research questions in queries/*.rq, whatever exists now."""
    from kg.query.named import named_queries
    return [q for q in named_queries().values() if q.group == ""]
