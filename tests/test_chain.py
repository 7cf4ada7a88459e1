"""The evidence chain diagram (webapp/explorer/chain.py, chain_svg.py) from
hand-made query rows: placement, truncation, links and escaping."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from rdflib import Literal, URIRef

from webapp.explorer.chain import build_chain
from webapp.explorer.chain_svg import more_link, render, wrap

ID = "https://w3id.org/practitioner-evidence/id/"
PE = "https://w3id.org/practitioner-evidence/ontology#"
SVG = "{http://www.w3.org/2000/svg}"
RULE, PART = ID + "proposition/rule", ID + "proposition/part"


def row(node, claim, relation="supports", work="work/w", excerpt=None, label=None):
    out = {"node": URIRef(node), "nodeLabel": Literal("The rule" if node == RULE else "A part"),
           "claim": URIRef(ID + "claim/" + claim), "claimLabel": Literal(label or f"Claim {claim}"),
           "relation": URIRef(PE + relation), "work": URIRef(ID + work), "workLabel": Literal("A work")}
    if excerpt:
        out |= {"excerpt": URIRef(ID + "excerpt/" + excerpt), "exact": Literal("quoted <words>"),
                "source": URIRef(ID + "source/matrix-b5"), "start": Literal(10), "end": Literal(24)}
    return out


def links(svg) -> list[str]:
    return [a.get("href") for a in ET.fromstring(str(svg)).iter(SVG + "a")]


def test_a_claim_on_a_component_is_drawn_under_the_component_not_again_under_the_rule():
    chain = build_chain(RULE, "The rule", [row(RULE, "a"), row(PART, "a"), row(RULE, "b")])
    assert [(g.iri, [c.iri.rsplit("/", 1)[-1] for c in g.claims]) for g in chain.groups] == [
        (RULE, ["b"]), (PART, ["a"])]


def test_every_node_links_to_its_explorer_page_and_excerpts_to_their_place_in_the_source():
    svg = render(build_chain(RULE, "The rule", [row(PART, "a", excerpt="e1")]), more_link)
    assert links(svg) == ["/proposition/rule", "/claim/a", "/source/matrix-b5#char=10,24",
                          "/proposition/part", "/work/w"]


def test_labels_are_escaped():
    svg = render(build_chain(RULE, "R <script>", [row(RULE, "a", label='<b>"x" & y</b>', excerpt="e")]), more_link)
    assert "<script>" not in str(svg) and "<b>" not in str(svg) and "&lt;b&gt;" in str(svg)
    ET.fromstring(str(svg))  # well-formed XML


def test_many_claims_are_cut_to_the_limit_with_a_more_link_to_the_claim_list():
    rows = [row(PART, f"c{i:02d}") for i in range(30)]
    chain = build_chain(RULE, "The rule", rows, limit=8)
    assert len(chain.groups[0].claims) == 8 and chain.groups[0].more == 22
    svg = str(render(chain, more_link))
    assert "+22 more claims" in svg and "/claims?proposition=https%3A%2F%2Fw3id.org" in svg


def test_claims_of_one_work_share_one_work_node():
    svg = render(build_chain(RULE, "The rule", [row(RULE, "a"), row(RULE, "b"), row(RULE, "c", work="work/z")]),
                 more_link)
    assert links(svg).count("/work/w") == 1 and links(svg).count("/work/z") == 1


def test_wrap_cuts_long_labels_with_an_ellipsis():
    assert wrap("one two three four five six", 9, 2) == ["one two", "three…"]
    assert wrap("x" * 20, 5, 1) == ["xxxx…"]
