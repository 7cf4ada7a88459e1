"""What every blueprint shares: the store and named queries, the MIME-type
table, links from IRIs to local pages, security headers and error handling."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, current_app, request
from rdflib import URIRef
from werkzeug.exceptions import HTTPException, NotAcceptable

from kg.errors import KgError, NotFound, StoreError
from kg.serving.limits import Limits
from kg.pipeline.manifest import read_manifest
from kg.paths import build_dir
from kg.serving.pool import QueryPool
from kg.query.named import named_queries
from kg.query.stores import open_store
from kg.query.formats import rdf_text
from kg.query.stores.base import bind_in_text
from kg.terms import PREFIXES, short

from .error_page import error_page

ID = "https://w3id.org/practitioner-evidence/id/"
PE = "https://w3id.org/practitioner-evidence/ontology#"
KINDS = ("source", "work", "claim", "proposition", "excerpt", "measurement", "setting",
         "factor", "outcome", "design", "concept", "scheme", "relation")
SLUG = r"^[a-z0-9][a-z0-9._-]*$"

# One MIME-type table for every RDF document the site serves: suffix -> (type, rdflib format).
RDF_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}
RDF_BY_MIME = {mime: (suffix, fmt) for suffix, (mime, fmt) in RDF_TYPES.items()}

log = logging.getLogger("webapp")


RECENT_ANSWERS = 4096  # answers to queries with parameters kept per app
REMOTE_ONLY = ("404 Not Found: this server answers from a remote SPARQL store and holds no copy of the "
               "dataset: dumps and derivations are not available here; query /sparql instead")
STORE_FAILED = "502 Bad Gateway: the store behind this server did not answer; try again later"


class KgContext:
    """The store, opened once per app, and the named queries it runs; the
    public endpoint's queries go to worker processes (``endpoint``) that
    can be stopped, with the graphs a query may name (``graphs``)."""

    def __init__(self, store_name: str, out: str | None, limits: Limits = Limits()):
        self.out = Path(out) if out else build_dir()
        self.store_name = store_name
        self.remote = store_name.startswith(("http://", "https://"))
        self.limits = limits
        # the workers load their stores while this process loads its own
        self.endpoint = QueryPool(store_name, self.out, limits)
        self.store = open_store(store_name, self.out)
        self.queries = named_queries()
        self._cache: dict = {}
        self._recent: OrderedDict = OrderedDict()  # (query, parameters) -> answer, least recent first
        self._lock = threading.Lock()
        self._dataset = None
        manifest = None if self.remote else read_manifest(self.out)
        graphs = manifest["graphs"] if manifest else self.run("stats-graphs").values("g")
        self.graphs = frozenset(str(g) for g in graphs)

    def run(self, name: str, **bindings):
        """Run a named query with bound parameters (parsed rdflib terms).
        The graph does not change while serving: answers are kept, those
        without parameters for good, the others in a bounded LRU."""
        text = self.queries[name].text
        if not bindings:
            if name not in self._cache:
                self._cache[name] = self.store.query(text)
            return self._cache[name]
        key = (name, tuple(sorted(bindings.items())))
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        result = self.store.query(text, bindings)
        with self._lock:
            self._recent[key] = result
            while len(self._recent) > RECENT_ANSWERS:
                self._recent.popitem(last=False)
        return result

    def warm(self) -> None:
        """Answer every explorer query that takes no parameter once, before
        serving: pages then never wait for a query (the graph does not
        change while serving)."""
        for name, query in self.queries.items():
            if query.group == "web" and not query.params:
                self.run(name)

    def dataset(self):
        """The whole dataset in rdflib (for explain and dumps); 404 when the
        store is remote (this server holds no copy of it)."""
        if self.remote:
            raise NotFound(REMOTE_ONLY)
        if self._dataset is None:
            store_dataset = getattr(self.store, "dataset", None)
            if store_dataset is not None:
                self._dataset = store_dataset
            else:
                from kg.query.artefact import load_artefact
                self._dataset = load_artefact(self.out)
        return self._dataset

    def memo(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def kg() -> KgContext:
    return current_app.extensions["kg"]


def run(name: str, **bindings):
    return kg().run(name, **bindings)


def sparql_link(name: str, **bindings) -> str:
    """/sparql with the named query's text, parameters as a VALUES block of parsed terms."""
    text = bind_in_text(kg().queries[name].text, bindings)
    return "/sparql?" + urlencode({"query": text})


def link_target(term) -> str | None:
    """Where a link to a term may go: its local page, or the IRI itself if it
    is http(s); never a javascript:, data: or other scheme from the data."""
    local = local_url(term)
    if local:
        return local
    if isinstance(term, URIRef) and str(term).lower().startswith(("http://", "https://")):
        return str(term)
    return None


def local_url(term) -> str | None:
    """The local page of an IRI under the id/ base (None for others)."""
    iri = str(term)
    if isinstance(term, URIRef) and iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    return None


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug}")


def pick_rdf_type(suffix: str | None, offers_html: bool = False) -> str:
    """The MIME type to answer with, from a suffix or the Accept header; 406 if none fits."""
    if suffix:
        return RDF_TYPES[suffix][0]
    offers = (["text/html"] if offers_html else []) + [m for m, _ in RDF_TYPES.values()]
    if not request.headers.get("Accept"):
        return offers[0]
    best = request.accept_mimetypes.best_match(offers)
    if best is None:
        raise NotAcceptable()
    return best


def rdf_response(graph, mime: str) -> Response:
    _suffix, fmt = RDF_BY_MIME[mime]
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    body = rdf_text(graph, fmt)
    response = Response(body, mimetype=mime)
    response.headers["Vary"] = "Accept"
    return response


def text_error(message: str, status: int) -> Response:
    if _browser_wants_html():
        return error_page(message, status)
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


def _browser_wants_html() -> bool:
    """A browser names text/html before anything plain; other clients get one line of text."""
    accept = request.accept_mimetypes
    return any(v == "text/html" for v, _q in accept) and accept.best_match(["text/plain", "text/html"]) == "text/html"


def install_handlers(app: Flask) -> None:
    @app.errorhandler(KgError)
    def kg_error(err):
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if isinstance(err, StoreError):  # names internal addresses: for the log, not the public
            log.warning("store error: %s", message)
            message = STORE_FAILED
        response = text_error(message, err.status)
        if err.status in (429, 503):
            response.headers["Retry-After"] = str(getattr(err, "retry_after", 5))
        return response

    @app.errorhandler(HTTPException)
    def http_error(err):
        return text_error(f"{err.code} {err.name}: {err.description}", err.code)

    @app.errorhandler(Exception)
    def server_error(err):
        log.exception("unhandled error")
        return text_error("500 Internal Server Error: the server could not answer this request", 500)

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.jinja_env.globals.update(local_url=local_url, link_target=link_target, short=short,
                                 sparql_link=sparql_link)
    app.jinja_env.filters["local"] = lambda term: link_target(term) or ""
