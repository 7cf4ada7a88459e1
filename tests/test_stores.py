"""Every query in queries/ gives the same answers on the three stores:
rdflib (the reference), pyoxigraph, and a real Oxigraph server from PyPI
(`oxigraph serve`) that this module starts on a free loopback port and
queries over the SPARQL 1.1 Protocol. Rows are compared in order where the
query has an ORDER BY, as multisets otherwise; literals by lexical form and
datatype (language tag for language-tagged strings)."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.query.named import named_queries
from kg.terms import parse_term

QUERIES = named_queries()
# samples for queries that take parameters (each is also run unbound when that makes sense)
SAMPLES = {
    "cq09-why-bears-on-central-rule": [
        {},
        {"claim": "<https://w3id.org/practitioner-evidence/id/claim/b5-enforcer-and-social-worker-conflict>"},
        {"claim": "<https://w3id.org/practitioner-evidence/id/claim/b5-rule-plausible-some-evidence>"},
    ],
}
# The web pages' queries, each with a parameter a page would send.
_CLAIM = {"claim": "<https://w3id.org/practitioner-evidence/id/claim/b5-therapist-relationship-completion-criminal-justice>"}
_CENTRAL = {"prop": "<https://w3id.org/practitioner-evidence/id/proposition/trickier-situation-worker-matters>"}
_WORK = {"r": "<https://w3id.org/practitioner-evidence/id/work/relationship-with-therapist-offenders-2008>"}
_SOURCE = {"source": "<https://w3id.org/practitioner-evidence/id/source/matrix-b5>"}
SAMPLES.update({
    "web-claim-concepts": [_CLAIM], "web-claim-relations": [_CLAIM], "web-claim": [_CLAIM],
    "web-claims-by": [_WORK], "web-claims-on": [_CENTRAL], "web-components": [_CENTRAL],
    "web-stress-test": [_CENTRAL], "web-chain": [_CENTRAL], "web-describe": [_WORK], "web-evidence": [_WORK], "web-label": [_WORK],
    "web-resource-in": [_WORK], "web-resource-out": [_WORK],
    "web-source-excerpts": [_SOURCE], "web-source": [_SOURCE],
    "web-setting-power": [{"setting": "<https://w3id.org/practitioner-evidence/id/setting/probation-supervision>"}],
    "web-excerpt": [{"excerpt": "<https://w3id.org/practitioner-evidence/id/excerpt/b5-581-787>"}],
})


def _cases():
    for name, query in sorted(QUERIES.items()):
        samples = SAMPLES.get(name)
        if samples is None:
            samples = [None] if query.params else [{}]
        for i, sample in enumerate(samples):
            yield pytest.param(name, sample, id=f"{name}[{i}]" if len(samples) > 1 else name)


CASES = list(_cases())


# ---------------------------------------------------------------- stores

@pytest.fixture(scope="session")
def rdflib_store(built):
    from kg.query.stores import open_store
    return open_store("rdflib", out=built)


@pytest.fixture(scope="session")
def oxigraph_store(built):
    from kg.query.stores import open_store
    store = open_store("oxigraph", out=built)
    yield store
    store.close()


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _oxigraph_serving(location: Path):
    """Run `oxigraph serve` on ``location`` on a free loopback port, serving
    the union of the named graphs as the default graph; yields its base URL
    once it answers, or a RuntimeError saying why it did not (so that the
    tests using it fail, never skip)."""
    binary = _oxigraph_binary()
    if binary is None:
        yield RuntimeError("the oxigraph CLI was not found (pip install oxigraph)")
        return
    port = _free_port()
    log = open(location.parent / f"{location.name}-server.log", "wb")
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, ready = time.monotonic() + 60, False
        while time.monotonic() < deadline and server.poll() is None:
            try:
                probe = base + "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    ready = answer.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        yield base if ready else RuntimeError(
            f"oxigraph serve did not answer on {base} (exit code {server.poll()})")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def oxigraph_server(built, tmp_path_factory):
    """URL of the SPARQL query endpoint of a real Oxigraph server, loaded with
    build/kg.nq by `oxigraph load`. Yields an error instead when the server
    cannot be started, so the remote tests fail (never skip)."""
    binary = _oxigraph_binary()
    location = tmp_path_factory.mktemp("oxigraph-server")
    if binary is not None:
        loaded = subprocess.run([binary, "load", "--location", str(location), "--file", str(built / "kg.nq")],
                                capture_output=True, text=True, timeout=300)
        if loaded.returncode != 0:
            yield RuntimeError(f"oxigraph load failed: {loaded.stderr.strip()[:500]}")
            return
    with _oxigraph_serving(location) as base:
        yield base if isinstance(base, Exception) else base + "/query"


@pytest.fixture(scope="session")
def remote_store(oxigraph_server):
    if isinstance(oxigraph_server, Exception):
        pytest.fail(str(oxigraph_server))
    from kg.query.stores import open_store
    return open_store(oxigraph_server)


# ---------------------------------------------------------------- comparison

def _key(term):
    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        return ("literal", str(term), str(term.datatype or XSD.string))
    raise TypeError(f"unexpected term {term!r}")


def _code(text: str) -> str:
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())


def _has_order_by(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", _code(text), re.IGNORECASE) is not None


def _order_keys(text: str) -> list[str] | None:
    """The variables of the final ORDER BY when it sorts by plain variables
    (?x, ASC(?x), DESC(?x)); None for expressions."""
    clause = re.split(r"\bORDER\s+BY\b", _code(text), flags=re.IGNORECASE)[-1]
    clause = re.split(r"\b(?:LIMIT|OFFSET|VALUES)\b|}", clause, flags=re.IGNORECASE)[0]
    terms = re.findall(r"(?:ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+)|(\S+)", clause, re.IGNORECASE)
    if any(other for _, _, other in terms):
        return None
    return [a or b for a, b, _ in terms]


def _normalise(result, text: str):
    """Rows as a multiset, plus, for a query with ORDER BY on plain
    variables, the sequence of those sort keys (rows that tie on them may
    come in any order)."""
    if result.kind == "ASK":
        return ("ASK", bool(result.boolean))
    if result.kind == "CONSTRUCT":
        return ("CONSTRUCT", Counter(tuple(_key(t) for t in triple) for triple in result.graph))
    rows = [tuple(_key(row.get(v)) for v in result.vars) for row in result.rows]
    order = None
    if _has_order_by(text):
        keys = _order_keys(text)
        if keys and all(k in result.vars for k in keys):
            order = [tuple(_key(row.get(k)) for k in keys) for row in result.rows]
        else:
            order = rows
    return ("SELECT", tuple(result.vars), Counter(rows), order)


_reference: dict = {}


def _run(store, name, sample):
    if sample is None:
        pytest.skip(f"{name} takes parameters ({', '.join(QUERIES[name].params)}) and has no sample binding")
    bindings = {k: parse_term(v, k) for k, v in sample.items()}
    return _normalise(store.query(QUERIES[name].text, bindings), QUERIES[name].text)


def _expected(rdflib_store, name, sample):
    key = (name, tuple(sorted((sample or {}).items())))
    if key not in _reference:
        _reference[key] = _run(rdflib_store, name, sample)
    return _reference[key]


def test_every_query_is_tested():
    assert len(QUERIES) >= 14
    assert all(name in QUERIES for name in SAMPLES)


def test_competency_questions_have_an_order_by():
    for name, query in QUERIES.items():
        if name.startswith("cq") and "SELECT" in query.text.upper():
            assert _has_order_by(query.text), name


@pytest.mark.parametrize("name,sample", CASES)
def test_oxigraph_gives_the_same_answers_as_rdflib(name, sample, rdflib_store, oxigraph_store):
    assert _run(oxigraph_store, name, sample) == _expected(rdflib_store, name, sample)


@pytest.mark.parametrize("name,sample", CASES)
def test_remote_oxigraph_server_gives_the_same_answers_as_rdflib(name, sample, rdflib_store, remote_store):
    assert _run(remote_store, name, sample) == _expected(rdflib_store, name, sample)


def test_remote_server_answers_from_the_union_of_named_graphs(remote_store):
    result = remote_store.query(
        "ASK { <https://w3id.org/practitioner-evidence/id/claim/b5-enforcer-and-social-worker-conflict> "
        "<https://w3id.org/practitioner-evidence/ontology#supports> "
        "<https://w3id.org/practitioner-evidence/id/proposition/trickier-situation-worker-matters> }")
    assert result.boolean is True


def test_a_parameter_the_query_does_not_project_still_constrains_it(rdflib_store, oxigraph_store, remote_store):
    """Bug: a trailing VALUES (remote) or substitution (oxigraph) ignored or
    rejected a parameter missing from the SELECT projection."""
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?label WHERE { ?r rdfs:label ?label }")
    work = parse_term("<https://w3id.org/practitioner-evidence/id/work/relationship-with-therapist-offenders-2008>")
    for store in (rdflib_store, oxigraph_store, remote_store):
        labels = [str(row["label"]) for row in store.query(text, {"r": work}).rows]
        assert labels == ["Relationship with therapist seems more important for offenders than other clients"], store.name


# ---------------------------------------------------------------- kg publish

def test_publish_loads_every_named_graph_and_the_server_then_answers_as_locally(built, rdflib_store, tmp_path):
    """`kg publish URL` PUTs each named graph over the Graph Store Protocol
    into an empty Oxigraph server; `kg query --store URL` then gives the
    local answers."""
    from kg.query.artefact import load_artefact

    dataset = load_artefact(built)
    expected = {str(g.identifier): len(g) for g in dataset.graphs()
                if len(g) and g.identifier != dataset.default_graph.identifier}
    location = tmp_path / "empty-store"
    location.mkdir()
    with _oxigraph_serving(location) as base:
        if isinstance(base, Exception):
            pytest.fail(str(base))
        done = subprocess.run([sys.executable, "-m", "kg.cli", "publish", base + "/store"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        loaded = dict(re.findall(r"^loaded (\d+) triples into <([^>]+)>$", done.stdout, re.MULTILINE))
        assert {graph: int(count) for count, graph in loaded.items()} == expected
        assert any(graph.endswith("/graph/inferred") for graph in expected)

        from kg.query.stores import open_store
        remote = open_store(base + "/query")
        count = remote.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "  # not publish's own record
                             "FILTER(?g != <https://w3id.org/practitioner-evidence/graph/published>) }").rows[0]["n"]
        assert int(count) == sum(expected.values())
        for name in ("cq01-claims-on-central-rule", "cq02-settings-by-formal-power"):
            assert _run(remote, name, {}) == _expected(rdflib_store, name, {})

        cli = subprocess.run([sys.executable, "-m", "kg.cli", "query", "cq01-claims-on-central-rule",
                              "--store", base + "/query", "--format", "csv"],
                             capture_output=True, text=True, timeout=300)
        local = subprocess.run([sys.executable, "-m", "kg.cli", "query", "cq01-claims-on-central-rule",
                                "--format", "csv"], capture_output=True, text=True, timeout=300)
        assert cli.returncode == 0 and local.returncode == 0, cli.stderr + local.stderr
        assert sorted(cli.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_publish_to_a_closed_port_is_one_line_and_exit_2(built):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "publish", f"http://127.0.0.1:{_free_port()}/store"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    error = [line for line in done.stderr.splitlines() if not line.startswith("…")]  # progress lines
    assert len(error) == 1 and error[0].startswith("kg: publish: http://127.0.0.1:")
    assert "Connection refused" in error[0] and "Traceback" not in done.stderr
