"""A public endpoint that holds: hostile requests each get the status a
client can act on, nothing reaches the network (a canary HTTP server on
loopback counts every request), the data is unchanged after a barrage,
hostile input files are one-line errors that leave the artefact served, and
a real ``kg serve`` survives a minute of mixed good and hostile load."""
from __future__ import annotations

import hashlib
import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CQ01 = (ROOT / "queries" / "cq01-claims-on-central-rule.rq").read_text(encoding="utf-8")
INFERRED = "https://w3id.org/practitioner-evidence/graph/inferred"
JSON = {"Accept": "application/sparql-results+json"}
LIMITS = {"timeout": 2.0, "max_results": 2000, "workers": 2, "rate": 0, "max_query_bytes": 8000,
          "max_body_bytes": 16000, "max_url_bytes": 12000}


# ---------------------------------------------------------------- fixtures

class Canary(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def _record(self):
        Canary.hits.append((self.command, self.path))
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://canary/s> <http://canary/p> <http://canary/o> .\n")

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def canary():
    """An HTTP server on loopback that records every request it gets."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Canary.hits = []
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def app(built):
    from webapp import create_app
    app = create_app({"STORE": "rdflib", "TESTING": True, "BUILD_DIR": str(built), "LIMITS": LIMITS})
    assert app.extensions["kg"].endpoint.ready()
    yield app
    app.extensions["kg"].endpoint.close()


@pytest.fixture()
def client(app):
    return app.test_client()


def dataset_hash(built) -> str:
    """A hash of every quad of the artefact in a canonical order (blank
    nodes, whose labels each parse makes up, all written alike)."""
    from rdflib import BNode
    from kg.query.artefact import load_artefact
    lines = sorted(" ".join("_:b" if isinstance(t, BNode) else t.n3() for t in quad)
                   for quad in load_artefact(built).quads())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def served_quads(client) -> int:
    r = client.get("/sparql", query_string={"query": COUNT_QUADS}, headers=JSON,
                   environ_base={"REMOTE_ADDR": "192.0.2.44"})  # not the hostile table's client
    assert r.status_code == 200, r.data
    return int(r.json["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------- the hostile requests

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
UPDATE = "INSERT DATA { GRAPH <%s> { <urn:x:s> <urn:x:p> <urn:x:o> } }" % INFERRED
DEEP_BRACES = "SELECT * WHERE " + "{" * 40 + " ?s ?p ?o " + "}" * 40
DEEP_PARENS = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
COUNT_CUBE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGEX_BOMB = ('SELECT ?s WHERE { ?s ?p ?o FILTER regex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", '
              '"^(a|aa)+$") }')
LONG_PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x:none>|!<urn:x:none>)* ?o . ?o ?p ?x }"
OVER_CAP = "SELECT * WHERE { ?s ?p ?o }"  # every triple: more than the cap of 10,000 rows

# (id, method, path, request keywords, expected status); {canary} is the canary's URL
REQUESTS = [
    # read-only: updates in every form
    ("update-as-query", "GET", "/sparql", {"query_string": {"query": UPDATE}}, 403),
    ("update-param-get", "GET", "/sparql", {"query_string": {"update": UPDATE}}, 403),
    ("update-param-post", "POST", "/sparql", {"data": {"update": UPDATE}}, 403),
    ("update-body", "POST", "/sparql", {"data": UPDATE, "content_type": "application/sparql-update"}, 403),
    ("update-in-query-body", "POST", "/sparql", {"data": UPDATE, "content_type": "application/sparql-query"}, 403),
    ("load", "GET", "/sparql", {"query_string": {"query": "LOAD <{canary}data.ttl>"}}, 403),
    ("load-silent-into", "POST", "/sparql", {"data": {"query": "LOAD SILENT <{canary}x> INTO GRAPH <urn:g>"}}, 403),
    ("clear-all", "GET", "/sparql", {"query_string": {"query": "CLEAR ALL"}}, 403),
    ("drop-graph", "GET", "/sparql", {"query_string": {"query": f"DROP GRAPH <{INFERRED}>"}}, 403),
    ("delete-where", "GET", "/sparql", {"query_string": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403),
    ("create-graph", "GET", "/sparql", {"query_string": {"query": "CREATE GRAPH <urn:g>"}}, 403),
    ("escaped-insert", "GET", "/sparql",
     {"query_string": {"query": "\\u0049NSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"}}, 403),
    # only the protocol's methods
    ("put", "PUT", "/sparql", {"data": "x"}, 405),
    ("delete", "DELETE", "/sparql", {}, 405),
    ("patch", "PATCH", "/sparql", {"data": "x"}, 405),
    ("put-resource", "PUT", "/id/claim/x", {"data": "x"}, 405),
    # federation off: SERVICE in every spelling
    ("service", "GET", "/sparql", {"query_string": {"query": "SELECT * WHERE { SERVICE <{canary}> { ?s ?p ?o } }"}}, 403),
    ("service-silent-lower", "GET", "/sparql",
     {"query_string": {"query": "select * where { service silent <{canary}> { ?s ?p ?o } }"}}, 403),
    ("service-escaped", "GET", "/sparql",
     {"query_string": {"query": "SELECT * WHERE { \\u0053ERVICE <{canary}> { ?s ?p ?o } }"}}, 403),
    ("service-escaped-lower", "POST", "/sparql",
     {"data": {"query": "SELECT * WHERE { \\u0073\\u0065rvice <{canary}> { ?s ?p ?o } }"}}, 403),
    ("service-mixed-case-optional", "GET", "/sparql",
     {"query_string": {"query": "SELECT * WHERE { ?x ?y ?z OPTIONAL { SeRvIcE <{canary}> { ?s ?p ?o } } } LIMIT 1"}}, 403),
    ("service-in-subquery", "GET", "/sparql",
     {"query_string": {"query": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{canary}> { ?s ?p ?o } } } }"}}, 403),
    ("service-in-exists", "GET", "/sparql",
     {"query_string": {"query": "ASK { FILTER EXISTS { SERVICE <{canary}> { ?s ?p ?o } } }"}}, 403),
    ("service-variable", "GET", "/sparql",
     {"query_string": {"query": "SELECT * WHERE { BIND(<{canary}> AS ?e) SERVICE ?e { ?s ?p ?o } }"}}, 403),
    ("service-in-construct", "POST", "/sparql",
     {"data": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{canary}> { ?s ?p ?o } }",
      "content_type": "application/sparql-query"}, 403),
    # no graph from elsewhere
    ("from-remote", "GET", "/sparql", {"query_string": {"query": "SELECT * FROM <{canary}g> WHERE { ?s ?p ?o }"}}, 403),
    ("from-named-remote", "GET", "/sparql",
     {"query_string": {"query": "SELECT * FROM NAMED <{canary}g> WHERE { GRAPH ?g { ?s ?p ?o } }"}}, 403),
    ("default-graph-uri-remote", "GET", "/sparql",
     {"query_string": {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "{canary}g"}}, 403),
    ("named-graph-uri-remote", "POST", "/sparql",
     {"data": {"query": "ASK { ?s ?p ?o }", "named-graph-uri": "{canary}g"}}, 403),
    ("default-graph-uri-known", "GET", "/sparql",
     {"query_string": {"query": "ASK { ?s ?p ?o }", "default-graph-uri": INFERRED}}, 400),
    ("from-known-graph", "GET", "/sparql",
     {"query_string": {"query": f"SELECT * FROM <{INFERRED}> WHERE {{ ?s ?p ?o }} LIMIT 2"}, "headers": JSON}, 200),
    # syntax and size
    ("syntax-error", "GET", "/sparql", {"query_string": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
    ("empty-query", "GET", "/sparql", {"query_string": {"query": " "}, "headers": JSON}, 400),
    ("deep-braces", "GET", "/sparql", {"query_string": {"query": DEEP_BRACES}}, 400),
    ("deep-parens", "POST", "/sparql", {"data": DEEP_PARENS, "content_type": "application/sparql-query"}, 400),
    ("query-too-large", "POST", "/sparql", {"data": {"query": "ASK { ?s ?p ?o } #" + "x" * 9000}}, 413),
    ("body-too-large", "POST", "/sparql", {"data": "#" * 20000, "content_type": "application/sparql-query"}, 413),
    ("url-too-long", "GET", "/sparql?query=" + "x" * 13000, {}, 414),
    ("non-utf8-body", "POST", "/sparql", {"data": b"ASK { ?s ?p \"\xff\" }", "content_type": "application/sparql-query"}, 400),
    ("content-type-text", "POST", "/sparql", {"data": "ASK {}", "content_type": "text/plain"}, 415),
    ("content-type-json", "POST", "/sparql", {"data": "{}", "content_type": "application/json"}, 415),
    ("accept-image", "GET", "/sparql", {"query_string": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
    ("format-unknown", "GET", "/sparql", {"query_string": {"query": "ASK {}", "format": "pdf"}}, 406),
    # bounded cost
    ("every-triple-over-cap", "GET", "/sparql", {"query_string": {"query": OVER_CAP}, "headers": JSON}, 422),
    ("cartesian-refused", "GET", "/sparql", {"query_string": {"query": CARTESIAN}, "headers": JSON}, 403),
    ("cartesian-in-groups-refused", "GET", "/sparql",
     {"query_string": {"query": "SELECT * WHERE { { ?a ?b ?c } { ?d ?e ?f } }"}, "headers": JSON}, 403),
    ("construct-over-cap", "GET", "/sparql",
     {"query_string": {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2500"},
      "headers": {"Accept": "text/turtle"}}, 422),
    ("count-of-a-cube-refused", "GET", "/sparql", {"query_string": {"query": COUNT_CUBE}, "headers": JSON}, 403),
    ("regex-bomb-refused", "GET", "/sparql", {"query_string": {"query": REGEX_BOMB}, "headers": JSON}, 403),
    ("long-property-path", "GET", "/sparql", {"query_string": {"query": LONG_PATH}, "headers": JSON}, 503),
    ("same-timeout-again", "GET", "/sparql", {"query_string": {"query": LONG_PATH + " "}, "headers": JSON}, 503),
    ("good-after-hostile", "GET", "/sparql", {"query_string": {"query": CQ01}, "headers": JSON}, 200),
    # Linked Data: only well-formed slugs, never the file system
    ("id-dotdot", "GET", "/id/claim/../../etc/passwd", {}, 404),
    ("id-encoded-dotdot", "GET", "/id/claim/%2e%2e%2f%2e%2e%2fetc%2fpasswd", {}, 404),
    ("id-upper", "GET", "/id/claim/UPPER", {}, 404),
    ("id-unknown-kind", "GET", "/id/nokind/x", {}, 404),
    ("id-nul", "GET", "/id/claim/a%00b", {}, 404),
    ("id-script", "GET", "/id/claim/<script>", {}, 404),
    ("dump-traversal", "GET", "/dumps/..%2f..%2fetc%2fpasswd", {}, 404),
]


def _fill(value, canary):
    if isinstance(value, str):
        return value.replace("{canary}", canary)
    if isinstance(value, dict):
        return {k: _fill(v, canary) for k, v in value.items()}
    return value


def send(client, canary, method, path, kwargs):
    return client.open(_fill(path, canary), method=method, **_fill(kwargs, canary))


def test_the_table_holds_at_least_40_hostile_requests():
    assert len({r[0] for r in REQUESTS}) == len(REQUESTS) >= 40


@pytest.mark.parametrize("name,method,path,kwargs,status", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_hostile_request_gets_its_status_in_plain_text(client, canary, name, method, path, kwargs, status):
    r = send(client, canary, method, path, kwargs)
    assert r.status_code == status, r.data[:300]
    assert r.headers["Content-Security-Policy"] == "default-src 'self'"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    if status >= 400:
        assert r.mimetype == "text/plain" and b"Traceback" not in r.data and r.data.count(b"\n") == 1
    if status == 503:
        assert r.headers["Retry-After"].isdigit()


def test_nothing_reached_the_canary_and_the_data_is_unchanged(client, canary, built):
    before, served_before = dataset_hash(built), served_quads(client)
    for _name, method, path, kwargs, _status in REQUESTS:
        if _status != 503:  # the slow ones ran in the table already
            send(client, canary, method, path, kwargs)
    assert Canary.hits == []
    assert dataset_hash(built) == before and served_quads(client) == served_before
    answer = client.get("/sparql", query_string={"query": "ASK { <urn:x:s> <urn:x:p> <urn:x:o> }"}, headers=JSON)
    assert answer.json["boolean"] is False


def test_syntax_error_carries_the_parsers_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert re.search(rb"line \d+, column \d+", r.data), r.data


def test_a_query_past_the_time_limit_is_stopped_its_worker_kept_and_the_next_served(app, client):
    pool = app.extensions["kg"].endpoint
    before = set(pool.pids())
    r = client.get("/sparql", query_string={"query": LONG_PATH + " #stop"}, headers=JSON)
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
    assert client.get("/sparql", query_string={"query": CQ01}, headers=JSON).status_code == 200
    assert pool.ready() and set(pool.pids()) == before  # interrupted, not restarted


def test_a_killed_worker_is_replaced_and_the_next_request_is_served(app, client):
    pool = app.extensions["kg"].endpoint
    assert pool.ready()
    before = set(pool.pids())
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)  # the kernel has reaped them
    statuses = [client.get("/sparql", query_string={"query": CQ01}, headers=JSON).status_code for _ in range(4)]
    assert statuses == [200] * 4  # a worker found dead is replaced before a query is given to it
    assert pool.ready() and not set(pool.pids()) & before


def test_cors_preflight_and_simple_requests_allow_any_origin_without_credentials(client):
    pre = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200 and pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={**JSON, "Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*" and "Access-Control-Allow-Credentials" not in r.headers


def test_a_client_over_its_budget_gets_429_with_retry_after(built):
    from webapp import create_app
    small = create_app({"STORE": "rdflib", "BUILD_DIR": str(built), "LIMITS": {**LIMITS, "workers": 1, "rate": 1, "burst": 3}})
    try:
        client = small.test_client()
        statuses = [client.get("/void").status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
        r = client.get("/void")
        assert int(r.headers["Retry-After"]) >= 1 and r.mimetype == "text/plain"
        other = client.get("/void", environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert other.status_code == 200
    finally:
        small.extensions["kg"].endpoint.close()


# ---------------------------------------------------------------- pages

def test_a_javascript_iri_in_the_data_is_never_a_link(app):
    from rdflib import Literal, URIRef
    from flask import render_template_string
    with app.test_request_context("/"):
        html = render_template_string('{% from "macros.html" import term %}{{ term(a) }}|{{ term(b) }}|{{ term(c) }}',
                                      a=URIRef("javascript:alert(1)"), b=Literal("<script>alert(1)</script>"),
                                      c=URIRef("https://example.org/x"))
    assert 'href="javascript' not in html and "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/x">' in html


def test_html_results_escape_literals(client):
    r = client.get("/sparql", query_string={"query": 'SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)>" AS ?x) }',
                                            "format": "html"})
    assert r.status_code == 200 and b"<img src=x" not in r.data and b"&lt;img src=x" in r.data


# ---------------------------------------------------------------- no outbound request below the guard

LOW_LEVEL = r'''
import sys
from rdflib import Dataset, Graph
from kg.offline import forbid_network
forbid_network()
url = sys.argv[1]
attempts = {
    "jsonld-context": lambda: Graph().parse(data='{"@context": "%sctx", "@id": "http://e/a", "p": "x"}' % url,
                                            format="json-ld"),
    "service": lambda: list(Dataset().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % url)),
    "from": lambda: list(Dataset().query("SELECT * FROM <%sg> WHERE { ?s ?p ?o }" % url)),
    "parse-url": lambda: Graph().parse(url + "x.ttl"),
    "xml-entity": lambda: Graph().parse(data='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "%se">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
        '<rdf:Description rdf:about="http://e/a"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>' % url, format="xml"),
}
for name, attempt in attempts.items():
    try:
        attempt()
        print(name, "inert")
    except Exception as err:
        print(name, "refused", type(err).__name__)
'''


def test_below_the_guard_rdflib_cannot_reach_the_network_in_a_serving_process(canary):
    out = subprocess.run([sys.executable, "-c", LOW_LEVEL, canary], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    outcomes = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert set(outcomes) == {"jsonld-context", "service", "from", "parse-url", "xml-entity"}
    assert outcomes["service"].startswith("refused") and outcomes["jsonld-context"].startswith("refused")
    assert Canary.hits == []


# ---------------------------------------------------------------- hostile input files

P = "@prefix ex: <http://example.org/> .\n"
# (file name, bytes, expected "LINE:COL: message" pattern, or None: parses and is inert)
INPUTS = [
    ("unterminated.ttl", P + 'ex:a ex:b "oops .\n', r"2:\d+: .*string"),
    ("undeclared-prefix.ttl", "\n\nfoo:a foo:b foo:c .\n", r'3:1: Prefix "foo:" not bound'),
    ("iri-with-space.ttl", P + "<http://exa mple.org/a> ex:b ex:c .\n", r"2:\d+: bad IRI"),
    ("iri-with-angle.ttl", P + "<http://example.org/a<b> ex:b ex:c .\n", r"2:\d+: bad IRI"),
    ("iri-escaped-space.ttl", P + "<http://example.org/\\u0020a> ex:b ex:c .\n", r"\d+:\d+: bad IRI"),
    ("deep-blank-nodes.ttl", P + "ex:a ex:p " + "[ ex:p " * 5000 + "ex:o" + " ]" * 5000 + " .\n", r"2:\d+: brackets nested"),
    ("deep-lists.ttl", P + "ex:a ex:p " + "( " * 5000 + ")" * 5000 + " .\n", r"2:\d+: brackets nested"),
    ("latin-1.ttl", (P + 'ex:a ex:b "caf\xe9" .\n').encode("latin-1"), r"2:\d+: not UTF-8"),
    ("utf-16.ttl", (P + 'ex:a ex:b "x" .\n').encode("utf-16"), r"1:1: not UTF-8"),
    ("no-final-dot.ttl", P + "ex:a ex:b ex:c\n", r"\d+:\d+: EOF found"),
    ("bad-escape.ttl", P + 'ex:a ex:b "\\q" .\n', r"2:\d+: bad escape"),
    ("prefix-without-colon.ttl", "@prefix ex <http://example.org/> .\n", r"1:\d+: expected"),
    ("literal-subject.ttl", P + '"a" ex:b ex:c .\n', r"2:\d+: a literal cannot be a subject"),
    ("unbalanced.ttl", P + "ex:a ex:b [ ex:c ex:d .\n", r"2:\d+: ']' expected"),
    ("json-ld-remote-context.ttl", '{"@context": "{canary}ctx", "@id": "http://e/a"}\n', r"1:1: expected"),
    ("bad-language-tag.ttl", P + 'ex:a ex:b "x"@12345678901 .\n', r"2:\d+: .*language tag"),
    ("lone-surrogate.ttl", P + 'ex:a ex:b "\\uD800" .\n', r"\d+:\d+: not valid Unicode"),
    ("ill-typed-integer.ttl", P + 'ex:a ex:b "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
     r"2:\d+: ill-typed literal"),
    ("remote-base.ttl", "@base <{canary}> .\n<a> <b> <c> .\n", None),
    ("owl-imports.ttl", "<urn:x:o> <http://www.w3.org/2002/07/owl#imports> <{canary}onto.ttl> .\n", None),
]


def test_the_table_holds_at_least_15_hostile_input_files():
    assert len(INPUTS) >= 15


@pytest.mark.parametrize("name,content,expected", INPUTS, ids=[i[0] for i in INPUTS])
def test_hostile_input_file_is_one_line_with_file_line_and_column(tmp_path, canary, name, content, expected):
    from kg.errors import KgError
    from kg.pipeline.load import InputFile, parse_file
    data = content.replace("{canary}", canary).encode("utf-8") if isinstance(content, str) else content
    (tmp_path / name).write_bytes(data)
    if expected is None:
        assert len(parse_file(InputFile(tmp_path / name, "data"))) == 1
    else:
        with pytest.raises(KgError) as caught:  # InputError, or IllTypedLiterals (a line each)
            parse_file(InputFile(tmp_path / name, "data"))
        message = str(caught.value)
        assert "\n" not in message and re.match(rf"data/{re.escape(name)}:{expected}", message), message
    assert Canary.hits == []


def _kg(*args, env=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith("oxigraph")}


def test_a_failing_rule_or_hostile_file_leaves_the_artefact_intact_and_served(project_copy, canary):
    from kg.serving.limits import Limits
    from kg.serving.pool import QueryPool
    assert _kg("build").returncode == 0
    out = project_copy / "build"
    pool = QueryPool("rdflib", out, Limits(workers=1))
    try:
        assert pool.ready()
        before = _snapshot(out)  # with the rdflib cache the worker wrote beside the artefact
        (project_copy / "rules" / "broken.rq").write_text("# A broken rule.\nCONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }\n")
        broken_rule = _kg("build")
        (project_copy / "rules" / "broken.rq").unlink()
        (project_copy / "data" / "deep.ttl").write_text(P + "ex:a ex:p " + "[ ex:p " * 3000 + "ex:o" + " ]" * 3000 + " .\n")
        deep = _kg("build")
        for result in (broken_rule, deep):
            assert result.returncode == 2 and "Traceback" not in result.stderr
            errors = [line for line in result.stderr.splitlines() if not line.startswith("… ")]  # progress
            assert len(errors) == 1, result.stderr
            assert re.match(r"kg: (rules/broken\.rq|data/deep\.ttl):\d+:\d+: ", errors[0]), result.stderr
        assert _snapshot(out) == before
        assert len(pool.query(CQ01).rows) > 10
    finally:
        pool.close()
    assert Canary.hits == []


def test_a_rebuild_while_serving_answers_old_or_new_never_half(project_copy):
    from kg.errors import KgError
    from kg.serving.limits import Limits
    from kg.serving.pool import QueryPool
    assert _kg("build").returncode == 0
    out = project_copy / "build"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    pool = QueryPool("oxigraph", out, Limits(workers=2, timeout=30))
    answers, failures, stop = set(), [], threading.Event()

    def ask():
        while not stop.is_set():
            try:
                answers.add(int(pool.query(count).rows[0]["n"]))
            except KgError as err:
                failures.append(str(err))

    try:
        assert pool.ready()
        old = int(pool.query(count).rows[0]["n"])
        thread = threading.Thread(target=ask)
        thread.start()
        with open(project_copy / "data" / "extra.ttl", "w", encoding="utf-8") as handle:
            handle.write("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
        assert _kg("build").returncode == 0
        time.sleep(1.0)
        new = int(pool.query(count).rows[0]["n"])
        stop.set()
        thread.join(60)
    finally:
        stop.set()
        pool.close()
    assert new == old + 1 and failures == [] and answers <= {old, new} and old in answers


# ---------------------------------------------------------------- a real server under a minute of mixed load

GOOD = [CQ01, "ASK { ?s ?p ?o }", "SELECT ?g WHERE { GRAPH ?g { } }",
        "SELECT ?c WHERE { ?c a <https://schema.org/Claim> } LIMIT 20"]
HOSTILE = [UPDATE, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", DEEP_BRACES,
           "SELECT * WHERE { ?s ?p }", CARTESIAN, COUNT_CUBE, REGEX_BOMB, "SELECT * FROM <http://127.0.0.1:9/> { ?s ?p ?o }"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the query workers)."""
    total = 0
    for proc in [str(pid)] + subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
        try:
            status = Path(f"/proc/{proc}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def _get(base: str, query: str, source: str = "127.0.0.1") -> int:
    """The status of a GET of /sparql sent from the loopback address ``source``."""
    import http.client
    port = int(base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=JSON)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    port = _free_port()
    # the server's log goes to a file: a pipe nobody reads fills up and
    # stalls the server (and its workers) on their next log line
    log = tmp_path_factory.mktemp("soak") / "serve.log"
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--timeout", "2",
                                "--workers", "2", "--rate-limit", "0"],
                               env={**os.environ, "KG_BUILD_DIR": str(built)}, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, text=True)
    process.log = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if _get(base, "ASK { ?s ?p ?o }") == 200:
                break
        except OSError:
            time.sleep(0.5)
    yield process, base
    process.terminate()
    process.wait(30)


SOAK_SECONDS, SOAK_MAX_REQUESTS = 60, 20_000


def test_soak_a_minute_of_good_and_hostile_queries_from_several_threads(server):
    process, base = server
    assert process.poll() is None, process.log.read_text()
    for query in GOOD:  # warm every worker and the guard's cache
        assert _get(base, query) == 200
    rss_start = _rss_kb(process.pid)
    good, hostile, sent, lock = [], [], [0], threading.Lock()
    deadline = time.monotonic() + SOAK_SECONDS

    def client(seed: int):
        i, source = seed, f"127.0.0.{10 + seed}"  # each client its own address, as on the open web
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= SOAK_MAX_REQUESTS:
                    return
                sent[0] += 1
            i += 1
            if i % 3 == 0:
                hostile.append(_get(base, HOSTILE[i % len(HOSTILE)], source))
            else:
                good.append(_get(base, GOOD[i % len(GOOD)], source))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SOAK_SECONDS + 120)
    assert process.poll() is None, "the server died"
    assert len(good) > 50 and all(status == 200 for status in good), sorted(set(good))
    assert all(400 <= status < 600 for status in hostile) and 200 not in hostile
    assert _get(base, CQ01) == 200
    growth = _rss_kb(process.pid) - rss_start
    assert growth < 300_000, f"memory grew by {growth} kB"
