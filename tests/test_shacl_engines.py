"""pyshacl-turbo against pySHACL (kg/pipeline/shacl.py): for every kind of
constraint that shapes/ uses, one violation planted into a copy of the real
data must give the same report from both engines: the same verdict and the
same results (focus, path, value, constraint component, source shape,
severity). The real data unchanged must give the same report too. A new kind
of constraint in shapes/ without a planted case here fails the test."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from kg.pipeline.load import load_dataset
from kg.pipeline.shacl import StoreDump, load_shapes, shacl_findings, shacl_results
from kg.pipeline.validate import union_of

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")

# sh: predicates in a shapes graph that are not constraints: targets,
# structure, messages and the parts of a path
NOT_CONSTRAINTS = {SH.path, SH.property, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group,
                   SH.deactivated, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                   SH.zeroOrOnePath}


@pytest.fixture(scope="module")
def real():
    dataset, by_graph = load_dataset()
    return union_of(dataset, by_graph), load_shapes()


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _first(data: Graph, kind, predicate=None):
    """The first node (in IRI order) of a class or its subclasses (what
    sh:targetClass reaches), having ``predicate`` if given."""
    kinds = set(data.transitive_subjects(RDFS.subClassOf, kind))
    nodes = sorted({s for k in kinds for s in data.subjects(RDF.type, k)
                    if predicate is None or (s, predicate, None) in data})
    assert nodes, f"no {kind} with {predicate} in the real data"
    return nodes[0]


def _replace(data: Graph, node, predicate, value) -> None:
    data.remove((node, predicate, None))
    data.add((node, predicate, value))


# Each planting breaks one constraint of its kind and returns the constraint
# component(s) pySHACL must report for it (a constraint nested in sh:or is
# reported as the sh:or).

def plant_min_count(data):
    data.remove((_first(data, PE.Claim), RDFS.label, None))
    return {SH.MinCountConstraintComponent}


def plant_max_count(data):
    excerpt = _first(data, PE.Excerpt)
    data.add((excerpt, PE.exact, Literal("a second quotation")))
    return {SH.MaxCountConstraintComponent}


def plant_max_count_on_an_inverse_path(data):
    relation = _first(data, PE.EvidenceRelation)
    other = next(c for c in sorted(data.subjects(RDF.type, PE.Claim)) if (c, PE.qualifiedRelation, relation) not in data)
    data.add((other, PE.qualifiedRelation, relation))
    return {SH.MaxCountConstraintComponent}


def plant_datatype(data):
    _replace(data, _first(data, PE.Work, PE.entryNumber), PE.entryNumber, Literal("twelve"))
    return {SH.DatatypeConstraintComponent}


def plant_pattern(data):
    _replace(data, _first(data, PE.Source), DCTERMS.identifier, Literal("sources/with-a-folder.txt"))
    return {SH.PatternConstraintComponent}


def plant_class(data):
    claim = _first(data, PE.Claim)
    data.add((claim, PE.setting, _first(data, PE.Outcome)))
    return {SH.ClassConstraintComponent}


def plant_or(data):
    work = _first(data, PE.Work, DCTERMS.title)
    data.remove((work, DCTERMS.title, None))
    data.remove((work, RDFS.label, None))
    return {SH.OrConstraintComponent}


def plant_class_in_or(data):
    claim = _first(data, PE.Claim)
    _replace(data, claim, PE.statedIn, _first(data, PE.Excerpt))
    return {SH.OrConstraintComponent}


def plant_in(data):
    _replace(data, _first(data, PE.Work, PE.matrixCategory), PE.matrixCategory, Literal("X"))
    return {SH.InConstraintComponent}


def plant_in_of_iris(data):
    _replace(data, _first(data, PE.EvidenceRelation), PE.direction, PE.Refutes)
    return {SH.InConstraintComponent}


def plant_min_length(data):
    _replace(data, _first(data, PE.EvidenceRelation), PE.rationale, Literal("too short", lang="en"))
    return {SH.MinLengthConstraintComponent}


def plant_min_inclusive(data):
    _replace(data, _first(data, PE.Excerpt), PE.start, Literal(-1))
    return {SH.MinInclusiveConstraintComponent}


def plant_max_inclusive(data):
    _replace(data, _first(data, PE.Setting, PE.formalPower), PE.formalPower, Literal(7))
    return {SH.MaxInclusiveConstraintComponent}


def plant_less_than(data):
    excerpt = _first(data, PE.Excerpt)
    end = data.value(excerpt, PE.end)
    _replace(data, excerpt, PE.start, Literal(int(end) + 5))
    return {SH.LessThanConstraintComponent}


def plant_has_value(data):
    setting = _first(data, PE.Setting, PE.formalPower)
    _replace(data, setting, PE.formalPowerBasis, PE.JudgedByModeller)
    data.remove((setting, PE.formalPowerRationale, None))
    return {SH.OrConstraintComponent}


def plant_target_subjects_of(data):
    concept = _first(data, PE.Outcome)
    data.add((concept, PE.formalPower, Literal(7)))  # not a setting: no basis, no grounding
    return {SH.MinCountConstraintComponent, SH.OrConstraintComponent}


def plant_max_count_zero(data):
    question = URIRef("https://w3id.org/practitioner-evidence/id/claim/planted-open-question")
    claim = _first(data, PE.Claim, PE.supports)
    for p, o in data.predicate_objects(claim):
        data.add((question, p, o))
    data.add((question, RDF.type, PE.OpenQuestion))
    data.add((question, PE.challenges, data.value(claim, PE.supports)))
    return {SH.MaxCountConstraintComponent}


# the constraint parameter each planting breaks, as shapes/ writes it
PLANTED = {SH.minCount: [plant_min_count, plant_target_subjects_of],
           SH.maxCount: [plant_max_count, plant_max_count_on_an_inverse_path, plant_max_count_zero],
           SH.datatype: [plant_datatype], SH.pattern: [plant_pattern],
           SH["class"]: [plant_class, plant_class_in_or], SH["or"]: [plant_or], SH["in"]: [plant_in, plant_in_of_iris],
           SH.minLength: [plant_min_length], SH.minInclusive: [plant_min_inclusive],
           SH.maxInclusive: [plant_max_inclusive], SH.lessThan: [plant_less_than], SH.hasValue: [plant_has_value]}
CASES = [case for cases in PLANTED.values() for case in cases]


def _report(data, shapes, engine) -> tuple[bool, set]:
    findings = shacl_findings(data, shapes, engine=engine)
    keys = {(f.focus, f.path, f.value, f.component, f.shape, f.severity) for f in findings}
    return not any(f.severity == SH.Violation for f in findings), keys


def test_every_kind_of_constraint_the_shapes_use_has_a_planted_violation(real):
    _data, shapes = real
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))} - NOT_CONSTRAINTS
    assert used, "no constraints found in shapes/"
    assert used <= set(PLANTED), f"a planted case is missing for: {sorted(used - set(PLANTED))}"


def test_the_real_data_gets_the_same_report_from_both_engines(real):
    data, shapes = real
    assert _report(data, shapes, "pyshacl-turbo") == _report(data, shapes, "pyshacl")
    assert _report(_store(data), shapes, "pyshacl-turbo") == _report(data, shapes, "pyshacl")
    assert _report(StoreDump.of(_store(data)), shapes, "pyshacl-turbo") == _report(data, shapes, "pyshacl")
    assert _report(data, shapes, "pyshacl")[0], "the real data should conform"


@pytest.mark.parametrize("plant", CASES, ids=lambda f: f.__name__[len("plant_"):])
def test_a_planted_violation_gets_the_same_report_from_both_engines(real, plant):
    data, shapes = real
    broken = _copy(data)
    expected = plant(broken)
    conforms, reference = _report(broken, shapes, "pyshacl")
    assert not conforms
    assert expected <= {key[3] for key in reference}, reference  # the planting breaks what it says it breaks
    assert _report(broken, shapes, "pyshacl-turbo") == (conforms, reference)
    assert _report(_store(broken), shapes, "pyshacl-turbo") == (conforms, reference)  # kg's use of a Store
    assert _report(StoreDump.of(_store(broken)), shapes, "pyshacl-turbo") == (conforms, reference)  # the build's


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_results_carry_the_contracts_four_fields(real):
    data, shapes = real
    broken = _copy(data)
    plant_max_inclusive(broken)
    results = shacl_results(broken, shapes)
    assert any(value == Literal(7) and path == PE.formalPower and "formalPower" in str(message)
               for _focus, path, value, message in results), results


def test_a_pyoxigraph_store_is_validated_as_the_union_of_its_graphs(real):
    data, shapes = real
    broken = _copy(data)
    plant_max_inclusive(broken)
    store = ox.Store()
    # the vocabularies in one named graph, everything else in another: the shapes need both
    in_vocab = {s for s in broken.subjects(RDF.type, SKOS.Concept)} | set(broken.subjects(SKOS.inScheme, None))
    for s, p, o in broken:
        graph = ox.NamedNode("urn:graph:vocab" if s in in_vocab else "urn:graph:data")
        store.add(ox.Quad(_ox(s), _ox(p), _ox(o), graph))
    from_store = {tuple(r) for r in shacl_results(store, shapes)}
    assert from_store == {tuple(r) for r in shacl_results(broken, shapes)}
    assert from_store


def _ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    return ox.BlankNode(str(term))


def test_pyshacl_reads_a_store_as_the_union_of_its_graphs_too(real):
    data, shapes = real
    broken = _copy(data)
    plant_max_inclusive(broken)
    store = ox.Store()
    for s, p, o in broken:
        store.add(ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode("urn:graph:data" if p != RDF.type else "urn:graph:types")))
    keys = {f[:6] for f in shacl_findings(store, shapes, engine="pyshacl")}
    assert keys == {f[:6] for f in shacl_findings(broken, shapes, engine="pyshacl")} and keys


@pytest.mark.parametrize("engine", ["pyshacl", "pyshacl-turbo"])
def test_an_rdflib_dataset_is_validated_as_the_union_of_its_files(engine):
    from kg.pipeline.load import INFERRED

    dataset, by_graph = load_dataset()
    concept = sorted(dataset.graph(next(iri for iri, item in by_graph.items() if item.path.name == "vocabularies.ttl"))
                     .subjects(RDF.type, PE.Outcome))[0]
    planted = next(iri for iri, item in by_graph.items() if item.layer == "data")
    dataset.graph(planted).add((concept, PE.formalPower, Literal(7)))  # its type is in another graph
    assert INFERRED not in by_graph
    shapes = load_shapes()  # one shapes graph: the source shapes are its blank nodes
    keys = {f[:6] for f in shacl_findings(dataset, shapes, engine=engine)}
    assert keys == {f[:6] for f in shacl_findings(union_of(dataset, by_graph), shapes, engine=engine)}
    assert any(f[0] == concept for f in keys)
