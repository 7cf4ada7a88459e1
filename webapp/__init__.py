"""The web app: explorer pages, the SPARQL endpoint and Linked Data.

``create_app(config)`` opens the store once and keeps it on
``app.extensions["kg"]``; the blueprints read it from there.
"""
from __future__ import annotations

from flask import Flask

from kg.serving.limits import Limits

from .common import KgContext, install_handlers
from .public import install_foreground, install_public_limits


def create_app(config: dict | None = None) -> Flask:
    """``config``: STORE, BUILD_DIR, and LIMITS (a dict of :class:`kg.serving.limits.Limits`
    fields: timeout, max_results, workers, rate, burst, …)."""
    app = Flask(__name__)
    app.config.update(STORE="rdflib", BUILD_DIR=None, LIMITS={})
    app.config.update(config or {})
    limits = Limits().with_overrides(app.config["LIMITS"])
    app.extensions["kg"] = KgContext(app.config["STORE"], app.config["BUILD_DIR"], limits)
    install_handlers(app)
    install_public_limits(app, limits)
    install_foreground(app, app.extensions["kg"].endpoint.pauser)
    from .explorer import bp as explorer
    from .linkeddata import bp as linkeddata
    from .sparql import bp as sparql
    app.register_blueprint(explorer)
    app.register_blueprint(sparql)
    app.register_blueprint(linkeddata)
    return app
