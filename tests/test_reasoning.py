"""Reasoning: each kind of OWL 2 RL inference the graph relies on, on a small
graph of its own and on the real data; the domain rules fire where they
should and only there; the closure equals plain owlrl's; explain."""
from pathlib import Path

import owlrl
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS

from kg.pipeline.explain import Explainer, load_derivations, render_text
from kg.pipeline.load import INFERRED, load_dataset
from kg.pipeline.noise import is_noise, without_noise
from kg.pipeline.reason import _reason_with_owlrl, reason
from kg.pipeline.rules import load_rule, load_rules

ROOT = Path(__file__).resolve().parent.parent
PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
ID = Namespace("https://w3id.org/practitioner-evidence/id/")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
CENTRAL = ID["proposition/trickier-situation-worker-matters"]


def ontology_triples():
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(path)
    return set(g)


def infer(*triples, rules=()):
    return reason(ontology_triples() | set(triples), list(rules)).inferred


claim, prop, part = ID["claim/c"], ID["proposition/p"], ID["proposition/part"]
hard, easy, mid = ID["setting/hard"], ID["setting/easy"], ID["setting/mid"]


# ---------------------------------------------------------------- OWL 2 RL, small graphs
def test_prp_inv1_if_a_claim_supports_a_proposition_then_the_proposition_is_supported_by_it():
    assert (prop, PE.supportedBy, claim) in infer((claim, PE.supports, prop))


def test_prp_trp_if_a_is_trickier_than_b_and_b_than_c_then_a_is_trickier_than_c():
    out = infer((hard, PE.trickierThan, mid), (mid, PE.trickierThan, easy))
    assert (hard, PE.trickierThan, easy) in out
    assert (easy, PE.trickierThan, hard) not in out


def test_prp_spo1_if_a_claim_challenges_it_bears_on_and_cito_disagrees():
    out = infer((claim, PE.challenges, prop))
    assert (claim, PE.bearsOn, prop) in out
    assert (claim, CITO.disagreesWith, prop) in out
    assert (claim, CITO.supports, prop) not in out


def test_cax_sco_if_something_is_a_claim_then_it_is_a_schema_claim_and_a_prov_entity():
    out = infer((claim, RDF.type, PE.Claim))
    assert (claim, RDF.type, SCHEMA.Claim) in out and (claim, RDF.type, PROV.Entity) in out


def test_prp_spo2_if_a_claim_bears_on_a_component_then_it_bears_on_the_whole():
    out = infer((prop, PE.hasComponent, part), (claim, PE.supports, part))
    assert (claim, PE.bearsOn, prop) in out
    assert (claim, PE.supports, prop) in out


def test_the_engine_reaches_the_same_closure_whatever_order_the_triples_arrive_in():
    """Premises are joined when the last of them is processed: a chain axiom
    whose list cells, or a property whose schema, arrive after the data must
    still fire (and so must the opposite order)."""
    from kg.pipeline.engine import Engine

    chain_prop, link1, link2 = ID["p-chain"], ID["p1"], ID["p2"]
    a, b, c, head, rest = ID["a"], ID["b"], ID["c"], ID["l1"], ID["l2"]
    data = [(a, link1, b), (b, link2, c), (a, PE.supports, prop), (prop, PE.hasComponent, part)]
    schema = [(chain_prop, OWL.propertyChainAxiom, head), (head, RDF.first, link1), (head, RDF.rest, rest),
              (rest, RDF.first, link2), (rest, RDF.rest, RDF.nil),
              (PE.supports, RDFS.subPropertyOf, PE.bearsOn), (PE.bearsOn, RDFS.domain, PE.Claim)]
    closures = []
    for order in (data + schema, schema + data, schema[::-1] + data[::-1], data[::-1] + schema[::-1]):
        engine = Engine()
        engine.assert_triples(order)
        engine.run()
        closures.append(set(engine.why))
    assert (a, chain_prop, c) in closures[0] and (a, RDF.type, PE.Claim) in closures[0]
    assert all(closure == closures[0] for closure in closures)


def test_cls_hv2_if_a_setting_has_formal_power_3_then_it_is_of_the_highest_formal_power():
    out = infer((hard, PE.formalPower, Literal(3)), (easy, PE.formalPower, Literal(1)))
    assert (hard, RDF.type, PE.HighestFormalPowerSetting) in out
    assert (easy, RDF.type, PE.HighestFormalPowerSetting) not in out


def test_cls_hv2_a_claim_that_challenges_the_central_rule_is_a_counter_argument():
    assert (claim, RDF.type, PE.CounterArgument) in infer((claim, PE.challenges, CENTRAL))
    assert (claim, RDF.type, PE.CounterArgument) not in infer((claim, PE.challenges, prop))


def test_prp_dom_and_prp_rng_type_the_subject_and_object():
    # pe:reports: Claim -> Measurement (pe:evidence has no domain: claims and
    # evidence relations both use it)
    out = infer((claim, PE.reports, ID["measurement/x"]))
    assert (claim, RDF.type, PE.Claim) in out and (ID["measurement/x"], RDF.type, PE.Measurement) in out


# ---------------------------------------------------------------- the same, on the real data
def test_real_data_has_each_kind_of_inference(dataset):
    inferred = dataset.graph(INFERRED)
    canadian = ID["claim/b5-therapist-relationship-completion-criminal-justice"]
    assert (CENTRAL, PE.supportedBy, canadian) in inferred
    assert (ID["setting/child-protection"], PE.trickierThan, ID["setting/voluntary-treatment"]) in inferred
    assert (ID["setting/child-protection"], RDF.type, PE.HighestFormalPowerSetting) in inferred
    assert (canadian, CITO.supports, CENTRAL) in inferred
    assert (canadian, RDF.type, SCHEMA.Claim) in inferred
    # Farrall's "very few people actually desist as a result of intervention"
    # challenges the Compendium's proposition (no claim, read closely, challenges
    # the central rule: cls-hv2 on pe:CounterArgument is pinned on a small graph)
    farrall = ID["claim/compendium-03-desistance-away-from-cjs"]
    assert (ID["proposition/one-to-one-relationship-reduces-reoffending"], PE.challengedBy, farrall) in inferred
    assert (farrall, CITO.disagreesWith, ID["proposition/one-to-one-relationship-reduces-reoffending"]) in inferred
    via_component = [c for c in dataset.subjects(PE.supports, ID["proposition/control-context-requires-exceptional-abilities"])]
    assert via_component and all((c, PE.bearsOn, CENTRAL) in dataset for c in via_component)


# ---------------------------------------------------------------- domain rules
def rule(name):
    return [load_rule(ROOT / "rules" / f"{name}.rq")]


def test_rule_trickier_from_formal_power_fires_on_higher_power():
    out = infer((hard, PE.formalPower, Literal(3)), (easy, PE.formalPower, Literal(0)),
                rules=rule("trickier-from-formal-power"))
    assert (hard, PE.trickierThan, easy) in out


def test_rule_trickier_from_formal_power_does_not_fire_on_equal_power():
    out = infer((hard, PE.formalPower, Literal(2)), (easy, PE.formalPower, Literal(2)),
                rules=rule("trickier-from-formal-power"))
    assert not any(p == PE.trickierThan for _, p, _ in out)


def _comparison(prop_name, first, second, factor=True):
    triples = [(claim, prop_name, first), (claim, PE.thanIn, second),
               (hard, PE.trickierThan, easy)]
    if factor:
        triples.append((claim, PE.factor, ID["factor/f"]))
    return triples


def test_rule_worker_matters_more_fires_when_more_in_the_trickier_setting():
    out = infer(*_comparison(PE.mattersMoreIn, hard, easy), rules=rule("worker-matters-more"))
    assert (claim, PE.supports, CENTRAL) in out


def test_rule_worker_matters_more_does_not_fire_the_other_way_or_without_a_factor():
    assert (claim, PE.supports, CENTRAL) not in infer(*_comparison(PE.mattersMoreIn, easy, hard),
                                                      rules=rule("worker-matters-more"))
    assert (claim, PE.supports, CENTRAL) not in infer(*_comparison(PE.mattersMoreIn, hard, easy, factor=False),
                                                      rules=rule("worker-matters-more"))


def test_rule_worker_matters_more_in_easier_fires_when_more_in_the_less_tricky_setting():
    out = infer(*_comparison(PE.mattersMoreIn, easy, hard), rules=rule("worker-matters-more-in-easier"))
    assert (claim, PE.challenges, CENTRAL) in out


def test_rule_worker_matters_more_in_easier_does_not_fire_when_more_in_the_trickier():
    out = infer(*_comparison(PE.mattersMoreIn, hard, easy), rules=rule("worker-matters-more-in-easier"))
    assert (claim, PE.challenges, CENTRAL) not in out


def test_rule_worker_matters_less_fires_for_less_and_for_no_more():
    for prop_name in (PE.mattersLessIn, PE.mattersNoMoreIn):
        out = infer(*_comparison(prop_name, hard, easy), rules=rule("worker-matters-less"))
        assert (claim, PE.challenges, CENTRAL) in out


def test_rule_worker_matters_less_does_not_fire_when_less_in_the_easier_setting():
    out = infer(*_comparison(PE.mattersLessIn, easy, hard), rules=rule("worker-matters-less"))
    assert (claim, PE.challenges, CENTRAL) not in out


def test_rules_reach_a_fixpoint_with_the_closure():
    """Formal power → trickierThan (rule) → support (rule) → bearsOn (OWL)."""
    triples = [(hard, PE.formalPower, Literal(2)), (easy, PE.formalPower, Literal(0)),
               (claim, PE.mattersMoreIn, hard), (claim, PE.thanIn, easy), (claim, PE.factor, ID["factor/f"])]
    out = infer(*triples, rules=load_rules())
    assert (claim, PE.bearsOn, CENTRAL) in out and (CENTRAL, PE.hasBearingClaim, claim) in out


# ---------------------------------------------------------------- noise and equality with owlrl
def test_inferred_graph_has_no_noise(dataset):
    inferred = dataset.graph(INFERRED)
    assert len(inferred) > 1000
    noisy = [t for t in inferred if is_noise(t)]
    assert noisy == []
    assert (None, OWL.sameAs, None) not in inferred
    assert not any(str(s).startswith("http://www.w3.org/2002/07/owl#") for s in inferred.subjects())
    assert (None, RDF.type, OWL.Thing) not in inferred


def test_closure_equals_plain_owlrl_on_the_real_data():
    dataset, _ = load_dataset()
    asserted = {(s, p, o) for s, p, o, _g in dataset.quads()}
    rules = load_rules()
    ours = reason(asserted, rules)
    theirs = _reason_with_owlrl(asserted, rules)
    assert ours.engine == "kg" and theirs.engine == "owlrl"
    assert ours.inferred == theirs.inferred


def test_closure_equals_plain_owlrl_on_ontology_alone():
    asserted = ontology_triples()
    g = Graph()
    for t in asserted:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert reason(asserted, []).inferred == without_noise(set(g) - asserted)


# ---------------------------------------------------------------- explain (competency question 9)
def test_cq9_explains_why_a_claim_bears_on_the_central_rule(built, dataset):
    canadian = ID["claim/b5-therapist-relationship-completion-criminal-justice"]
    tree = Explainer(dataset, load_derivations(built)).explain((canadian, PE.bearsOn, CENTRAL))
    text = render_text(tree)
    assert "by prp-spo1" in text
    assert "rules/worker-matters-more.rq" in text
    assert "rules/trickier-from-formal-power.rq" in text
    assert "asserted in data/matrix-b5.ttl:" in text
    assert "asserted in ontology/core.ttl:" in text
    assert "Canadian" in text or "understanding and involved" in text  # the claim's excerpt


def test_explain_says_an_asserted_triple_is_asserted_and_where(built, dataset):
    tree = Explainer(dataset, load_derivations(built)).explain((CENTRAL, PE.hasComponent,
                                                                ID["proposition/formal-power-weakens-informal-influence"]))
    assert tree["asserted"] and tree["file"] == "data/sources.ttl"
    line = (ROOT / "data/sources.ttl").read_text(encoding="utf-8").splitlines()[tree["line"] - 1]
    assert "pe:hasComponent" in line


def test_explain_a_triple_that_does_not_hold_exits_2(built):
    from kg.cli import main
    assert main(["explain", "claim:nothing", "pe:bearsOn", "prop:nothing"]) == 2
