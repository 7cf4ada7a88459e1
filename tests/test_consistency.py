"""Inconsistencies are build errors: each OWL 2 RL rule whose conclusion is
false, planted on a small graph, is found (and owlrl agrees the graph is
inconsistent); ``kg build`` and ``kg validate`` stop with one line naming the
rule, the resources and the file and line, exit 2, and keep the previous
artefact. An anonymous inverse builds into an artefact pyoxigraph reads."""
from __future__ import annotations

import owlrl
import pytest
from rdflib import Graph

from kg.cli import main
from kg.pipeline.consistency import inconsistencies
from kg.pipeline.reason import reason
from owl2rl_graphs import PREFIXES


# AllDifferent and AllDisjointProperties lists have three members: owlrl
# never compares a list's last member, and the test also asks owlrl
PLANTED = {
    "cls-nothing2": "ex:C rdfs:subClassOf owl:Nothing . ex:x a ex:C .",
    "cax-dw": "ex:A owl:disjointWith ex:B . ex:A1 rdfs:subClassOf ex:A . ex:x a ex:A1, ex:B .",
    "cax-adc": "[] a owl:AllDisjointClasses ; owl:members (ex:A ex:B ex:C) . ex:x a ex:A, ex:C .",
    "cls-com": "ex:A owl:complementOf ex:B . ex:x a ex:A, ex:B .",
    "eq-diff1": "ex:x owl:differentFrom ex:y . ex:x owl:sameAs ex:z . ex:z owl:sameAs ex:y .",
    "eq-diff2": "[] a owl:AllDifferent ; owl:members (ex:x ex:y ex:z) . ex:x owl:sameAs ex:y .",
    "prp-irp": "ex:p a owl:IrreflexiveProperty . ex:q rdfs:subPropertyOf ex:p . ex:x ex:q ex:x .",
    "prp-asyp": "ex:p a owl:AsymmetricProperty . ex:x ex:p ex:y . ex:y ex:p ex:x .",
    "prp-pdw": "ex:p owl:propertyDisjointWith ex:q . ex:x ex:p ex:y ; ex:q ex:y .",
    "prp-npa1": "[] owl:sourceIndividual ex:x ; owl:assertionProperty ex:p ; owl:targetIndividual ex:y . ex:x ex:p ex:y .",
    "cls-maxc1": "ex:R owl:maxCardinality 0 ; owl:onProperty ex:p . ex:x a ex:R ; ex:p ex:y .",
    "eq-diff3": "[] a owl:AllDifferent ; owl:distinctMembers (ex:x ex:y ex:z) . ex:x owl:sameAs ex:y .",
    "prp-adp": "[] a owl:AllDisjointProperties ; owl:members (ex:p ex:q ex:r) . ex:x ex:p ex:y ; ex:q ex:y .",
    "prp-npa2": '[] owl:sourceIndividual ex:x ; owl:assertionProperty ex:p ; owl:targetValue "v" . ex:x ex:p "v" .',
    "cls-maxqc1": 'ex:R owl:maxQualifiedCardinality "0"^^xsd:nonNegativeInteger ; owl:onProperty ex:p ; '
                  "owl:onClass ex:C . ex:x a ex:R ; ex:p ex:y . ex:y a ex:C .",
    "cls-maxqc2": 'ex:R owl:maxQualifiedCardinality "0"^^xsd:nonNegativeInteger ; owl:onProperty ex:p ; '
                  "owl:onClass owl:Thing . ex:x a ex:R ; ex:p ex:y .",
}


def closure_of(text: str):
    triples = set(Graph().parse(data=PREFIXES + text, format="turtle"))
    return triples, reason(triples, []).closure


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_each_kind_of_inconsistency_is_found_by_its_rule(rule):
    triples, closure = closure_of(PLANTED[rule])
    found = inconsistencies(closure)
    assert {i.rule for i in found} == {rule}, found
    inference = reason(triples, [])  # as the build reads them: through the engine's index
    assert inconsistencies(inference.closure, inference.index) == found
    graph = Graph()
    for t in triples:
        graph.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert list(graph.objects(None, owlrl.Namespaces.ERRNS.error)), "owlrl finds it consistent"


def test_a_consistent_graph_has_no_inconsistency():
    _triples, closure = closure_of("ex:A owl:disjointWith ex:B . ex:x a ex:A . ex:y a ex:B . ex:x ex:p ex:y .")
    assert inconsistencies(closure) == []


def test_the_real_graph_is_consistent(built, dataset):
    from kg.pipeline.consistency import check
    from kg.pipeline.load import load_dataset
    assert check(*load_dataset()) == []


def _plant_nothing(project):
    (project / "data" / "zz-nothing.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix ex: <http://example.org/> .\n\n"
        "ex:Empty rdfs:subClassOf owl:Nothing .\n"
        "ex:thing a ex:Empty .\n", encoding="utf-8")


def test_build_and_validate_stop_on_an_inconsistency_and_keep_the_artefact(project_copy, capsys):
    assert main(["build"]) == 0
    before = (project_copy / "build" / "kg.nq").read_bytes()
    _plant_nothing(project_copy)
    capsys.readouterr()
    assert main(["build"]) == 2
    err = capsys.readouterr().err.splitlines()
    lines = [line for line in err if "inconsistent" in line]
    assert len(lines) == 1
    assert lines[0].startswith("data/zz-nothing.ttl:5: inconsistent (cls-nothing2): ")
    assert "<http://example.org/thing>" in lines[0] and "data/zz-nothing.ttl:6" in lines[0]
    assert (project_copy / "build" / "kg.nq").read_bytes() == before
    assert main(["validate"]) == 2
    assert "cls-nothing2" in capsys.readouterr().err


def test_an_anonymous_inverse_builds_an_artefact_pyoxigraph_reads(project_copy, capsys):
    import pyoxigraph
    core = project_copy / "ontology" / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8") +
                    "\npe:anonymousInverseTest a owl:ObjectProperty ; rdfs:label \"anonymous inverse test\"@en .\n"
                    "[ owl:inverseOf pe:supports ] rdfs:subPropertyOf pe:anonymousInverseTest .\n",
                    encoding="utf-8")
    assert main(["build"]) == 0
    store = pyoxigraph.Store()
    store.load(path=str(project_copy / "build" / "kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    answer = store.query("ASK { ?proposition <https://w3id.org/practitioner-evidence/ontology#anonymousInverseTest> ?claim . "
                         "?claim <https://w3id.org/practitioner-evidence/ontology#supports> ?proposition }",
                         use_default_graph_as_union=True)
    assert bool(answer)
