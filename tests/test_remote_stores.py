"""Remote stores that tell the truth: credentials (never printed), answers
the remote cut short refused, a URL that is not a Graph Store failing fast,
--prune, and `kg serve --store URL` answering /void, /dumps, /why and errors
without a 500 or an internal address.

Oxigraph's server (from PyPI) is the real store; small loopback servers
written here play the parts no real server plays on demand (one that asks
for HTTP basic credentials, one that cuts answers, one that never answers).
"""
from __future__ import annotations

import base64
import http.server
import json
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from kg import cli
from kg.errors import ResultTooLarge, StoreError
from kg.query.publish import GRAPHS, PUBLISHED, record
from kg.query.stores.remote import RemoteStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_stores import _oxigraph_serving  # noqa: E402

SECRET = "s3cret-Pa55"


def run_kg(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if not line.startswith("…")]


@pytest.fixture()
def empty_oxigraph(tmp_path):
    location = tmp_path / "store"
    location.mkdir()
    with _oxigraph_serving(location) as base:
        if isinstance(base, Exception):
            pytest.fail(str(base))
        yield base


def serve(handler) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


# ---------------------------------------------------------------- kg publish

def test_publish_twice_in_the_same_order_then_prune_deletes_only_our_dropped_graph(empty_oxigraph, built, capsys):
    from kg.query.stores import open_store
    store_url = empty_oxigraph + "/store"
    code, first, err = run_kg(["publish", store_url], capsys)
    assert code == 0, err
    dropped, foreign = GRAPHS + "data/dropped-since", "urn:example:someone-elses"
    for graph in (dropped, foreign):  # as if an earlier build had it; and a graph that is not ours
        _put(store_url, graph, b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    names = [line.split("<")[1].rstrip(">") for line in first.splitlines()]
    _put(store_url, str(PUBLISHED), record(names + [dropped]).serialize(format="nt", encoding="utf-8"))

    code, second, err = run_kg(["publish", store_url, "--prune"], capsys)
    assert code == 0, err
    assert second.splitlines()[:len(names)] == first.splitlines()  # the same graphs, the same order
    assert second.splitlines()[len(names):] == [f"deleted <{dropped}>"]
    remote = open_store(empty_oxigraph + "/query")
    graphs = set(remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values("g"))
    assert {str(g) for g in graphs} >= {foreign, *names} and dropped not in {str(g) for g in graphs}


def _put(store_url: str, graph: str, body: bytes) -> None:
    import urllib.parse
    import urllib.request
    request = urllib.request.Request(f"{store_url}?{urllib.parse.urlencode({'graph': graph})}", data=body,
                                     method="PUT", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).read()


def test_publish_to_a_query_endpoint_is_not_a_graph_store_in_one_line(empty_oxigraph, built, capsys):
    code, _out, err = run_kg(["publish", empty_oxigraph + "/query"], capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("kg: publish:"), err


def test_publish_to_a_url_that_never_answers_fails_within_about_10_s(built, capsys):
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        began = time.monotonic()
        code, _out, err = run_kg(["publish", f"http://127.0.0.1:{silent.getsockname()[1]}/store"], capsys)
    assert code == 2 and len(err) == 1 and "10 s" in err[0], err
    assert time.monotonic() - began < 20


class BasicAuthStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store that wants HTTP basic credentials alice / SECRET."""

    seen: list = []

    def _allowed(self) -> bool:
        expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
        if self.headers.get("Authorization") == expected:
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_GET(self):
        if self._allowed():
            self.send_error(404)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", 0))
        authorised = self._allowed()
        self.rfile.read(length)
        if authorised:
            BasicAuthStore.seen.append(self.path)
            self.send_response(204)
            self.end_headers()

    def log_message(self, *args):
        pass


def test_publish_with_basic_credentials_from_the_environment_never_prints_them(built, capsys, monkeypatch):
    url, server = serve(BasicAuthStore)
    try:
        monkeypatch.setenv("KG_STORE_PASSWORD", SECRET)
        code, out, err = run_kg(["publish", url + "/store", "--user", "alice"], capsys)
        assert code == 0, err
        assert len(BasicAuthStore.seen) == out.count("loaded") + 1  # every graph, then graph/published
        monkeypatch.setenv("KG_STORE_PASSWORD", "wrong")
        code, out2, err = run_kg(["publish", url + "/store", "--user", "alice"], capsys)
        assert code == 2 and len(err) == 1 and "401" in err[0] and "alice" in err[0]
        code, _out, err = run_kg(["publish", url.replace("http://", f"http://alice:{SECRET}x@") + "/store"], capsys)
        assert code == 2 and "401" in err[0]
        assert SECRET not in out + out2 + "\n".join(err)
    finally:
        server.shutdown()


def test_a_password_comes_from_a_netrc_file(built, capsys, monkeypatch, tmp_path):
    url, server = serve(BasicAuthStore)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    try:
        code, _out, err = run_kg(["publish", url + "/store"], capsys)
        assert code == 0, err
    finally:
        server.shutdown()


# ---------------------------------------------------------------- answers cut short

class CuttingEndpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers ``rows`` rows, saying it cut them when ``header`` is set."""

    rows, header = 3, False

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        bindings = [{"n": {"type": "literal", "value": str(i)}} for i in range(CuttingEndpoint.rows)]
        body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": bindings}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if CuttingEndpoint.header:
            self.send_header("X-SPARQL-MaxRows", str(CuttingEndpoint.rows))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("rows,header,cut", [(3, True, True), (5, False, True), (4, False, False)])
def test_an_answer_the_remote_cut_is_refused_never_passed_on_as_whole(rows, header, cut, monkeypatch):
    monkeypatch.setenv("KG_REMOTE_CAP", "5")
    CuttingEndpoint.rows, CuttingEndpoint.header = rows, header
    url, server = serve(CuttingEndpoint)
    try:
        store = RemoteStore(url + "/sparql")
        if cut:
            with pytest.raises(ResultTooLarge) as refused:
                store.query("SELECT ?n WHERE { ?s ?p ?n }")
            assert refused.value.status == 422
        else:
            assert len(store.query("SELECT ?n WHERE { ?s ?p ?n }").rows) == rows
    finally:
        server.shutdown()


def test_a_password_in_a_store_url_is_not_in_its_errors():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = RemoteStore(f"http://bob:{SECRET}@127.0.0.1:{port}/sparql")
    with pytest.raises(StoreError) as failed:
        store.query("ASK {}")
    assert SECRET not in str(failed.value) and "bob" not in store.url


# ---------------------------------------------------------------- kg serve --store URL

@pytest.fixture(scope="module")
def remote_app(built, tmp_path_factory):
    """The web app on a real Oxigraph server loaded by kg publish."""
    from webapp import create_app
    location = tmp_path_factory.mktemp("served-store")
    with _oxigraph_serving(location) as base:
        if isinstance(base, Exception):
            pytest.fail(str(base))
        assert cli.main(["publish", base + "/store"]) == 0
        app = create_app({"STORE": base + "/query", "LIMITS": {"workers": 1, "rate": 0}})
        app.extensions["kg"].endpoint.ready()
        yield app, base
        app.extensions["kg"].endpoint.close()


def test_void_describes_the_remote_store_and_lists_no_dumps(remote_app, built):
    from rdflib import Graph, URIRef

    from kg.query.artefact import load_artefact
    app, _base = remote_app
    r = app.test_client().get("/void")
    assert r.status_code == 200
    graph = Graph().parse(data=r.data, format="turtle")
    triples = [int(o) for o in graph.objects(None, URIRef("http://rdfs.org/ns/void#triples"))]
    dataset = load_artefact(built)
    in_graphs = sum(len(g) for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier)
    assert triples == [in_graphs]  # counted in the remote store, over our named graphs
    assert b"/dumps/" not in r.data


@pytest.mark.parametrize("path", ["/dumps/kg.nq", "/dumps/kg.ttl.gz",
                                  "/why?s=claim:x&p=pe:bearsOn&o=prop:trickier-situation-worker-matters"])
def test_dumps_and_why_say_plainly_they_are_unavailable_under_a_remote_store(remote_app, path):
    app, _base = remote_app
    r = app.test_client().get(path)
    assert r.status_code == 404 and b"remote SPARQL store" in r.data and len(r.data.splitlines()) == 1


def test_a_failing_remote_is_a_502_that_names_no_internal_address(remote_app, monkeypatch):
    app, base = remote_app
    context = app.extensions["kg"]

    def failing(*_args, **_kwargs):
        raise StoreError(f"{base}/query: 500 Internal Server Error")
    monkeypatch.setattr(context.endpoint, "query_serialized", failing)
    r = app.test_client().get("/sparql", query_string={"query": "ASK {}"},
                              headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 502 and b"127.0.0.1" not in r.data and base.encode() not in r.data
