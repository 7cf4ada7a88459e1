"""The web app: explorer pages, the SPARQL endpoint and Linked Data.

``create_app(config)`` opens the store once and keeps it on
``app.extensions["kg"]``; the blueprints read it from there.
"""
from __future__ import annotations

from flask import Flask

from .common import KgContext, install_handlers


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(STORE="rdflib", BUILD_DIR=None)
    app.config.update(config or {})
    app.extensions["kg"] = KgContext(app.config["STORE"], app.config["BUILD_DIR"])
    install_handlers(app)
    from .explorer import bp as explorer
    from .linkeddata import bp as linkeddata
    from .sparql import bp as sparql
    app.register_blueprint(explorer)
    app.register_blueprint(sparql)
    app.register_blueprint(linkeddata)
    return app
