"""The web app through Flask's test client: the SPARQL 1.1 Protocol, Linked
Data content negotiation, and the explorer pages a reviewer follows."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from rdflib import Graph, URIRef

ID = "https://w3id.org/practitioner-evidence/id/"
CLAIM = "b5-therapist-relationship-completion-criminal-justice"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/practitioner-evidence/ontology#Claim> } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_BUILD_DIR", str(tmp_path_factory.mktemp("build")))
    from kg.pipeline.build import build
    build()
    from webapp import create_app
    yield create_app({"STORE": "rdflib", "TESTING": True})
    mp.undo()


@pytest.fixture()
def client(app):
    return app.test_client()


# ---------------------------------------------------------------- SPARQL 1.1 Protocol

def test_get_select_answers_sparql_json(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert len(json.loads(r.data)["results"]["bindings"]) == 3


def test_post_form_encoded(client):
    r = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and json.loads(r.data)["head"]["vars"] == ["s"]


def test_post_sparql_query_body(client):
    r = client.post("/sparql", data=SELECT, content_type="application/sparql-query",
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(json.loads(r.data)["results"]["bindings"]) == 3


@pytest.mark.parametrize("accept,fmt,marker", [
    ("application/sparql-results+xml", "xml", b"<sparql"),
    ("text/csv", "csv", b"s\r\n"),
    ("text/tab-separated-values", "tsv", b"?s\n"),
    ("application/sparql-results+json", "json", b'"bindings"'),
])
def test_each_result_format_by_accept_and_by_format(client, accept, fmt, marker):
    by_accept = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    by_param = client.get("/sparql", query_string={"query": SELECT, "format": fmt})
    for r in (by_accept, by_param):
        assert r.status_code == 200 and r.mimetype == accept and marker in r.data


def test_ask_as_json(client):
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert json.loads(r.data)["boolean"] is True


@pytest.mark.parametrize("accept,rdf_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_in_each_rdf_format(client, accept, rdf_format):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert len(Graph().parse(data=r.data, format=rdf_format)) == 3


def test_syntax_error_is_400_with_the_parsers_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p "})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert b"syntax error" in r.data and b"Traceback" not in r.data


@pytest.mark.parametrize("how", ["update-param", "update-body", "update-as-query"])
def test_updates_are_forbidden(client, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "update-param":
        r = client.post("/sparql", data={"update": update})
    elif how == "update-body":
        r = client.post("/sparql", data=update, content_type="application/sparql-update")
    else:
        r = client.get("/sparql", query_string={"query": update})
    assert r.status_code == 403


def test_other_methods_are_405(client):
    assert client.put("/sparql", data=SELECT).status_code == 405
    assert client.delete("/sparql").status_code == 405


def test_unsupported_accept_is_406(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_form_without_query_for_browsers(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"<textarea" in r.data


def test_html_results_link_ids_to_local_pages(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and b'href="/id/claim/' in r.data


# ---------------------------------------------------------------- Linked Data

@pytest.mark.parametrize("accept,rdf_format,suffix", [
    ("text/turtle", "turtle", "ttl"), ("application/ld+json", "json-ld", "jsonld"),
    ("application/rdf+xml", "xml", "rdf"), ("application/n-triples", "nt", "nt"),
])
def test_id_content_negotiation(client, accept, rdf_format, suffix):
    subject = URIRef(f"{ID}claim/{CLAIM}")
    for r in (client.get(f"/id/claim/{CLAIM}", headers={"Accept": accept}), client.get(f"/id/claim/{CLAIM}.{suffix}")):
        assert r.status_code == 200 and r.mimetype == accept
        graph = Graph().parse(data=r.data, format=rdf_format)
        assert (subject, None, None) in graph and (None, None, subject) in graph
    assert "Accept" in client.get(f"/id/claim/{CLAIM}", headers={"Accept": accept}).headers["Vary"]


def test_id_html_reaches_the_explorer(client):
    r = client.get(f"/id/claim/{CLAIM}", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/claim/{CLAIM}")


def test_id_406_404(client):
    assert client.get(f"/id/claim/{CLAIM}", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/claim/no-such-claim", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/claim/Not_A_Slug!", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/nokind/x", headers={"Accept": "text/turtle"}).status_code == 404


def test_ontology_void_and_dumps(client):
    assert b"pe:formalPower" in client.get("/ontology", headers={"Accept": "text/html"}).data
    assert len(Graph().parse(data=client.get("/ontology", headers={"Accept": "text/turtle"}).data, format="turtle")) > 100
    void = Graph().parse(data=client.get("/void").data, format="turtle")
    assert any("sparqlEndpoint" in str(p) for p in void.predicates())
    assert client.get("/dumps/kg.nq").status_code == 200
    assert client.get("/dumps/kg.ttl.gz").data[:2] == b"\x1f\x8b"


# ---------------------------------------------------------------- explorer

def test_home_shows_the_central_rule_and_its_stress_test_questions(client):
    page = client.get("/").get_data(as_text=True)
    assert "The trickier the situation, the more the worker matters." in page
    # B5's counter-arguments are questions it leaves open: they qualify the rule
    # ("Contrary to the supposed rule, could it be that having formal power mean
    # there is less need to be an expert therapist?")
    assert 'class="badge qualifies"' in page and 'class="badge supports"' in page
    assert "less need to be an expert therapist" in page


def test_claim_page_marks_its_excerpt(client):
    page = client.get(f"/claim/{CLAIM}").get_data(as_text=True)
    assert "<mark>seeing their therapist as understanding and involved" in page
    assert "why?" in page


def test_source_page_marks_excerpts_with_char_ids(client):
    page = client.get("/source/matrix-b5").get_data(as_text=True)
    assert '<mark id="char=380,436">The trickier the situation' in page


def test_gap_map_renders_counts_and_gaps(client):
    page = client.get("/gaps").get_data(as_text=True)
    assert "Probation supervision" in page and 'href="/claims?setting=' in page


def test_claim_list_filters_by_facet(client):
    everything = client.get("/claims").get_data(as_text=True)
    filtered = client.get("/claims", query_string={"setting": f"{ID}setting/child-protection"}).get_data(as_text=True)
    assert filtered.count('href="/claim/') < everything.count('href="/claim/')


def test_claim_list_facet_link_asserted_or_inferred_follows_the_graph_the_relation_is_in(client, dataset):
    """A claim is listed as "inferred" when one of its relations to a
    proposition is in graph/inferred, as "asserted" when one is in a data file."""
    import re
    from rdflib import Namespace
    pe = Namespace("https://w3id.org/practitioner-evidence/ontology#")
    inferred_graph = URIRef("https://w3id.org/practitioner-evidence/graph/inferred")
    listed = {}
    for value in ("asserted", "inferred"):
        page = client.get("/claims", query_string={"link": value}).get_data(as_text=True)
        listed[value] = set(re.findall(r'href="/claim/([^"]+)"', page))
        assert listed[value], value
    for value, slugs in listed.items():
        for slug in slugs:
            graphs = {g for rel in (pe.supports, pe.challenges, pe.qualifies)
                      for _s, _p, _o, g in dataset.quads((URIRef(f"{ID}claim/{slug}"), rel, None, None))}
            assert (inferred_graph in graphs) == (value == "inferred") or \
                   (value == "asserted" and graphs - {inferred_graph}), (slug, value, graphs)
    # the central rule's inferred supporters through its components are among the inferred
    assert listed["inferred"] - listed["asserted"]


def test_search_is_case_insensitive(client):
    assert "trickier" in client.get("/search", query_string={"q": "TRICKIER"}).get_data(as_text=True).lower()


def test_why_names_the_owl_rl_rule_of_an_inferred_triple(client):
    r = client.get("/why", query_string={"s": f"<{ID}proposition/formal-power-weakens-informal-influence>",
                                         "p": "pe:componentOf",
                                         "o": f"<{ID}proposition/trickier-situation-worker-matters>"})
    assert r.status_code == 200 and "prp-inv" in r.get_data(as_text=True)


def test_why_names_prp_spo1_for_a_super_property(client):
    """If pe:supports ⊑ cito:supports, a claim's cito:supports is inferred by prp-spo1."""
    r = client.get("/why", query_string={"s": f"<{ID}claim/{CLAIM}>", "p": "cito:supports",
                                         "o": f"<{ID}proposition/trickier-situation-worker-matters>"})
    assert r.status_code == 200 and "prp-spo1" in r.get_data(as_text=True)


def test_why_404_for_a_triple_that_does_not_hold(client):
    r = client.get("/why", query_string={"s": f"<{ID}claim/{CLAIM}>", "p": "pe:challenges",
                                         "o": f"<{ID}proposition/trickier-situation-worker-matters>"})
    assert r.status_code == 404 and r.mimetype == "text/plain"


def test_panels_link_their_query_to_the_endpoint(client):
    assert 'href="/sparql?query=' in client.get("/").get_data(as_text=True)


# ---------------------------------------------------------------- security

def test_security_headers_and_plain_text_errors(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.mimetype == "text/plain"
    assert r.headers["Content-Security-Policy"] == "default-src 'self'"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_html_is_escaped(client):
    page = client.get("/search", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x" not in page


# ---------------------------------------------------------------- evidence chain, breadcrumbs

CENTRAL = "trickier-situation-worker-matters"


def test_proposition_page_draws_its_evidence_chain_inline(client, dataset):
    """The diagram draws the component propositions and some claims on each
    (which ones depends on the data: any claim drawn must bear on the rule),
    with their works and excerpts; the rest are counted with a link to the list."""
    page = client.get(f"/proposition/{CENTRAL}").get_data(as_text=True)
    start = page.index('class="chain"')
    svg = page[start:page.index("</svg>", start)]
    assert 'href="/proposition/formal-power-weakens-informal-influence"' in svg
    drawn = set(re.findall(r'href="/claim/([^"]+)"', svg))
    bears_on = URIRef("https://w3id.org/practitioner-evidence/ontology#bearsOn")
    assert drawn and all((URIRef(f"{ID}claim/{slug}"), bears_on, URIRef(f"{ID}proposition/{CENTRAL}")) in dataset
                         for slug in drawn)
    assert 'href="/work/' in svg and re.search(r'href="/source/[a-z0-9-]+#char=\d+,\d+"', svg)
    assert "more claims" in svg and 'href="/claims?proposition=' in svg


def test_chain_svg_is_an_image_of_well_formed_xml(client):
    import xml.etree.ElementTree as ET
    r = client.get(f"/proposition/{CENTRAL}/chain.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert ET.fromstring(r.data).tag == "{http://www.w3.org/2000/svg}svg"


def test_chain_svg_of_an_unknown_proposition_is_404(client):
    assert client.get("/proposition/no-such-rule/chain.svg").status_code == 404
    assert client.get("/proposition/Bad%20Slug/chain.svg").status_code == 404


def test_more_claims_link_filters_the_claim_list_by_proposition(client):
    part = f"{ID}proposition/control-context-requires-exceptional-abilities"
    page = client.get("/claims", query_string={"proposition": part}).get_data(as_text=True)
    # Option 2's "exceptional staff", the expert juggler, the London trainees … (at least nine)
    count = re.search(r"(\d+) claims", page)
    assert count and int(count.group(1)) >= 9 and "b5-only-expert-juggler-could-manage" in page


def _crumbs(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<nav class="breadcrumbs"'):page.index("</nav>", page.index('<nav class="breadcrumbs"'))]


def test_claim_breadcrumbs_lead_back_up_to_its_proposition(client):
    crumbs = _crumbs(client, f"/claim/{CLAIM}")
    assert f'<a href="/proposition/{CENTRAL}">' in crumbs and f'href="/claim/{CLAIM}"' in crumbs  # permalink


def test_component_breadcrumbs_lead_back_to_the_rule(client):
    assert f'<a href="/proposition/{CENTRAL}">' in _crumbs(client, "/proposition/formal-power-weakens-informal-influence")


def test_work_breadcrumbs_lead_back_to_its_source(client):
    assert '<a href="/source/matrix-b5">' in _crumbs(client, "/work/relationship-with-therapist-offenders-2008")


@pytest.mark.parametrize("path,broader,label", [
    ("/factor/listening-skills", "/factor/practitioner-skills", "listening skills"),
    ("/outcome/compliance", None, "ompliance"),
    ("/setting/child-protection", None, "hild protection"),
])
def test_factor_outcome_and_setting_pages_list_their_claims(client, path, broader, label):
    r = client.get(path)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and label in page and 'href="/claim/' in page
    if broader:
        assert f'<a href="{broader}">' in _crumbs(client, path)


def test_every_explorer_page_has_breadcrumbs_and_a_permalink(client):
    for path in ("/", "/gaps", "/claims", "/sources", "/search?q=trust", f"/claim/{CLAIM}", "/source/matrix-b5"):
        assert 'class="permalink"' in _crumbs(client, path), path


def test_why_breadcrumbs_lead_back_to_the_claim(client):
    path = "/why?" + "&".join(f"{k}={quote(v)}" for k, v in (
        ("s", f"<{ID}claim/{CLAIM}>"), ("p", "pe:supports"), ("o", f"<{ID}proposition/{CENTRAL}>")))
    assert f'<a href="/claim/{CLAIM}">' in _crumbs(client, path)


class _MarkText:
    """The text inside each <mark id=…> of a page, nested marks included."""

    def __init__(self, page: str):
        from html.parser import HTMLParser
        self.texts, stack = {}, []

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag == "mark":
                    stack.append(dict(attrs).get("id"))

            def handle_endtag(self, tag):
                if tag == "mark":
                    stack.pop()

            def handle_data(inner, data):
                for ident in stack:
                    if ident:
                        self.texts[ident] = self.texts.get(ident, "") + data

        Parser(convert_charrefs=True).feed(page)


def test_each_excerpt_mark_on_a_source_page_holds_exactly_its_quote(client):
    """A link to #char=S,E targets a mark whose text is the whole excerpt, also
    for excerpts inside other excerpts (only one crossing another's end is cut)."""
    from kg.pipeline.sources import registered, source_text
    checked = 0
    for source in registered():
        marks = _MarkText(client.get(f"/source/{source.slug}").get_data(as_text=True)).texts
        spans = [tuple(map(int, k[5:].split(","))) for k in marks]
        text = source_text(source.file_name)
        slug = source.slug
        for s, e in spans:
            if any(s < b[0] < e < b[1] or b[0] < s < b[1] < e for b in spans):
                continue
            assert marks[f"char={s},{e}"] == text[s:e], (slug, s, e)
            checked += 1
    assert checked > 1000


def test_page_answers_with_parameters_are_kept_in_a_bounded_cache(app, monkeypatch):
    import webapp.common as common
    context = app.extensions["kg"]
    claim = URIRef(f"{ID}claim/{CLAIM}")
    first = context.run("web-claim", claim=claim)
    assert first.rows and context.run("web-claim", claim=claim) is first
    monkeypatch.setattr(common, "RECENT_ANSWERS", 2)
    for slug in ("a", "b", "c"):
        context.run("web-claim", claim=URIRef(f"{ID}claim/{slug}"))
    assert len(context._recent) == 2 and context.run("web-claim", claim=claim) is not first


def test_sources_page_lists_every_registered_source_from_the_data(client):
    from kg.pipeline.sources import registered
    page = client.get("/sources").get_data(as_text=True)
    sources = registered()
    assert len(sources) >= 5
    for source in sources:
        assert f'href="/source/{source.slug}"' in page
        assert source.file_name in client.get(f"/source/{source.slug}").get_data(as_text=True)


def test_an_evidence_relation_dereferences_with_its_basis(client):
    """id/relation/{claim}--{proposition} (DESIGN.md, "Evidence relations") is a Linked Data IRI too."""
    relation = "b5-quality-of-contacts-important--one-to-one-relationship-reduces-reoffending"
    r = client.get(f"/id/relation/{relation}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    graph = Graph().parse(data=r.data, format="turtle")
    subject = URIRef(f"{ID}relation/{relation}")
    basis = URIRef("https://w3id.org/practitioner-evidence/ontology#basis")
    assert graph.value(subject, basis) is not None
    assert client.get(f"/id/relation/{relation}", headers={"Accept": "text/html"}).status_code in (200, 303)
