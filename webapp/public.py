"""What makes the app fit for the open web, for every route: the request
budget (429), the URL and body size limits (414, 413), CORS without
credentials, and the Retry-After a client needs to back off."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestURITooLarge

from kg.serving.limits import Limits

from .budget import Budget

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def install_public_limits(app: Flask, limits: Limits) -> None:
    app.config["MAX_CONTENT_LENGTH"] = limits.max_body_bytes  # Flask answers 413 past it
    budget = Budget(limits.rate, limits.burst)

    @app.before_request
    def within_limits():
        budget.charge(request.remote_addr or "unknown")
        url_bytes = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
        if url_bytes > limits.max_url_bytes:
            raise RequestURITooLarge(f"the URL is over {limits.max_url_bytes} bytes; POST the query instead")

    @app.after_request
    def cors(response):
        response.headers.update(CORS)
        return response
