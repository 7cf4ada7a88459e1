"""What makes the app fit for the open web, for every route: the request
budget (429), the URL and body size limits (414, 413), CORS without
credentials, and the Retry-After a client needs to back off.

A client is its remote address. ``X-Forwarded-For`` is believed only from
the one reverse proxy the ``trusted_proxy`` setting names (``kg serve
--trusted-proxy``), and then only its last entry, the address that proxy
itself saw: anything before it was written by the client and may be forged."""
from __future__ import annotations

from flask import Flask, g, request
from werkzeug.exceptions import RequestURITooLarge

from kg.serving.limits import Limits

from .budget import Budget

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def install_foreground(app: Flask, pauser) -> None:
    """Requests the web server answers itself (every route but /sparql's
    queries) pause heavy clients' queries while they run
    (:class:`kg.serving.pause.Pauser`): on a busy server a page never shares
    the cores with a long ad-hoc query."""

    @app.before_request
    def foreground_begins():
        if request.blueprint != "sparql":
            pauser.foreground_begin()
            g.foreground = True

    @app.teardown_request
    def foreground_ends(_error):
        if g.pop("foreground", False):
            pauser.foreground_end()


def install_public_limits(app: Flask, limits: Limits) -> None:
    app.config["MAX_CONTENT_LENGTH"] = limits.max_body_bytes  # Flask answers 413 past it
    budget = Budget(limits.rate, limits.burst)

    @app.before_request
    def within_limits():
        g.client = client_address(limits.trusted_proxy)
        budget.charge(g.client)
        url_bytes = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
        if url_bytes > limits.max_url_bytes:
            raise RequestURITooLarge(f"the URL is over {limits.max_url_bytes} bytes; POST the query instead")

    @app.after_request
    def cors(response):
        response.headers.update(CORS)
        return response


def client_address(trusted_proxy: str = "") -> str:
    """Who sent this request, for budgets and fair queuing."""
    remote = request.remote_addr or "unknown"
    if trusted_proxy and remote == trusted_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return remote


def client() -> str:
    """The client of the request being answered (set before every request)."""
    return g.get("client") or client_address()
