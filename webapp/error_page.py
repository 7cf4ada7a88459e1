"""An error as an HTML page with the site's navigation, for browsers (other
clients get the same message as one line of plain text, see common.text_error)."""
from __future__ import annotations

from flask import Response, render_template

TITLES = {400: "This request cannot be answered", 404: "Page not found", 405: "Method not allowed",
          406: "No acceptable format", 429: "Too many requests", 500: "Something went wrong on our side",
          503: "The server is busy"}


def error_page(message: str, status: int) -> Response:
    try:
        body = render_template("error.html", status=status, title=TITLES.get(status, "Error"),
                               message=message.strip(), breadcrumbs=[("Home", "/"), (str(status), None)])
    except Exception:  # the page itself failed: fall back to the line of text
        return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    return Response(body, status=status, mimetype="text/html")
